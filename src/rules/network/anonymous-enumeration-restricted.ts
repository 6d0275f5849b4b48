import { defineRule } from '../define.js';
import { combine } from '../lib/combine.js';
import { judgeDword } from '../lib/dword.js';

const LSA = 'HKLM\\SYSTEM\\CurrentControlSet\\Control\\Lsa';

export const anonymousEnumerationRestricted = defineRule({
  id: 'anonymous-enumeration-restricted',
  title: 'Anonymous enumeration of accounts and shares is refused',
  failureTitle: 'Anonymous users can enumerate accounts or shares',
  severity: 'high',
  area: 'network',
  rationale:
    'A null session (an SMB connection with no credentials) that may list user accounts and shares hands an attacker the names to guess passwords for and the shares to probe. Both Lsa values must refuse it: RestrictAnonymousSAM for the account list and RestrictAnonymous for accounts and shares together.',
  remediation:
    'Enable "Network access: Do not allow anonymous enumeration of SAM accounts" (RestrictAnonymousSAM = 1) and "... of SAM accounts and shares" (RestrictAnonymous = 1).',
  references: [
    'https://learn.microsoft.com/en-us/windows/security/threat-protection/security-policy-settings/network-access-do-not-allow-anonymous-enumeration-of-sam-accounts',
    'https://learn.microsoft.com/en-us/windows/security/threat-protection/security-policy-settings/network-access-do-not-allow-anonymous-enumeration-of-sam-accounts-and-shares',
    'CIS Microsoft Windows Server 2022 Benchmark 2.3.10.2 (Do not allow anonymous enumeration of SAM accounts)',
    'CIS Microsoft Windows Server 2022 Benchmark 2.3.10.3 (Do not allow anonymous enumeration of SAM accounts and shares)',
  ],
  requires: [],
  evaluate(state) {
    return combine('Anonymous enumeration', [
      judgeDword(state, {
        key: LSA,
        name: 'RestrictAnonymousSAM',
        expected: '1',
        ok: (v) => v === 1,
        absentDefault: { value: 1, note: 'Windows default: SAM accounts not enumerable anonymously' },
        want: 1,
        what: 'Anonymous SAM enumeration',
        reason: 'Null sessions must not list local accounts.',
      }),
      judgeDword(state, {
        key: LSA,
        name: 'RestrictAnonymous',
        expected: '1 (or 2 on old systems)',
        ok: (v) => v >= 1,
        absentDefault: { value: 0, note: 'Windows default: shares enumerable anonymously' },
        want: 1,
        what: 'Anonymous account and share enumeration',
        reason: 'Null sessions must not list accounts and shares.',
      }),
    ]);
  },
});
