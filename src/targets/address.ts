// IP address and host-name syntax, shared by target expressions and the inventory.
// Addresses are handled as bigints (IPv4 in 32 bits, IPv6 in 128 bits) so ranges, CIDR blocks and
// exclusions are plain integer intervals. Parsers return a reason instead of throwing so each caller
// can wrap it in the error that fits its context (a target expression, an inventory line).
import { domainToASCII } from 'node:url';

export type Family = 4 | 6;

export const FAMILY_BITS: Record<Family, number> = { 4: 32, 6: 128 };
export const FAMILY_MAX: Record<Family, bigint> = { 4: (1n << 32n) - 1n, 6: (1n << 128n) - 1n };

export type Parsed<T> = { ok: true; value: T } | { ok: false; why: string };

export interface IpValue {
  family: Family;
  value: bigint;
}

/**
 * Strict dotted-quad: exactly four decimal numbers 0–255. Leading zeros are refused because
 * inet_aton and some tools read `010` as octal (8) while others read it as decimal (10); a target
 * list must mean one thing.
 */
export function parseIPv4(text: string): Parsed<bigint> {
  const parts = text.split('.');
  if (parts.length !== 4) {
    return { ok: false, why: `an IPv4 address has four dot-separated numbers, '${text}' has ${parts.length}` };
  }
  let value = 0n;
  for (const p of parts) {
    if (p === '') return { ok: false, why: `'${text}' has an empty number between dots` };
    if (!/^\d+$/.test(p)) return { ok: false, why: `'${p}' is not a decimal number from 0 to 255` };
    if (p.length > 1 && p.startsWith('0')) {
      return { ok: false, why: `'${p}' has a leading zero, which some tools read as octal; write it without the zero` };
    }
    if (p.length > 3 || Number(p) > 255) return { ok: false, why: `${p} is larger than 255, the largest value of an IPv4 number` };
    value = (value << 8n) | BigInt(p);
  }
  return { ok: true, value };
}

/** RFC 4291 §2.2 text forms: eight hex groups, one `::` for a run of zero groups, an optional dotted IPv4 tail. */
export function parseIPv6(input: string): Parsed<bigint> {
  const text = input;
  if (text.includes('%')) {
    return { ok: false, why: `'${input}' carries a zone index (%…); link-local addresses with a zone cannot be targeted, use a global or unique-local address` };
  }
  if (text.includes(':::')) return { ok: false, why: `'${input}' has ':::'; at most two colons may stand together` };
  const halves = text.split('::');
  if (halves.length > 2) return { ok: false, why: `'${input}' uses '::' more than once; it may stand for only one run of zero groups` };

  const groupsOf = (part: string, isLast: boolean): Parsed<number[]> => {
    if (part === '') return { ok: true, value: [] };
    const raw = part.split(':');
    const out: number[] = [];
    for (let i = 0; i < raw.length; i++) {
      const g = raw[i] as string;
      if (g.includes('.')) {
        if (!isLast || i !== raw.length - 1) return { ok: false, why: `'${input}' has an embedded IPv4 address that is not at the end` };
        const v4 = parseIPv4(g);
        if (!v4.ok) return { ok: false, why: `embedded IPv4 part of '${input}': ${v4.why}` };
        out.push(Number(v4.value >> 16n), Number(v4.value & 0xffffn));
        continue;
      }
      if (g === '') return { ok: false, why: `'${input}' has an empty group (a single ':' at the start or end, or where '::' was meant)` };
      if (!/^[0-9a-fA-F]+$/.test(g)) return { ok: false, why: `'${g}' in '${input}' is not a hexadecimal group` };
      if (g.length > 4) return { ok: false, why: `group '${g}' in '${input}' has more than four hex digits` };
      out.push(parseInt(g, 16));
    }
    return { ok: true, value: out };
  };

  let groups: number[];
  if (halves.length === 2) {
    const head = groupsOf(halves[0] as string, false);
    if (!head.ok) return head;
    const tail = groupsOf(halves[1] as string, true);
    if (!tail.ok) return tail;
    const present = head.value.length + tail.value.length;
    if (present > 7) return { ok: false, why: `'${input}' has ${present} groups besides '::'; an IPv6 address has only eight` };
    groups = [...head.value, ...new Array<number>(8 - present).fill(0), ...tail.value];
  } else {
    const all = groupsOf(text, true);
    if (!all.ok) return all;
    if (all.value.length !== 8) {
      return { ok: false, why: `'${input}' has ${all.value.length} groups; an IPv6 address without '::' needs eight` };
    }
    groups = all.value;
  }
  let value = 0n;
  for (const g of groups) value = (value << 16n) | BigInt(g);
  return { ok: true, value };
}

/** Either family; the presence of a colon decides which parser speaks, so its reason is the relevant one. */
export function parseIp(text: string): Parsed<IpValue> {
  const t = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  if (t.includes(':')) {
    const r = parseIPv6(t);
    return r.ok ? { ok: true, value: { family: 6, value: r.value } } : r;
  }
  const r = parseIPv4(t);
  return r.ok ? { ok: true, value: { family: 4, value: r.value } } : r;
}

export function formatIPv4(n: number): string {
  return `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

/**
 * RFC 5952 canonical text: lower-case hex, no leading zeros, the longest run of two or more zero
 * groups (the first one on a tie) shortened to `::`, and IPv4-mapped addresses (§5) in dotted form.
 */
export function formatIPv6(value: bigint): string {
  const g: number[] = [];
  for (let i = 7; i >= 0; i--) g.push(Number((value >> BigInt(i * 16)) & 0xffffn));
  if (g[0] === 0 && g[1] === 0 && g[2] === 0 && g[3] === 0 && g[4] === 0 && g[5] === 0xffff) {
    return `::ffff:${formatIPv4(Number(value & 0xffffffffn))}`;
  }
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (g[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = (xs: number[]) => xs.map((x) => x.toString(16)).join(':');
  if (bestLen < 2) return hex(g);
  return `${hex(g.slice(0, bestStart))}::${hex(g.slice(bestStart + bestLen))}`;
}

export function formatIp(family: Family, value: bigint): string {
  return family === 4 ? formatIPv4(Number(value)) : formatIPv6(value);
}

/** The one spelling of an address used as a map key and in output; `null` when it is not an address. */
export function canonicalAddress(text: string): string | null {
  const r = parseIp(text.trim());
  return r.ok ? formatIp(r.value.family, r.value.value) : null;
}

/**
 * A DNS host name in the form getaddrinfo accepts: labels of letters, digits, hyphens (not at the
 * ends) and underscores (common in Windows/AD records), at most 63 octets each and 253 in all, an
 * optional trailing dot. Internationalised names are converted to their `xn--` form for lookup.
 * A last label of digits only is refused: such a string is a mistyped address, not a name (RFC 3696 §2).
 */
export function parseHostName(text: string): Parsed<string> {
  if (text === '') return { ok: false, why: 'the name is empty' };
  let ascii = text;
  if (/[^\x00-\x7f]/.test(text)) {
    ascii = domainToASCII(text);
    if (ascii === '') return { ok: false, why: `'${text}' is not a valid internationalised domain name` };
  }
  const bare = ascii.endsWith('.') ? ascii.slice(0, -1) : ascii;
  if (bare.length === 0) return { ok: false, why: `'${text}' has no labels` };
  if (bare.length > 253) return { ok: false, why: `'${text}' is ${bare.length} characters long; a DNS name has at most 253` };
  const labels = bare.split('.');
  for (const label of labels) {
    if (label === '') return { ok: false, why: `'${text}' has an empty label (two dots together, or a leading dot)` };
    if (label.length > 63) return { ok: false, why: `label '${label.slice(0, 20)}…' of '${text}' is longer than 63 characters` };
    const bad = /[^A-Za-z0-9_-]/.exec(label);
    if (bad) return { ok: false, why: `'${text}' contains '${bad[0]}', which cannot appear in a host name` };
    if (label.startsWith('-') || label.endsWith('-')) {
      return { ok: false, why: `label '${label}' of '${text}' starts or ends with a hyphen` };
    }
  }
  if (/^\d+$/.test(labels[labels.length - 1] as string)) {
    return { ok: false, why: `'${text}' ends in a number, so it is neither a valid address nor a host name` };
  }
  return { ok: true, value: ascii };
}

/** Names compare case-insensitively and without the root dot. */
export function normalizeName(name: string): string {
  const lower = name.trim().toLowerCase();
  return lower.endsWith('.') ? lower.slice(0, -1) : lower;
}
