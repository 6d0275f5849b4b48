// The judgement of what the scan found against what should be there (PRODUCT.md §Inventory and policy;
// PROTOCOLS.md finding ids `rogue-host`, `unapproved-service`).
//
// Decisions, stated once:
// - Only `open` ports are judged. `open|filtered` (UDP silence) and `filtered` prove nothing is
//   listening, so they never produce a finding.
// - With an inventory: a live host that matches no inventory host is a `rogue-host` (high). Its open
//   ports are then judged by the built-in risk table, as if no inventory had been given, because no
//   role exists to approve anything on it and flagging every port would bury the one that matters.
//   On a managed host, every open port that none of its roles approves is an `unapproved-service`;
//   its severity comes from the service's risk, kept inside the medium–high band PROTOCOLS.md gives
//   (an ordinary service is medium, a risky one its table severity capped at high).
// - Without an inventory: the finding ids stay the published ones. An open service the built-in table
//   calls risky becomes an `unapproved-service` at the table's severity, and its evidence says that no
//   inventory was given; anything else produces no finding.
// - Services are recognised by `service.name` (from the handshake). Only when the name is missing or
//   `unknown` does the port number decide, and the evidence says the verdict is a weaker one.
import { formatTarget, SEVERITIES, severityRank, type EvidenceItem, type Finding, type Severity } from '../core/finding.js';
import type { HostResult, PortResult, Protocol } from '../core/result.js';
import { inventoryMatch, formatPortRanges, type Inventory, type InventoryHost } from './inventory.js';

export interface ServiceRisk {
  /** Service name as the identification stage reports it. */
  service: string;
  /** How people call it, for titles. */
  label: string;
  /** The usual ports: used for the port-only guess, and for RDP to tell the default port. */
  ports: ReadonlyArray<{ protocol: Protocol; port: number }>;
  severity: Severity;
  /** One line: why being reachable is a risk. */
  reason: string;
  /** The Windows setting or firewall action that closes it. */
  remediation: string;
  references: readonly string[];
  /** Risky only on its well-known port (RDP: the default port is what every sweep finds). */
  defaultPortOnly?: boolean;
}

const FIREWALL_REF = 'https://learn.microsoft.com/powershell/module/netsecurity/new-netfirewallrule';
const CLEARTEXT_REF = 'https://cwe.mitre.org/data/definitions/319.html';
const NO_AUTH_REF = 'https://cwe.mitre.org/data/definitions/306.html';
const SERVER_GUIDE_REF = 'https://csrc.nist.gov/pubs/sp/800/123/final';
const ASSET_INVENTORY_REF = 'https://www.cisecurity.org/controls/inventory-and-control-of-enterprise-assets';

const blockRule = (protocol: Protocol, port: number): string =>
  `New-NetFirewallRule -DisplayName 'portcullis: block ${port}/${protocol}' -Direction Inbound -Protocol ${protocol.toUpperCase()} -LocalPort ${port} -Action Block`;

/** The built-in risk table: services that should not be reachable unless someone decided they must be. */
export const RISKY_SERVICES: readonly ServiceRisk[] = [
  {
    service: 'telnet',
    label: 'Telnet',
    ports: [{ protocol: 'tcp', port: 23 }],
    severity: 'high',
    reason: 'Telnet gives a remote command prompt and sends the password and every keystroke unencrypted.',
    remediation:
      "Remove the Telnet Server feature (Uninstall-WindowsFeature Telnet-Server) or stop and disable the Telnet service (Set-Service TlntSvr -StartupType Disabled), administer through WinRM over HTTPS or SSH instead, and block inbound TCP 23 in Windows Defender Firewall.",
    references: ['https://www.rfc-editor.org/rfc/rfc854', CLEARTEXT_REF, FIREWALL_REF],
  },
  {
    service: 'ftp',
    label: 'FTP',
    ports: [{ protocol: 'tcp', port: 21 }],
    severity: 'high',
    reason: 'FTP carries user names, passwords and files in clear text, and FTP sites are often left open to anonymous users.',
    remediation:
      "Stop and disable the Microsoft FTP Service (Set-Service ftpsvc -StartupType Disabled) or remove the Web-Ftp-Server role service; where uploads are really needed, set the site's SSL policy to require SSL (FTPS) or use SFTP, and block inbound TCP 21 elsewhere in Windows Defender Firewall.",
    references: ['https://www.rfc-editor.org/rfc/rfc959', 'https://www.rfc-editor.org/rfc/rfc4217', CLEARTEXT_REF],
  },
  {
    service: 'smb',
    label: 'SMB file sharing',
    ports: [{ protocol: 'tcp', port: 445 }],
    severity: 'high',
    reason: 'SMB exposes shares, administrative shares and named pipes, and it is the path most Windows worms and ransomware spread by.',
    remediation: `Allow TCP 445 only from the networks that use this server's shares (scope the 'File and Printer Sharing (SMB-In)' rule with Set-NetFirewallRule -RemoteAddress) and block it elsewhere (${blockRule('tcp', 445)}); on a host that shares nothing, stop and disable the Server service (LanmanServer).`,
    references: ['https://learn.microsoft.com/powershell/module/smbshare/set-smbserverconfiguration', FIREWALL_REF],
  },
  {
    service: 'netbios-ssn',
    label: 'NetBIOS session service',
    ports: [{ protocol: 'tcp', port: 139 }],
    severity: 'high',
    reason: 'The NetBIOS session service is the legacy transport for SMB and keeps file sharing reachable over the oldest, weakest path.',
    remediation:
      "Disable NetBIOS over TCP/IP on every adapter (adapter properties › IPv4 › Advanced › WINS › 'Disable NetBIOS over TCP/IP', or NetbiosOptions = 2 under HKLM\\SYSTEM\\CurrentControlSet\\Services\\NetBT\\Parameters\\Interfaces\\Tcpip_{adapter GUID}) and block inbound TCP 139 in Windows Defender Firewall.",
    references: ['https://www.rfc-editor.org/rfc/rfc1001', 'https://www.rfc-editor.org/rfc/rfc1002', FIREWALL_REF],
  },
  {
    service: 'netbios-ns',
    label: 'NetBIOS name service',
    ports: [{ protocol: 'udp', port: 137 }],
    severity: 'medium',
    reason: 'The NetBIOS name service tells anyone who asks the computer name, the domain or workgroup, and sometimes the logged-on user.',
    remediation:
      "Disable NetBIOS over TCP/IP on every adapter (NetbiosOptions = 2 under HKLM\\SYSTEM\\CurrentControlSet\\Services\\NetBT\\Parameters\\Interfaces\\Tcpip_{adapter GUID}, or through the DHCP scope option) and block inbound UDP 137 in Windows Defender Firewall.",
    references: ['https://www.rfc-editor.org/rfc/rfc1002', FIREWALL_REF],
  },
  {
    service: 'msrpc',
    label: 'RPC endpoint mapper',
    ports: [{ protocol: 'tcp', port: 135 }],
    severity: 'medium',
    reason: 'The RPC endpoint mapper lists the RPC services the host offers and opens the way to DCOM and remote WMI; worms such as Blaster came in through it.',
    remediation:
      "Allow TCP 135 only from domain controllers and management hosts (scope the RPC Endpoint Mapper inbound rule with Set-NetFirewallRule -RemoteAddress) and block it from every other network in Windows Defender Firewall.",
    references: [FIREWALL_REF, SERVER_GUIDE_REF],
  },
  {
    service: 'rdp',
    label: 'Remote Desktop',
    ports: [{ protocol: 'tcp', port: 3389 }],
    severity: 'medium',
    defaultPortOnly: true,
    reason: 'Remote Desktop on its well-known port is found by every mass scan and receives constant password guessing.',
    remediation:
      "Allow TCP 3389 only from an administration network, a VPN or a Remote Desktop Gateway (scope the 'Remote Desktop - User Mode (TCP-In)' rule with Set-NetFirewallRule -RemoteAddress), require Network Level Authentication (UserAuthentication = 1 under HKLM\\SYSTEM\\CurrentControlSet\\Control\\Terminal Server\\WinStations\\RDP-Tcp) and set an account lockout threshold.",
    references: ['https://learn.microsoft.com/openspecs/windows_protocols/ms-rdpbcgr/', FIREWALL_REF],
  },
  {
    service: 'snmp',
    label: 'SNMP',
    ports: [{ protocol: 'udp', port: 161 }],
    severity: 'high',
    reason: 'SNMP v1 and v2c authenticate with a community string sent in clear text, and default communities reveal, or let anyone change, system details.',
    remediation:
      "Remove the SNMP Service feature if nothing polls it (Uninstall-WindowsFeature SNMP-Service); otherwise replace the default community names and list the permitted managers on the SNMP Service's Security tab, and allow UDP 161 only from the monitoring hosts in Windows Defender Firewall.",
    references: ['https://www.rfc-editor.org/rfc/rfc3414', CLEARTEXT_REF, FIREWALL_REF],
  },
  {
    service: 'vnc',
    label: 'VNC',
    ports: [5900, 5901, 5902, 5903].map((port) => ({ protocol: 'tcp' as const, port })),
    severity: 'high',
    reason: 'VNC hands over the whole console; its classic password scheme stops at eight characters and some servers offer no authentication at all.',
    remediation:
      'Uninstall the VNC server, or make it listen on localhost only and reach it through an authenticated tunnel; if it must stay reachable, require its strongest authentication and allow its port only from administration hosts in Windows Defender Firewall.',
    references: ['https://www.rfc-editor.org/rfc/rfc6143', NO_AUTH_REF, FIREWALL_REF],
  },
  {
    service: 'ms-sql',
    label: 'SQL Server',
    ports: [{ protocol: 'tcp', port: 1433 }],
    severity: 'high',
    reason: 'A database listener reachable from the scanning network invites password guessing (sa) and exposes the data to any flaw in the engine.',
    remediation:
      'Allow TCP 1433 only from the application servers that use the database (scoped Windows Defender Firewall rule); on instances that serve only local clients, disable the TCP/IP protocol in SQL Server Configuration Manager; disable the sa login.',
    references: ['https://learn.microsoft.com/openspecs/windows_protocols/ms-tds/', FIREWALL_REF],
  },
  {
    service: 'ms-sql-m',
    label: 'SQL Server Browser',
    ports: [{ protocol: 'udp', port: 1434 }],
    severity: 'medium',
    reason: 'The SQL Server Browser answers anyone with the name, version and port of every instance on the host.',
    remediation:
      'Give each instance a fixed port and stop and disable the SQL Server Browser service (Set-Service SQLBrowser -StartupType Disabled), or block inbound UDP 1434 in Windows Defender Firewall.',
    references: [FIREWALL_REF],
  },
  {
    service: 'mysql',
    label: 'MySQL/MariaDB',
    ports: [{ protocol: 'tcp', port: 3306 }],
    severity: 'high',
    reason: 'A database listener reachable from the scanning network invites password guessing and exposes the data to any flaw in the server.',
    remediation:
      "Bind the server to the addresses its clients use (bind-address in my.ini) and allow TCP 3306 only from the application servers in Windows Defender Firewall.",
    references: [FIREWALL_REF, SERVER_GUIDE_REF],
  },
  {
    service: 'postgresql',
    label: 'PostgreSQL',
    ports: [{ protocol: 'tcp', port: 5432 }],
    severity: 'high',
    reason: 'A database listener reachable from the scanning network invites password guessing and exposes the data to any flaw in the server.',
    remediation:
      'Limit listen_addresses in postgresql.conf and the client networks in pg_hba.conf, and allow TCP 5432 only from the application servers in Windows Defender Firewall.',
    references: [FIREWALL_REF, SERVER_GUIDE_REF],
  },
  {
    service: 'redis',
    label: 'Redis',
    ports: [{ protocol: 'tcp', port: 6379 }],
    severity: 'high',
    reason: 'Redis has no password unless one is configured, and a client that gets in can rewrite its configuration and write files on the server.',
    remediation:
      "Bind Redis to localhost or the application network (bind in redis.conf), set requirepass or ACL users, and block TCP 6379 from other networks in Windows Defender Firewall.",
    references: [NO_AUTH_REF, FIREWALL_REF],
  },
  {
    service: 'oracle-tns',
    label: 'Oracle listener',
    ports: [{ protocol: 'tcp', port: 1521 }],
    severity: 'high',
    reason: 'A database listener reachable from the scanning network invites password guessing and exposes the data to any flaw in the server.',
    remediation: `Restrict the listener to the application network (valid node checking in sqlnet.ora) and allow TCP 1521 only from the application servers in Windows Defender Firewall.`,
    references: [FIREWALL_REF],
  },
  {
    service: 'mongodb',
    label: 'MongoDB',
    ports: [{ protocol: 'tcp', port: 27017 }],
    severity: 'high',
    reason: 'Older MongoDB releases listen without authentication, and any reachable database invites password guessing.',
    remediation: 'Enable authorization in mongod.cfg, bind it to the application network (net.bindIp), and allow TCP 27017 only from the application servers in Windows Defender Firewall.',
    references: [NO_AUTH_REF, FIREWALL_REF],
  },
  {
    service: 'winrm',
    label: 'WinRM',
    ports: [
      { protocol: 'tcp', port: 5985 },
      { protocol: 'tcp', port: 5986 },
    ],
    severity: 'low',
    reason: 'WinRM gives remote PowerShell to anyone holding valid credentials; it belongs to administration networks only.',
    remediation:
      "Scope the 'Windows Remote Management (HTTP-In)' rule to administration addresses (Set-NetFirewallRule -RemoteAddress), prefer an HTTPS listener on 5986 and remove the HTTP one (winrm delete winrm/config/Listener?Address=*+Transport=HTTP).",
    references: [FIREWALL_REF],
  },
  {
    service: 'ssdp',
    label: 'SSDP/UPnP discovery',
    ports: [{ protocol: 'udp', port: 1900 }],
    severity: 'medium',
    reason: 'SSDP discovery has no purpose on a server, announces its devices and services, and its answers can be abused to amplify floods.',
    remediation: 'Stop and disable the SSDP Discovery service (Set-Service SSDPSRV -StartupType Disabled) and block inbound UDP 1900 in Windows Defender Firewall.',
    references: [FIREWALL_REF],
  },
  {
    service: 'llmnr',
    label: 'LLMNR',
    ports: [{ protocol: 'udp', port: 5355 }],
    severity: 'medium',
    reason: 'A host that answers LLMNR also resolves names by it, so anyone on the segment can answer its lookups and collect NTLM hashes.',
    remediation:
      "Enable the policy Computer Configuration › Administrative Templates › Network › DNS Client › 'Turn off multicast name resolution' (EnableMulticast = 0 under HKLM\\Software\\Policies\\Microsoft\\Windows NT\\DNSClient).",
    references: ['https://www.rfc-editor.org/rfc/rfc4795'],
  },
  {
    service: 'mdns',
    label: 'mDNS',
    ports: [{ protocol: 'udp', port: 5353 }],
    severity: 'low',
    reason: 'mDNS announces the host and its services to the segment and, like LLMNR, lets a neighbour answer its name lookups.',
    remediation: 'Set EnableMDNS = 0 (REG_DWORD) under HKLM\\SYSTEM\\CurrentControlSet\\Services\\Dnscache\\Parameters and block inbound UDP 5353 in Windows Defender Firewall.',
    references: ['https://www.rfc-editor.org/rfc/rfc6762'],
  },
  {
    service: 'rsh',
    label: 'r-services (rexec/rlogin/rsh)',
    ports: [512, 513, 514].map((port) => ({ protocol: 'tcp' as const, port })),
    severity: 'high',
    reason: 'The BSD r-services trust the client address or send passwords in clear text, and give a remote shell.',
    remediation: 'Remove the package that provides rexec/rlogin/rsh and block inbound TCP 512-514; use SSH instead.',
    references: [CLEARTEXT_REF],
  },
];

/** Other spellings of the same services (nmap's names, used by `import nmap`). */
const SERVICE_ALIASES: Readonly<Record<string, string>> = {
  'microsoft-ds': 'smb',
  'ms-wbt-server': 'rdp',
  'ms-term-serv': 'rdp',
  'ms-sql-s': 'ms-sql',
  mssql: 'ms-sql',
  'mysql-server': 'mysql',
  mariadb: 'mysql',
  postgres: 'postgresql',
  wsman: 'winrm',
  wsmans: 'winrm',
  upnp: 'ssdp',
  'netbios-ns': 'netbios-ns',
  'oracle-tns': 'oracle-tns',
  oracle: 'oracle-tns',
  mongod: 'mongodb',
  exec: 'rsh',
  login: 'rsh',
  shell: 'rsh',
  rexec: 'rsh',
  rlogin: 'rsh',
  'ftp-data': 'ftp',
};

const byService = new Map(RISKY_SERVICES.map((r) => [r.service, r]));

export interface RiskAssessment {
  risk: ServiceRisk;
  /** `service`: the handshake named it; `port`: the service was not identified and the port number decided. */
  basis: 'service' | 'port';
}

function canonicalServiceName(name: string | undefined): string | undefined {
  if (name === undefined) return undefined;
  const n = name.trim().toLowerCase();
  return SERVICE_ALIASES[n] ?? n;
}

function isUnidentified(p: PortResult): boolean {
  const n = canonicalServiceName(p.service?.name);
  return n === undefined || n === '' || n === 'unknown';
}

/** What the built-in table says about one port, or `null` when it holds nothing against it. */
export function assessRisk(p: PortResult): RiskAssessment | null {
  if (!isUnidentified(p)) {
    const risk = byService.get(canonicalServiceName(p.service?.name) as string);
    if (!risk) return null;
    if (risk.defaultPortOnly && !risk.ports.some((d) => d.protocol === p.protocol && d.port === p.port)) return null;
    return { risk, basis: 'service' };
  }
  for (const risk of RISKY_SERVICES) {
    if (risk.ports.some((d) => d.protocol === p.protocol && d.port === p.port)) return { risk, basis: 'port' };
  }
  return null;
}

function clampSeverity(s: Severity, floor: Severity, ceiling: Severity): Severity {
  const r = severityRank(s);
  if (r < severityRank(floor)) return floor;
  if (r > severityRank(ceiling)) return ceiling;
  return s;
}

const portLabel = (p: PortResult): string => `${p.port}/${p.protocol}`;

function serviceDescription(p: PortResult): string {
  if (isUnidentified(p)) return 'an unidentified service';
  const s = p.service;
  const product = s?.product ? ` (${s.product}${s.version ? ` ${s.version}` : ''})` : '';
  return `${s?.name ?? 'unknown'}${product}`;
}

function serviceItems(p: PortResult, assessment: RiskAssessment | null): EvidenceItem[] {
  const items: EvidenceItem[] = [
    { label: 'port', value: portLabel(p) },
    { label: 'state', value: `${p.state} (${p.reason})` },
    { label: 'service', value: p.service?.name ?? 'unknown' },
  ];
  if (p.service?.product) items.push({ label: 'product', value: p.service.product });
  if (p.service?.version) items.push({ label: 'version', value: p.service.version });
  if (p.service) items.push({ label: 'identified by', value: p.service.method });
  if (assessment) {
    items.push({ label: 'risk', value: `${assessment.risk.severity}: ${assessment.risk.reason}` });
    if (assessment.basis === 'port') {
      items.push({
        label: 'confidence',
        value: `lower: the service did not identify itself, so ${portLabel(p)} was judged by its usual use (${assessment.risk.label})`,
      });
    }
  }
  return items;
}

function genericRemediation(p: PortResult, hostName: string): string {
  return `If nothing needs this service, stop and disable it (Stop-Service <name>; Set-Service <name> -StartupType Disabled; Get-NetTCPConnection -LocalPort ${p.port} or Get-NetUDPEndpoint -LocalPort ${p.port} shows the owning process) or block it in Windows Defender Firewall (${blockRule(p.protocol, p.port)}). If it is needed, add ${portLabel(p)} to a role of ${hostName} in the inventory.`;
}

function riskyWithoutInventory(host: HostResult, p: PortResult, a: RiskAssessment, why: 'no-inventory' | 'rogue'): Finding {
  const context =
    why === 'no-inventory'
      ? 'no inventory was given, so nothing approves it'
      : 'the host is not in the inventory, so no role approves it';
  const seen = a.basis === 'service' ? `answers as ${p.service?.name}` : `did not identify itself, but its port is the one ${a.risk.label} usually uses`;
  return {
    id: 'unapproved-service',
    title: `Risky service exposed: ${a.risk.label} on ${portLabel(p)}`,
    severity: a.risk.severity,
    status: 'fail',
    target: formatTarget(host.address, p.port, p.protocol),
    evidence: {
      summary: `${portLabel(p)} is open and ${seen}, a service the built-in risk table flags; ${context}.`,
      items: [...serviceItems(p, a), { label: 'inventory', value: why === 'no-inventory' ? 'none given' : 'host not listed' }],
    },
    remediation: `${a.risk.remediation} If the service is required here, list the host in an inventory with a role that approves ${portLabel(p)}.`,
    references: [...a.risk.references],
  };
}

function rogueHost(host: HostResult, inventory: Inventory): Finding {
  const open = host.ports.filter((p) => p.state === 'open');
  const shown = open.slice(0, 25).map((p) => `${portLabel(p)} ${p.service?.name ?? 'unknown'}`);
  const items: EvidenceItem[] = [
    { label: 'address', value: host.address },
    { label: 'names', value: host.names.length > 0 ? host.names.join(', ') : null },
    { label: 'open ports', value: open.length },
    { label: 'services', value: shown.length > 0 ? shown.join('; ') + (open.length > shown.length ? `; … ${open.length - shown.length} more` : '') : null },
    { label: 'inventory', value: `${inventory.hosts.length} hosts`, source: { artifact: inventory.file } },
  ];
  const named = host.names.length > 0 ? ` (${host.names.join(', ')})` : '';
  return {
    id: 'rogue-host',
    title: `Host not in the inventory: ${host.address}${named}`,
    severity: 'high',
    status: 'fail',
    target: host.address,
    evidence: {
      summary: `${host.address}${named} answered the scan${open.length > 0 ? ` with ${open.length} open port${open.length === 1 ? '' : 's'}` : ''} but matches no inventory host by address or name.`,
      items,
    },
    remediation:
      'Find the owner (DHCP lease, switch port, DNS records). If the system is legitimate, bring it under management — join it to the domain so Group Policy, patching and monitoring reach it — and add it to the inventory with its roles; otherwise disconnect it or block it at the network edge.',
    references: [ASSET_INVENTORY_REF, SERVER_GUIDE_REF],
  };
}

function unapproved(host: HostResult, p: PortResult, inv: Inventory, entry: InventoryHost): Finding {
  const a = assessRisk(p);
  const severity = a ? clampSeverity(a.risk.severity, 'medium', 'high') : 'medium';
  const approved = inv.approvedPorts(entry, p.protocol);
  const roles = entry.roles.length > 0 ? entry.roles.join(', ') : '(none)';
  const what = a && a.basis === 'service' ? a.risk.label : serviceDescription(p);
  return {
    id: 'unapproved-service',
    title: `Unapproved service on ${entry.name}: ${what} on ${portLabel(p)}`,
    severity,
    status: 'fail',
    target: formatTarget(host.address, p.port, p.protocol),
    evidence: {
      summary: `${portLabel(p)} is open on ${entry.name} and runs ${serviceDescription(p)}, but none of its roles (${roles}) approves ${portLabel(p)}.`,
      items: [
        ...serviceItems(p, a),
        { label: 'inventory host', value: entry.name, source: { artifact: inv.file, line: entry.line } },
        { label: 'roles', value: roles },
        { label: `approved ${p.protocol} ports`, value: approved.length > 0 ? formatPortRanges(approved) : 'none' },
      ],
    },
    remediation: a ? `${a.risk.remediation} If the service is needed on ${entry.name}, add ${portLabel(p)} to one of its roles in the inventory.` : genericRemediation(p, entry.name),
    references: a ? [...a.risk.references] : [FIREWALL_REF, SERVER_GUIDE_REF],
  };
}

/** The inventory host a scanned host belongs to (by address, then by the names it was scanned as). */
export function matchInventory(inventory: Inventory, host: Pick<HostResult, 'address' | 'names'>): InventoryHost | null {
  return inventory.findHost(host.address, host.names);
}

/**
 * Findings for one scanned host. Pure: reads the host and the inventory, returns new findings and
 * leaves `host` untouched. A host that is down produces none.
 */
export function judgeHost(host: HostResult, inventory?: Inventory | null): Finding[] {
  if (host.status !== 'up') return [];
  const open = host.ports.filter((p) => p.state === 'open');
  const findings: Finding[] = [];
  if (!inventory) {
    for (const p of open) {
      const a = assessRisk(p);
      if (a) findings.push(riskyWithoutInventory(host, p, a, 'no-inventory'));
    }
    return findings;
  }
  const entry = matchInventory(inventory, host);
  if (!entry) {
    findings.push(rogueHost(host, inventory));
    for (const p of open) {
      const a = assessRisk(p);
      if (a) findings.push(riskyWithoutInventory(host, p, a, 'rogue'));
    }
    return findings;
  }
  for (const p of open) {
    if (inventory.approvingRoles(entry, p.port, p.protocol).length === 0) findings.push(unapproved(host, p, inventory, entry));
  }
  return findings;
}

/**
 * The host as the result document should record it: `inventory` set (the match, or `null` when an
 * inventory was given and nothing matched; left out without one) and the policy findings appended
 * to the ones already there. Returns a new object.
 */
export function applyPolicy(host: HostResult, inventory?: Inventory | null): HostResult {
  const out: HostResult = { ...host, findings: [...host.findings, ...judgeHost(host, inventory)] };
  if (inventory) {
    const entry = matchInventory(inventory, host);
    out.inventory = entry ? inventoryMatch(entry) : null;
  }
  return out;
}

/** Guard for the table itself, used by the tests: every severity must be a known one. */
export function riskTableProblems(): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const r of RISKY_SERVICES) {
    if (seen.has(r.service)) problems.push(`${r.service} listed twice`);
    seen.add(r.service);
    if (!(SEVERITIES as readonly string[]).includes(r.severity)) problems.push(`${r.service}: unknown severity ${r.severity}`);
    if (r.ports.length === 0) problems.push(`${r.service}: no ports`);
    if (!r.reason.endsWith('.') || r.reason.length > 200) problems.push(`${r.service}: reason must be one sentence`);
    if (!/Firewall|Set-Service|Uninstall-WindowsFeature|policy|HKLM|registry|Remove/i.test(r.remediation)) {
      problems.push(`${r.service}: remediation names no Windows setting or firewall action`);
    }
    if (r.references.length === 0 || r.references.some((u) => !/^https:\/\//.test(u))) problems.push(`${r.service}: references must be https URLs`);
  }
  for (const [alias, target] of Object.entries(SERVICE_ALIASES)) {
    if (!seen.has(target)) problems.push(`alias ${alias} points to ${target}, which is not in the table`);
  }
  return problems;
}
