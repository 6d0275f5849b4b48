import { defineRule } from '../define.js';
import { judgeAuditCategory } from '../lib/audit-policy.js';

export const auditAccountManagement = defineRule({
  id: 'audit-account-management',
  title: 'Account management is audited',
  failureTitle: 'Account and group changes are not fully audited',
  severity: 'medium',
  area: 'logging',
  rationale:
    'Creating an account, resetting a password or adding someone to Administrators are the moves an intruder makes to stay. Auditing account and group management records each one with the account that did it.',
  remediation:
    'Configure the listed subcategories in Advanced Audit Policy Configuration (Group Policy), or with auditpol /set /subcategory:{GUID} /success:enable /failure:enable; make sure "Force audit policy subcategory settings" is enabled so legacy category settings do not override them.',
  references: ['https://learn.microsoft.com/en-us/windows/security/threat-protection/auditing/advanced-security-audit-policy-settings', 'https://learn.microsoft.com/en-us/windows-server/administration/windows-commands/auditpol-set', 'CIS Microsoft Windows Server 2022 Benchmark 17.2.1-17.2.6 (Account Management)'],
  requires: ['auditPolicy'],
  evaluate(state, ctx) {
    return judgeAuditCategory(state.auditPolicy!, ctx, 'Account Management', [
      { key: 'userAccountManagement', name: 'User Account Management', success: true, failure: true },
      { key: 'securityGroupManagement', name: 'Security Group Management', success: true, failure: false },
      { key: 'otherAccountManagementEvents', name: 'Other Account Management Events', success: true, failure: false },
      { key: 'computerAccountManagement', name: 'Computer Account Management', success: true, failure: false, dcOnly: true },
    ]);
  },
});
