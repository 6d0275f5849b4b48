import { defineRule } from '../define.js';
import { judgeServicesDisabled } from '../lib/services.js';

export const rarelyNeededServicesDisabled = defineRule({
  id: 'rarely-needed-services-disabled',
  title: 'Rarely needed services are disabled',
  failureTitle: 'Services a server rarely needs can run',
  severity: 'low',
  area: 'services',
  rationale:
    'Computer Browser, SSDP Discovery, UPnP Device Host, WebClient (WebDAV redirector), Simple TCP/IP Services, Fax and the RPC Locator serve desktop or legacy needs. Each one left startable widens the attack surface (WebClient, for example, is used to coerce NTLM authentication).',
  remediation:
    'Disable each listed service that is not needed, after checking its dependents.',
  references: ['https://learn.microsoft.com/en-us/windows-server/security/windows-services/security-guidelines-for-disabling-system-services-in-windows-server'],
  requires: [],
  evaluate(state) {
    return judgeServicesDisabled(state, { names: ['Browser', 'SSDPSRV', 'upnphost', 'WebClient', 'simptcp', 'Fax', 'RpcLocator'], what: 'One or more rarely needed services', reason: 'Every running service is code reachable by an attacker; these are almost never needed on a server.' });
  },
});
