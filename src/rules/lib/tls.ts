// SCHANNEL protocol verdicts: the registry value when set, otherwise the documented default of
// the Windows release (schannelProtocol in src/host/effective.ts records which one decided).
import type { EvidenceItem } from '../../core/finding.js';
import { setRegistryValue } from '../../fix/ops.js';
import { schannelKey, schannelProtocol, type SchannelProtocol } from '../../host/effective.js';
import type { HostState } from '../../host/state.js';
import { fail, manual, pass, type Outcome } from '../define.js';

export function judgeProtocol(state: HostState, protocol: SchannelProtocol, wantEnabled: boolean, reason: string): Outcome {
  const s = schannelProtocol(state, protocol, 'Server');
  const key = schannelKey(protocol, 'Server');
  const label = `${protocol} server`;
  const value = `${s.enabled === 'unknown' ? 'unknown' : s.enabled ? 'enabled' : 'disabled'} — ${s.detail}`;
  const item: EvidenceItem = s.source ? { label, value, source: s.source } : { label, value };
  if (s.enabled === 'unknown') {
    return manual(`Cannot tell whether ${protocol} is enabled for servers: ${s.detail}.`, [`reg query "${key}"`, 'systeminfo'], [item]);
  }
  const by = s.decidedBy === 'registry' ? 'set in the registry' : 'the OS default';
  if (s.enabled === wantEnabled) return pass(`${protocol} is ${wantEnabled ? 'enabled' : 'disabled'} for servers (${by}).`, [item]);
  const fix = wantEnabled
    ? ([
        setRegistryValue({ key, name: 'Enabled', kind: 'REG_DWORD', value: 1, reason }),
        setRegistryValue({ key, name: 'DisabledByDefault', kind: 'REG_DWORD', value: 0, reason }),
      ] as const)
    : ([
        setRegistryValue({ key, name: 'Enabled', kind: 'REG_DWORD', value: 0, reason }),
        setRegistryValue({ key, name: 'DisabledByDefault', kind: 'REG_DWORD', value: 1, reason }),
      ] as const);
  return fail(`${protocol} is ${wantEnabled ? 'disabled' : 'enabled'} for servers (${by}); a reboot is needed after the change.`, [item], fix);
}
