import { defineRule } from '../define.js';
import { judgeAuditCategory } from '../lib/audit-policy.js';

export const auditLogonEvents = defineRule({
  id: 'audit-logon-events',
  title: 'Logon and logoff events are audited',
  failureTitle: 'Logon and logoff events are not fully audited',
  severity: 'medium',
  area: 'logging',
  rationale:
    'Successful and failed logons on this server are the first thing an investigation asks for: who came in, from where, and who kept trying. Without them, password guessing and the use of stolen credentials leave no trace on the host itself. Special Logon records sessions with administrative privileges.',
  remediation:
    'Configure the listed subcategories in Advanced Audit Policy Configuration (Group Policy), or with auditpol /set /subcategory:{GUID} /success:enable /failure:enable; make sure "Force audit policy subcategory settings" is enabled so legacy category settings do not override them.',
  references: ['https://learn.microsoft.com/en-us/windows/security/threat-protection/auditing/advanced-security-audit-policy-settings', 'https://learn.microsoft.com/en-us/windows-server/administration/windows-commands/auditpol-set', 'CIS Microsoft Windows Server 2022 Benchmark 17.5.1-17.5.6 (Logon/Logoff)'],
  requires: ['auditPolicy'],
  evaluate(state, ctx) {
    return judgeAuditCategory(state.auditPolicy!, ctx, 'Logon/Logoff', [
      { key: 'logon', name: 'Logon', success: true, failure: true },
      { key: 'logoff', name: 'Logoff', success: true, failure: false },
      { key: 'accountLockout', name: 'Account Lockout', success: false, failure: true },
      { key: 'specialLogon', name: 'Special Logon', success: true, failure: false },
      { key: 'otherLogonLogoffEvents', name: 'Other Logon/Logoff Events', success: true, failure: true },
    ]);
  },
});
