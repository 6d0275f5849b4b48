// Waivers: a reviewed, time-limited "yes, we know" for one rule on matching hosts.
//
// File format (YAML, a top-level list):
//
//   - rule: iis-content-off-system-drive
//     host: "comp-web-*"          # glob, case-insensitive: * any run, ? one character
//     reason: Competition image; the scoring engine expects C:\inetpub.
//     expires: 2026-12-31         # inclusive, UTC
//
// A waiver never hides a verdict: the finding keeps its evidence and becomes `waived` with the
// reason; once the date has passed it is a failure again and says which waiver lapsed.
import { readFile } from 'node:fs/promises';
import { LineCounter, isMap, isScalar, isSeq, parseDocument, type Node as YamlNode } from 'yaml';
import { PortcullisError } from '../core/errors.js';
import type { Finding } from '../core/finding.js';

export interface Waiver {
  rule: string;
  /** Host-name glob as written. */
  host: string;
  reason: string;
  /** `YYYY-MM-DD`, the last day the waiver holds (UTC). */
  expires: string;
  /** Where it was written, for messages. */
  file: string;
  line: number;
}

const FIELDS = ['rule', 'host', 'reason', 'expires'] as const;
type Field = (typeof FIELDS)[number];

export interface ParseWaiverOptions {
  /** When given, a waiver naming another rule id is an error (a typo would silently waive nothing). */
  knownRules?: ReadonlySet<string>;
}

function bad(file: string, line: number | undefined, message: string): PortcullisError {
  return new PortcullisError('E_WAIVERS', message, line === undefined ? { file } : { file, line });
}

/** Parses and validates waiver YAML; every problem names the file and line. */
export function parseWaivers(text: string, file: string, opts: ParseWaiverOptions = {}): Waiver[] {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: true });
  const lineOf = (node: YamlNode | null | undefined): number | undefined =>
    node?.range ? lc.linePos(node.range[0]).line : undefined;
  const first = doc.errors[0];
  if (first) {
    throw bad(file, lc.linePos(first.pos[0]).line, `not valid YAML: ${first.message.split('\n')[0]}`);
  }
  const root = doc.contents;
  if (root === null || (isScalar(root) && (root.value === null || root.value === ''))) return [];
  if (!isSeq(root)) {
    throw bad(file, lineOf(root), 'expected a list of waivers (each item: rule, host, reason, expires)');
  }
  const out: Waiver[] = [];
  for (const item of root.items) {
    const itemLine = lineOf(item as YamlNode) ?? 1;
    if (!isMap(item)) throw bad(file, itemLine, 'each waiver must be a mapping with rule, host, reason and expires');
    const got: Partial<Record<Field, string>> = {};
    const lines: Partial<Record<Field, number>> = {};
    for (const pair of item.items) {
      const keyNode = pair.key as YamlNode | null;
      const key = isScalar(keyNode) ? String(keyNode.value) : '';
      const keyLine = lineOf(keyNode) ?? itemLine;
      if (!(FIELDS as readonly string[]).includes(key)) {
        throw bad(file, keyLine, `unknown field '${key}' (allowed: ${FIELDS.join(', ')})`);
      }
      const valueNode = pair.value as YamlNode | null;
      if (!isScalar(valueNode) || valueNode.value === null || typeof valueNode.value === 'object') {
        throw bad(file, lineOf(valueNode) ?? keyLine, `'${key}' must be a single value`);
      }
      const value = String(valueNode.value).trim();
      if (value === '') throw bad(file, lineOf(valueNode) ?? keyLine, `'${key}' must not be empty`);
      got[key as Field] = value;
      lines[key as Field] = lineOf(valueNode) ?? keyLine;
    }
    for (const f of FIELDS) {
      if (got[f] === undefined) throw bad(file, itemLine, `waiver is missing '${f}'`);
    }
    const w: Waiver = { rule: got.rule!, host: got.host!, reason: got.reason!, expires: got.expires!, file, line: itemLine };
    if (!/^\d{4}-\d{2}-\d{2}$/.test(w.expires) || !isRealDate(w.expires)) {
      throw bad(file, lines.expires, `'expires' must be a calendar date YYYY-MM-DD, got '${w.expires}'`);
    }
    if (!/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(w.rule)) {
      throw bad(file, lines.rule, `'rule' must be a rule id (kebab-case), got '${w.rule}'`);
    }
    if (opts.knownRules && !opts.knownRules.has(w.rule)) {
      throw bad(file, lines.rule, `unknown rule id '${w.rule}' (see \`portcullis rules\`)`);
    }
    out.push(w);
  }
  return out;
}

function isRealDate(ymd: string): boolean {
  const d = new Date(`${ymd}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === ymd;
}

export async function loadWaivers(path: string, opts: ParseWaiverOptions = {}): Promise<Waiver[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new PortcullisError('E_WAIVERS', `cannot read waiver file: ${(e as NodeJS.ErrnoException).code ?? String(e)}`, { file: path });
  }
  return parseWaivers(text.replace(/^\uFEFF/, ''), path, opts);
}

/** Case-insensitive glob: `*` any run (including dots), `?` one character. */
export function hostMatches(pattern: string, host: string): boolean {
  const re = new RegExp(
    '^' + pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.') + '$',
    'i',
  );
  return re.test(host);
}

/** True once the whole `expires` day (UTC) has passed. */
export function isExpired(w: Pick<Waiver, 'expires'>, now: Date): boolean {
  return now.getTime() >= Date.parse(`${w.expires}T00:00:00Z`) + 86_400_000;
}

/**
 * Applies waivers to one host's findings. Only failures are waived. Among several matching
 * waivers a live one wins over expired ones (the latest expiry first).
 */
export function applyWaivers(findings: readonly Finding[], waivers: readonly Waiver[], host: string, now: Date): Finding[] {
  return findings.map((f) => {
    if (f.status !== 'fail') return f;
    const matching = waivers
      .filter((w) => w.rule === f.id && hostMatches(w.host, host))
      .sort((a, b) => b.expires.localeCompare(a.expires));
    const best = matching[0];
    if (!best) return f;
    const where = `${best.file}:${best.line}`;
    if (!isExpired(best, now)) {
      return {
        ...f,
        status: 'waived',
        waiver: { reason: best.reason, expires: best.expires },
        evidence: {
          ...f.evidence,
          items: [...(f.evidence.items ?? []), { label: 'waiver', value: `${best.reason} (until ${best.expires})`, source: { artifact: best.file, line: best.line } }],
        },
      };
    }
    return {
      ...f,
      evidence: {
        ...f.evidence,
        summary: `${f.evidence.summary} The waiver at ${where} expired on ${best.expires}.`,
        items: [...(f.evidence.items ?? []), { label: 'expired waiver', value: `${best.reason} (expired ${best.expires})`, source: { artifact: best.file, line: best.line } }],
      },
    };
  });
}
