// Target expressions → a plan of addresses that streams.
//
// Every literal form (address, CIDR block, range) becomes an integer interval; names become single
// addresses after resolution. Intervals are merged per family (so duplicates across expressions are
// scanned once), the exclusions are subtracted once, and the count comes from the interval bounds.
// The plan then yields one `{ address, names }` at a time: a /16 is two bigints in memory, never
// 65,536 objects, and the plan never needs to ask "is this excluded?" while iterating.
//
// Order: ascending address, IPv4 before IPv6 (a consequence of merging; randomising the probe
// order is the engine's business). CIDR blocks include their network and broadcast addresses, as
// other scanners do: on a routed /24 those are ordinary hosts more often than not.
import { readFile } from 'node:fs/promises';
import { lookup } from 'node:dns/promises';
import { PortcullisError } from '../core/errors.js';
import {
  FAMILY_BITS,
  FAMILY_MAX,
  type Family,
  formatIPv4,
  formatIPv6,
  normalizeName,
  parseHostName,
  parseIPv4,
  parseIPv6,
  parseIp,
} from './address.js';
import { IntervalSet, type Interval } from './intervals.js';

export interface Target {
  address: string;
  /** Names given by the user that resolved to this address (empty for literal addresses). */
  names: string[];
}

export type TargetExpression =
  | { kind: 'block'; text: string; form: 'address' | 'cidr' | 'range'; family: Family; first: bigint; last: bigint }
  | { kind: 'name'; text: string; name: string };

/** Where an expression came from, for messages: a command-line argument or a file position. */
export interface ExpressionSource {
  text: string;
  file?: string;
  line?: number;
  column?: number;
}

export const DEFAULT_MAX_HOSTS = 65_536;
/**
 * Even with `force`, no plan may exceed the size of the whole IPv4 space: an IPv6 /64 holds 2^64
 * addresses and would never finish, so it is refused rather than started.
 */
export const ABSOLUTE_MAX_HOSTS = 2 ** 32;
const MAX_LIST_FILE_BYTES = 64 * 1024 * 1024;
const DEFAULT_RESOLVE_TIMEOUT_MS = 10_000;
const RESOLVE_PARALLELISM = 8;

function where(src: ExpressionSource): { file?: string; line?: number; column?: number } | undefined {
  if (src.file === undefined) return undefined;
  const w: { file?: string; line?: number; column?: number } = { file: src.file };
  if (src.line !== undefined) w.line = src.line;
  if (src.column !== undefined) w.column = src.column;
  return w;
}

function badTarget(src: ExpressionSource, why: string): PortcullisError {
  return new PortcullisError('E_TARGET', `bad target '${src.text}': ${why}`, where(src));
}

function maskOf(family: Family, prefix: number): bigint {
  const bits = BigInt(FAMILY_BITS[family]);
  const hostBits = bits - BigInt(prefix);
  return FAMILY_MAX[family] ^ ((1n << hostBits) - 1n);
}

/**
 * Parses one expression without any I/O. Throws PortcullisError E_TARGET naming the expression
 * and the reason. Host names are only checked for syntax here; resolution happens in planTargets.
 */
export function parseTargetExpression(input: string | ExpressionSource): TargetExpression {
  const src: ExpressionSource = typeof input === 'string' ? { text: input } : input;
  const text = src.text.trim();
  if (text === '') throw badTarget(src, 'it is empty');
  if (text.includes('*')) throw badTarget(src, 'wildcards are not supported; write a CIDR block such as 10.0.0.0/24');

  const slash = text.indexOf('/');
  if (slash >= 0) {
    const addrText = text.slice(0, slash);
    const prefixText = text.slice(slash + 1);
    if (prefixText.includes('/')) throw badTarget(src, "it has more than one '/'");
    const isV6 = addrText.includes(':');
    if (!isV6 && !/^[\d.]+$/.test(addrText)) {
      throw badTarget(src, `a CIDR block needs an IP address before '/', and '${addrText}' is not one`);
    }
    const family: Family = isV6 ? 6 : 4;
    const base = isV6 ? parseIPv6(addrText.replace(/^\[(.*)\]$/, '$1')) : parseIPv4(addrText);
    if (!base.ok) throw badTarget(src, base.why);
    if (prefixText === '') throw badTarget(src, "the prefix length after '/' is missing");
    if (!/^\d{1,3}$/.test(prefixText)) throw badTarget(src, `prefix length '${prefixText}' is not a whole number`);
    const prefix = Number(prefixText);
    const max = FAMILY_BITS[family];
    if (prefix > max) {
      throw badTarget(src, `prefix length ${prefix} is larger than ${max}, the longest an IPv${family} prefix can be`);
    }
    const mask = maskOf(family, prefix);
    const first = base.value & mask;
    return { kind: 'block', text, form: 'cidr', family, first, last: first | (FAMILY_MAX[family] ^ mask) };
  }

  if (text.includes(':')) {
    if (/^\[.*\]:\d+$/.test(text)) throw badTarget(src, 'a target is an address without a port; give ports with --ports');
    const unbracket = (s: string): string => s.replace(/^\[(.*)\]$/, '$1');
    const bare = unbracket(text);
    const dash = text.split('-').map(unbracket);
    if (dash.length > 2) throw badTarget(src, "a range has exactly one '-'");
    if (dash.length === 2) {
      const [a, b] = dash as [string, string];
      if (b === '') throw badTarget(src, "the range has nothing after '-'");
      if (!b.includes(':')) {
        throw badTarget(src, `an IPv6 range needs a full address on both sides of '-' (e.g. 2001:db8::1-2001:db8::ff), not '${b}'`);
      }
      const lo = parseIPv6(a);
      if (!lo.ok) throw badTarget(src, `range start: ${lo.why}`);
      const hi = parseIPv6(b);
      if (!hi.ok) throw badTarget(src, `range end: ${hi.why}`);
      if (hi.value < lo.value) throw badTarget(src, `the range is reversed; its end ${b} is below its start ${a}`);
      return { kind: 'block', text, form: 'range', family: 6, first: lo.value, last: hi.value };
    }
    const one = parseIPv6(bare);
    if (!one.ok) throw badTarget(src, one.why);
    return { kind: 'block', text, form: 'address', family: 6, first: one.value, last: one.value };
  }

  if (/^[\d.]+(-[\d.]*)?$/.test(text) || /^\d+\.\d+\.\d+\./.test(text)) {
    const dash = text.indexOf('-');
    if (dash < 0) {
      const one = parseIPv4(text);
      if (!one.ok) throw badTarget(src, one.why);
      return { kind: 'block', text, form: 'address', family: 4, first: one.value, last: one.value };
    }
    const a = text.slice(0, dash);
    const b = text.slice(dash + 1);
    if (b.includes('-')) throw badTarget(src, "a range has exactly one '-'");
    const lo = parseIPv4(a);
    if (!lo.ok) throw badTarget(src, `range start: ${lo.why}`);
    if (b === '') throw badTarget(src, "the range has nothing after '-'");
    if (/^\d+$/.test(b)) {
      // Short form: the end replaces only the last octet (10.0.0.1-20).
      const startOctet = Number(lo.value & 255n);
      if (b.length > 3 || Number(b) > 255) throw badTarget(src, `range end ${b} is larger than 255, the largest last octet`);
      if (b.length > 1 && b.startsWith('0')) throw badTarget(src, `range end '${b}' has a leading zero, which some tools read as octal`);
      const end = Number(b);
      if (end < startOctet) throw badTarget(src, `the range is reversed; its end ${end} is below its start ${startOctet}`);
      return { kind: 'block', text, form: 'range', family: 4, first: lo.value, last: (lo.value & ~255n) | BigInt(end) };
    }
    if (b.split('.').length !== 4) {
      throw badTarget(src, `the range end '${b}' must be a last octet (10.0.0.1-20) or a full address (10.0.0.1-10.0.1.5)`);
    }
    const hi = parseIPv4(b);
    if (!hi.ok) throw badTarget(src, `range end: ${hi.why}`);
    if (hi.value < lo.value) throw badTarget(src, `the range is reversed; its end ${b} is below its start ${a}`);
    return { kind: 'block', text, form: 'range', family: 4, first: lo.value, last: hi.value };
  }

  const name = parseHostName(text);
  if (!name.ok) throw badTarget(src, name.why);
  return { kind: 'name', text, name: name.value };
}

/**
 * Splits a line or an argument into expressions: whitespace or commas separate them. Columns are
 * 1-based positions within `text`, for messages.
 */
export function splitExpressions(text: string): Array<{ text: string; column: number }> {
  const out: Array<{ text: string; column: number }> = [];
  const re = /[^\s,]+/g;
  for (let m = re.exec(text); m; m = re.exec(text)) out.push({ text: m[0], column: m.index + 1 });
  return out;
}

function describeFsError(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  const reasons: Record<string, string> = {
    ENOENT: 'no such file',
    EACCES: 'permission denied',
    EPERM: 'permission denied',
    EISDIR: 'it is a directory, not a file',
    ENOTDIR: 'a part of the path is not a directory',
    ELOOP: 'too many symbolic links',
    EMFILE: 'too many open files',
  };
  if (err && typeof err.code === 'string') return `${reasons[err.code] ?? err.message} (${err.code})`;
  return err instanceof Error ? err.message : String(e);
}

/**
 * Reads a list file (`-iL`, `--exclude-file`): one or more expressions per line, `#` starts a
 * comment, blank lines are skipped. Returns the expressions with their file positions.
 */
export async function readExpressionFile(file: string, purpose = 'target list'): Promise<ExpressionSource[]> {
  let text: string;
  try {
    const buf = await readFile(file);
    if (buf.length > MAX_LIST_FILE_BYTES) {
      throw new PortcullisError('E_INPUT', `${purpose} ${file} is ${buf.length} bytes; more than ${MAX_LIST_FILE_BYTES} is refused`, { file });
    }
    text = buf.toString('utf8');
  } catch (e) {
    if (e instanceof PortcullisError) throw e;
    throw new PortcullisError('E_INPUT', `cannot read ${purpose} ${file}: ${describeFsError(e)}`, { file });
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.includes('\u0000')) {
    throw new PortcullisError('E_INPUT', `${purpose} ${file} contains NUL bytes; it is not a text file (UTF-16 lists must be saved as UTF-8)`, { file });
  }
  const out: ExpressionSource[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i] as string;
    const hash = raw.indexOf('#');
    const content = hash >= 0 ? raw.slice(0, hash) : raw;
    for (const tok of splitExpressions(content)) out.push({ text: tok.text, file, line: i + 1, column: tok.column });
  }
  return out;
}

export interface ResolvedAddress {
  address: string;
  family: number;
}
/** Name → addresses, in the resolver's order. Injected in tests; defaults to getaddrinfo via node:dns `lookup`. */
export type Resolver = (name: string) => Promise<ResolvedAddress[]>;

export const systemResolver: Resolver = async (name) => lookup(name, { all: true });

export interface TargetOptions {
  /** `--exclude` values: expressions, several per value separated by commas or spaces. */
  exclude?: readonly string[];
  /** `--exclude-file` paths. */
  excludeFiles?: readonly string[];
  /** `-iL` paths. */
  inputFiles?: readonly string[];
  /** `--first-address`: scan only the first address a name resolves to (exclusions still remove all of them). */
  firstAddress?: boolean;
  /** `--max-hosts` (default 65,536). */
  maxHosts?: number;
  /** `--force`: allow more than maxHosts (never more than ABSOLUTE_MAX_HOSTS). */
  force?: boolean;
  resolver?: Resolver;
  /** Per-name resolution time limit (default 10 s). */
  resolveTimeoutMs?: number;
  /** Skip names that do not resolve (with a warning) instead of refusing the whole target set. */
  skipUnresolved?: boolean;
}

const groupDigits = (n: bigint | number): string => n.toLocaleString('en-US');

function resolveWithTimeout(resolver: Resolver, name: string, ms: number): Promise<ResolvedAddress[]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(Object.assign(new Error(`no answer within ${ms} ms`), { code: 'ETIMEOUT' })), ms);
    resolver(name).then(
      (r) => {
        clearTimeout(timer);
        resolve(r);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e);
      },
    );
  });
}

function describeDnsError(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  const reasons: Record<string, string> = {
    ENOTFOUND: 'the name does not exist or has no addresses',
    ENODATA: 'the name has no addresses',
    EAI_AGAIN: 'temporary DNS failure',
    ESERVFAIL: 'the DNS server failed',
    ETIMEOUT: 'no answer in time',
  };
  const code = typeof err?.code === 'string' ? err.code : undefined;
  if (code && reasons[code]) return `${reasons[code]} (${code})`;
  return err instanceof Error ? err.message : String(e);
}

/** A fixed target set: counted, deduplicated, exclusions applied; iterate it as many times as needed. */
export class TargetPlan implements Iterable<Target> {
  /** Number of addresses to scan (after exclusions and deduplication). */
  readonly count: number;

  constructor(
    readonly ipv4: IntervalSet,
    readonly ipv6: IntervalSet,
    private readonly namesByAddress: ReadonlyMap<string, readonly string[]>,
    /** Problems that did not stop planning (e.g. names skipped with skipUnresolved). */
    readonly warnings: readonly string[],
  ) {
    this.count = Number(ipv4.size + ipv6.size);
  }

  /** True when the address (any spelling) is part of the plan: a binary search over the intervals. */
  has(address: string): boolean {
    const r = parseIp(address.trim());
    if (!r.ok) return false;
    return (r.value.family === 4 ? this.ipv4 : this.ipv6).has(r.value.value);
  }

  namesFor(address: string): string[] {
    const r = parseIp(address.trim());
    if (!r.ok) return [];
    const key = r.value.family === 4 ? formatIPv4(Number(r.value.value)) : formatIPv6(r.value.value);
    return [...(this.namesByAddress.get(key) ?? [])];
  }

  *[Symbol.iterator](): Generator<Target> {
    const names = this.namesByAddress;
    const withNames = (address: string): Target => {
      const n = names.size === 0 ? undefined : names.get(address);
      return { address, names: n ? [...n] : [] };
    };
    for (const iv of this.ipv4.intervals) {
      // IPv4 fits in a double exactly; counting in numbers keeps a /16 walk cheap.
      const last = Number(iv.last);
      for (let v = Number(iv.first); v <= last; v++) yield withNames(formatIPv4(v));
    }
    for (const iv of this.ipv6.intervals) {
      for (let v = iv.first; v <= iv.last; v++) yield withNames(formatIPv6(v));
    }
  }

  targets(): Generator<Target> {
    return this[Symbol.iterator]();
  }
}

interface Collected {
  blocks: Array<{ expr: Extract<TargetExpression, { kind: 'block' }>; src: ExpressionSource }>;
  names: Array<{ name: string; src: ExpressionSource }>;
}

function collect(sources: readonly ExpressionSource[], into: Collected): void {
  for (const src of sources) {
    const expr = parseTargetExpression(src);
    if (expr.kind === 'block') into.blocks.push({ expr, src });
    else into.names.push({ name: expr.name, src });
  }
}

function argumentSources(values: readonly string[]): ExpressionSource[] {
  const out: ExpressionSource[] = [];
  for (const v of values) for (const tok of splitExpressions(v)) out.push({ text: tok.text });
  return out;
}

/**
 * Builds the plan: parses every expression (arguments and files), resolves names, merges,
 * subtracts exclusions and enforces the limits. Throws PortcullisError:
 * E_TARGET (bad expression, unresolvable name), E_INPUT (unreadable list file),
 * E_TARGET_LIMIT (a /0 or whole-space range, nothing left, more than maxHosts without force).
 */
export async function planTargets(expressions: readonly string[], options: TargetOptions = {}): Promise<TargetPlan> {
  const include: Collected = { blocks: [], names: [] };
  const exclude: Collected = { blocks: [], names: [] };

  collect(argumentSources(expressions), include);
  for (const file of options.inputFiles ?? []) collect(await readExpressionFile(file, 'target list'), include);
  collect(argumentSources(options.exclude ?? []), exclude);
  for (const file of options.excludeFiles ?? []) collect(await readExpressionFile(file, 'exclude list'), exclude);

  if (include.blocks.length === 0 && include.names.length === 0) {
    throw new PortcullisError('E_TARGET_LIMIT', 'no targets given: name at least one address, CIDR block, range, host name or -iL file');
  }
  for (const { expr, src } of include.blocks) {
    if (expr.first === 0n && expr.last === FAMILY_MAX[expr.family]) {
      throw new PortcullisError(
        'E_TARGET_LIMIT',
        `target '${src.text}' covers the entire IPv${expr.family} address space; refused — name the networks you are responsible for`,
        where(src),
      );
    }
  }

  // Resolve every distinct name once, a few at a time (getaddrinfo runs on libuv's small thread pool).
  const resolver = options.resolver ?? systemResolver;
  const timeoutMs = options.resolveTimeoutMs ?? DEFAULT_RESOLVE_TIMEOUT_MS;
  const distinct = new Map<string, { name: string; src: ExpressionSource }>();
  for (const n of [...include.names, ...exclude.names]) if (!distinct.has(normalizeName(n.name))) distinct.set(normalizeName(n.name), n);
  const resolved = new Map<string, ResolvedAddress[]>();
  const warnings: string[] = [];
  const failures = new Map<string, string>();
  const queue = [...distinct.entries()];
  const worker = async (): Promise<void> => {
    for (let item = queue.shift(); item; item = queue.shift()) {
      const [key, { name }] = item;
      try {
        const addrs = await resolveWithTimeout(resolver, name, timeoutMs);
        if (addrs.length === 0) failures.set(key, 'the name has no addresses');
        else resolved.set(key, addrs);
      } catch (e) {
        failures.set(key, describeDnsError(e));
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(RESOLVE_PARALLELISM, queue.length) }, worker));

  const v4: Interval[] = [];
  const v6: Interval[] = [];
  const namesByAddress = new Map<string, string[]>();
  for (const { expr } of include.blocks) (expr.family === 4 ? v4 : v6).push({ first: expr.first, last: expr.last });
  const addPoint = (address: string, into4: Interval[], into6: Interval[], src: ExpressionSource): string => {
    const r = parseIp(address);
    if (!r.ok) throw badTarget(src, `the resolver returned '${address}', which is not an address`);
    (r.value.family === 4 ? into4 : into6).push({ first: r.value.value, last: r.value.value });
    return r.value.family === 4 ? formatIPv4(Number(r.value.value)) : formatIPv6(r.value.value);
  };
  // getaddrinfo can hand back link-local IPv6 addresses with a zone (fe80::1%eth0); a zone cannot
  // live in an integer interval, and such addresses are only reachable on one link anyway.
  for (const [key, addrs] of resolved) {
    const usable = addrs.filter((a) => !a.address.includes('%'));
    if (usable.length < addrs.length) {
      const name = distinct.get(key)?.name ?? key;
      warnings.push(`'${name}' resolved to ${addrs.length - usable.length} link-local address(es) with a zone; they are left out`);
    }
    if (usable.length === 0) {
      resolved.delete(key);
      failures.set(key, 'it resolves only to link-local addresses with a zone, which cannot be targeted');
    } else resolved.set(key, usable);
  }
  for (const { name, src } of include.names) {
    const key = normalizeName(name);
    const addrs = resolved.get(key);
    if (!addrs) {
      const why = failures.get(key) ?? 'no answer';
      if (options.skipUnresolved) {
        warnings.push(`skipped target '${src.text}': cannot resolve it: ${why}`);
        continue;
      }
      throw badTarget(src, `cannot resolve the name: ${why}`);
    }
    for (const a of options.firstAddress ? addrs.slice(0, 1) : addrs) {
      const canonical = addPoint(a.address, v4, v6, src);
      const list = namesByAddress.get(canonical);
      if (!list) namesByAddress.set(canonical, [src.text]);
      else if (!list.some((x) => normalizeName(x) === key)) list.push(src.text);
    }
  }

  const x4: Interval[] = [];
  const x6: Interval[] = [];
  for (const { expr } of exclude.blocks) (expr.family === 4 ? x4 : x6).push({ first: expr.first, last: expr.last });
  for (const { name, src } of exclude.names) {
    const addrs = resolved.get(normalizeName(name));
    if (!addrs) {
      // An exclusion that cannot be applied might let a host the user meant to spare be scanned: never skip it.
      throw badTarget(src, `cannot resolve the excluded name: ${failures.get(normalizeName(name)) ?? 'no answer'}`);
    }
    for (const a of addrs) addPoint(a.address, x4, x6, src);
  }

  const ipv4 = IntervalSet.from(v4).subtract(IntervalSet.from(x4));
  const ipv6 = IntervalSet.from(v6).subtract(IntervalSet.from(x6));
  const total = ipv4.size + ipv6.size;
  const excluding = exclude.blocks.length + exclude.names.length;
  if (total === 0n) {
    throw new PortcullisError(
      'E_TARGET_LIMIT',
      excluding > 0
        ? `no addresses left to scan: the ${excluding} exclusion${excluding === 1 ? '' : 's'} remove every target`
        : 'no addresses to scan: every name was skipped',
    );
  }
  if (total > BigInt(ABSOLUTE_MAX_HOSTS)) {
    throw new PortcullisError(
      'E_TARGET_LIMIT',
      `the targets expand to ${groupDigits(total)} addresses; more than ${groupDigits(ABSOLUTE_MAX_HOSTS)} is refused even with --force, because such a scan cannot finish`,
    );
  }
  const maxHosts = options.maxHosts ?? DEFAULT_MAX_HOSTS;
  if (!Number.isSafeInteger(maxHosts) || maxHosts < 1) {
    throw new PortcullisError('E_USAGE', `--max-hosts must be a whole number of at least 1, not ${maxHosts}`);
  }
  if (total > BigInt(maxHosts) && !options.force) {
    throw new PortcullisError(
      'E_TARGET_LIMIT',
      `the targets expand to ${groupDigits(total)} addresses, more than --max-hosts ${groupDigits(maxHosts)}; narrow the targets, raise --max-hosts, or add --force`,
    );
  }
  return new TargetPlan(ipv4, ipv6, namesByAddress, warnings);
}

/** Plans, then yields one target at a time (the plan is built before the first target). */
export async function* streamTargets(expressions: readonly string[], options: TargetOptions = {}): AsyncGenerator<Target> {
  const plan = await planTargets(expressions, options);
  yield* plan;
}
