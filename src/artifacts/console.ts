// Console outputs of Windows' own commands: netstat, systeminfo, wmic qfe / Get-HotFix, net user,
// net localgroup. Windows localises labels, so where the layout allows we read by position and
// shape (columns, `[01]:` entries, GUIDs) and use English words only as a fallback.
import type {
  AccountsState,
  DomainRole,
  Hotfix,
  HotfixState,
  Listener,
  ListenerState,
  LocalGroup,
  ParseProblem,
  ParseResult,
  Provenance,
  Sourced,
  SystemInfo,
  UserAccount,
} from '../host/state.js';
import { decodeString, decodeText, startsWithCi, TextLines } from './text.js';
import { ownValue, setOwn } from '../core/records.js';

// ---------------------------------------------------------------------------------------------
// Dates

/**
 * Read the date formats Windows prints: ISO `2019-03-17`, US `3/17/2019` (month first; day first
 * when the first number exceeds 12, or when the caller knows the locale writes the day first),
 * European `17.04.2020` (day first), wmic `20190317`,
 * .NET JSON `/Date(1552780800000)/`, and a wmic FILETIME in hex (`01d0a5bd9c3a8b00`).
 * Returns `YYYY-MM-DD` or null.
 */
function iso(y: number, m: number, d: number): string | null {
  return y >= 1980 && y <= 2200 && m >= 1 && m <= 12 && d >= 1 && d <= 31 ? String(y) + MONTH_DAY[m * 32 + d]! : null;
}

/** `-MM-DD` for every month and day number: a date is then one concatenation instead of five
 *  short intermediate strings (wmic lists hundreds of dates). Index `m * 32 + d`. */
const MONTH_DAY: string[] = [];
for (let m = 1; m <= 12; m++) for (let d = 1; d <= 31; d++) MONTH_DAY[m * 32 + d] = `-${m < 10 ? '0' : ''}${m}-${d < 10 ? '0' : ''}${d}`;

/** End of the run of ASCII digits starting at `i`. */
function digitsEnd(s: string, i: number): number {
  while (i < s.length) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) break;
    i++;
  }
  return i;
}

/** The number written by the ASCII digits s[from, to). */
function digitValue(s: string, from: number, to: number): number {
  let v = 0;
  for (let i = from; i < to; i++) v = v * 10 + s.charCodeAt(i) - 48;
  return v;
}

export function parseWindowsDate(raw: string, slashDayFirst = false): string | null {
  const s = raw.trim();
  if (s.includes('/Date(')) {
    const m = /\/Date\((-?\d+)(?:[+-]\d{4})?\)\//.exec(s);
    if (m) return new Date(Number(m[1])).toISOString().slice(0, 10);
  }
  // The numeric forms are read by hand, without a regex match per form: wmic and systeminfo
  // dates are read by the hundred per bundle. Each form is told by the separator after the
  // leading digits: `yyyy-m-d`, `d.m.yyyy`, `m/d/yyyy` (a prefix is enough), or `yyyymmdd` alone.
  const a = digitsEnd(s, 0);
  const sep = s.charCodeAt(a);
  if (a > 0 && (sep === 45 || sep === 46 || sep === 47)) {
    const b0 = a + 1;
    const b = digitsEnd(s, b0);
    if (b - b0 >= 1 && b - b0 <= 2 && s.charCodeAt(b) === sep) {
      const c0 = b + 1;
      const c = digitsEnd(s, c0);
      const first = digitValue(s, 0, a);
      const second = digitValue(s, b0, b);
      if (sep === 45) {
        // yyyy-m-d…: the day is its first one or two digits.
        if (a === 4 && c > c0) return iso(first, second, digitValue(s, c0, Math.min(c, c0 + 2)));
      } else if (a <= 2 && c - c0 >= 4) {
        const year = digitValue(s, c0, c0 + 4);
        if (sep === 46) return iso(year, second, first);
        return first > 12 || (slashDayFirst && second <= 12) ? iso(year, second, first) : iso(year, first, second);
      }
    }
  }
  if (a === 8 && s.length === 8) return iso(digitValue(s, 0, 4), digitValue(s, 4, 6), digitValue(s, 6, 8));
  if ((s.length === 15 || s.length === 16) && /^[0-9a-f]{15,16}$/i.test(s)) {
    // FILETIME: 100 ns ticks since 1601-01-01.
    const ticks = BigInt('0x' + s);
    const ms = Number(ticks / 10000n) - 11644473600000;
    const d = new Date(ms);
    return Number.isNaN(d.getTime()) ? null : iso(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// netstat -ano / -anob

function splitEndpoint(ep: string): { address: string; port: number } | undefined {
  // 0.0.0.0:135, [::]:135, [fe80::1%4]:139, *:*  — what /^\[([^\]]+)\]:(\d+|\*)$/, else
  // /^([^:]+):(\d+|\*)$/ would accept, read without a regex (netstat has a row per socket).
  if (ep.charCodeAt(0) === 91) {
    const close = ep.indexOf(']');
    if (close >= 2 && ep.charCodeAt(close + 1) === 58 && isPort(ep, close + 2)) return { address: ep.slice(1, close), port: portAt(ep, close + 2) };
  }
  const colon = ep.indexOf(':');
  if (colon >= 1 && isPort(ep, colon + 1)) return { address: ep.slice(0, colon), port: portAt(ep, colon + 1) };
  return undefined;
}

/** `ep` from `from` to its end is one or more digits, or a single `*`. */
function isPort(ep: string, from: number): boolean {
  if (from >= ep.length) return false;
  if (ep.charCodeAt(from) === 42) return from + 1 === ep.length;
  return digitsEnd(ep, from) === ep.length;
}

function portAt(ep: string, from: number): number {
  return ep.charCodeAt(from) === 42 ? 0 : Number(ep.slice(from));
}

/** The first five white-space separated fields of a line (what `line.trim().split(/\s+/)`
 *  starts with), in one match instead of a split array per line. */
const FIELDS5 = /^\s*(\S+)(?:\s+(\S+))?(?:\s+(\S+))?(?:\s+(\S+))?(?:\s+(\S+))?/;

/** `s` is the ASCII word `lower` in any letter case. */
function isWordCi(s: string, lower: string): boolean {
  return s.length === lower.length && startsWithCi(s, lower);
}

function isLoopback(a: string): boolean {
  return a.startsWith('127.') || a === '::1';
}

/** `netstat -ano` rows (Proto, Local, Foreign, State, PID) and, with `-b`, the owner lines that
 *  follow each row: service tags (`  RpcSs`), the image (` [svchost.exe]`) or a localised
 *  "cannot obtain ownership" sentence. The column header is localised; rows are not. */
export function parseNetstat(artifact: string, input: Uint8Array | string): ParseResult<ListenerState> {
  const { lines } = decodeText(input);
  const problems: ParseProblem[] = [];
  const out: ListenerState = { listeners: [], connections: 0, withOwners: false };
  let last: Listener | undefined;
  let lastWasRow = false;
  let rows = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const f = FIELDS5.exec(line);
    if (!f) continue; // blank
    // f[1..5]: the fields; only "at least 3" and "at least 4" are asked of their count.
    const count = f[4] !== undefined ? 4 : f[3] !== undefined ? 3 : 2;
    const f0 = f[1]!;
    // TCP or UDP in any case, compared in place (no other letter upper-cases to one of these).
    const proto = f0.length !== 3 ? '' : isWordCi(f0, 'tcp') ? 'TCP' : isWordCi(f0, 'udp') ? 'UDP' : '';
    if (proto !== '' && count >= 3) {
      rows++;
      const local = splitEndpoint(f[2]!);
      const isTcp = proto === 'TCP';
      // TCP: proto local foreign state pid; UDP: proto local *:* pid (no state).
      const state = isTcp ? f[4] ?? '' : '';
      const pidText = isTcp ? f[5] : f[4];
      if (!local || (isTcp && count < 4)) {
        problems.push({ artifact, line: i + 1, severity: 'error', reason: `cannot read socket row: ${line.trim().slice(0, 80)}` });
        last = undefined;
        lastWasRow = false;
        continue;
      }
      // A listening TCP socket has a zero foreign endpoint; the state word itself is localised.
      const foreign = f[3]!;
      const listening = isTcp ? foreign === '0.0.0.0:0' || foreign === '[::]:0' || foreign === '*:0' || state.toUpperCase() === 'LISTENING' : true;
      lastWasRow = true;
      if (!listening) {
        out.connections++;
        last = undefined;
        continue;
      }
      const l: Listener = {
        protocol: isTcp ? 'tcp' : 'udp',
        address: local.address,
        port: local.port,
        allInterfaces: local.address === '0.0.0.0' || local.address === '::' || local.address === '*',
        loopback: isLoopback(local.address),
        source: { artifact, line: i + 1 },
      };
      if (pidText && digitsEnd(pidText, 0) === pidText.length) l.pid = pidText.length <= 15 ? digitValue(pidText, 0, pidText.length) : Number(pidText);
      out.listeners.push(l);
      last = l;
      continue;
    }
    if (!lastWasRow && !last) continue; // headers ("Active Connections", column titles)
    // Owner lines after a row (-b).
    const t = line.trim();
    const img = /^\[(.+)\]$/.exec(t);
    if (img) {
      out.withOwners = true;
      if (last) last.process = img[1]!;
      continue;
    }
    if (/^\S+$/.test(t) && line.startsWith('  ') && last !== undefined) {
      out.withOwners = true;
      (last.services ??= []).push(t);
      continue;
    }
    if (line.startsWith(' ')) {
      out.withOwners = true; // "Can not obtain ownership information" (localised)
      continue;
    }
  }
  if (rows === 0) problems.push({ artifact, severity: 'error', reason: 'no TCP/UDP rows: not netstat -ano output' });
  return { slice: out, problems };
}

/** White space as `\s` in a regular expression (and `trim`) knows it. */
export function isJsSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13) || (c > 127 && (c === 160 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff));
}

// ---------------------------------------------------------------------------------------------
// systeminfo

interface SysField {
  index: number;
  label: string;
  value: string;
  line: number;
  sub: { text: string; line: number }[];
}

/** The positions of systeminfo's fields are the same in every language and from Server 2003 on
 *  (2003 says "System Up Time" where later versions say "System Boot Time"). */
const SYSINFO_POS = { hostName: 0, osName: 1, osVersion: 2, osConfiguration: 4, installDate: 9, bootTime: 10, systemLocale: 19, domain: 28, logonServer: 29, hotfixes: 30 } as const;

const ROLE_WORDS: [RegExp, DomainRole][] = [
  [/primary domain controller|основной контроллер домена|primärer domänencontroller|contrôleur de domaine principal/i, 'primary-dc'],
  [/backup domain controller|резервный контроллер домена|sicherungsdomänencontroller|contrôleur de domaine de secours/i, 'backup-dc'],
  [/member server|рядовой сервер|сервер-член|mitgliedsserver|serveur membre/i, 'member-server'],
  [/standalone server|изолированный сервер|автономный сервер|eigenständiger server|serveur autonome/i, 'standalone-server'],
  [/member workstation|рабочая станция.*член|mitgliedsarbeitsstation/i, 'member-workstation'],
  [/standalone workstation|изолированная рабочая станция|eigenständige arbeitsstation/i, 'standalone-workstation'],
];

/** One systeminfo hotfix entry in one match (a list has hundreds): what
 *  `/^\[(\d+)\]:\s*(.*)$/` and then `/^(KB\d+|Q\d+)\b\s*(?:-\s*(.*))?$/i` on its text read, as
 *  groups 1–2 (a KB or Q number, description) or group 3 (other text). After the number, white
 *  space excludes line terminators, which `.` in the text would not have crossed either. */
const HOTFIX_ENTRY = /^\[\d+\]:\s*(?:(KB\d+|Q\d+)\b[^\S\n\r\u2028\u2029]*(?:-[^\S\n\r\u2028\u2029]*(.*))?$|(.*)$)/i;

/** The usual hotfix entry, `[nn]: KBnnnnnnn` and nothing more, read without HOTFIX_ENTRY (a
 *  list has hundreds): the id in upper case, or undefined for any other text. */
function plainKbEntry(t: string): string | undefined {
  if (t.charCodeAt(0) !== 91) return undefined;
  let i = digitsEnd(t, 1);
  if (i === 1 || t.charCodeAt(i) !== 93 || t.charCodeAt(i + 1) !== 58) return undefined;
  i += 2;
  while (t.charCodeAt(i) === 32) i++;
  const k = t.charCodeAt(i);
  const b = t.charCodeAt(i + 1);
  if ((k !== 75 && k !== 107) || (b !== 66 && b !== 98)) return undefined;
  const end = digitsEnd(t, i + 2);
  if (end === i + 2 || end !== t.length) return undefined;
  const id = t.slice(i, end);
  return k === 75 && b === 66 ? id : id.toUpperCase();
}

export function parseSysteminfo(artifact: string, input: Uint8Array | string): ParseResult<{ system: SystemInfo; hotfixes: HotfixState }> {
  const { lines } = decodeText(input);
  const problems: ParseProblem[] = [];
  const system: SystemInfo = {};
  const hotfixes: HotfixState = { hotfixes: [] };
  // The value column is where the first field's value starts; labels are padded to it.
  let first = 0;
  while (first < lines.length && lines[first]!.trim() === '') first++;
  const m0 = /^(\S.*?:\s+)\S/.exec(lines[first] ?? '');
  if (!m0) {
    problems.push({ artifact, line: first + 1, severity: 'error', reason: 'not systeminfo output: the first line is not "Label:   value"' });
    return { slice: { system, hotfixes }, problems };
  }
  const col = m0[1]!.length;
  const fields: SysField[] = [];
  for (let i = first; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.length > 0 && !isJsSpace(line.charCodeAt(0))) {
      const label = line.slice(0, col).trim();
      const value = line.length > col ? line.slice(col).trim() : '';
      fields.push({ index: fields.length, label, value, line: i + 1, sub: [] });
      continue;
    }
    const text = line.trim();
    if (text !== '') fields[fields.length - 1]?.sub.push({ text, line: i + 1 });
  }
  const src = (f: SysField): Provenance => ({ artifact, line: f.line });
  const at = (pos: number, english: string): SysField | undefined => fields.find((f) => startsWithCi(f.label, english)) ?? fields[pos];
  const s = <T>(f: SysField | undefined, v: T): Sourced<T> | undefined => (f ? { value: v, source: src(f) } : undefined);

  const host = at(SYSINFO_POS.hostName, 'host name:');
  if (host) system.hostName = s(host, host.value)!;
  const osName = at(SYSINFO_POS.osName, 'os name:');
  if (osName) system.osName = s(osName, osName.value)!;
  const ver = at(SYSINFO_POS.osVersion, 'os version:');
  if (ver) {
    system.osVersion = s(ver, ver.value)!;
    const vm = /^(\d+\.\d+)\.(\d+)/.exec(ver.value);
    if (vm) {
      system.osKernel = s(ver, vm[1]!)!;
      system.osBuild = s(ver, Number(vm[2]))!;
    } else problems.push({ artifact, line: ver.line, severity: 'warning', reason: `cannot read a version number from "${ver.value}"` });
  }
  const conf = at(SYSINFO_POS.osConfiguration, 'os configuration:');
  if (conf) {
    const role = ROLE_WORDS.find(([re]) => re.test(conf.value))?.[1] ?? 'unknown';
    if (role === 'unknown') problems.push({ artifact, line: conf.line, severity: 'warning', reason: `unrecognised OS configuration "${conf.value}"` });
    system.domainRole = s(conf, role)!;
  }
  // Slash dates follow the system locale: month first only for en-us (and a few others).
  const locale = (at(SYSINFO_POS.systemLocale, 'system locale:')?.value ?? 'en-us').toLowerCase();
  const dayFirst = !/^(en-us|en-ph|fil|es-us|en-ca|fr-ca)\b/.test(locale);
  const inst = at(SYSINFO_POS.installDate, 'original install date:');
  if (inst) system.installDate = s(inst, { raw: inst.value, iso: parseWindowsDate(inst.value, dayFirst) })!;
  const boot = at(SYSINFO_POS.bootTime, 'system boot time:');
  if (boot && /\d{4}/.test(boot.value)) system.bootTime = s(boot, { raw: boot.value, iso: parseWindowsDate(boot.value, dayFirst) })!;
  const dom = at(SYSINFO_POS.domain, 'domain:');
  if (dom) system.domain = s(dom, dom.value)!;
  const logon = at(SYSINFO_POS.logonServer, 'logon server:');
  if (logon) system.logonServer = s(logon, logon.value)!;

  // The hotfix field is the one whose `[nn]:` entries name KB articles (or the placeholder
  // "File 1" Server 2003 prints); fall back to its position.
  const hf =
    fields.find((f) => startsWithCi(f.label, 'hotfix(s):')) ??
    fields.find((f) => f.sub.some((x) => /^\[\d+\]:\s*(KB\d{4,}|Q\d{5,})/i.test(x.text))) ??
    fields[SYSINFO_POS.hotfixes];
  if (hf) {
    const count = /(\d+)/.exec(hf.value);
    if (count) system.hotfixesReported = { value: Number(count[1]), source: src(hf) };
    for (const e of hf.sub) {
      // `[nn]: text`, where text is `KB… - description` or anything else (kept whole).
      const kb = plainKbEntry(e.text);
      if (kb !== undefined) {
        hotfixes.hotfixes.push({ id: kb, source: { artifact, line: e.line } });
        continue;
      }
      const em = HOTFIX_ENTRY.exec(e.text);
      if (!em) continue;
      const h: Hotfix = { id: em[1] !== undefined ? em[1].toUpperCase() : em[3]!, source: { artifact, line: e.line } };
      if (em[2]) h.description = em[2].trim();
      hotfixes.hotfixes.push(h);
    }
    const reported = system.hotfixesReported?.value;
    if (reported !== undefined && reported !== hotfixes.hotfixes.length) {
      problems.push({ artifact, line: hf.line, severity: 'warning', reason: `systeminfo reports ${reported} hotfixes but lists ${hotfixes.hotfixes.length} (its list is truncated)` });
    }
  }
  if (fields.length < 20) problems.push({ artifact, severity: 'warning', reason: `only ${fields.length} fields; systeminfo prints more than 30 (truncated output?)` });
  return { slice: { system, hotfixes }, problems };
}

// ---------------------------------------------------------------------------------------------
// wmic qfe (table or CSV) and Get-HotFix JSON

export function parseWmicQfe(artifact: string, input: Uint8Array | string): ParseResult<HotfixState> {
  const { lines } = decodeText(input);
  const problems: ParseProblem[] = [];
  const out: HotfixState = { hotfixes: [] };
  let h = 0;
  while (h < lines.length && lines[h]!.trim() === '') h++;
  const header = lines[h] ?? '';
  if (!/HotFixID/i.test(header)) {
    problems.push({ artifact, line: h + 1, severity: 'error', reason: 'no HotFixID column: not wmic qfe output' });
    return { slice: out, problems };
  }
  const csv = header.includes(',');
  // Only three columns are read; find each once (the last column of a repeated name wins, as a
  // name → value record of the row would have it) instead of building a record per row.
  const wanted = ['hotfixid', 'installedon', 'description'] as const;
  const at: Record<(typeof wanted)[number], number> = { hotfixid: -1, installedon: -1, description: -1 };
  let cols: { start: number; end: number }[] = [];
  if (csv) {
    const names = header.split(',').map((x) => x.trim().toLowerCase());
    for (const w of wanted) at[w] = names.lastIndexOf(w);
  } else {
    // Fixed-width: each column starts where its title starts.
    const re = /\S+/g;
    let m: RegExpExecArray | null;
    const starts: { name: string; start: number }[] = [];
    while ((m = re.exec(header))) starts.push({ name: m[0].toLowerCase(), start: m.index });
    cols = starts.map((c, i) => ({ start: c.start, end: starts[i + 1]?.start ?? Number.MAX_SAFE_INTEGER }));
    for (const w of wanted) at[w] = starts.map((c) => c.name).lastIndexOf(w);
  }
  // CSV: the commas that end the fields up to the last column read, found in one scan of the
  // row into a reused array, without splitting the whole row (a row has a dozen fields).
  const lastWanted = Math.max(at.hotfixid, at.installedon, at.description);
  const commas = new Int32Array(lastWanted + 1);
  let found = 0;
  const cell = (line: string, k: number): string => {
    if (k < 0) return '';
    if (!csv) return line.slice(cols[k]!.start, cols[k]!.end).trim();
    if (k > found) return '';
    const start = k === 0 ? 0 : commas[k - 1]! + 1;
    return (k < found ? line.slice(start, commas[k]!) : line.slice(start)).trim();
  };
  for (let i = h + 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '') continue;
    if (csv) {
      found = 0;
      for (let c = line.indexOf(','); c >= 0 && found <= lastWanted; c = line.indexOf(',', c + 1)) commas[found++] = c;
    }
    const id = cell(line, at.hotfixid);
    if (!id) {
      problems.push({ artifact, line: i + 1, severity: 'warning', reason: 'row without a HotFixID' });
      continue;
    }
    const raw = cell(line, at.installedon);
    const fix: Hotfix = { id: id.toUpperCase(), installedOn: raw ? parseWindowsDate(raw) : null, source: { artifact, line: i + 1 } };
    if (raw) fix.installedOnRaw = raw;
    const description = cell(line, at.description);
    if (description) fix.description = description;
    if (raw && fix.installedOn === null) problems.push({ artifact, line: i + 1, severity: 'warning', reason: `cannot read the date "${raw}"` });
    out.hotfixes.push(fix);
  }
  return { slice: out, problems };
}

/** JSON value to plain text for dates in PowerShell 5.1 ConvertTo-Json output: a DateTime is
 *  `"/Date(ms)/"`, and a ScriptProperty date (Get-HotFix InstalledOn) is `{ value, DateTime }`. */
export function jsonDateText(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (typeof o['value'] === 'string') return o['value'];
    if (typeof o['DateTime'] === 'string') return o['DateTime'];
  }
  return undefined;
}

/** A PowerShell JSON capture: its objects, and its text for placing them (`lines.find(needle,
 *  from)` gives the 1-based line where `needle` first occurs on line `from + 1` or later). */
export function parseJsonArtifact(artifact: string, input: Uint8Array | string, problems: ParseProblem[]): { items: Record<string, unknown>[]; lines: TextLines } | undefined {
  const { text } = decodeString(input);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    const msg = (e as Error).message;
    const pos = /position (\d+)/.exec(msg);
    const line = pos ? text.slice(0, Number(pos[1])).split('\n').length : undefined;
    problems.push({ artifact, ...(line !== undefined ? { line } : {}), severity: 'error', reason: `invalid JSON: ${msg}` });
    return undefined;
  }
  // ConvertTo-Json writes one object for a single result and an array for several.
  const items = Array.isArray(data) ? data : data && typeof data === 'object' ? [data] : [];
  return { items: items.filter((x): x is Record<string, unknown> => !!x && typeof x === 'object'), lines: new TextLines(text) };
}

export function parseHotfixJson(artifact: string, input: Uint8Array | string): ParseResult<HotfixState> {
  const problems: ParseProblem[] = [];
  const out: HotfixState = { hotfixes: [] };
  const parsed = parseJsonArtifact(artifact, input, problems);
  if (!parsed) return { slice: out, problems };
  let cursor = 0;
  for (const item of parsed.items) {
    const id = typeof item['HotFixID'] === 'string' ? item['HotFixID'] : undefined;
    if (!id) {
      problems.push({ artifact, severity: 'warning', reason: 'an object without HotFixID' });
      continue;
    }
    const line = parsed.lines.find(`"${id}"`, cursor) ?? 0;
    if (line) cursor = line;
    const raw = jsonDateText(item['InstalledOn']);
    const fix: Hotfix = { id: id.toUpperCase(), installedOn: raw ? parseWindowsDate(raw) : null, source: { artifact, ...(line ? { line } : {}) } };
    if (raw) fix.installedOnRaw = raw;
    if (typeof item['Description'] === 'string') fix.description = item['Description'];
    out.hotfixes.push(fix);
  }
  return { slice: out, problems };
}

// ---------------------------------------------------------------------------------------------
// net user / net localgroup

const DASHES = /^-{20,}\s*$/;

function isTrailer(t: string): boolean {
  // "The command completed successfully." and its translations: one sentence, ends with a period,
  // comes last. We only need to skip it, so any final sentence-like line after the list counts.
  return /\.\s*$/.test(t) && /\s/.test(t);
}

export function emptyAccounts(): AccountsState {
  return { users: {}, groups: {}, userListComplete: false };
}

/** `net user` (the list) and `net localgroup` (the list): names in 25-character columns after a
 *  dashed rule. `net localgroup` prefixes each group with `*`, one per line. */
export function parseNetList(artifact: string, input: Uint8Array | string, what: 'users' | 'groups'): ParseResult<AccountsState> {
  const { lines } = decodeText(input);
  const problems: ParseProblem[] = [];
  const acc = emptyAccounts();
  const dash = lines.findIndex((l) => DASHES.test(l));
  if (dash < 0) {
    problems.push({ artifact, severity: 'error', reason: 'no dashed rule: not net user / net localgroup output' });
    return { slice: acc, problems };
  }
  const head = lines.slice(0, dash).find((l) => /\\\\\S+/.test(l));
  const comp = head ? /\\\\(\S+)/.exec(head) : null;
  if (comp) acc.computer = { value: comp[1]!, source: { artifact, line: lines.indexOf(head!) + 1 } };
  let end = lines.length;
  while (end > dash + 1 && lines[end - 1]!.trim() === '') end--;
  if (end > dash + 1 && isTrailer(lines[end - 1]!.trim()) && !lines[end - 1]!.trim().startsWith('*')) end--;
  for (let i = dash + 1; i < end; i++) {
    const line = lines[i]!;
    if (line.trim() === '') continue;
    const source = { artifact, line: i + 1 };
    if (what === 'groups') {
      const name = line.trim().replace(/^\*/, '');
      setOwn(acc.groups, name.toLowerCase(), { name, source });
    } else {
      for (let c = 0; c < line.length; c += 25) {
        const name = line.slice(c, c + 25).trim();
        if (name) setOwn(acc.users, name.toLowerCase(), { name, source });
      }
    }
  }
  if (what === 'users') acc.userListComplete = true;
  return { slice: acc, problems };
}

/** English and Russian labels of `net user NAME`; other languages fall back to line order. */
const USER_LABELS: Record<string, RegExp> = {
  userName: /^(User name|Имя пользователя)$/i,
  fullName: /^(Full Name|Полное имя)$/i,
  comment: /^(Comment|Комментарий)$/i,
  active: /^(Account active|Учетная запись активна|Учетная запись действует)$/i,
  passwordLastSet: /^(Password last set|Последний пароль задан|Последняя смена пароля)$/i,
  passwordExpires: /^(Password expires|Действие пароля завершается|Срок действия пароля истекает)$/i,
  passwordRequired: /^(Password required|Требуется пароль)$/i,
  lastLogon: /^(Last logon|Последний вход)$/i,
  localGroups: /^(Local Group Memberships|Членство в локальных группах)$/i,
};
const YES = /^(yes|да|ja|oui|sí|si)$/i;

export function parseNetUser(artifact: string, input: Uint8Array | string): ParseResult<AccountsState> {
  const { lines } = decodeText(input);
  const problems: ParseProblem[] = [];
  const acc = emptyAccounts();
  // Label column: the first line is "User name<spaces>NAME"; labels are padded to one width.
  const m0 = /^(\S.*?\s{2,})(\S.*)$/.exec(lines[0] ?? '');
  if (!m0) {
    problems.push({ artifact, line: 1, severity: 'error', reason: 'not net user NAME output: the first line is not "User name   NAME"' });
    return { slice: acc, problems };
  }
  const col = m0[1]!.length;
  const fields: { label: string; value: string; line: number }[] = [];
  let prevLen = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '') {
      prevLen = 0;
      continue;
    }
    const label = line.slice(0, col).trim();
    const rest = line.length > col ? line.slice(col).trim() : '';
    // net wraps long values at 79 columns; the continuation starts in column 0 and has no label gap.
    if (prevLen >= 79 && fields.length > 0 && !/\s{2,}/.test(line.slice(0, col))) {
      fields[fields.length - 1]!.value += line.trim();
      prevLen = line.length;
      continue;
    }
    if (/^\s/.test(line) && fields.length > 0) {
      // Extra group names on the following line, indented to the value column.
      fields[fields.length - 1]!.value += ' ' + line.trim();
      prevLen = line.length;
      continue;
    }
    fields.push({ label, value: rest, line: i + 1 });
    prevLen = line.length;
  }
  const find = (k: keyof typeof USER_LABELS): { label: string; value: string; line: number } | undefined => fields.find((f) => USER_LABELS[k]!.test(f.label));
  const nameField = find('userName') ?? fields[0]!;
  const user: UserAccount = { name: nameField.value, source: { artifact, line: nameField.line } };
  const sv = <T>(f: { line: number }, v: T): Sourced<T> => ({ value: v, source: { artifact, line: f.line } });
  const fn = find('fullName');
  if (fn && fn.value) user.fullName = sv(fn, fn.value);
  const cm = find('comment');
  if (cm && cm.value) user.comment = sv(cm, cm.value);
  const ac = find('active');
  if (ac) user.active = sv(ac, YES.test(ac.value));
  else problems.push({ artifact, severity: 'warning', reason: 'no "Account active" line (unknown language?)' });
  const dateField = (k: keyof typeof USER_LABELS): Sourced<{ raw: string; iso: string | null }> | undefined => {
    const f = find(k);
    return f ? sv(f, { raw: f.value, iso: parseWindowsDate(f.value) }) : undefined;
  };
  const pls = dateField('passwordLastSet');
  if (pls) user.passwordLastSet = pls;
  const pe = dateField('passwordExpires');
  if (pe) user.passwordExpires = pe;
  const ll = dateField('lastLogon');
  if (ll) user.lastLogon = ll;
  const pr = find('passwordRequired');
  if (pr) user.passwordRequired = sv(pr, YES.test(pr.value));
  const lg = find('localGroups');
  if (lg) {
    const groups = lg.value.split('*').map((x) => x.trim()).filter((x) => x.length > 0 && !/^none$/i.test(x));
    user.localGroups = sv(lg, groups);
  }
  setOwn(acc.users, user.name.toLowerCase(), user);
  return { slice: acc, problems };
}

/** `net localgroup NAME`: "Alias name", "Comment", "Members", a dashed rule, one member per line. */
export function parseNetLocalgroup(artifact: string, input: Uint8Array | string): ParseResult<AccountsState> {
  const { lines } = decodeText(input);
  const problems: ParseProblem[] = [];
  const acc = emptyAccounts();
  const dash = lines.findIndex((l) => DASHES.test(l));
  const first = lines.findIndex((l) => l.trim() !== '');
  const m0 = /^(\S.*?\s{2,})(\S.*)$/.exec(lines[first] ?? '');
  if (dash < 0 || !m0) {
    problems.push({ artifact, severity: 'error', reason: 'not net localgroup NAME output (no "Alias name" line or no dashed rule)' });
    return { slice: acc, problems };
  }
  const name = m0[2]!.trim();
  const group: LocalGroup = { name, members: [], source: { artifact, line: first + 1 } };
  const commentLine = lines[first + 1];
  if (commentLine !== undefined && first + 1 < dash) {
    const c = commentLine.slice(m0[1]!.length).trim();
    if (c) group.comment = { value: c, source: { artifact, line: first + 2 } };
  }
  let end = lines.length;
  while (end > dash + 1 && lines[end - 1]!.trim() === '') end--;
  if (end > dash + 1 && isTrailer(lines[end - 1]!.trim())) end--;
  for (let i = dash + 1; i < end; i++) {
    const t = lines[i]!.trim();
    if (t) group.members!.push({ value: t, source: { artifact, line: i + 1 } });
  }
  setOwn(acc.groups, name.toLowerCase(), group);
  return { slice: acc, problems };
}

/** Combine account slices: users and groups by name; details win over list entries. */
export function mergeAccounts(into: AccountsState, from: AccountsState): void {
  if (from.computer && !into.computer) into.computer = from.computer;
  for (const [k, u] of Object.entries(from.users)) {
    const prev = ownValue(into.users, k);
    setOwn(into.users, k, prev ? { ...prev, ...u, source: Object.keys(u).length > Object.keys(prev).length ? u.source : prev.source } : u);
  }
  for (const [k, g] of Object.entries(from.groups)) {
    const prev = ownValue(into.groups, k);
    setOwn(into.groups, k, prev ? { ...prev, ...g, ...(g.members ?? prev.members ? { members: g.members ?? prev.members! } : {}) } : g);
  }
  into.userListComplete ||= from.userListComplete;
}
