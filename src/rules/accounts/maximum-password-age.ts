import { defineRule } from '../define.js';
import { judgeSystemAccess } from '../lib/secpol.js';

export const maximumPasswordAge = defineRule({
  id: 'maximum-password-age',
  title: 'Passwords expire within a year',
  failureTitle: 'Passwords never expire or live longer than a year',
  severity: 'low',
  area: 'accounts',
  rationale:
    'A password that is never changed remains valid forever after it leaks. Current guidance prefers long passwords over frequent changes, but a ceiling of one year bounds how long a stolen password stays useful; 0 disables expiry altogether.',
  remediation:
    'Set "Maximum password age" to 365 days or less, and not 0.',
  references: ['https://learn.microsoft.com/en-us/windows/security/threat-protection/security-policy-settings/maximum-password-age', 'CIS Microsoft Windows Server 2022 Benchmark 1.1.2 (Maximum password age)'],
  requires: ['securityPolicy'],
  evaluate({ securityPolicy }) {
    return judgeSystemAccess(securityPolicy, {
      key: 'MaximumPasswordAge',
      expected: '1 to 365 days (not 0, which means never)',
      judge: (v) => v >= 1 && v <= 365,
      absentDefault: 42,
      want: '365',
      what: 'Maximum password age',
      reason: 'Passwords that never change stay useful to whoever has stolen them.',
    });
  },
});
