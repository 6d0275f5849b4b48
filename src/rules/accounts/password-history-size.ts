import { defineRule } from '../define.js';
import { judgeSystemAccess } from '../lib/secpol.js';

export const passwordHistorySize = defineRule({
  id: 'password-history-size',
  title: 'The last 24 passwords cannot be reused',
  failureTitle: 'Password history is shorter than 24',
  severity: 'low',
  area: 'accounts',
  rationale:
    'The history keeps users from alternating between a couple of favourite passwords, which would undo every forced change and bring back passwords that may already have leaked.',
  remediation:
    'Set "Enforce password history" to 24 passwords.',
  references: ['https://learn.microsoft.com/en-us/windows/security/threat-protection/security-policy-settings/enforce-password-history', 'CIS Microsoft Windows Server 2022 Benchmark 1.1.1 (Enforce password history)'],
  requires: ['securityPolicy'],
  evaluate({ securityPolicy }) {
    return judgeSystemAccess(securityPolicy, {
      key: 'PasswordHistorySize',
      expected: '24 or more',
      judge: (v) => v >= 24,
      absentDefault: 0,
      want: '24',
      what: 'Password history',
      reason: 'Without history, users cycle back to a password that may already be known.',
    });
  },
});
