import { defineRule } from '../define.js';
import { judgeAuditCategory } from '../lib/audit-policy.js';

export const auditPrivilegeUse = defineRule({
  id: 'audit-privilege-use',
  title: 'Sensitive privilege use is audited',
  failureTitle: 'Sensitive privilege use is not audited',
  severity: 'low',
  area: 'logging',
  rationale:
    'Sensitive privileges (act as part of the OS, debug programs, take ownership, back up and restore files) are what credential-theft tools and privilege-escalation exploits use. Recording when they are exercised, and when an attempt is refused, shows that activity.',
  remediation:
    'Configure the listed subcategories in Advanced Audit Policy Configuration (Group Policy), or with auditpol /set /subcategory:{GUID} /success:enable /failure:enable; make sure "Force audit policy subcategory settings" is enabled so legacy category settings do not override them.',
  references: ['https://learn.microsoft.com/en-us/windows/security/threat-protection/auditing/advanced-security-audit-policy-settings', 'https://learn.microsoft.com/en-us/windows-server/administration/windows-commands/auditpol-set', 'CIS Microsoft Windows Server 2022 Benchmark 17.8.1 (Sensitive Privilege Use)'],
  requires: ['auditPolicy'],
  evaluate(state, ctx) {
    return judgeAuditCategory(state.auditPolicy!, ctx, 'Privilege Use', [
      { key: 'sensitivePrivilegeUse', name: 'Sensitive Privilege Use', success: true, failure: true },
    ]);
  },
});
