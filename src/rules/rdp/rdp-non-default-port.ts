import { manualStep } from '../../fix/ops.js';
import { RDP_LISTENER_KEY, registryLookup, registryNumber } from '../../host/effective.js';
import { defineRule, fail, manual, pass } from '../define.js';
import { regQuery } from '../lib/settings.js';

export const rdpNonDefaultPort = defineRule({
  id: 'rdp-non-default-port',
  title: 'RDP listens on a non-default port',
  failureTitle: 'RDP listens on the default port 3389',
  severity: 'low',
  area: 'rdp',
  rationale:
    'Seed 003 moves RDP off 3389 and says plainly that this is security through obscurity: it does not stop a targeted attacker, but it removes the server from the mass scans and password sprays that only try 3389. Severity is low for that reason. The firewall must then allow the new port, limited to the admin hosts (the firewall rules themselves are not in the bundle and are checked by hand).',
  remediation:
    'Choose an unused port, set RDP-Tcp\\PortNumber to it, add an inbound firewall rule for that port limited to the administrators\' addresses, and restart the Remote Desktop service.',
  references: [
    'https://learn.microsoft.com/en-us/windows-server/remote/remote-desktop-services/clients/change-listening-port',
  ],
  roles: ['rdpEnabled'],
  requires: [],
  evaluate(state) {
    const lk = registryLookup(state, RDP_LISTENER_KEY, 'PortNumber');
    if (lk.status === 'not-collected') return manual('The RDP-Tcp listener key was not collected.', [regQuery(RDP_LISTENER_KEY, 'PortNumber')], []);
    const port = registryNumber(lk) ?? 3389;
    const item = lk.status === 'set' ? { label: `${RDP_LISTENER_KEY}\\PortNumber`, value: port, source: lk.source } : { label: `${RDP_LISTENER_KEY}\\PortNumber`, value: 'not set (3389)', ...(lk.status === 'absent' ? { source: lk.coveredBy } : {}) };
    if (port !== 3389) return pass(`RDP listens on port ${port}. Check by hand that an inbound firewall rule allows exactly this port from the admin hosts.`, [item]);
    return fail('RDP listens on the default port 3389.', [item], [
      manualStep(
        'Pick an unused TCP port, move the RDP listener to it, allow it in the firewall from the admin hosts only, then restart the Remote Desktop service (keep a console session open in case the new rule is wrong).',
        [
          "Set-ItemProperty -Path 'HKLM:\\SYSTEM\\CurrentControlSet\\Control\\Terminal Server\\WinStations\\RDP-Tcp' -Name PortNumber -Value <port>",
          "New-NetFirewallRule -DisplayName 'Remote Desktop (custom port)' -Direction Inbound -Protocol TCP -LocalPort <port> -RemoteAddress <admin hosts> -Action Allow",
          'Restart-Service TermService -Force',
        ],
      ),
    ]);
  },
});
