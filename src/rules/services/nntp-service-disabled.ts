import { defineRule } from '../define.js';
import { judgeServicesDisabled } from '../lib/services.js';

export const nntpServiceDisabled = defineRule({
  id: 'nntp-service-disabled',
  title: 'NNTP service is not installed or disabled',
  failureTitle: 'NNTP service can run',
  severity: 'medium',
  area: 'services',
  rationale:
    'The IIS NNTP service runs a Usenet news server on TCP 119. Seed 000 lists it among the IIS 6 components a web server should not carry: it is rarely used, no longer maintained, and one more listener (often with clear-text logins) to attack.',
  remediation:
    'Disable the NNTP service (NntpSvc) and remove the component.',
  references: ['https://learn.microsoft.com/en-us/windows-server/security/windows-services/security-guidelines-for-disabling-system-services-in-windows-server'],
  requires: [],
  evaluate(state) {
    return judgeServicesDisabled(state, { names: ['NntpSvc'], what: 'The NNTP service', reason: 'A news server has no place on a web server.' });
  },
});
