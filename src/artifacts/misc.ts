// Smaller artifacts: services (sc queryex / Get-Service JSON), icacls, netsh advfirewall,
// adapters (wmic nicconfig / Get-NetAdapterBinding JSON), Get-MpComputerStatus, auditpol /r,
// IIS 6 MetaBase.xml and IIS W3C logs.
import type {
  AccessEntry,
  AclState,
  Adapter,
  AdapterState,
  AntivirusState,
  AuditPolicyState,
  FirewallProfile,
  FirewallProfileName,
  FirewallState,
  Iis6Metabase,
  IisLogState,
  ParseProblem,
  ParseResult,
  Provenance,
  ServiceEntry,
  ServiceRunState,
  ServiceStartType,
  ServiceState,
  Sourced,
} from '../host/state.js';
import { jsonDateText, parseJsonArtifact, parseWindowsDate } from './console.js';
import { parseXmlTree, xmlAttr } from './xml.js';
import { decodeString, decodeText } from './text.js';
import { ownValue, setOwn } from '../core/records.js';

// ---------------------------------------------------------------------------------------------
// Services

const RUN_STATES: Record<number, ServiceRunState> = { 1: 'stopped', 2: 'start-pending', 3: 'stop-pending', 4: 'running', 5: 'running', 6: 'running', 7: 'paused' };
const START_TYPES: Record<number, ServiceStartType> = { 0: 'boot', 1: 'system', 2: 'auto', 3: 'manual', 4: 'disabled' };

/** Starts with an ASCII digit (what `/^\d+/` tests). */
function leadingDigit(t: string): boolean {
  const c = t.charCodeAt(0);
  return c >= 48 && c <= 57;
}

/** A JSON number that PowerShell wrote for an enum: what String(v) then parseInt would read,
 *  without the string. */
function enumNumber(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? v : undefined;
}

function runStateFrom(v: string): ServiceRunState {
  const t = v.trim().toLowerCase();
  if (leadingDigit(t)) return RUN_STATES[parseInt(t, 10)] ?? 'unknown';
  if (t.startsWith('running')) return 'running';
  if (t.startsWith('stopped')) return 'stopped';
  if (t.startsWith('startpending') || t === 'start pending') return 'start-pending';
  if (t.startsWith('stoppending') || t === 'stop pending') return 'stop-pending';
  if (t.startsWith('paused')) return 'paused';
  return 'unknown';
}

function startTypeFrom(v: string, delayed?: boolean): ServiceStartType {
  const t = v.trim().toLowerCase();
  let out: ServiceStartType = 'unknown';
  if (leadingDigit(t)) out = START_TYPES[parseInt(t, 10)] ?? 'unknown';
  else if (t.startsWith('auto')) out = 'auto';
  else if (t.startsWith('manual') || t.startsWith('demand')) out = 'manual';
  else if (t.startsWith('disabled')) out = 'disabled';
  else if (t.startsWith('boot')) out = 'boot';
  else if (t.startsWith('system')) out = 'system';
  if (out === 'auto' && (delayed || /delayed/.test(t))) out = 'delayed-auto';
  return out;
}

/** `sc queryex type= service state= all` (and `sc qc`) blocks: SERVICE_NAME, DISPLAY_NAME,
 *  then indented `LABEL : value` lines. sc prints these labels in English on every system. */
export function parseScQuery(artifact: string, input: Uint8Array | string): ParseResult<ServiceState> {
  const { lines } = decodeText(input);
  const problems: ParseProblem[] = [];
  const out: ServiceState = { services: {} };
  let cur: ServiceEntry | undefined;
  for (let i = 0; i < lines.length; i++) {
    const t = lines[i]!.trim();
    const source: Provenance = { artifact, line: i + 1 };
    const m = /^([A-Z_0-9]+)\s*:\s*(.*)$/.exec(t);
    if (!m) continue;
    const [, key, value] = m as unknown as [string, string, string];
    if (key === 'SERVICE_NAME') {
      cur = { name: value.trim(), source };
      setOwn(out.services, cur.name.toLowerCase(), cur);
      continue;
    }
    if (!cur) continue;
    if (key === 'DISPLAY_NAME') cur.displayName = value.trim();
    else if (key === 'STATE') cur.state = { value: runStateFrom(value), source };
    else if (key === 'START_TYPE') cur.startType = { value: startTypeFrom(value, /DELAYED/.test(value)), source };
    else if (key === 'PID' && /^\d+$/.test(value.trim())) cur.pid = Number(value.trim());
  }
  if (Object.keys(out.services).length === 0) problems.push({ artifact, severity: 'error', reason: 'no SERVICE_NAME blocks: not sc queryex output' });
  return { slice: out, problems };
}

function str(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

/** `Get-Service | Select-Object Name,DisplayName,Status,StartType,DependentServices | ConvertTo-Json`
 *  or `Get-CimInstance Win32_Service | Select-Object Name,DisplayName,State,StartMode,ProcessId,DelayedAutoStart`.
 *  Windows PowerShell 5.1 writes enums as numbers (Status 4 = Running, StartType 2 = Automatic). */
export function parseServicesJson(artifact: string, input: Uint8Array | string): ParseResult<ServiceState> {
  const problems: ParseProblem[] = [];
  const out: ServiceState = { services: {} };
  const parsed = parseJsonArtifact(artifact, input, problems);
  if (!parsed) return { slice: out, problems };
  let cursor = 0;
  for (const item of parsed.items) {
    const name = str(item['Name']) ?? str(item['ServiceName']);
    if (!name) {
      problems.push({ artifact, severity: 'warning', reason: 'an object without Name' });
      continue;
    }
    const line = parsed.lines.findQuoted(name, cursor);
    if (line) cursor = line;
    const source: Provenance = line ? { artifact, line } : { artifact };
    const s: ServiceEntry = { name, source };
    const dn = str(item['DisplayName']);
    if (dn) s.displayName = dn;
    // Windows PowerShell writes the enums as numbers: those skip the text forms.
    const status = item['Status'] ?? item['State'];
    const stCode = enumNumber(status);
    const st = stCode === undefined ? str(item['Status']) ?? str(item['State']) : undefined;
    if (stCode !== undefined) s.state = { value: RUN_STATES[stCode] ?? 'unknown', source };
    else if (st !== undefined) s.state = { value: runStateFrom(st), source };
    const delayed = item['DelayedAutoStart'] === true;
    const smCode = enumNumber(item['StartType'] ?? item['StartMode']);
    const sm = smCode === undefined ? str(item['StartType']) ?? str(item['StartMode']) : undefined;
    if (smCode !== undefined) {
      const t = START_TYPES[smCode] ?? 'unknown';
      s.startType = { value: t === 'auto' && delayed ? 'delayed-auto' : t, source };
    } else if (sm !== undefined) s.startType = { value: startTypeFrom(sm, delayed), source };
    const pid = item['ProcessId'];
    if (typeof pid === 'number' && pid > 0) s.pid = pid;
    const deps = item['DependentServices'];
    if (Array.isArray(deps)) {
      const value: string[] = [];
      for (const d of deps) {
        const n = typeof d === 'string' ? d : str((d as Record<string, unknown>)?.['Name']) ?? '';
        if (n) value.push(n);
      }
      s.dependents = { value, source };
    }
    setOwn(out.services, name.toLowerCase(), s);
  }
  return { slice: out, problems };
}

// ---------------------------------------------------------------------------------------------
// icacls

const WRITE_RIGHTS = new Set(['F', 'M', 'W', 'WD', 'AD', 'WDAC', 'WO', 'GA', 'GW', 'DC', 'WA', 'WEA', 'MA']);
const ACE_RE = /^(.+?):((?:\([A-Z,]+\))+)$/;

function parseAce(text: string, source: Provenance): AccessEntry | undefined {
  const m = ACE_RE.exec(text.trim());
  if (!m) return undefined;
  const tokens = [...m[2]!.matchAll(/\(([A-Z,]+)\)/g)].map((x) => x[1]!);
  const flagSet = new Set(['I', 'OI', 'CI', 'IO', 'NP', 'DENY']);
  const flags = tokens.filter((t) => flagSet.has(t));
  const rights = tokens.filter((t) => !flagSet.has(t)).flatMap((t) => t.split(','));
  return {
    principal: m[1]!.trim(),
    flags,
    rights,
    inherited: flags.includes('I'),
    deny: flags.includes('DENY'),
    canWrite: rights.some((r) => WRITE_RIGHTS.has(r)),
    source,
  };
}

/** `icacls PATH`: the first line is the path followed by the first entry; further entries are
 *  indented to the column after the path (which tells where a path with spaces ends). */
export function parseIcacls(artifact: string, input: Uint8Array | string): ParseResult<AclState> {
  const { lines } = decodeText(input);
  const problems: ParseProblem[] = [];
  const out: AclState = { paths: {} };
  let current: { path: string; entries: AccessEntry[]; source: Provenance } | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '') {
      current = undefined;
      continue;
    }
    const source = { artifact, line: i + 1 };
    if (/^\S/.test(line)) {
      // Summary line ("Successfully processed 1 files; …", localised) has no ACE syntax.
      if (!/:\((?:[A-Z,]+)\)/.test(line)) {
        current = undefined;
        continue;
      }
      const next = lines[i + 1];
      const indent = next && /^\s+\S/.test(next) ? next.length - next.trimStart().length : -1;
      let path: string;
      let aceText: string;
      if (indent > 0 && line[indent - 1] === ' ') {
        path = line.slice(0, indent - 1);
        aceText = line.slice(indent);
      } else {
        // A single entry: the path ends at the last space before a principal-looking word.
        const m = /^(.*?[^\s])\s+((?:BUILTIN|NT AUTHORITY|NT SERVICE|CREATOR|APPLICATION PACKAGE AUTHORITY|Everyone|S-1-|[^\s\\]+\\)[^:]*:(?:\([A-Z,]+\))+)$/.exec(line);
        if (!m) {
          problems.push({ artifact, line: i + 1, severity: 'error', reason: 'cannot split path and access entry' });
          continue;
        }
        path = m[1]!;
        aceText = m[2]!;
      }
      current = { path, entries: [], source };
      setOwn(out.paths, path.toLowerCase(), current);
      const ace = parseAce(aceText, source);
      if (ace) current.entries.push(ace);
      else problems.push({ artifact, line: i + 1, severity: 'error', reason: `cannot read access entry "${aceText}"` });
      continue;
    }
    if (!current) continue;
    const ace = parseAce(line, source);
    if (ace) current.entries.push(ace);
    else problems.push({ artifact, line: i + 1, severity: 'warning', reason: `cannot read access entry "${line.trim()}"` });
  }
  if (Object.keys(out.paths).length === 0) problems.push({ artifact, severity: 'error', reason: 'no "PATH principal:(rights)" lines: not icacls output' });
  return { slice: out, problems };
}

// ---------------------------------------------------------------------------------------------
// netsh advfirewall show allprofiles

const PROFILE_ORDER: FirewallProfileName[] = ['domain', 'private', 'public'];
const ON = /^(on|вкл|вкл\.|включить|ein|activé|actif|activado)$/i;
const OFF = /^(off|выкл|выкл\.|отключить|aus|désactivé|inactif|desactivado)$/i;

/** Three profile blocks, each a header line, a dashed rule, then `Name   Value` lines. The
 *  blocks always come in the order Domain, Private, Public; within a block the first line is
 *  State and the second Firewall Policy, so localised labels do not matter. */
export function parseNetshFirewall(artifact: string, input: Uint8Array | string): ParseResult<FirewallState> {
  const { lines } = decodeText(input);
  const problems: ParseProblem[] = [];
  const out: FirewallState = { profiles: {} };
  let idx = -1;
  let cur: FirewallProfile | undefined;
  let position = 0;
  for (let i = 0; i < lines.length; i++) {
    const t = lines[i]!.trim();
    if (/^-{10,}$/.test(t)) {
      idx++;
      const name = PROFILE_ORDER[idx];
      if (!name) break;
      const header = lines[i - 1]?.trim() ?? '';
      const byWord = /domain|домен/i.test(header) ? 'domain' : /private|частн/i.test(header) ? 'private' : /public|общ/i.test(header) ? 'public' : name;
      cur = { settings: {}, source: { artifact, line: i } };
      out.profiles[byWord] = cur;
      position = 0;
      continue;
    }
    if (!cur || t === '') continue;
    const m = /^(\S.*?)\s{2,}(\S.*)$/.exec(t);
    if (!m) continue;
    const [, name, value] = m as unknown as [string, string, string];
    const source = { artifact, line: i + 1 };
    setOwn(cur.settings, name.toLowerCase(), { name, value, source });
    if (position === 0) {
      const on = ON.test(value) ? true : OFF.test(value) ? false : undefined;
      if (on === undefined) problems.push({ artifact, line: i + 1, severity: 'warning', reason: `unrecognised firewall state "${value}"` });
      else cur.enabled = { value: on, source };
    } else if (position === 1) {
      const [inbound, outbound] = value.split(',').map((x) => x.trim().toLowerCase());
      const inb = inbound === 'blockinboundalways' ? 'blockinboundalways' : inbound === 'blockinbound' ? 'block' : inbound === 'allowinbound' ? 'allow' : inbound === 'notconfigured' ? 'notconfigured' : undefined;
      if (inb) cur.inbound = { value: inb, source };
      const outb = outbound === 'allowoutbound' ? 'allow' : outbound === 'blockoutbound' ? 'block' : outbound === 'notconfigured' ? 'notconfigured' : undefined;
      if (outb) cur.outbound = { value: outb, source };
    }
    position++;
  }
  if (idx < 0) problems.push({ artifact, severity: 'error', reason: 'no profile blocks: not netsh advfirewall show allprofiles output' });
  return { slice: out, problems };
}

// ---------------------------------------------------------------------------------------------
// Network adapters

function ipList(v: unknown): string[] {
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  if (typeof v === 'string') return v.replace(/^\{|\}$/g, '').split(/[;,]/).map((x) => x.replace(/"/g, '').trim()).filter((x) => x.length > 0);
  return [];
}

function adapterFromRow(row: Record<string, string | unknown>, source: Provenance): Adapter | undefined {
  const get = (k: string): unknown => Object.entries(row).find(([n]) => n.toLowerCase() === k)?.[1];
  const name = str(get('description')) ?? str(get('interfacedescription')) ?? str(get('name')) ?? str(get('interfacealias'));
  if (!name) return undefined;
  const a: Adapter = { name, source };
  const idx = str(get('index')) ?? str(get('interfaceindex')) ?? str(get('ifindex'));
  if (idx && /^\d+$/.test(idx)) a.index = Number(idx);
  const sid = str(get('settingid'));
  if (sid) a.settingId = sid;
  const ips = get('ipaddress');
  if (ips !== undefined && ips !== '') a.ipAddresses = { value: ipList(ips), source };
  const en = str(get('ipenabled'));
  if (en) a.ipEnabled = { value: /^true$/i.test(en), source };
  const nb = str(get('tcpipnetbiosoptions'));
  if (nb && /^\d+$/.test(nb)) a.netbiosOptions = { value: Number(nb), source };
  const comp = str(get('componentid'));
  const enabled = get('enabled');
  if (comp && enabled !== undefined) a.bindings = { [comp.toLowerCase()]: { value: enabled === true || /^true$/i.test(String(enabled)), source } };
  return a;
}

function mergeAdapter(out: AdapterState, a: Adapter): void {
  const k = a.name.toLowerCase();
  const prev = ownValue(out.adapters, k);
  if (!prev) {
    setOwn(out.adapters, k, a);
    return;
  }
  setOwn(out.adapters, k, { ...prev, ...a, bindings: { ...(prev.bindings ?? {}), ...(a.bindings ?? {}) } });
}

/** `wmic nicconfig get Description,Index,IPAddress,IPEnabled,SettingID,TcpipNetbiosOptions`
 *  as a table or with `/format:csv`. */
export function parseNicconfig(artifact: string, input: Uint8Array | string): ParseResult<AdapterState> {
  const { lines } = decodeText(input);
  const problems: ParseProblem[] = [];
  const out: AdapterState = { adapters: {} };
  const h = lines.findIndex((l) => /description/i.test(l) && /(tcpipnetbiosoptions|ipaddress)/i.test(l));
  if (h < 0) {
    problems.push({ artifact, severity: 'error', reason: 'no Description/IPAddress header: not wmic nicconfig output' });
    return { slice: out, problems };
  }
  const header = lines[h]!;
  const csv = header.includes(',');
  const starts: { name: string; start: number }[] = [];
  if (!csv) {
    const re = /\S+/g;
    let m: RegExpExecArray | null;
    while ((m = re.exec(header))) starts.push({ name: m[0], start: m.index });
  }
  const names = csv ? header.split(',').map((x) => x.trim()) : starts.map((s) => s.name);
  for (let i = h + 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '') continue;
    const row: Record<string, string> = {};
    if (csv) {
      // IPAddress is `{a;b}` in CSV, so commas only separate columns.
      const parts = line.split(',');
      names.forEach((n, k) => setOwn(row, n, (parts[k] ?? '').trim()));
    } else starts.forEach((s, k) => setOwn(row, s.name, line.slice(s.start, starts[k + 1]?.start ?? line.length).trim()));
    const a = adapterFromRow(row, { artifact, line: i + 1 });
    if (a) mergeAdapter(out, a);
  }
  return { slice: out, problems };
}

/** Adapter JSON: Win32_NetworkAdapterConfiguration objects or Get-NetAdapterBinding rows
 *  (Name, InterfaceDescription, ComponentID, Enabled). */
export function parseAdaptersJson(artifact: string, input: Uint8Array | string): ParseResult<AdapterState> {
  const problems: ParseProblem[] = [];
  const out: AdapterState = { adapters: {} };
  const parsed = parseJsonArtifact(artifact, input, problems);
  if (!parsed) return { slice: out, problems };
  let cursor = 0;
  for (const item of parsed.items) {
    const key = str(item['InterfaceDescription']) ?? str(item['Description']) ?? str(item['Name']) ?? '';
    const line = key ? parsed.lines.find(JSON.stringify(key).slice(1, -1), cursor) : undefined;
    if (line) cursor = line;
    const a = adapterFromRow(item, { artifact, ...(line ? { line } : {}) });
    if (a) mergeAdapter(out, a);
  }
  return { slice: out, problems };
}

// ---------------------------------------------------------------------------------------------
// Get-MpComputerStatus

export function parseDefenderJson(artifact: string, input: Uint8Array | string): ParseResult<AntivirusState> {
  const problems: ParseProblem[] = [];
  const out: AntivirusState = { properties: {} };
  const parsed = parseJsonArtifact(artifact, input, problems);
  if (!parsed) return { slice: out, problems };
  const item = parsed.items[0];
  if (!item) {
    problems.push({ artifact, severity: 'error', reason: 'empty JSON: no Get-MpComputerStatus object' });
    return { slice: out, problems };
  }
  const src = (k: string): Provenance => {
    const l = parsed.lines.find(`"${k}"`);
    return { artifact, ...(l ? { line: l } : {}) };
  };
  for (const [k, v] of Object.entries(item)) {
    const s = str(v) ?? jsonDateText(v);
    if (s !== undefined) setOwn(out.properties, k.toLowerCase(), { name: k, value: s, source: src(k) });
  }
  const bool = (k: string): Sourced<boolean> | undefined => (typeof item[k] === 'boolean' ? { value: item[k] as boolean, source: src(k) } : undefined);
  const av = bool('AntivirusEnabled');
  if (av) out.antivirusEnabled = av;
  const rt = bool('RealTimeProtectionEnabled');
  if (rt) out.realTimeProtectionEnabled = rt;
  const am = bool('AMServiceEnabled');
  if (am) out.amServiceEnabled = am;
  if (typeof item['AntivirusSignatureAge'] === 'number') out.antivirusSignatureAge = { value: item['AntivirusSignatureAge'], source: src('AntivirusSignatureAge') };
  const upd = jsonDateText(item['AntivirusSignatureLastUpdated']);
  if (upd) out.antivirusSignatureLastUpdated = { value: parseWindowsDate(upd) ?? upd, source: src('AntivirusSignatureLastUpdated') };
  if (!av && !rt && out.antivirusSignatureAge === undefined) problems.push({ artifact, severity: 'error', reason: 'none of AntivirusEnabled, RealTimeProtectionEnabled, AntivirusSignatureAge: not Get-MpComputerStatus output' });
  return { slice: out, problems };
}

// ---------------------------------------------------------------------------------------------
// auditpol /get /category:* /r  (and auditpol /backup)

const SUCCESS_WORDS = /success|успех|erfolg|succès|éxito|sucesso/i;
const FAILURE_WORDS = /failure|сбой|отказ|fehler|échec|error|falha/i;
const GUID_RE = /^\{?([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\}?$/i;

export function parseAuditpol(artifact: string, input: Uint8Array | string): ParseResult<AuditPolicyState> {
  const { lines } = decodeText(input);
  const problems: ParseProblem[] = [];
  const out: AuditPolicyState = { subcategories: {} };
  let settingValueCol = -1;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '') continue;
    const f = line.split(',');
    const g = f.findIndex((x) => GUID_RE.test(x.trim()));
    if (g < 0) {
      // Header: an auditpol /backup file has a numeric "Setting Value" column, which needs no words.
      const sv = f.findIndex((x) => /setting value/i.test(x));
      if (sv >= 0) settingValueCol = sv;
      continue;
    }
    // The field matched GUID_RE: the GUID is its 36 characters after an optional brace.
    const gt = f[g]!.trim();
    const guid = (gt.charCodeAt(0) === 123 ? gt.slice(1, 37) : gt.slice(0, 36)).toLowerCase();
    const name = (f[g - 1] ?? '').trim();
    const raw = (f[g + 1] ?? '').trim();
    let success: boolean;
    let failure: boolean;
    const sv = settingValueCol >= 0 ? f[settingValueCol]?.trim() : undefined;
    if (sv && /^\d+$/.test(sv)) {
      const n = Number(sv);
      success = (n & 1) !== 0;
      failure = (n & 2) !== 0;
    } else {
      success = SUCCESS_WORDS.test(raw);
      failure = FAILURE_WORDS.test(raw);
      if (!success && !failure && raw !== '' && !/no auditing|нет аудита|keine überwachung|pas d'audit|sin auditoría/i.test(raw)) {
        problems.push({ artifact, line: i + 1, severity: 'warning', reason: `unrecognised inclusion setting "${raw}"` });
      }
    }
    out.subcategories[guid] = { guid, name, success, failure, raw, source: { artifact, line: i + 1 } };
  }
  if (Object.keys(out.subcategories).length === 0) problems.push({ artifact, severity: 'error', reason: 'no subcategory GUIDs: not auditpol /r output' });
  return { slice: out, problems };
}

// ---------------------------------------------------------------------------------------------
// IIS 6 MetaBase.xml

/** Every element with a `Location` attribute is a metabase key; its other attributes are the
 *  properties (AccessFlags, AnonymousUserName, DirBrowseFlags, WebSvcExtRestrictionList,
 *  LogFileDirectory, Path, ServerBindings …), kept as written. */
export function parseMetabase(artifact: string, input: Uint8Array | string): ParseResult<Iis6Metabase> {
  const problems: ParseProblem[] = [];
  const out: Iis6Metabase = { keys: {} };
  const { text } = decodeString(input);
  const root = parseXmlTree(artifact, text, problems);
  if (!root) {
    problems.push({ artifact, severity: 'error', reason: 'no XML root element' });
    return { slice: out, problems };
  }
  const walk = (el: typeof root): void => {
    const loc = xmlAttr(el, 'Location');
    if (loc !== undefined) {
      const xpath = `//${el.name}[@Location='${loc}']`;
      const key = { location: loc.trim(), keyType: el.name, properties: {} as Iis6Metabase['keys'][string]['properties'], source: { artifact, line: el.line, xpath } };
      for (let j = 0; j < el.attrs.length; j += 2) {
        const k = el.attrs[j]!;
        const v = el.attrs[j + 1]!;
        if (k === 'Location') continue;
        setOwn(key.properties, k.toLowerCase(), { name: k, value: v, source: { artifact, line: el.line, xpath: `${xpath}/@${k}` } });
      }
      setOwn(out.keys, key.location.toLowerCase(), key);
    }
    for (const c of el.children) walk(c);
  };
  walk(root);
  if (Object.keys(out.keys).length === 0) problems.push({ artifact, severity: 'error', reason: 'no elements with a Location attribute: not an IIS 6 metabase' });
  return { slice: out, problems };
}

// ---------------------------------------------------------------------------------------------
// IIS W3C logs

export function parseW3cLog(artifact: string, input: Uint8Array | string): ParseResult<IisLogState> {
  const { lines } = decodeText(input);
  const problems: ParseProblem[] = [];
  const file: IisLogState['files'][number] = { artifact, layouts: [], entries: 0, malformedLines: 0 };
  let fields: string[] | undefined;
  for (let i = 0; i < lines.length; i++) {
    const t = lines[i]!;
    if (t.trim() === '') continue;
    if (t.startsWith('#')) {
      const m = /^#(\w+):\s*(.*)$/.exec(t);
      if (m?.[1] === 'Fields') {
        fields = m[2]!.trim().split(/\s+/);
        file.layouts.push({ value: fields, source: { artifact, line: i + 1 } });
      } else if (m?.[1] === 'Software') file.software = m[2]!.trim();
      continue;
    }
    if (!fields) {
      file.malformedLines++;
      continue;
    }
    const values = t.trim().split(/\s+/);
    const n = values.length;
    // Address columns must hold addresses; anything else means the line was altered.
    const badAddr = n === fields.length ? fields.findIndex((f, k) => (f === 's-ip' || f === 'c-ip') && !/^[0-9a-f.:%]+$/i.test(values[k]!)) : -1;
    if (badAddr >= 0) {
      file.malformedLines++;
      problems.push({ artifact, line: i + 1, severity: 'warning', reason: `${fields[badAddr]} is "${values[badAddr]}", not an IP address` });
    } else if (n === fields.length) file.entries++;
    else {
      file.malformedLines++;
      problems.push({ artifact, line: i + 1, severity: 'warning', reason: `${n} fields where the #Fields line declares ${fields.length}` });
    }
  }
  if (file.layouts.length === 0) problems.push({ artifact, severity: 'error', reason: 'no #Fields directive: not a W3C log' });
  return { slice: { files: [file] }, problems };
}
