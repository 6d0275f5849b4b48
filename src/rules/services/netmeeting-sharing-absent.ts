import { defineRule } from '../define.js';
import { judgeServicesDisabled } from '../lib/services.js';

export const netmeetingSharingAbsent = defineRule({
  id: 'netmeeting-sharing-absent',
  title: 'NetMeeting Remote Desktop Sharing is absent or disabled',
  failureTitle: 'NetMeeting Remote Desktop Sharing can run',
  severity: 'high',
  area: 'services',
  rationale:
    'NetMeeting Remote Desktop Sharing is an obsolete way to share a desktop over the network, with weak authentication and no modern maintenance. Its presence on a server is an unmanaged remote-control channel.',
  remediation:
    'Disable the NetMeeting Remote Desktop Sharing service (mnmsrvc).',
  references: ['https://learn.microsoft.com/en-us/windows-server/security/windows-services/security-guidelines-for-disabling-system-services-in-windows-server'],
  requires: [],
  evaluate(state) {
    return judgeServicesDisabled(state, { names: ['mnmsrvc'], what: 'NetMeeting Remote Desktop Sharing', reason: 'A legacy remote-desktop sharing service must not be able to run on a server.' });
  },
});
