// Small helpers shared by the renderers and the nmap importer: ordering of hosts, ports and
// findings, compact port lists, and making text that came off the wire safe to print.
import type { Finding, Status } from '../core/finding.js';
import { severityRank } from '../core/finding.js';
import type { HostResult, PortResult, Protocol } from '../core/result.js';
import { isIP } from 'node:net';

/**
 * Replaces control characters (C0, DEL, C1) with `\xNN`. Product names and banners come from the
 * scanned machine; printed raw, an ESC sequence in a banner could rewrite the user's terminal.
 */
export function escapeControls(s: string): string {
  return s.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** One printable line: whitespace runs folded to one space, controls escaped, cut at `max` characters. */
export function oneLine(s: string, max: number): string {
  const flat = escapeControls(s.replace(/\s+/g, ' ').trim());
  if (flat.length <= max) return flat;
  return `${flat.slice(0, Math.max(0, max - 1))}…`;
}

/** IPv4 as 4 bytes, IPv6 as 16 bytes (IPv4 sorts first), anything else by text after both. */
function addressKey(a: string): number[] | null {
  const kind = isIP(a);
  if (kind === 4) return [4, ...a.split('.').map(Number)];
  if (kind !== 6) return null;
  let text = a.toLowerCase();
  const zone = text.indexOf('%');
  if (zone >= 0) text = text.slice(0, zone);
  // An embedded dotted quad (::ffff:1.2.3.4) becomes two hex groups first.
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted?.[1]) {
    const b = dotted[1].split('.').map(Number);
    text = `${text.slice(0, dotted.index)}${(((b[0] ?? 0) << 8) | (b[1] ?? 0)).toString(16)}:${(((b[2] ?? 0) << 8) | (b[3] ?? 0)).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const h = head ? head.split(':') : [];
  const t = tail !== undefined && tail !== '' ? tail.split(':') : [];
  const fill = tail === undefined ? [] : new Array<string>(8 - h.length - t.length).fill('0');
  return [6, ...[...h, ...fill, ...t].map((g) => parseInt(g, 16))];
}

export function compareAddresses(a: string, b: string): number {
  const ka = addressKey(a);
  const kb = addressKey(b);
  if (ka && kb) {
    for (let i = 0; i < Math.max(ka.length, kb.length); i++) {
      const d = (ka[i] ?? -1) - (kb[i] ?? -1);
      if (d !== 0) return d;
    }
    return 0;
  }
  if (ka) return -1;
  if (kb) return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Order in which statuses are shown: what needs action first. */
const STATUS_ORDER: readonly Status[] = ['fail', 'error', 'manual', 'waived', 'pass', 'not-applicable'];

export function compareFindings(a: Finding, b: Finding): number {
  return (
    STATUS_ORDER.indexOf(a.status) - STATUS_ORDER.indexOf(b.status) ||
    severityRank(b.severity) - severityRank(a.severity) ||
    compareTargets(a.target, b.target) ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}

/** `host:port/proto` targets ordered by port number, not as text (so 80 comes before 443). */
function compareTargets(a: string, b: string): number {
  const pa = /:(\d+)\/(tcp|udp)$/.exec(a);
  const pb = /:(\d+)\/(tcp|udp)$/.exec(b);
  if (pa && pb) return Number(pa[1]) - Number(pb[1]) || (pa[2] ?? '').localeCompare(pb[2] ?? '');
  if (!pa && pb) return -1;
  if (pa && !pb) return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Rank of the worst failing finding of a host; 0 when nothing fails. */
export function worstFailRank(h: HostResult): number {
  let worst = 0;
  for (const f of h.findings) if (f.status === 'fail') worst = Math.max(worst, severityRank(f.severity));
  return worst;
}

/** Hosts with the worst failures first, then the ones with more failures, up before down, then by address. */
export function compareHosts(a: HostResult, b: HostResult): number {
  const fails = (h: HostResult) => h.findings.filter((f) => f.status === 'fail').length;
  return (
    worstFailRank(b) - worstFailRank(a) ||
    fails(b) - fails(a) ||
    (a.status === b.status ? 0 : a.status === 'up' ? -1 : 1) ||
    compareAddresses(a.address, b.address)
  );
}

const PROTOCOL_ORDER: readonly Protocol[] = ['tcp', 'udp'];

export function comparePorts(a: PortResult, b: PortResult): number {
  return PROTOCOL_ORDER.indexOf(a.protocol) - PROTOCOL_ORDER.indexOf(b.protocol) || a.port - b.port;
}

/** Port numbers as nmap writes them: sorted, de-duplicated, runs folded ("22,80,8000-8010"). */
export function compactPortList(ports: Iterable<number>): string {
  const sorted = [...new Set(ports)].sort((x, y) => x - y);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    const start = sorted[i] as number;
    let end = start;
    while (i + 1 < sorted.length && sorted[i + 1] === end + 1) {
      end += 1;
      i += 1;
    }
    i += 1;
    parts.push(start === end ? String(start) : `${start}-${end}`);
  }
  return parts.join(',');
}

/**
 * How many ports a compact list names ("1-1024,3389" → 1025); null when the text is not such a
 * list (so a caller can fall back instead of writing a wrong count).
 */
export function countPortList(list: string): number | null {
  if (list.trim() === '') return 0;
  let n = 0;
  for (const part of list.split(',')) {
    const m = /^\s*(\d{1,5})(?:-(\d{1,5}))?\s*$/.exec(part);
    if (!m) return null;
    const lo = Number(m[1]);
    const hi = m[2] !== undefined ? Number(m[2]) : lo;
    if (hi < lo || hi > 65535) return null;
    n += hi - lo + 1;
  }
  return n;
}
