// Port list syntax shared by the command line (`--ports`, `--exclude-ports`) and the inventory:
// comma-separated single ports and `low-high` ranges, 1–65535. Port 0 is refused because no service
// listens there and a connect to it always fails; open-ended ranges (`-1024`, `60000-`) are refused
// so a typo cannot silently turn into "every port".
import { PortcullisError, type ErrorCode } from '../core/errors.js';

export const MIN_PORT = 1;
export const MAX_PORT = 65535;

export interface PortRange {
  first: number;
  last: number;
}

/** One item (`443` or `1000-2000`); returns the reason when it is not a valid port or range. */
export function parsePortItem(item: string): { ok: true; value: PortRange } | { ok: false; why: string } {
  const text = item.trim();
  if (text === '') return { ok: false, why: 'empty entry (two commas together, or a comma at an end)' };
  const m = /^(\d+)(?:\s*-\s*(\d+))?$/.exec(text);
  if (!m) {
    if (/^\d+\s*-\s*$/.test(text) || /^-\s*\d+$/.test(text)) {
      return { ok: false, why: `'${text}' is an open-ended range; write both ends, e.g. 1-1024` };
    }
    return { ok: false, why: `'${text}' is not a port number or a range like 1000-2000` };
  }
  const one = (digits: string): { ok: true; value: number } | { ok: false; why: string } => {
    const n = digits.length > 6 ? Infinity : Number(digits);
    if (n < MIN_PORT) return { ok: false, why: `port ${digits} is not valid; ports run from ${MIN_PORT} to ${MAX_PORT}` };
    if (n > MAX_PORT) return { ok: false, why: `port ${digits} is larger than ${MAX_PORT}, the highest port` };
    return { ok: true, value: n };
  };
  const a = one(m[1] as string);
  if (!a.ok) return a;
  if (m[2] === undefined) return { ok: true, value: { first: a.value, last: a.value } };
  const b = one(m[2]);
  if (!b.ok) return b;
  if (b.value < a.value) return { ok: false, why: `range ${text} is reversed; its end ${b.value} is below its start ${a.value}` };
  return { ok: true, value: { first: a.value, last: b.value } };
}

/** Sorted, merged ranges; for membership tests without expanding `1-65535` into an array. */
export function mergePortRanges(ranges: Iterable<PortRange>): PortRange[] {
  const sorted = [...ranges].sort((x, y) => x.first - y.first);
  const out: PortRange[] = [];
  for (const r of sorted) {
    const top = out[out.length - 1];
    if (top && r.first <= top.last + 1) top.last = Math.max(top.last, r.last);
    else out.push({ first: r.first, last: r.last });
  }
  return out;
}

export function portInRanges(ranges: readonly PortRange[], port: number): boolean {
  let lo = 0;
  let hi = ranges.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const r = ranges[mid] as PortRange;
    if (port < r.first) hi = mid - 1;
    else if (port > r.last) lo = mid + 1;
    else return true;
  }
  return false;
}

export interface PortListOptions {
  /** How the list is named in messages, e.g. `--exclude-ports`. */
  label?: string;
  /** Error code of the thrown PortcullisError (default E_USAGE: port lists come from the command line). */
  code?: ErrorCode;
}

/** `"22,80,1000-2000"` → merged ranges. Throws a PortcullisError naming the list, the entry and the reason. */
export function parsePortRanges(text: string, options: PortListOptions = {}): PortRange[] {
  const label = options.label ?? 'port list';
  if (text.trim() === '') throw new PortcullisError(options.code ?? 'E_USAGE', `${label} is empty; give ports like 22,80,1000-2000`);
  const ranges: PortRange[] = [];
  for (const item of text.split(',')) {
    const r = parsePortItem(item);
    if (!r.ok) throw new PortcullisError(options.code ?? 'E_USAGE', `bad ${label} '${text}': ${r.why}`);
    ranges.push(r.value);
  }
  return mergePortRanges(ranges);
}

/** `"22,80,1000-2000"` → sorted unique port numbers. */
export function parsePortList(text: string, options: PortListOptions = {}): number[] {
  const out: number[] = [];
  for (const r of parsePortRanges(text, options)) for (let p = r.first; p <= r.last; p++) out.push(p);
  return out;
}
