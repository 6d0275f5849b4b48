import type { EvidenceItem } from '../../core/finding.js';
import { setRegistryValue } from '../../fix/ops.js';
import { defineRule, fail, manual, pass, type Outcome } from '../define.js';
import { combine } from '../lib/combine.js';
import { judgeDword } from '../lib/dword.js';
import { readSetting, regQuery, settingItem } from '../lib/settings.js';

const PARAMS = 'HKLM\\SYSTEM\\CurrentControlSet\\Services\\LanmanServer\\Parameters';
/** Pipes a domain controller legitimately offers to anonymous callers (CIS keeps these on DCs). */
const DC_PIPES = ['netlogon', 'samr', 'lsarpc'];

function judgeList(state: Parameters<typeof readSetting>[0], name: string, allowed: readonly string[]): Outcome {
  const s = readSetting(state, PARAMS, name);
  const item: EvidenceItem = settingItem(s);
  if (s.status === 'not-collected') return manual(`${name} was not collected.`, [regQuery(PARAMS, name)], [item]);
  const list = s.status === 'absent' ? [] : Array.isArray(s.value) ? s.value : typeof s.value === 'string' ? s.value.split(/[,\s]+/) : [];
  const extra = list.map((x) => x.trim()).filter((x) => x !== '' && !allowed.includes(x.toLowerCase()));
  if (extra.length === 0) return pass(`${name} opens nothing to anonymous users${list.length ? ` beyond ${allowed.join(', ')}` : ''}.`, [item]);
  return fail(`${name} lets anonymous users reach: ${extra.join(', ')}.`, [item], [
    setRegistryValue({ key: PARAMS, name, kind: 'REG_MULTI_SZ', value: list.filter((x) => allowed.includes(x.toLowerCase())), reason: `Nothing should be reachable through a null session via ${name}.` }),
  ]);
}

export const nullSessionAccessRestricted = defineRule({
  id: 'null-session-access-restricted',
  title: 'Null sessions cannot reach shares or named pipes',
  failureTitle: 'Null sessions can reach shares or named pipes',
  severity: 'high',
  area: 'network',
  rationale:
    'RestrictNullSessAccess makes the server refuse anonymous access to every share and pipe except those listed in NullSessionShares and NullSessionPipes. Listing anything there re-opens an unauthenticated path into the server, which is how many older worms and enumeration tools worked.',
  remediation:
    'Enable "Network access: Restrict anonymous access to Named Pipes and Shares" and empty "Shares that can be accessed anonymously" and "Named Pipes that can be accessed anonymously" (domain controllers may keep netlogon, samr and lsarpc).',
  references: [
    'https://learn.microsoft.com/en-us/windows/security/threat-protection/security-policy-settings/network-access-restrict-anonymous-access-to-named-pipes-and-shares',
    'https://learn.microsoft.com/en-us/windows/security/threat-protection/security-policy-settings/network-access-shares-that-can-be-accessed-anonymously',
    'https://learn.microsoft.com/en-us/windows/security/threat-protection/security-policy-settings/network-access-named-pipes-that-can-be-accessed-anonymously',
    'CIS Microsoft Windows Server 2022 Benchmark 2.3.10.10 (Restrict anonymous access to Named Pipes and Shares)',
    'CIS Microsoft Windows Server 2022 Benchmark 2.3.10.12 (Shares that can be accessed anonymously)',
    'CIS Microsoft Windows Server 2022 Benchmark 2.3.10.7 (Named Pipes that can be accessed anonymously, member server)',
  ],
  requires: [],
  evaluate(state, ctx) {
    const dc = ctx.roles.domainController.present === true;
    return combine('Null-session access', [
      judgeDword(state, {
        key: PARAMS,
        name: 'RestrictNullSessAccess',
        expected: '1',
        ok: (v) => v === 1,
        absentDefault: { value: 1, note: 'Windows default: restricted' },
        want: 1,
        what: 'Null-session restriction',
        reason: 'The server must refuse anonymous access to shares and pipes.',
      }),
      judgeList(state, 'NullSessionShares', []),
      judgeList(state, 'NullSessionPipes', dc ? DC_PIPES : []),
    ]);
  },
});
