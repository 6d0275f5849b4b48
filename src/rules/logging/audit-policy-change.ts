import { defineRule } from '../define.js';
import { judgeAuditCategory } from '../lib/audit-policy.js';

export const auditPolicyChange = defineRule({
  id: 'audit-policy-change',
  title: 'Policy changes are audited',
  failureTitle: 'Audit and authentication policy changes are not fully audited',
  severity: 'medium',
  area: 'logging',
  rationale:
    'An attacker who can switch auditing off usually does so first. Auditing changes to the audit policy itself, to trust and Kerberos policy, and to user rights keeps a record of that step.',
  remediation:
    'Configure the listed subcategories in Advanced Audit Policy Configuration (Group Policy), or with auditpol /set /subcategory:{GUID} /success:enable /failure:enable; make sure "Force audit policy subcategory settings" is enabled so legacy category settings do not override them.',
  references: ['https://learn.microsoft.com/en-us/windows/security/threat-protection/auditing/advanced-security-audit-policy-settings', 'https://learn.microsoft.com/en-us/windows-server/administration/windows-commands/auditpol-set', 'CIS Microsoft Windows Server 2022 Benchmark 17.7.1-17.7.5 (Policy Change)'],
  requires: ['auditPolicy'],
  evaluate(state, ctx) {
    return judgeAuditCategory(state.auditPolicy!, ctx, 'Policy Change', [
      { key: 'auditPolicyChange', name: 'Audit Policy Change', success: true, failure: true },
      { key: 'authenticationPolicyChange', name: 'Authentication Policy Change', success: true, failure: false },
      { key: 'authorizationPolicyChange', name: 'Authorization Policy Change', success: true, failure: false },
    ]);
  },
});
