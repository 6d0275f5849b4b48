import { defineRule } from '../define.js';
import { judgeSystemAccess } from '../lib/secpol.js';

export const reversiblePasswordEncryptionDisabled = defineRule({
  id: 'reversible-password-encryption-disabled',
  title: 'Passwords are not stored with reversible encryption',
  failureTitle: 'Passwords are stored with reversible encryption',
  severity: 'high',
  area: 'accounts',
  rationale:
    'Reversible encryption keeps every password in a form that can be turned back into the plain text, so anyone who obtains the account database (a backup, a DC compromise) gets the passwords themselves, not just hashes.',
  remediation:
    'Disable "Store passwords using reversible encryption", then make users change their passwords so the stored copies are replaced.',
  references: ['https://learn.microsoft.com/en-us/windows/security/threat-protection/security-policy-settings/store-passwords-using-reversible-encryption', 'CIS Microsoft Windows Server 2022 Benchmark 1.1.7 (Store passwords using reversible encryption)'],
  requires: ['securityPolicy'],
  evaluate({ securityPolicy }) {
    return judgeSystemAccess(securityPolicy, {
      key: 'ClearTextPassword',
      expected: '0 (disabled)',
      judge: (v) => v === 0,
      absentDefault: 0,
      want: '0',
      what: 'Reversible password storage',
      reason: 'Reversibly encrypted passwords are as good as plain text to anyone who reads the account database.',
    });
  },
});
