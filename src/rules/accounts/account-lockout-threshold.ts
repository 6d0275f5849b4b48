import { defineRule } from '../define.js';
import { judgeSystemAccess } from '../lib/secpol.js';

export const accountLockoutThreshold = defineRule({
  id: 'account-lockout-threshold',
  title: 'Accounts lock after at most 5 bad passwords',
  failureTitle: 'Account lockout threshold is off or too high',
  severity: 'medium',
  area: 'accounts',
  rationale:
    'With no lockout (0) or a high threshold, an attacker can try passwords against any reachable logon service without limit. A threshold of five or fewer bad attempts turns online guessing into a handful of tries per lockout window.',
  remediation:
    'Set "Account lockout threshold" to 5 or fewer invalid attempts (not 0), together with a lockout duration and reset counter of 15 minutes or more.',
  references: ['https://learn.microsoft.com/en-us/windows/security/threat-protection/security-policy-settings/account-lockout-threshold', 'CIS Microsoft Windows Server 2022 Benchmark 1.2.2 (Account lockout threshold)'],
  requires: ['securityPolicy'],
  evaluate({ securityPolicy }) {
    return judgeSystemAccess(securityPolicy, {
      key: 'LockoutBadCount',
      expected: '1 to 5 failed attempts',
      judge: (v) => v >= 1 && v <= 5,
      absentDefault: 0,
      want: '5',
      what: 'Account lockout threshold',
      reason: 'A lockout threshold slows online password guessing.',
    });
  },
});
