import { defineRule } from '../define.js';
import { judgeAuditCategory } from '../lib/audit-policy.js';

export const auditAccountLogon = defineRule({
  id: 'audit-account-logon',
  title: 'Credential validation is audited',
  failureTitle: 'Credential validation is not fully audited',
  severity: 'medium',
  area: 'logging',
  rationale:
    'Account Logon events are written where the credentials are checked: for local accounts on this server, for domain accounts on the domain controller. Failed validations are the signature of password spraying; on a DC the Kerberos events also expose ticket abuse.',
  remediation:
    'Configure the listed subcategories in Advanced Audit Policy Configuration (Group Policy), or with auditpol /set /subcategory:{GUID} /success:enable /failure:enable; make sure "Force audit policy subcategory settings" is enabled so legacy category settings do not override them.',
  references: ['https://learn.microsoft.com/en-us/windows/security/threat-protection/auditing/advanced-security-audit-policy-settings', 'https://learn.microsoft.com/en-us/windows-server/administration/windows-commands/auditpol-set', 'CIS Microsoft Windows Server 2022 Benchmark 17.1.1-17.1.3 (Account Logon)'],
  requires: ['auditPolicy'],
  evaluate(state, ctx) {
    return judgeAuditCategory(state.auditPolicy!, ctx, 'Account Logon', [
      { key: 'credentialValidation', name: 'Credential Validation', success: true, failure: true },
      { key: 'kerberosAuthenticationService', name: 'Kerberos Authentication Service', success: true, failure: true, dcOnly: true },
      { key: 'kerberosServiceTicketOperations', name: 'Kerberos Service Ticket Operations', success: true, failure: true, dcOnly: true },
    ]);
  },
});
