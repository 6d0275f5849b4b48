import type { EvidenceItem } from '../../core/finding.js';
import { setRegistryValue, type FixOp } from '../../fix/ops.js';
import { osRelease, registryLookup, registryNumber } from '../../host/effective.js';
import { defineRule, fail, manual, nonEmpty, pass } from '../define.js';

const CIPHERS_KEY = 'HKLM\\SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL\\Ciphers';

/**
 * Each weak cipher and the first server build on which Windows leaves it out of the default
 * cipher-suite list when no key says otherwise. Triple DES stays in the default list through
 * Windows Server 2022, so it has no such build: a missing key means "enabled" everywhere.
 */
const WEAK: { name: string; offByDefaultFromBuild?: number }[] = [
  { name: 'NULL', offByDefaultFromBuild: 0 },
  { name: 'DES 56/56', offByDefaultFromBuild: 14393 },
  { name: 'RC4 40/128', offByDefaultFromBuild: 14393 },
  { name: 'RC4 56/128', offByDefaultFromBuild: 14393 },
  { name: 'RC4 64/128', offByDefaultFromBuild: 14393 },
  { name: 'RC4 128/128', offByDefaultFromBuild: 14393 },
  { name: 'Triple DES 168' },
];

export const schannelWeakCiphersDisabled = defineRule({
  id: 'schannel-weak-ciphers-disabled',
  title: 'Weak SCHANNEL ciphers (NULL, DES, RC4, 3DES) are disabled',
  failureTitle: 'Weak SCHANNEL ciphers can be negotiated',
  severity: 'high',
  area: 'tls',
  rationale:
    'Cipher keys under SCHANNEL\\Ciphers switch whole algorithms off for every TLS server on the host (IIS, RDP, WinRM). NULL gives no encryption, DES and 40/56-bit RC4 are brute-forceable, RC4 has exploitable biases (RFC 7465 prohibits it) and 3DES has a 64-bit block open to Sweet32. Older releases offer several of them by default; Triple DES stays in the default list even on current ones.',
  remediation: 'Create each listed key under SCHANNEL\\Ciphers with Enabled = 0 (DWORD), then reboot.',
  references: [
    'https://learn.microsoft.com/en-us/windows-server/security/tls/tls-registry-settings',
    'https://learn.microsoft.com/en-us/troubleshoot/windows-server/windows-security/restrict-cryptographic-algorithms-protocols-schannel',
    'CIS Microsoft IIS 10 Benchmark 7.7 (NULL), 7.8 (DES), 7.9 (RC4), 7.10 (Triple DES) cipher suites disabled',
  ],
  requires: [],
  evaluate(state) {
    const os = osRelease(state);
    const build = os?.build;
    const items: EvidenceItem[] = [];
    const fixes: FixOp[] = [];
    const unknown: string[] = [];
    for (const c of WEAK) {
      const key = `${CIPHERS_KEY}\\${c.name}`;
      const lk = registryLookup(state, key, 'Enabled');
      const v = registryNumber(lk);
      if (lk.status === 'set' && v !== undefined) {
        items.push({ label: `${c.name} Enabled`, value: v, source: lk.source });
        if (v !== 0) fixes.push(setRegistryValue({ key, name: 'Enabled', kind: 'REG_DWORD', value: 0, reason: `${c.name} is too weak for TLS.` }));
        continue;
      }
      if (lk.status === 'not-collected' || build === undefined) {
        unknown.push(c.name);
        items.push({ label: `${c.name} Enabled`, value: lk.status === 'not-collected' ? 'not collected' : 'not set; Windows build unknown' });
        continue;
      }
      const offByDefault = c.offByDefaultFromBuild !== undefined && build >= c.offByDefaultFromBuild;
      items.push({ label: `${c.name} Enabled`, value: `not set → OS default for ${os?.product ?? `build ${build}`}: ${offByDefault ? 'not offered' : 'offered'}`, source: lk.status === 'absent' ? lk.coveredBy : lk.source });
      if (!offByDefault) fixes.push(setRegistryValue({ key, name: 'Enabled', kind: 'REG_DWORD', value: 0, reason: `${c.name} is too weak for TLS.` }));
    }
    if (nonEmpty(items) && nonEmpty(fixes)) {
      return fail(`Weak ciphers can be negotiated: ${fixes.map((f) => (f.op === 'setRegistryValue' ? f.key.slice(CIPHERS_KEY.length + 1) : '')).join(', ')}.`, items, fixes);
    }
    if (unknown.length > 0) return manual(`Cannot decide for ${unknown.join(', ')}: the SCHANNEL\\Ciphers key or the Windows build is missing.`, [`reg export "${CIPHERS_KEY}" ciphers.reg /y`, 'systeminfo'], items);
    return pass('No weak cipher can be negotiated.', items);
  },
});
