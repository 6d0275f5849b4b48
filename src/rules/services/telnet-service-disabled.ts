import { defineRule } from '../define.js';
import { judgeServicesDisabled } from '../lib/services.js';

export const telnetServiceDisabled = defineRule({
  id: 'telnet-service-disabled',
  title: 'Telnet server is not installed or disabled',
  failureTitle: 'Telnet server can run',
  severity: 'high',
  area: 'services',
  rationale:
    'The Telnet server offers a remote shell with the password and the whole session readable by anyone on the path. Remote administration has encrypted alternatives (WinRM over HTTPS, RDP with NLA, SSH).',
  remediation:
    'Disable the Telnet service (TlntSvr) and remove the Telnet Server feature; if it must stay, limit it to the TelnetClients group.',
  references: ['https://learn.microsoft.com/en-us/windows-server/security/windows-services/security-guidelines-for-disabling-system-services-in-windows-server'],
  requires: [],
  evaluate(state) {
    return judgeServicesDisabled(state, { names: ['TlntSvr'], what: 'The Telnet server', reason: 'Telnet sends credentials and sessions in clear text.' });
  },
});
