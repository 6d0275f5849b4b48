// `--format nmap-xml`: the result document as nmap's XML output (`-oX`), valid against nmap's
// own nmap.dtd, so tools that read nmap reports (and `portcullis import nmap`) can read ours.
// Service names are written in nmap's vocabulary (rdp → ms-wbt-server, https → http + tunnel
// "ssl"); findings become NSE-style <script> elements under the port they concern or under
// <hostscript>.
import { isIP } from 'node:net';
import type { Finding } from '../core/finding.js';
import { formatTarget } from '../core/finding.js';
import type { HostResult, PortResult, PortState, Protocol, ScanDocument, ServiceInfo } from '../core/result.js';
import { compactPortList, comparePorts, countPortList } from './common.js';

export interface NmapXmlOptions {
  /** The `args` attribute (the command line). Default: `portcullis <command>`. */
  args?: string;
  /** Write `<!DOCTYPE nmaprun SYSTEM "…">` with this DTD location instead of nmap's bare `<!DOCTYPE nmaprun>`. */
  dtd?: string;
}

/** A non-open state with this many ports or more goes into one <extraports>, as nmap does it. */
const FOLD_AT = 26;

/**
 * XML 1.0 cannot carry C0 controls other than tab/LF/CR, U+FFFE/U+FFFF or lone surrogates, not even
 * as character references; banners can hold any byte, so those become a visible `\xNN`.
 */
const NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

function xmlSafe(s: string): string {
  return s.replace(NOT_XML, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** Escapes for an attribute value in double quotes; tab/CR/LF as references so parsers keep them. */
export function escapeAttr(s: string): string {
  return xmlSafe(s).replace(/[&<>"\t\n\r]/g, (c) => {
    switch (c) {
      case '&':
        return '&amp;';
      case '<':
        return '&lt;';
      case '>':
        return '&gt;';
      case '"':
        return '&quot;';
      default:
        return `&#x${c.charCodeAt(0).toString(16)};`;
    }
  });
}

export function escapeText(s: string): string {
  return xmlSafe(s).replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'));
}

/** `name="value"` pairs; undefined values are left out. */
function attrs(pairs: Record<string, string | number | undefined>): string {
  return Object.entries(pairs)
    .filter((e): e is [string, string | number] => e[1] !== undefined)
    .map(([k, v]) => ` ${k}="${escapeAttr(String(v))}"`)
    .join('');
}

/** Our service names where nmap's service table says something else. */
const TO_NMAP: Record<string, string> = {
  rdp: 'ms-wbt-server',
  smb: 'microsoft-ds',
  'ms-sql': 'ms-sql-s',
  dns: 'domain',
  https: 'http',
  tls: 'ssl',
  ike: 'isakmp',
  mdns: 'mdns',
  ssdp: 'ssdp',
  winrm: 'wsman',
};

export function nmapServiceName(s: ServiceInfo): { name: string; tunnel?: 'ssl' } {
  if (s.name === 'winrm') return s.tls ? { name: 'wsmans', tunnel: 'ssl' } : { name: 'wsman' };
  const name = TO_NMAP[s.name] ?? s.name;
  // nmap's "ssl" is a TLS service whose inner protocol it could not name; it carries no tunnel.
  if (name === 'ssl') return { name };
  return s.tls ? { name, tunnel: 'ssl' } : { name };
}

function unixSeconds(iso: string): number {
  const ms = Date.parse(iso);
  return Number.isFinite(ms) ? Math.floor(ms / 1000) : 0;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** ctime(3)-style text as nmap writes it ("Sat Nov 21 19:31:59 2026"), in UTC so output is reproducible. */
function ctimeText(iso: string): string {
  const d = new Date(Date.parse(iso));
  if (Number.isNaN(d.getTime())) return iso;
  const two = (n: number) => String(n).padStart(2, '0');
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} ${d.getUTCFullYear()}`;
}

function scanInfo(doc: ScanDocument): string[] {
  const out: string[] = [];
  const protocols: Protocol[] = ['tcp', 'udp'];
  for (const proto of protocols) {
    let services = doc.portsScanned?.[proto];
    let count = services !== undefined ? countPortList(services) : null;
    if (services === undefined || count === null) {
      // Without the scanned list, the ports the hosts report are the best account of it.
      const seen = new Set<number>();
      for (const h of doc.hosts) for (const p of h.ports) if (p.protocol === proto) seen.add(p.port);
      services = compactPortList(seen);
      count = seen.size;
    }
    if (count === 0) continue;
    out.push(`<scaninfo${attrs({ type: proto === 'tcp' ? 'connect' : 'udp', protocol: proto, numservices: count, services })}/>`);
  }
  return out;
}

function hostReason(h: HostResult): string {
  if (h.status === 'down') return 'no-response';
  const answered = [...h.ports].sort(comparePorts).find((p) => p.state === 'open' || p.state === 'closed');
  return answered?.reason || 'user-set';
}

function findingOutput(f: Finding): string {
  return `[${f.severity}/${f.status}] ${f.title}${f.evidence.summary ? `: ${f.evidence.summary}` : ''}`;
}

function scriptElement(f: Finding): string {
  const elem = (key: string, value: string) => `<elem key="${escapeAttr(key)}">${escapeText(value)}</elem>`;
  const inner = [
    elem('id', f.id),
    elem('severity', f.severity),
    elem('status', f.status),
    elem('target', f.target),
    elem('title', f.title),
    elem('evidence', f.evidence.summary),
    ...(f.evidence.sent !== undefined ? [elem('sent', f.evidence.sent)] : []),
    ...(f.evidence.received !== undefined ? [elem('received', f.evidence.received)] : []),
    elem('remediation', f.remediation),
    ...(f.references.length > 0 ? [`<table key="references">${f.references.map((r) => `<elem>${escapeText(r)}</elem>`).join('')}</table>`] : []),
    ...(f.waiver ? [`<table key="waiver">${elem('reason', f.waiver.reason)}${elem('expires', f.waiver.expires)}</table>`] : []),
  ];
  return `<script${attrs({ id: `portcullis-${f.id}`, output: findingOutput(f) })}>${inner.join('')}</script>`;
}

function serviceElement(s: ServiceInfo): string {
  const { name, tunnel } = nmapServiceName(s);
  const probed = s.method === 'handshake' || s.method === 'banner';
  return `<service${attrs({
    name,
    product: s.product || undefined,
    version: s.version || undefined,
    // An unnamed service's first bytes are the one useful thing to pass on.
    extrainfo: s.name === 'unknown' && s.evidence ? s.evidence.slice(0, 200) : undefined,
    tunnel,
    method: probed ? 'probed' : 'table',
    conf: probed ? 10 : s.method === 'port' ? 3 : 0,
  })}/>`;
}

/** Ports per state, listed and counted together. */
function stateTotals(h: HostResult): Map<PortState, number> {
  const total = new Map<PortState, number>();
  for (const p of h.ports) total.set(p.state, (total.get(p.state) ?? 0) + 1);
  for (const t of h.extraPorts ?? []) total.set(t.state, (total.get(t.state) ?? 0) + t.count);
  return total;
}

/** The states whose ports go into <extraports> instead of one <port> each. */
function foldedStates(h: HostResult): Set<PortState> {
  const total = stateTotals(h);
  // Ports we only have as counts cannot be listed, so their state is always folded; big groups of
  // closed/filtered ports are folded as nmap does. Open ports are always listed.
  const folded = new Set<PortState>();
  for (const [state, n] of total) {
    if (state === 'open') continue;
    if (n >= FOLD_AT || (h.extraPorts ?? []).some((t) => t.state === state && t.count > 0)) folded.add(state);
  }
  return folded;
}

function portsElement(h: HostResult, folded: Set<PortState>, portFindings: Map<string, Finding[]>): string[] {
  const listed = [...h.ports].sort(comparePorts);
  const total = stateTotals(h);
  const out: string[] = ['<ports>'];
  for (const state of folded) {
    const reasons: string[] = [];
    const groups = new Map<string, { reason: string; proto: Protocol; ports: number[] }>();
    for (const p of listed) {
      if (p.state !== state) continue;
      const key = `${p.reason}\u0000${p.protocol}`;
      const g = groups.get(key) ?? { reason: p.reason, proto: p.protocol, ports: [] };
      g.ports.push(p.port);
      groups.set(key, g);
    }
    for (const g of groups.values()) reasons.push(`<extrareasons${attrs({ reason: g.reason || 'unknown', count: g.ports.length, proto: g.proto, ports: compactPortList(g.ports) })}/>`);
    for (const t of h.extraPorts ?? []) {
      if (t.state === state && t.count > 0) reasons.push(`<extrareasons${attrs({ reason: t.reason || 'unknown', count: t.count, proto: t.protocol })}/>`);
    }
    out.push(`<extraports${attrs({ state, count: total.get(state) ?? 0 })}>`, ...reasons, '</extraports>');
  }
  for (const p of listed) {
    if (folded.has(p.state)) continue;
    const scripts = (portFindings.get(portKey(p)) ?? []).map(scriptElement).join('');
    out.push(
      `<port${attrs({ protocol: p.protocol, portid: p.port })}><state${attrs({ state: p.state, reason: p.reason || 'unknown', reason_ttl: 0 })}/>${p.service ? serviceElement(p.service) : ''}${scripts}</port>`,
    );
  }
  out.push('</ports>');
  return out;
}

function portKey(p: Pick<PortResult, 'port' | 'protocol'>): string {
  return `${p.port}/${p.protocol}`;
}

function hostElement(h: HostResult): string[] {
  // A finding sits under its port when that port gets its own <port> element; everything else
  // (host findings, findings on ports folded into <extraports>) goes to <hostscript>.
  const folded = foldedStates(h);
  const listedOpen = new Map<string, PortResult>();
  for (const p of h.ports) if (!folded.has(p.state)) listedOpen.set(formatTarget(h.address, p.port, p.protocol), p);
  const portFindings = new Map<string, Finding[]>();
  const hostFindings: Finding[] = [];
  for (const f of h.findings) {
    const p = listedOpen.get(f.target);
    if (p) {
      const list = portFindings.get(portKey(p)) ?? [];
      list.push(f);
      portFindings.set(portKey(p), list);
    } else hostFindings.push(f);
  }
  const ports = portsElement(h, folded, portFindings);

  const out: string[] = [];
  out.push(`<host><status${attrs({ state: h.status, reason: hostReason(h), reason_ttl: 0 })}/>`);
  out.push(`<address${attrs({ addr: h.address, addrtype: isIP(h.address) === 6 ? 'ipv6' : 'ipv4' })}/>`);
  out.push('<hostnames>', ...h.names.map((n) => `<hostname${attrs({ name: n, type: 'user' })}/>`), '</hostnames>');
  if (h.ports.length > 0 || (h.extraPorts?.length ?? 0) > 0) out.push(...ports);
  if (hostFindings.length > 0) out.push(`<hostscript>${hostFindings.map(scriptElement).join('')}</hostscript>`);
  out.push('</host>');
  return out;
}

/** Renders the document as nmap XML (ends with a newline). */
export function renderNmapXml(doc: ScanDocument, opts: NmapXmlOptions = {}): string {
  const start = unixSeconds(doc.startedAt);
  const end = unixSeconds(doc.finishedAt);
  const elapsedMs = Date.parse(doc.finishedAt) - Date.parse(doc.startedAt);
  const elapsed = Number.isFinite(elapsedMs) && elapsedMs > 0 ? (elapsedMs / 1000).toFixed(2) : '0.00';
  const up = doc.hosts.filter((h) => h.status === 'up').length;
  const total = doc.hosts.length;
  const out: string[] = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    opts.dtd !== undefined ? `<!DOCTYPE nmaprun SYSTEM "${escapeAttr(opts.dtd)}">` : '<!DOCTYPE nmaprun>',
    // The DTD only admits scanner="nmap"; the comment and `args` say who really wrote this.
    `<!-- written by portcullis ${escapeText(doc.tool.version).replace(/--/g, '- -')} (${doc.command}), nmap-compatible XML -->`,
    `<nmaprun${attrs({
      scanner: 'nmap',
      args: opts.args ?? `portcullis ${doc.command}`,
      start,
      startstr: ctimeText(doc.startedAt),
      version: doc.tool.version,
      xmloutputversion: '1.05',
    })}>`,
    ...scanInfo(doc),
    '<verbose level="0"/>',
    '<debugging level="0"/>',
  ];
  for (const h of doc.hosts) out.push(...hostElement(h));
  const summary = `portcullis done at ${ctimeText(doc.finishedAt)}; ${total} IP address${total === 1 ? '' : 'es'} (${up} host${up === 1 ? '' : 's'} up) scanned in ${elapsed} seconds`;
  out.push(
    '<runstats>',
    `<finished${attrs({
      time: end,
      timestr: ctimeText(doc.finishedAt),
      summary,
      elapsed,
      exit: doc.summary.interrupted ? 'error' : 'success',
      errormsg: doc.summary.interrupted ? 'interrupted; the report holds what was known by then' : undefined,
    })}/>`,
    `<hosts${attrs({ up, down: total - up, total })}/>`,
    '</runstats>',
    '</nmaprun>',
  );
  return `${out.join('\n')}\n`;
}
