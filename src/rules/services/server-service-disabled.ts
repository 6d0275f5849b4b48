import { defineRule, notApplicable } from '../define.js';
import { judgeServicesDisabled } from '../lib/services.js';

// Seed 002 lists the Server service as an optional step. It is `info`: disabling it removes file
// sharing and the admin shares, which is right for a dedicated Internet-facing web or DNS server
// but breaks a domain controller (SYSVOL/NETLOGON) and most management tooling.
export const serverServiceDisabled = defineRule({
  id: 'server-service-disabled',
  title: 'Server service is disabled on a dedicated web/DNS server',
  failureTitle: 'Server service (file sharing, admin shares) runs on a dedicated web/DNS server',
  severity: 'info',
  area: 'services',
  rationale:
    'The Server service (LanmanServer) is what answers SMB: file shares, the hidden administrative shares (C$, ADMIN$) and named pipes used for remote administration. A web or DNS server that is administered locally or through a jump host does not need to share anything, and without the service the whole SMB attack surface disappears. It is optional because many management tools rely on it.',
  remediation:
    'If nothing on this host needs file sharing or remote administration over SMB, disable the Server service (LanmanServer) after listing its dependents; otherwise keep it and make sure SMB is not bound to the Internet-facing adapter.',
  references: [
    'https://learn.microsoft.com/en-us/windows-server/security/windows-services/security-guidelines-for-disabling-system-services-in-windows-server',
  ],
  roles: ['iis', 'dnsServer'],
  requires: [],
  evaluate(state, ctx) {
    if (ctx.roles.domainController.present === true) {
      return notApplicable('A domain controller needs the Server service for SYSVOL and NETLOGON.', [
        { label: 'domain controller', value: ctx.roles.domainController.reason, ...(ctx.roles.domainController.source ? { source: ctx.roles.domainController.source } : {}) },
      ]);
    }
    return judgeServicesDisabled(state, {
      names: ['LanmanServer'],
      what: 'The Server service',
      reason: 'A dedicated web/DNS server shares no files; without the Server service SMB is not offered at all.',
    });
  },
});
