// `portcullis import nmap FILE.xml`: an nmap XML report (`nmap -oX`) → the result document, so
// an existing scan feeds the same inventory judgement as ours. saxes reads the XML: it keeps line
// numbers for messages and never fetches or expands anything a DOCTYPE declares, so a hostile
// report cannot pull in files or blow up with nested entities.
//
// Port states. nmap has six; the result document has four:
//   open, closed, filtered, open|filtered → the same
//   unfiltered (ACK scan: a RST came back, open or closed unknown) → closed. The port is reachable,
//       so "filtered" would be wrong, and nothing was seen accepting a connection; judgement only
//       acts on open ports, so this choice can neither invent nor hide a finding. The reason keeps
//       nmap's word: "reset (nmap: unfiltered)".
//   closed|filtered (idle scan: cannot tell) → filtered, the state that claims least; reason
//       likewise keeps "(nmap: closed|filtered)".
// Host states: up → up; down, unknown and skipped → down. Ports of protocols other than TCP and
// UDP (sctp, ip) and MAC addresses are left out.
import { createReadStream } from 'node:fs';
import { isIP } from 'node:net';
import { TextDecoder } from 'node:util';
import { SaxesParser } from 'saxes';
import type { SaxesTagPlain } from 'saxes';
import { PortcullisError } from '../core/errors.js';
import type { Severity } from '../core/finding.js';
import { SEVERITIES } from '../core/finding.js';
import type { HostResult, PortResult, PortState, PortTally, Protocol, ScanDocument, ServiceInfo } from '../core/result.js';
import { VERSION } from '../core/version.js';

const STATE_MAP: Record<string, { state: PortState; note?: string }> = {
  open: { state: 'open' },
  closed: { state: 'closed' },
  filtered: { state: 'filtered' },
  'open|filtered': { state: 'open|filtered' },
  unfiltered: { state: 'closed', note: 'unfiltered' },
  'closed|filtered': { state: 'filtered', note: 'closed|filtered' },
};

/** nmap service names (its nmap-services vocabulary) → ours, where they differ. */
const SERVICE_MAP: Record<string, { name: string; tls?: true }> = {
  'ms-wbt-server': { name: 'rdp' },
  'ms-term-serv': { name: 'rdp' },
  'microsoft-ds': { name: 'smb' },
  'netbios-ssn': { name: 'netbios-ssn' },
  'netbios-ns': { name: 'netbios-ns' },
  msrpc: { name: 'msrpc' },
  epmap: { name: 'msrpc' },
  'ms-sql-s': { name: 'ms-sql' },
  'ms-sql-m': { name: 'ms-sql-m' },
  domain: { name: 'dns' },
  http: { name: 'http' },
  'http-alt': { name: 'http' },
  'http-proxy': { name: 'http' },
  https: { name: 'https', tls: true },
  'https-alt': { name: 'https', tls: true },
  ssl: { name: 'tls', tls: true },
  snmp: { name: 'snmp' },
  telnet: { name: 'telnet' },
  ftp: { name: 'ftp' },
  ftps: { name: 'ftp', tls: true },
  ssh: { name: 'ssh' },
  vnc: { name: 'vnc' },
  mysql: { name: 'mysql' },
  postgresql: { name: 'postgresql' },
  redis: { name: 'redis' },
  ldap: { name: 'ldap' },
  ldapssl: { name: 'ldap', tls: true },
  globalcatldap: { name: 'ldap' },
  globalcatldapssl: { name: 'ldap', tls: true },
  wsman: { name: 'winrm' },
  wsmans: { name: 'winrm', tls: true },
  smtp: { name: 'smtp' },
  smtps: { name: 'smtp', tls: true },
  submissions: { name: 'smtp', tls: true },
  pop3: { name: 'pop3' },
  pop3s: { name: 'pop3', tls: true },
  imap: { name: 'imap' },
  imaps: { name: 'imap', tls: true },
  ntp: { name: 'ntp' },
  isakmp: { name: 'ike' },
  upnp: { name: 'ssdp' },
  ssdp: { name: 'ssdp' },
  zeroconf: { name: 'mdns' },
  mdns: { name: 'mdns' },
  llmnr: { name: 'llmnr' },
  'kerberos-sec': { name: 'kerberos' },
  'rdp-udp': { name: 'rdp' },
};

/** WinRM listens through HTTP.sys, which nmap's probes name "Microsoft HTTPAPI httpd". */
const WINRM_PORTS = new Set([5985, 5986]);

/** nmap's <service> attributes → our ServiceInfo. Exported for the renderer round-trip tests. */
export function serviceFromNmap(port: number, a: Record<string, string>): ServiceInfo {
  const raw = (a['name'] ?? '').trim().toLowerCase();
  const tunnelled = a['tunnel'] === 'ssl';
  const mapped = SERVICE_MAP[raw] ?? { name: raw === '' ? 'unknown' : raw };
  let name = mapped.name;
  const tls = tunnelled || mapped.tls === true;
  if (name === 'http' && WINRM_PORTS.has(port) && /httpapi/i.test(a['product'] ?? '')) name = 'winrm';
  if (name === 'http' && tls) name = 'https';
  const extra: Record<string, string> = {};
  for (const k of ['extrainfo', 'ostype', 'hostname', 'devicetype'] as const) {
    const v = a[k];
    if (v) extra[k] = v;
  }
  return {
    name,
    ...(a['product'] ? { product: a['product'] } : {}),
    ...(a['version'] ? { version: a['version'] } : {}),
    tls,
    // nmap's "probed" means a probe's answer matched; "table" is its port-number guess.
    method: a['method'] === 'probed' ? 'handshake' : 'port',
    ...(Object.keys(extra).length > 0 ? { extra } : {}),
  };
}

interface HostDraft {
  line: number;
  status?: 'up' | 'down';
  address?: string;
  names: string[];
  ports: Map<string, PortResult>;
  extraPorts: PortTally[];
}

interface PortDraft {
  port: number;
  protocol: Protocol | null;
  line: number;
  state?: PortState;
  reason?: string;
  service?: ServiceInfo;
}

interface ExtraDraft {
  state: PortState;
  note?: string;
  count: number;
  tallies: PortTally[];
}

function isoFromUnix(s: string | undefined): string | undefined {
  if (s === undefined || !/^\d+$/.test(s)) return undefined;
  const d = new Date(Number(s) * 1000);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

/**
 * Incremental reader: feed text with `write`, then `finish` returns the document. Every problem is a
 * PortcullisError E_INPUT naming the file and line.
 */
export class NmapXmlReader {
  private readonly parser = new SaxesParser({ xmlns: false, position: true });
  private readonly stack: string[] = [];
  private rootSeen = false;
  private closedRoot = false;
  private readonly run: Record<string, string> = {};
  private finished: Record<string, string> = {};
  private readonly scanned: Partial<Record<Protocol, string[]>> = {};
  private readonly protocols = new Set<Protocol>();
  private readonly hosts = new Map<string, HostResult>();
  private host: HostDraft | null = null;
  private port: PortDraft | null = null;
  private extra: ExtraDraft | null = null;

  constructor(private readonly fileName: string) {
    this.parser.on('error', (e) => {
      // saxes prefixes "line:column: "; we say where ourselves, and which elements were open.
      const reason = e.message.replace(/^\d+:\d+: /, '').replace(/\.$/, '');
      throw this.fail(this.stack.length > 0 ? `${reason} (inside ${this.openElements()})` : reason);
    });
    this.parser.on('opentag', (t) => this.open(t));
    this.parser.on('closetag', (t) => this.close(t.name));
  }

  private fail(reason: string, line = this.parser.line): PortcullisError {
    return new PortcullisError('E_INPUT', `not a readable nmap XML report: ${reason}`, { file: this.fileName, line });
  }

  write(chunk: string): void {
    this.parser.write(chunk);
  }

  finish(): ScanDocument {
    if (!this.rootSeen) throw this.fail('the file holds no XML element (empty or not XML)');
    if (!this.closedRoot) {
      throw this.fail(`the report ends inside ${this.openElements()} without closing it (truncated, or nmap was interrupted)`);
    }
    this.parser.close();
    return this.document();
  }

  /** The open elements, innermost last; only the last few, so a hostile nesting cannot flood the message. */
  private openElements(): string {
    const tail = this.stack.slice(-6).map((n) => `<${n}>`);
    return (this.stack.length > 6 ? ['…', ...tail] : tail).join(' > ');
  }

  private parent(): string | undefined {
    return this.stack[this.stack.length - 1];
  }

  private int(a: Record<string, string>, key: string, element: string, max: number): number {
    const v = a[key];
    if (v === undefined || !/^\d+$/.test(v) || Number(v) > max) {
      throw this.fail(`<${element}> has ${v === undefined ? `no ${key} attribute` : `${key}="${v}", not a whole number up to ${max}`}`);
    }
    return Number(v);
  }

  private mapState(s: string | undefined, element: string): { state: PortState; note?: string } {
    const m = s !== undefined ? STATE_MAP[s] : undefined;
    if (!m) throw this.fail(`<${element}> has ${s === undefined ? 'no state attribute' : `an unknown port state "${s}"`}`);
    return m;
  }

  private protocolOf(p: string | undefined): Protocol | null {
    return p === 'tcp' || p === 'udp' ? p : null;
  }

  private open(t: SaxesTagPlain): void {
    const a = t.attributes;
    const name = t.name;
    const parent = this.parent();
    this.stack.push(name);
    if (!this.rootSeen) {
      this.rootSeen = true;
      if (name !== 'nmaprun') throw this.fail(`the root element is <${name}>, not <nmaprun>; this is not an nmap XML report`);
      Object.assign(this.run, a);
      return;
    }
    switch (name) {
      case 'scaninfo': {
        if (parent !== 'nmaprun') return;
        const proto = this.protocolOf(a['protocol']);
        if (proto) {
          this.protocols.add(proto);
          if (a['services']) (this.scanned[proto] ??= []).push(a['services']);
        }
        return;
      }
      case 'host':
        if (parent === 'nmaprun') this.host = { line: this.parser.line, names: [], ports: new Map(), extraPorts: [] };
        return;
      case 'status':
        if (parent === 'host' && this.host) this.host.status = a['state'] === 'up' ? 'up' : 'down';
        return;
      case 'address':
        if (parent === 'host' && this.host && this.host.address === undefined && (a['addrtype'] ?? 'ipv4') !== 'mac') {
          const addr = a['addr'] ?? '';
          if (isIP(addr) === 0) throw this.fail(`<address> has addr="${addr}", not an IPv4 or IPv6 address`);
          this.host.address = addr;
        }
        return;
      case 'hostname':
        if (parent === 'hostnames' && this.host && a['name'] && !this.host.names.includes(a['name'])) this.host.names.push(a['name']);
        return;
      case 'extraports':
        if (parent === 'ports' && this.host) {
          const m = this.mapState(a['state'], 'extraports');
          this.extra = { ...m, count: this.int(a, 'count', 'extraports', 65536 * 2), tallies: [] };
        }
        return;
      case 'extrareasons':
        if (parent === 'extraports' && this.extra) {
          const proto = a['proto'] === undefined ? this.soleProtocol() : this.protocolOf(a['proto']);
          if (proto) {
            const reason = a['reason'] ?? 'unknown';
            this.extra.tallies.push({
              protocol: proto,
              state: this.extra.state,
              count: this.int(a, 'count', 'extrareasons', 65536 * 2),
              reason: this.extra.note ? `${reason} (nmap: ${this.extra.note})` : reason,
            });
          }
        }
        return;
      case 'port':
        if (parent === 'ports' && this.host) {
          this.port = { port: this.int(a, 'portid', 'port', 65535), protocol: this.protocolOf(a['protocol']), line: this.parser.line };
        }
        return;
      case 'state':
        if (parent === 'port' && this.port) {
          const m = this.mapState(a['state'], 'state');
          const reason = a['reason'] ?? 'unknown';
          this.port.state = m.state;
          this.port.reason = m.note ? `${reason} (nmap: ${m.note})` : reason;
        }
        return;
      case 'service':
        if (parent === 'port' && this.port) this.port.service = serviceFromNmap(this.port.port, a);
        return;
      case 'finished':
        if (parent === 'runstats') this.finished = { ...a };
        return;
      default:
        return;
    }
  }

  /** The protocol an <extrareasons> without `proto` (older nmap) means: the only one scanned. */
  private soleProtocol(): Protocol {
    return this.protocols.size === 1 ? ([...this.protocols][0] as Protocol) : 'tcp';
  }

  private close(name: string): void {
    this.stack.pop();
    switch (name) {
      case 'nmaprun':
        if (this.stack.length === 0) this.closedRoot = true;
        return;
      case 'port': {
        const p = this.port;
        this.port = null;
        if (!p || !this.host || p.protocol === null) return;
        if (p.state === undefined) throw this.fail(`<port portid="${p.port}"> has no <state>`, p.line);
        const result: PortResult = { port: p.port, protocol: p.protocol, state: p.state, reason: p.reason ?? 'unknown', ...(p.service ? { service: p.service } : {}) };
        this.host.ports.set(`${p.protocol}/${p.port}`, result);
        return;
      }
      case 'extraports': {
        const e = this.extra;
        this.extra = null;
        if (!e || !this.host) return;
        if (e.tallies.length > 0) this.host.extraPorts.push(...e.tallies);
        else if (e.count > 0) this.host.extraPorts.push({ protocol: this.soleProtocol(), state: e.state, count: e.count, ...(e.note ? { reason: `nmap: ${e.note}` } : {}) });
        return;
      }
      case 'host': {
        const h = this.host;
        if (!h || this.stack[this.stack.length - 1] !== 'nmaprun') return;
        this.host = null;
        if (h.address === undefined) throw this.fail('a <host> has no IPv4 or IPv6 <address>', h.line);
        if (h.status === undefined) throw this.fail(`<host> ${h.address} has no <status>`, h.line);
        this.addHost({
          address: h.address,
          names: h.names,
          status: h.status,
          ports: [...h.ports.values()],
          ...(h.extraPorts.length > 0 ? { extraPorts: h.extraPorts } : {}),
          findings: [],
        });
        return;
      }
      default:
        return;
    }
  }

  /** The same address twice (given twice on nmap's command line) becomes one host. */
  private addHost(h: HostResult): void {
    const prev = this.hosts.get(h.address);
    if (!prev) {
      this.hosts.set(h.address, h);
      return;
    }
    const ports = new Map(prev.ports.map((p) => [`${p.protocol}/${p.port}`, p]));
    for (const p of h.ports) ports.set(`${p.protocol}/${p.port}`, p);
    const extra = [...(prev.extraPorts ?? []), ...(h.extraPorts ?? [])];
    this.hosts.set(h.address, {
      address: h.address,
      names: [...new Set([...prev.names, ...h.names])],
      status: prev.status === 'up' || h.status === 'up' ? 'up' : 'down',
      ports: [...ports.values()],
      ...(extra.length > 0 ? { extraPorts: extra } : {}),
      findings: [],
    });
  }

  private document(): ScanDocument {
    const hosts = [...this.hosts.values()];
    const started = isoFromUnix(this.run['start']);
    const finished = isoFromUnix(this.finished['time']);
    const now = new Date().toISOString();
    const portsScanned: Partial<Record<Protocol, string>> = {};
    for (const proto of ['tcp', 'udp'] as const) {
      const lists = this.scanned[proto];
      if (lists && lists.length > 0) portsScanned[proto] = lists.join(',');
    }
    const nmap: Record<string, string> = {};
    for (const k of ['scanner', 'version', 'args'] as const) if (this.run[k] !== undefined) nmap[k] = this.run[k];
    if (this.finished['exit'] !== undefined) nmap['exit'] = this.finished['exit'];
    if (this.finished['errormsg'] !== undefined) nmap['errormsg'] = this.finished['errormsg'];
    const findings = Object.fromEntries(SEVERITIES.map((s: Severity) => [s, 0]));
    return {
      tool: { name: 'portcullis', version: VERSION },
      command: 'import-nmap',
      startedAt: started ?? finished ?? now,
      finishedAt: finished ?? started ?? now,
      options: { input: this.fileName, nmap },
      ...(Object.keys(portsScanned).length > 0 ? { portsScanned } : {}),
      hosts,
      summary: {
        hostsScanned: hosts.length,
        hostsUp: hosts.filter((h) => h.status === 'up').length,
        openPorts: hosts.reduce((n, h) => n + h.ports.filter((p) => p.state === 'open').length, 0),
        findings,
        interrupted: false,
      },
    };
  }
}

/** Parses nmap XML held in memory; `fileName` is only for messages. */
export function parseNmapXml(text: string, fileName: string): ScanDocument {
  const r = new NmapXmlReader(fileName);
  r.write(text);
  return r.finish();
}

/**
 * The text encoding of a report from its first bytes. nmap writes UTF-8, but on Windows
 * `nmap -oX - > scan.xml` in Windows PowerShell 5 stores UTF-16LE with a byte-order mark.
 */
function encodingOf(head: Buffer): 'utf-8' | 'utf-16le' | 'utf-16be' {
  if (head[0] === 0xff && head[1] === 0xfe) return 'utf-16le';
  if (head[0] === 0xfe && head[1] === 0xff) return 'utf-16be';
  return 'utf-8';
}

/** Reads an nmap XML report from disk, streaming (a /16 report need not fit in one string). */
export async function importNmapFile(path: string): Promise<ScanDocument> {
  const reader = new NmapXmlReader(path);
  const stream = createReadStream(path);
  let decoder: TextDecoder | undefined;
  try {
    for await (const chunk of stream) {
      const bytes = chunk as Buffer;
      // A 1-byte first chunk cannot show a BOM; real reads are 64 KiB, and a 1-byte file is not a report either way.
      decoder ??= new TextDecoder(encodingOf(bytes), { fatal: true });
      reader.write(decoder.decode(bytes, { stream: true }));
    }
    if (decoder) reader.write(decoder.decode());
  } catch (e) {
    if (e instanceof PortcullisError) throw e;
    if (e instanceof TypeError && decoder) {
      throw new PortcullisError('E_INPUT', `not a readable nmap XML report: the bytes are not valid ${decoder.encoding.toUpperCase()} text`, { file: path });
    }
    const err = e as NodeJS.ErrnoException;
    const why = err.code === 'ENOENT' ? 'no such file' : err.code === 'EACCES' ? 'permission denied' : err.code === 'EISDIR' ? 'is a directory, not a file' : err.message;
    throw new PortcullisError('E_INPUT', `cannot read the nmap report: ${why}${err.code && !why.includes(err.code) ? ` (${err.code})` : ''}`, { file: path });
  } finally {
    stream.destroy();
  }
  return reader.finish();
}
