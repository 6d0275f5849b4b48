// Registry artifacts: regedit `.reg` exports (REGEDIT4 and version 5.00) and Group Policy
// `Registry.pol` files (binary PReg). Both fill the same RegistryState, in different layers.
import { canonicalKeyPath, keyId } from '../host/effective.js';
import type { ParseProblem, ParseResult, Provenance, RegistryData, RegistryKeyEntry, RegistryLayer, RegistryState, RegistryValueEntry } from '../host/state.js';
import { decodeText, startsWithCi } from './text.js';
import { ownValue, setOwn } from '../core/records.js';

export function emptyRegistry(): RegistryState {
  return { keys: {}, exportedRoots: [], missingRoots: [] };
}

/** The keys of one file in the order they were added (see parseRegFile); `indexLike` is set
 *  when an id is a number, which object key order puts first. */
interface KeyOrder {
  keys: RegistryKeyEntry[];
  indexLike: boolean;
}

function keyEntry(reg: RegistryState, path: string, source: Provenance, order?: KeyOrder): RegistryKeyEntry {
  const id = keyId(path);
  let k = ownValue(reg.keys, id);
  if (!k) {
    k = { path: canonicalKeyPath(path), values: {}, sources: [] };
    setOwn(reg.keys, id, k);
    if (order) {
      order.keys.push(k);
      const c = id.charCodeAt(0);
      if (c >= 48 && c <= 57) order.indexLike = true;
    }
  }
  if (!k.sources.some((s) => s.artifact === source.artifact)) k.sources.push(source);
  return k;
}

function addValue(reg: RegistryState, path: string, entry: RegistryValueEntry): void {
  pushValue(keyEntry(reg, path, entry.source), entry);
}

/** Add a value to its key's list for that name (names come from the file: "__proto__" or
 *  "constructor" are names like any other). */
function pushValue(k: RegistryKeyEntry, entry: RegistryValueEntry): void {
  const n = entry.name.toLowerCase();
  const list = ownValue(k.values, n);
  if (list) list.push(entry);
  else setOwn(k.values, n, [entry]);
}

/** Merge `from` into `into` (artifacts read one by one, combined in bundle order). */
export function mergeRegistry(into: RegistryState, from: RegistryState): void {
  for (const [id, k] of Object.entries(from.keys)) {
    const t = ownValue(into.keys, id);
    if (!t) {
      setOwn(into.keys, id, k);
      continue;
    }
    for (const s of k.sources) if (!t.sources.includes(s)) t.sources.push(s);
    for (const [n, list] of Object.entries(k.values)) {
      const tl = ownValue(t.values, n);
      if (tl) tl.push(...list);
      else setOwn(t.values, n, [...list]);
    }
    if (k.deleted) t.deleted = k.deleted;
    if (k.deleteAllValues) t.deleteAllValues = k.deleteAllValues;
  }
  into.exportedRoots.push(...from.exportedRoots);
  into.missingRoots.push(...from.missingRoots);
}

// ---------------------------------------------------------------------------------------------
// .reg files

const REG_HEADER_V5 = 'Windows Registry Editor Version 5.00';
const REG_HEADER_V4 = 'REGEDIT4';

/** hex(N) type numbers as regedit writes them. */
const HEX_TYPES: Record<number, RegistryData['type']> = {
  0: 'REG_NONE',
  1: 'REG_SZ',
  2: 'REG_EXPAND_SZ',
  3: 'REG_BINARY',
  4: 'REG_DWORD',
  5: 'REG_DWORD_BIG_ENDIAN',
  6: 'REG_LINK',
  7: 'REG_MULTI_SZ',
  8: 'REG_RESOURCE_LIST',
  11: 'REG_QWORD',
};

/** Read a quoted .reg string starting at `s[i] === '"'`; returns the text and the index after
 *  the closing quote. Backslash escapes only `\\` and `\"` in regedit's output. */
function readQuoted(s: string, i: number): { text: string; end: number } | undefined {
  // Most names and strings have no escape: one slice instead of a string per character.
  const close = s.indexOf('"', i + 1);
  if (close >= 0) {
    const bs = s.indexOf('\\', i + 1);
    if (bs < 0 || bs > close) return { text: s.slice(i + 1, close), end: close + 1 };
  }
  let out = '';
  let j = i + 1;
  while (j < s.length) {
    const c = s[j]!;
    if (c === '\\' && j + 1 < s.length) {
      const n = s[j + 1]!;
      // regedit escapes only these; anything else is kept literally (e.g. hand-written paths).
      if (n === '\\' || n === '"') out += n;
      else if (n === 'n') out += '\n';
      else if (n === 'r') out += '\r';
      else if (n === '0') out += '\0';
      else out += c + n;
      j += 2;
      continue;
    }
    if (c === '"') return { text: out, end: j + 1 };
    out += c;
    j++;
  }
  return undefined;
}

function utf16le(bytes: number[]): string {
  return new TextDecoder('utf-16le').decode(Uint8Array.from(bytes));
}
function ansi(bytes: number[]): string {
  return new TextDecoder('latin1').decode(Uint8Array.from(bytes));
}

/** Decode `hex(N):` bytes into typed data. REGEDIT4 stores strings as ANSI bytes, version 5 as UTF-16LE. */
export function decodeRegBytes(typeNum: number, bytes: number[], wide: boolean): RegistryData {
  const type = HEX_TYPES[typeNum];
  const str = (b: number[]): string => (wide ? utf16le(b) : ansi(b));
  switch (type) {
    case 'REG_SZ':
    case 'REG_EXPAND_SZ':
    case 'REG_LINK':
      return { type, value: str(bytes).replace(/\0+$/, '') };
    case 'REG_MULTI_SZ': {
      const t = str(bytes).replace(/\0+$/, '');
      return { type, value: t.length === 0 ? [] : t.split('\0') };
    }
    case 'REG_DWORD':
      return { type, value: bytes.length >= 4 ? (bytes[0]! | (bytes[1]! << 8) | (bytes[2]! << 16) | (bytes[3]! << 24)) >>> 0 : 0 };
    case 'REG_DWORD_BIG_ENDIAN':
      return { type, value: bytes.length >= 4 ? ((bytes[0]! << 24) | (bytes[1]! << 16) | (bytes[2]! << 8) | bytes[3]!) >>> 0 : 0 };
    case 'REG_QWORD': {
      let v = 0n;
      for (let i = Math.min(bytes.length, 8) - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[i]!);
      return { type, value: v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString() };
    }
    case 'REG_BINARY':
    case 'REG_NONE':
    case 'REG_RESOURCE_LIST':
      return { type, value: bytes };
    default:
      return { type: 'REG_UNKNOWN', value: bytes, rawType: typeNum };
  }
}

/** Parse a `.reg` file. Values land in the `local` layer: an export shows what the registry holds. */
export function parseRegFile(artifact: string, input: Uint8Array | string): ParseResult<RegistryState> {
  const reg = emptyRegistry();
  const problems: ParseProblem[] = [];
  const { lines, encoding } = decodeText(input);
  const layer: RegistryLayer = 'local';
  let first = 0;
  while (first < lines.length && lines[first]!.trim() === '') first++;
  const header = (lines[first] ?? '').trim();
  let wide = true;
  if (header === REG_HEADER_V5) wide = true;
  else if (header === REG_HEADER_V4) wide = false;
  else {
    problems.push({ artifact, line: first + 1, severity: 'error', reason: `not a .reg file: the first line is not "${REG_HEADER_V5}" or "${REG_HEADER_V4}"` });
    return { slice: reg, problems };
  }
  // The keys in the order Object.values(reg.keys) lists them, without asking the record (a
  // record with many keys is a hash table, and listing it costs ~100 ns a key).
  const order: KeyOrder = { keys: [], indexLike: false };
  let currentKey: string | undefined;
  // The entry of the current [key]: its values go straight in (one key lookup per section).
  let currentEntry: RegistryKeyEntry | undefined;
  let currentKeyLine = 0;
  for (let i = first + 1; i < lines.length; i++) {
    const startLine = i + 1;
    let line = lines[i]!;
    // A trailing backslash continues hex data on the next line (regedit wraps at 80 columns).
    while (endsWithBackslash(line) && /=\s*hex/i.test(line) && i + 1 < lines.length) {
      line = line.replace(/\\\s*$/, '') + lines[++i]!.trim();
    }
    const t = line.trim();
    if (t === '' || t.startsWith(';')) continue;
    if (t.startsWith('[')) {
      const close = t.lastIndexOf(']');
      if (close < 0) {
        problems.push({ artifact, line: startLine, severity: 'error', reason: 'key header without closing "]"' });
        currentKey = undefined;
        continue;
      }
      const inner = t.slice(1, close);
      if (inner.startsWith('-')) {
        const path = inner.slice(1);
        const k = keyEntry(reg, path, { artifact, line: startLine }, order);
        k.deleted = { artifact, line: startLine };
        currentKey = undefined;
        continue;
      }
      if (!/^(HKEY_[A-Z_]+|HK[LMCRU]{2,3})(\\|$)/i.test(inner)) {
        problems.push({ artifact, line: startLine, severity: 'warning', reason: `key "${inner}" does not start with a known hive` });
      }
      currentKey = inner;
      currentKeyLine = startLine;
      currentEntry = keyEntry(reg, inner, { artifact, line: startLine }, order);
      continue;
    }
    if (!currentKey || !currentEntry) {
      problems.push({ artifact, line: startLine, severity: 'error', reason: 'value outside any [key] section' });
      continue;
    }
    // Value name: "quoted" or @ (the default value).
    let name: string;
    let rest: string;
    if (t.startsWith('@')) {
      name = '';
      rest = t.slice(1).trimStart();
    } else if (t.startsWith('"')) {
      const q = readQuoted(t, 0);
      if (!q) {
        problems.push({ artifact, line: startLine, severity: 'error', reason: 'unterminated value name' });
        continue;
      }
      name = q.text;
      rest = t.slice(q.end).trimStart();
    } else {
      problems.push({ artifact, line: startLine, severity: 'error', reason: `cannot read line: ${t.slice(0, 60)}` });
      continue;
    }
    if (!rest.startsWith('=')) {
      problems.push({ artifact, line: startLine, severity: 'error', reason: `missing "=" after value name "${name}"` });
      continue;
    }
    const data = rest.slice(1).trim();
    const source: Provenance = { artifact, line: startLine };
    const decoded = decodeRegData(data, wide);
    if ('error' in decoded) {
      problems.push({ artifact, line: startLine, severity: 'error', reason: `value "${name}": ${decoded.error}` });
      continue;
    }
    // What addValue would do: the key already lists this artifact among its sources.
    pushValue(currentEntry, { name, data: decoded.data, layer, source });
  }
  void currentKeyLine;
  // regedit's own export (UTF-16LE with BOM) of a key writes that key first and then every
  // subkey, even empty ones. When a file has that shape, the first key's subtree is complete, so
  // a value missing below it is absent on the host rather than uncollected. Hand-written .reg
  // snippets (ANSI, unrelated keys) do not get this.
  if (encoding === 'utf-16le-bom') {
    let root: string | undefined;
    let rootId = '';
    let inside = true;
    for (const k of order.indexLike ? Object.values(reg.keys) : order.keys) {
      if (k.deleted) continue;
      const id = keyId(k.path);
      if (root === undefined) {
        root = k.path;
        rootId = id;
      } else if (!(id === rootId || (id.length > rootId.length && id.charCodeAt(rootId.length) === 0x5c && id.startsWith(rootId)))) {
        inside = false;
        break;
      }
    }
    if (root && inside) {
      const src = reg.keys[rootId]!.sources[0]!;
      reg.exportedRoots.push({ value: root, source: src });
    }
  }
  return { slice: reg, problems };
}

/** What `/\\\s*$/` tests (a backslash, then only white space), answered from the last character
 *  for the usual line: the regex scans every backslash of a key path. */
function endsWithBackslash(line: string): boolean {
  const c = line.charCodeAt(line.length - 1);
  if (c === 92) return true;
  if (c > 32 && c < 127) return false;
  return /\\\s*$/.test(line);
}

function stripComment(s: string): string {
  const i = s.indexOf(';');
  return (i >= 0 ? s.slice(0, i) : s).trim();
}

function decodeRegData(data: string, wide: boolean): { data: RegistryData | { type: 'deleted' } } | { error: string } {
  if (data === '-') return { data: { type: 'deleted' } };
  if (data.startsWith('"')) {
    const q = readQuoted(data, 0);
    if (!q) return { error: 'unterminated string' };
    return { data: { type: 'REG_SZ', value: q.text } };
  }
  if (startsWithCi(data, 'dword:')) {
    const hex = stripComment(data.slice(6));
    if (!/^[0-9a-f]{1,8}$/i.test(hex)) return { error: `bad dword "${hex}"` };
    return { data: { type: 'REG_DWORD', value: parseInt(hex, 16) >>> 0 } };
  }
  const m = /^hex(?:\(([0-9a-f]+)\))?:(.*)$/i.exec(data);
  if (m) {
    const typeNum = m[1] === undefined ? 3 : parseInt(m[1], 16);
    const body = stripComment(m[2]!).replace(/\s+/g, '');
    const bytes: number[] = [];
    if (body.length > 0) {
      for (const part of body.split(',')) {
        if (part === '') continue;
        if (!/^[0-9a-f]{1,2}$/i.test(part)) return { error: `bad hex byte "${part}"` };
        bytes.push(parseInt(part, 16));
      }
    }
    return { data: decodeRegBytes(typeNum, bytes, wide) };
  }
  return { error: `unknown data format "${data.slice(0, 40)}"` };
}

// ---------------------------------------------------------------------------------------------
// Registry.pol (PReg)

const PREG_TYPES: Record<number, number> = { 0: 0, 1: 1, 2: 2, 3: 3, 4: 4, 5: 5, 6: 6, 7: 7, 8: 8, 11: 11 };

/**
 * Parse a Group Policy Registry.pol: the `PReg` signature, version 1, then entries
 * `[key;value;type;size;data]` where brackets and semicolons are UTF-16LE characters, key and value
 * are NUL-terminated UTF-16LE strings and type/size are little-endian 32-bit numbers. Special value
 * names: `**del.X` deletes X, `**delvals.` deletes every value of the key, `**DeleteValues` deletes
 * the listed values, `**DeleteKeys` the listed keys; `**soft.X` sets X only if it is absent.
 * Machine policy files write under HKLM (a `User` folder in the artifact path means HKCU).
 */
export function parseRegistryPol(artifact: string, bytes: Uint8Array): ParseResult<RegistryState> {
  const reg = emptyRegistry();
  const problems: ParseProblem[] = [];
  const layer: RegistryLayer = 'policy';
  if (bytes.length < 8 || bytes[0] !== 0x50 || bytes[1] !== 0x52 || bytes[2] !== 0x65 || bytes[3] !== 0x67) {
    problems.push({ artifact, severity: 'error', reason: 'not a Registry.pol file: the "PReg" signature is missing' });
    return { slice: reg, problems };
  }
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = dv.getUint32(4, true);
  if (version !== 1) problems.push({ artifact, severity: 'warning', reason: `PReg version ${version}; only version 1 is documented` });
  const hive = /(^|[\\/])user([\\/]|$)/i.test(artifact) ? 'HKCU' : 'HKLM';
  let off = 8;
  let index = 0;
  const u16 = (o: number): number => (o + 1 < bytes.length ? dv.getUint16(o, true) : -1);
  const readString = (o: number): { text: string; end: number } | undefined => {
    let e = o;
    while (e + 1 < bytes.length && u16(e) !== 0) e += 2;
    if (e + 1 >= bytes.length) return undefined;
    return { text: new TextDecoder('utf-16le').decode(bytes.subarray(o, e)), end: e + 2 };
  };
  while (off < bytes.length) {
    index++;
    const where = (): Provenance => ({ artifact, xpath: `entry[${index}] at byte 0x${start.toString(16)}` });
    const start = off;
    if (off + 2 > bytes.length || u16(off) !== 0x5b) {
      problems.push({ artifact, xpath: `byte 0x${off.toString(16)}`, severity: 'error', reason: `expected "[" to open entry ${index}; the rest of the file was not read` });
      break;
    }
    off += 2;
    const key = readString(off);
    if (!key || u16(key.end) !== 0x3b) {
      problems.push({ ...where(), severity: 'error', reason: 'truncated or malformed key name' });
      break;
    }
    const value = readString(key.end + 2);
    if (!value || u16(value.end) !== 0x3b) {
      problems.push({ ...where(), severity: 'error', reason: 'truncated or malformed value name' });
      break;
    }
    let p = value.end + 2;
    if (p + 10 > bytes.length) {
      problems.push({ ...where(), severity: 'error', reason: 'entry truncated before its type and size' });
      break;
    }
    const type = dv.getUint32(p, true);
    p += 4;
    if (u16(p) !== 0x3b) {
      problems.push({ ...where(), severity: 'error', reason: 'missing ";" after the type' });
      break;
    }
    p += 2;
    const size = dv.getUint32(p, true);
    p += 4;
    if (u16(p) !== 0x3b) {
      problems.push({ ...where(), severity: 'error', reason: 'missing ";" after the size' });
      break;
    }
    p += 2;
    if (p + size + 2 > bytes.length) {
      problems.push({ ...where(), severity: 'error', reason: `data of ${size} bytes runs past the end of the file` });
      break;
    }
    const data = Array.from(bytes.subarray(p, p + size));
    p += size;
    if (u16(p) !== 0x5d) {
      problems.push({ ...where(), severity: 'error', reason: 'missing "]" closing the entry' });
      break;
    }
    off = p + 2;
    const path = `${hive}\\${key.text}`;
    const source = where();
    const vname = value.text;
    const lower = vname.toLowerCase();
    if (lower.startsWith('**del.')) {
      addValue(reg, path, { name: vname.slice(6), data: { type: 'deleted' }, layer, source });
    } else if (lower.startsWith('**delvals')) {
      keyEntry(reg, path, source).deleteAllValues = source;
    } else if (lower === '**deletevalues') {
      const names = decodeRegBytes(1, data, true);
      for (const n of String(names.value).split(';').filter((x) => x.length > 0)) addValue(reg, path, { name: n, data: { type: 'deleted' }, layer, source });
    } else if (lower === '**deletekeys') {
      const names = decodeRegBytes(1, data, true);
      for (const n of String(names.value).split(';').filter((x) => x.length > 0)) keyEntry(reg, `${path}\\${n}`, source).deleted = source;
    } else if (lower.startsWith('**securekey') || vname === '' && size === 0 && type === 0) {
      // A bare key (no value): the policy creates the key. Record that the key exists.
      keyEntry(reg, path, source);
    } else {
      const name = lower.startsWith('**soft.') ? vname.slice(7) : vname;
      if (PREG_TYPES[type] === undefined) problems.push({ ...source, severity: 'warning', reason: `value "${name}" has unknown registry type ${type}` });
      addValue(reg, path, { name, data: decodeRegBytes(type, data, true), layer, source });
    }
  }
  return { slice: reg, problems };
}
