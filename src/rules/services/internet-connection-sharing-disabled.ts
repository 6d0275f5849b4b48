import { defineRule } from '../define.js';
import { judgeServicesDisabled } from '../lib/services.js';

export const internetConnectionSharingDisabled = defineRule({
  id: 'internet-connection-sharing-disabled',
  title: 'Internet Connection Sharing is disabled',
  failureTitle: 'Internet Connection Sharing can run',
  severity: 'medium',
  area: 'services',
  rationale:
    'Internet Connection Sharing turns the host into a NAT router with a DHCP and DNS proxy for other machines. On a server that only serves its own content it can bridge networks that the network design keeps apart.',
  remediation:
    'Disable the Internet Connection Sharing service (SharedAccess).',
  references: ['https://learn.microsoft.com/en-us/windows-server/security/windows-services/security-guidelines-for-disabling-system-services-in-windows-server'],
  requires: [],
  evaluate(state) {
    return judgeServicesDisabled(state, { names: ['SharedAccess'], what: 'Internet Connection Sharing', reason: 'A server is not a home gateway; connection sharing can route and hand out addresses.' });
  },
});
