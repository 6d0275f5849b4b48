import { defineRule } from '../define.js';
import { judgeSystemAccess } from '../lib/secpol.js';

export const passwordComplexityEnabled = defineRule({
  id: 'password-complexity-enabled',
  title: 'Password complexity is required',
  failureTitle: 'Password complexity is not required',
  severity: 'medium',
  area: 'accounts',
  rationale:
    'Without the complexity rule, a password may be a single dictionary word or the account name. The rule forces characters from several classes, which removes the weakest passwords that password sprays try first.',
  remediation:
    'Enable "Password must meet complexity requirements".',
  references: ['https://learn.microsoft.com/en-us/windows/security/threat-protection/security-policy-settings/password-must-meet-complexity-requirements', 'CIS Microsoft Windows Server 2022 Benchmark 1.1.5 (Password must meet complexity requirements)'],
  requires: ['securityPolicy'],
  evaluate({ securityPolicy }) {
    return judgeSystemAccess(securityPolicy, {
      key: 'PasswordComplexity',
      expected: '1 (enabled)',
      judge: (v) => v === 1,
      want: '1',
      what: 'Password complexity',
      reason: 'Complexity rules stop the simplest dictionary passwords.',
    });
  },
});
