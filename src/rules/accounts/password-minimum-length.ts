import { defineRule } from '../define.js';
import { judgeSystemAccess } from '../lib/secpol.js';

export const passwordMinimumLength = defineRule({
  id: 'password-minimum-length',
  title: 'Passwords are at least 14 characters',
  failureTitle: 'Minimum password length is too short',
  severity: 'high',
  area: 'accounts',
  rationale:
    'Length is what makes a password hard to guess or crack offline; every extra character multiplies the work. Seed 003 asks for at least 12 mixed characters; current benchmarks ask for 14. A value of 12 or 13 is reported as a low-severity gap, anything shorter at full severity.',
  remediation:
    'Set "Minimum password length" to 14 or more in the account policy (Group Policy or secpol.msc).',
  references: ['https://learn.microsoft.com/en-us/windows/security/threat-protection/security-policy-settings/minimum-password-length', 'CIS Microsoft Windows Server 2022 Benchmark 1.1.4 (Minimum password length)'],
  requires: ['securityPolicy'],
  evaluate({ securityPolicy }) {
    return judgeSystemAccess(securityPolicy, {
      key: 'MinimumPasswordLength',
      expected: '14 or more (12 is the least acceptable)',
      judge: (v) => (v >= 14 ? true : v >= 12 ? 'low' : false),
      want: '14',
      what: 'Minimum password length',
      reason: 'Long passwords resist guessing and cracking.',
    });
  },
});
