import type { EvidenceItem } from '../../core/finding.js';
import { manualStep, type FixOp } from '../../fix/ops.js';
import type { Listener } from '../../host/state.js';
import { defineRule, fail, nonEmpty, pass } from '../define.js';

/** Services that should never listen on a non-loopback address of a hardened web/DNS server,
 *  with what they are (seed 003's port notes, and the modern remote-control and database ports). */
const RISKY: Record<string, string> = {
  'tcp/21': 'FTP (clear-text logins)',
  'tcp/23': 'Telnet (clear-text remote shell)',
  'tcp/25': 'SMTP (possible relay)',
  'udp/69': 'TFTP (no authentication)',
  'tcp/110': 'POP3 (clear-text logins)',
  'tcp/119': 'NNTP',
  'tcp/143': 'IMAP (clear-text logins)',
  'udp/161': 'SNMP (community strings in clear text)',
  'tcp/512': 'rexec',
  'tcp/513': 'rlogin',
  'tcp/514': 'rsh',
  'tcp/1433': 'SQL Server',
  'udp/1434': 'SQL Server Browser',
  'tcp/3306': 'MySQL / MariaDB',
  'tcp/5432': 'PostgreSQL',
  'tcp/5800': 'VNC over HTTP',
  'tcp/5900': 'VNC',
  'tcp/6379': 'Redis',
  'tcp/11211': 'memcached',
  'udp/11211': 'memcached',
  'tcp/27017': 'MongoDB',
};

/** RISKY by port, then protocol: a netstat lists ~100 listeners, and a `${protocol}/${port}` key
 *  string built for each one cost more than the rest of the rule. */
const RISKY_BY_PORT = new Map<number, Partial<Record<string, string>>>();
for (const [k, what] of Object.entries(RISKY)) {
  const [protocol, port] = k.split('/') as [string, string];
  const byProtocol = RISKY_BY_PORT.get(Number(port)) ?? {};
  byProtocol[protocol] = what;
  RISKY_BY_PORT.set(Number(port), byProtocol);
}

function describe(l: Listener): string {
  const owner = [l.process, l.services?.join(',')].filter(Boolean).join(' ');
  return `${l.protocol.toUpperCase()} ${l.address}:${l.port}${l.pid !== undefined ? ` pid ${l.pid}` : ''}${owner ? ` (${owner})` : ''}`;
}

export const noRiskyListeners = defineRule({
  id: 'no-risky-listeners',
  title: 'No clear-text or database service listens on a network address',
  failureTitle: 'A risky service listens on a network address',
  severity: 'high',
  area: 'network',
  rationale:
    'Seed 003 starts every hardening pass with `netstat -naob`: what listens is what can be attacked. Clear-text protocols (Telnet, FTP, POP3, IMAP), unauthenticated ones (TFTP, VNC without a password, memcached), SNMP and databases should never be reachable on a web or DNS server\'s network addresses; if one must run, it belongs on loopback or behind a firewall rule limited to named hosts.',
  remediation:
    'For each listed listener, stop and disable the owning service, or bind it to 127.0.0.1, or restrict its port in the firewall to the hosts that need it.',
  references: [
    'https://learn.microsoft.com/en-us/windows-server/administration/windows-commands/netstat',
    'https://learn.microsoft.com/en-us/troubleshoot/windows-server/networking/service-overview-and-network-port-requirements',
  ],
  requires: ['listeners'],
  evaluate(state) {
    const items: EvidenceItem[] = [];
    const fixes: FixOp[] = [];
    let open = 0;
    for (const l of state.listeners.listeners) {
      if (l.loopback) continue;
      open++;
      const what = RISKY_BY_PORT.get(l.port)?.[l.protocol];
      if (!what) continue;
      items.push({ label: what, value: describe(l), source: l.source });
      fixes.push(
        manualStep(`Stop, rebind to loopback or firewall ${what} on ${l.protocol.toUpperCase()} ${l.port}${l.process ? ` (${l.process})` : ''}.`, [
          l.pid !== undefined ? `Get-CimInstance Win32_Service -Filter "ProcessId=${l.pid}" | Select-Object Name,DisplayName,StartMode` : `Get-NetTCPConnection -LocalPort ${l.port} -State Listen`,
        ]),
      );
    }
    if (nonEmpty(items) && nonEmpty(fixes)) return fail(`${items.length} risky listener(s) on network addresses: ${items.map((i) => i.label).join(', ')}.`, items, fixes);
    return pass(`None of the ${open} listener(s) on network addresses is a clear-text, unauthenticated or database service.`, []);
  },
});
