// The human table: one block per host (heading, open ports, findings), worst host first, then a
// summary line. Reads only the result document; every string from the scanned machine is
// escaped before it reaches the terminal.
import type { Finding, Severity, Status } from '../core/finding.js';
import { SEVERITIES } from '../core/finding.js';
import type { HostResult, PortResult, PortState, Protocol, ScanDocument } from '../core/result.js';
import { compareFindings, compareHosts, comparePorts, escapeControls, oneLine } from './common.js';

export interface TableOptions {
  /** ANSI colours. The CLI decides (see `colorWanted`); the renderer never looks at the terminal. */
  color: boolean;
  /** List closed/filtered ports, down hosts and passed checks too. */
  verbose?: boolean;
}

/**
 * Colour when writing to a terminal, unless NO_COLOR is set to a non-empty value
 * (https://no-color.org: "present and not an empty string").
 */
export function colorWanted(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  const noColor = env['NO_COLOR'];
  if (noColor !== undefined && noColor !== '') return false;
  return stream.isTTY === true;
}

type Style = 'bold' | 'dim' | 'red' | 'boldRed' | 'yellow' | 'cyan' | 'green' | 'magenta';
const SGR: Record<Style, string> = {
  bold: '1',
  dim: '2',
  red: '31',
  boldRed: '1;31',
  yellow: '33',
  cyan: '36',
  green: '32',
  magenta: '35',
};

const SEVERITY_STYLE: Record<Severity, Style> = {
  critical: 'boldRed',
  high: 'red',
  medium: 'yellow',
  low: 'cyan',
  info: 'dim',
};

const STATE_STYLE: Partial<Record<PortState, Style>> = { open: 'green' };
const STATUS_STYLE: Partial<Record<Status, Style>> = { error: 'magenta', waived: 'dim', pass: 'green' };

/** A table cell: plain text (its length decides the column width) and an optional colour. */
interface Cell {
  text: string;
  style?: Style | undefined;
}

const EVIDENCE_MAX = 120;
const INDENT = '  ';

class Painter {
  constructor(private readonly on: boolean) {}
  paint(text: string, style: Style | undefined): string {
    if (!this.on || !style || text === '') return text;
    return `\u001b[${SGR[style]}m${text}\u001b[0m`;
  }
}

/**
 * Lays out rows in aligned columns, two spaces apart. Widths come from the plain text so colour
 * codes never shift a column; the last cell of a row gets no padding (no trailing blanks).
 */
function layout(rows: Cell[][], p: Painter, indent: string): string[] {
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.text.length)));
  return rows.map((r) => {
    let last = r.length - 1;
    while (last > 0 && r[last]?.text === '') last -= 1;
    const parts = r.slice(0, last + 1).map((c, i) => {
      const pad = i === last ? '' : ' '.repeat((widths[i] ?? 0) - c.text.length);
      return p.paint(c.text, c.style) + pad;
    });
    return indent + parts.join('  ');
  });
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function durationText(startedAt: string, finishedAt: string): string | null {
  const ms = Date.parse(finishedAt) - Date.parse(startedAt);
  if (!Number.isFinite(ms) || ms < 0) return null;
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h > 0 ? `${h} h ${m} min` : `${m} min ${s % 60} s`;
}

function hostHeading(h: HostResult, p: Painter, audit: boolean): string {
  const others = h.names.filter((n) => n !== h.address);
  const names = others.length > 0 ? ` (${others.map(escapeControls).join(', ')})` : '';
  const parts = [p.paint(`${escapeControls(h.address)}${names}`, 'bold')];
  // An audit judges files, not a live host: "up" and port lists would mean nothing there.
  if (!audit) parts.push(p.paint(h.status, h.status === 'up' ? 'green' : 'red'));
  if (h.inventory === null) parts.push(p.paint('not in inventory', 'yellow'));
  else if (h.inventory) {
    const roles = h.inventory.roles.length > 0 ? ` [${h.inventory.roles.map(escapeControls).join(', ')}]` : '';
    parts.push(`inventory: ${escapeControls(h.inventory.name)}${roles}`);
  }
  return parts.join('  ');
}

function productText(port: PortResult): string {
  const s = port.service;
  if (!s) return '';
  // An unnamed service's first bytes are the best clue the table can give.
  if (s.name === 'unknown' && !s.product && s.evidence) return oneLine(s.evidence, 40);
  return oneLine([s.product, s.version].filter((x) => x !== undefined && x !== '').join(' '), 60);
}

const TALLY_ORDER: readonly PortState[] = ['closed', 'filtered', 'open|filtered', 'open'];

/** "995 closed, 3 filtered" — per protocol only when both protocols are in it. */
function tallyText(counts: Map<string, number>): string {
  const entries = [...counts.entries()].map(([k, n]) => {
    const [proto, state] = k.split(' ') as [Protocol, PortState];
    return { proto, state, n };
  });
  const multi = new Set(entries.map((e) => e.proto)).size > 1;
  entries.sort((a, b) => a.proto.localeCompare(b.proto) || TALLY_ORDER.indexOf(a.state) - TALLY_ORDER.indexOf(b.state));
  return entries.map((e) => `${e.n} ${multi ? `${e.proto} ` : ''}${e.state}`).join(', ');
}

function portBlock(h: HostResult, opts: TableOptions, p: Painter): string[] {
  const shown: PortResult[] = [];
  const hidden = new Map<string, number>();
  const count = (proto: Protocol, state: PortState, n: number) => hidden.set(`${proto} ${state}`, (hidden.get(`${proto} ${state}`) ?? 0) + n);
  for (const port of [...h.ports].sort(comparePorts)) {
    if (opts.verbose || port.state === 'open') shown.push(port);
    else count(port.protocol, port.state, 1);
  }
  for (const t of h.extraPorts ?? []) if (t.count > 0) count(t.protocol, t.state, t.count);

  const out: string[] = [];
  if (shown.length === 0) out.push(`${INDENT}no open ports`);
  else {
    const rows: Cell[][] = [[{ text: 'PORT' }, { text: 'STATE' }, { text: 'SERVICE' }, { text: 'PRODUCT/VERSION' }, { text: 'TLS' }]];
    for (const port of shown) {
      rows.push([
        { text: `${port.port}/${port.protocol}` },
        { text: port.state, style: STATE_STYLE[port.state] },
        { text: oneLine(port.service?.name ?? '', 24) },
        { text: productText(port) },
        { text: port.service?.tls ? 'tls' : '' },
      ]);
    }
    const lines = layout(rows, p, INDENT);
    lines[0] = p.paint(lines[0] ?? '', 'dim');
    out.push(...lines);
  }
  if (hidden.size > 0) out.push(`${INDENT}not shown: ${tallyText(hidden)}`);
  return out;
}

function findingBlock(findings: readonly Finding[], opts: TableOptions, p: Painter): string[] {
  const visible = findings.filter((f) => opts.verbose || (f.status !== 'pass' && f.status !== 'not-applicable'));
  const quiet = findings.length - visible.length;
  const out: string[] = [];
  if (visible.length > 0) {
    const sorted = [...visible].sort(compareFindings);
    const rows: Cell[][] = [[{ text: 'SEVERITY' }, { text: 'STATUS' }, { text: 'ID' }, { text: 'TARGET' }, { text: 'TITLE' }]];
    for (const f of sorted) {
      rows.push([
        { text: f.severity, style: f.status === 'fail' ? SEVERITY_STYLE[f.severity] : 'dim' },
        { text: f.status, style: STATUS_STYLE[f.status] },
        { text: escapeControls(f.id) },
        { text: escapeControls(f.target) },
        { text: oneLine(f.title, 100) },
      ]);
    }
    const lines = layout(rows, p, INDENT);
    // The evidence goes on its own line under the title column, so long summaries do not widen the table.
    const titleColumn = (lines[0] ?? '').replace(/\u001b\[[0-9;]*m/g, '').indexOf('TITLE');
    out.push(p.paint(lines[0] ?? '', 'dim'));
    sorted.forEach((f, i) => {
      out.push(lines[i + 1] ?? '');
      const ev = oneLine(f.evidence.summary, EVIDENCE_MAX);
      if (ev !== '') out.push(' '.repeat(titleColumn) + p.paint(`> ${ev}`, 'dim'));
    });
  }
  if (quiet > 0) out.push(`${INDENT}${plural(quiet, 'passed or not applicable check')} not shown`);
  return out;
}

function summaryLine(doc: ScanDocument, p: Painter): string {
  const s = doc.summary;
  const counts = s.findings;
  const keys = [...SEVERITIES.filter((k) => k in counts), ...Object.keys(counts).filter((k) => !(SEVERITIES as readonly string[]).includes(k)).sort()];
  const parts = keys.filter((k) => (counts[k] ?? 0) > 0).map((k) => {
    const text = `${counts[k]} ${k}`;
    return (SEVERITIES as readonly string[]).includes(k) ? p.paint(text, SEVERITY_STYLE[k as Severity]) : text;
  });
  const findings = parts.length > 0 ? `findings: ${parts.join(', ')}` : 'no findings';
  if (doc.command === 'audit') return `${plural(s.hostsScanned, 'host')} audited; ${findings}`;
  return `${plural(s.hostsScanned, 'host')} scanned, ${s.hostsUp} up, ${plural(s.openPorts, 'open port')}; ${findings}`;
}

/** Renders the document as the human table (ends with a newline). */
export function renderTable(doc: ScanDocument, opts: TableOptions): string {
  const p = new Painter(opts.color);
  const out: string[] = [];
  const took = durationText(doc.startedAt, doc.finishedAt);
  out.push(`portcullis ${escapeControls(doc.tool.version)}  ${doc.command}  started ${escapeControls(doc.startedAt)}${took ? `  took ${took}` : ''}`);
  if (doc.summary.interrupted) out.push(p.paint('interrupted: the results below are what was known when the run stopped', 'yellow'));

  const hosts = [...doc.hosts].sort(compareHosts);
  // Down hosts say nothing new one by one (a /16 has thousands); they are counted unless asked
  // for, or unless one carries a finding.
  const listed = hosts.filter((h) => opts.verbose || h.status === 'up' || h.findings.length > 0);
  for (const h of listed) {
    out.push('');
    const audit = doc.command === 'audit';
    out.push(hostHeading(h, p, audit));
    if (!audit && (h.status === 'up' || h.ports.length > 0 || (h.extraPorts?.length ?? 0) > 0)) out.push(...portBlock(h, opts, p));
    if (h.findings.length > 0) {
      out.push('');
      out.push(...findingBlock(h.findings, opts, p));
    }
  }
  const unlisted = hosts.length - listed.length;
  out.push('');
  if (unlisted > 0) out.push(`${plural(unlisted, 'host')} down, not listed`);
  out.push(summaryLine(doc, p));
  return `${out.join('\n')}\n`;
}
