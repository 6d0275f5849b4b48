// DNS Server role: `dnscmd /Info`, `dnscmd /EnumZones`, `dnscmd /ZoneInfo ZONE`, and the
// `Get-DnsServer*` cmdlets either as ConvertTo-Json output or as the default Format-List text
// ("Name : Value" blocks, as captured in transcripts and documentation pages).
import type { DnsServerState, DnsZone, ParseProblem, ParseResult, Provenance, SecurityPolicyEntry, Sourced } from '../host/state.js';
import { parseJsonArtifact } from './console.js';
import { decodeText } from './text.js';
import { ownValue, setOwn } from '../core/records.js';

export function emptyDns(): DnsServerState {
  return { settings: {}, zones: {}, zoneListComplete: false };
}

function put(dns: DnsServerState, name: string, value: string, source: Provenance): void {
  setOwn(dns.settings, name.toLowerCase(), { name, value, source });
}

/** dnscmd names carry a Hungarian prefix (fNoRecursion, dwRecursionRetry); cmdlets do not. */
function bare(name: string): string {
  return name.replace(/^(f|dw|c)(?=[A-Z])/, '').toLowerCase().replace(/\(s\)$/, '');
}

function findSetting(dns: DnsServerState, ...names: string[]): SecurityPolicyEntry<string> | undefined {
  const wanted = names.map((n) => n.toLowerCase());
  let hit: SecurityPolicyEntry<string> | undefined;
  for (const e of Object.values(dns.settings)) if (wanted.includes(bare(e.name))) hit = e;
  return hit;
}

function truthy(v: string): boolean | undefined {
  const t = v.trim().toLowerCase();
  if (t === 'true' || t === '1' || t === '0x1' || /^0*1$/.test(t)) return true;
  if (t === 'false' || t === '0' || /^0+$/.test(t)) return false;
  return undefined;
}

function addressList(v: string): string[] {
  // `{1.2.3.4, 5.6.7.8}` (Format-List), `1.2.3.4 5.6.7.8`, or a JSON array joined by commas.
  return v.replace(/^[{[]|[}\]]$/g, '').split(/[\s,]+/).map((x) => x.trim()).filter((x) => /^[0-9a-f.:]+$/i.test(x) && /[.:]/.test(x));
}

/** Fill the typed fields from the raw settings (called after every DNS artifact is read). */
export function normaliseDns(dns: DnsServerState): void {
  const noRec = findSetting(dns, 'norecursion');
  const enable = findSetting(dns, 'enable', 'recursionenabled');
  if (enable && truthy(enable.value) !== undefined) dns.recursionEnabled = { value: truthy(enable.value)!, source: enable.source };
  else if (noRec && truthy(noRec.value) !== undefined) dns.recursionEnabled = { value: !truthy(noRec.value)!, source: noRec.source };
  const secure = findSetting(dns, 'secureresponses', 'secureresponse');
  if (secure && truthy(secure.value) !== undefined) dns.secureResponses = { value: truthy(secure.value)!, source: secure.source };
  const ver = findSetting(dns, 'enableversionquery');
  if (ver && /^\s*(0x)?[0-9a-f]+\s*$/i.test(ver.value)) dns.enableVersionQuery = { value: parseInt(ver.value.trim(), /^\s*0x/i.test(ver.value) || /^0\d/.test(ver.value.trim()) ? 16 : 10), source: ver.source };
  const listen = findSetting(dns, 'listeningipaddress', 'listenaddresses');
  if (listen) dns.listenAddresses = { value: addressList(listen.value), source: listen.source };
  const all = findSetting(dns, 'allipaddress', 'serveraddresses');
  if (all) dns.allAddresses = { value: addressList(all.value), source: all.source };
  const version = findSetting(dns, 'version');
  const major = findSetting(dns, 'majorversion');
  if (version) dns.version = { value: version.value, source: version.source };
  else if (major) {
    const minor = findSetting(dns, 'minorversion')?.value ?? '0';
    const build = findSetting(dns, 'buildnumber')?.value ?? '0';
    dns.version = { value: `${major.value}.${minor}.${build}`, source: major.source };
  }
}

// ---------------------------------------------------------------------------------------------
// dnscmd

/** `dnscmd /Info`: "name = value" lines in blocks; address arrays (ServerAddresses,
 *  ListenAddresses, Forwarders) list `Addr[n] => … addr=1.2.3.4` lines or "NULL IP Array.". */
export function parseDnscmdInfo(artifact: string, input: Uint8Array | string): ParseResult<DnsServerState> {
  const { lines } = decodeText(input);
  const problems: ParseProblem[] = [];
  const dns = emptyDns();
  let block: { name: string; line: number; addrs: string[] } | undefined;
  const flush = (): void => {
    if (block) put(dns, block.name, block.addrs.join(' '), { artifact, line: block.line });
    block = undefined;
  };
  let pairs = 0;
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    const t = raw.trim();
    if (t === '') continue;
    const head = /^([A-Za-z][\w ]*?):\s*$/.exec(t);
    if (head && !/^\s/.test(raw)) {
      flush();
      if (/addresses|forwarders/i.test(head[1]!)) block = { name: head[1]!.replace(/\s+/g, ''), line: i + 1, addrs: [] };
      continue;
    }
    if (block) {
      const a = /addr=([0-9a-f.:]+)/i.exec(t) ?? /^Addr\[\d+\]\s*=>\s*([0-9a-f.:]+)/i.exec(t);
      if (a) {
        block.addrs.push(a[1]!);
        continue;
      }
    }
    const kv = /^([^=]+?)\s*=\s*(.*)$/.exec(t);
    if (kv && /^\s/.test(raw)) {
      pairs++;
      const name = kv[1]!.trim();
      // Inside an address block, "forward timeout = 3" etc. are ordinary settings.
      put(dns, name.replace(/\s+/g, ' '), kv[2]!.trim(), { artifact, line: i + 1 });
    }
  }
  flush();
  if (pairs === 0) problems.push({ artifact, severity: 'error', reason: 'no "name = value" lines: not dnscmd /Info output' });
  normaliseDns(dns);
  return { slice: dns, problems };
}

const ZONE_TYPES: Record<string, string> = { '0': 'cache', '1': 'primary', '2': 'secondary', '3': 'stub', '4': 'forwarder' };

/** `dnscmd /EnumZones`: a table "Zone name  Type  Storage  Properties". Properties are
 *  words: Secure (secure updates only), Update (nonsecure updates), Reverse, Auto-Created,
 *  Paused, Shutdown, Aging. */
export function parseDnscmdEnumZones(artifact: string, input: Uint8Array | string): ParseResult<DnsServerState> {
  const { lines } = decodeText(input);
  const problems: ParseProblem[] = [];
  const dns = emptyDns();
  const header = lines.findIndex((l) => /zone name\s+type\s+storage/i.test(l));
  if (header < 0) {
    problems.push({ artifact, severity: 'error', reason: 'no "Zone name  Type  Storage" header: not dnscmd /EnumZones output' });
    return { slice: dns, problems };
  }
  for (let i = header + 1; i < lines.length; i++) {
    const t = lines[i]!.trim();
    if (t === '') continue;
    if (/^command completed|^\w.*\.$/i.test(t) && !/\s{2,}/.test(t)) break;
    const f = t.split(/\s+/);
    if (f.length < 3) continue;
    const [name, type, storage, ...props] = f as [string, string, string, ...string[]];
    const source = { artifact, line: i + 1 };
    const zone: DnsZone = { name, zoneType: { value: type.toLowerCase(), source }, dsIntegrated: { value: /^AD/i.test(storage), source }, source };
    const p = props.map((x) => x.toLowerCase());
    zone.reverse = { value: p.includes('reverse'), source };
    zone.autoCreated = { value: p.includes('auto-created'), source };
    if (type.toLowerCase() === 'primary') zone.allowUpdate = { value: p.includes('secure') ? 2 : p.includes('update') ? 1 : 0, source };
    setOwn(dns.zones, name.toLowerCase(), zone);
  }
  dns.zoneListComplete = true;
  return { slice: dns, problems };
}

/** `dnscmd /ZoneInfo ZONE`: "name = value" lines (zone name, zone type, update, secure secs,
 *  DS integrated) and the "Zone Secondaries" address list. */
export function parseDnscmdZoneInfo(artifact: string, input: Uint8Array | string, zoneHint?: string): ParseResult<DnsServerState> {
  const { lines } = decodeText(input);
  const problems: ParseProblem[] = [];
  const dns = emptyDns();
  const kv: Record<string, Sourced<string>> = {};
  let secondaries: Sourced<string[]> | undefined;
  let inSecondaries = false;
  for (let i = 0; i < lines.length; i++) {
    const t = lines[i]!.trim();
    if (/^zone secondaries/i.test(t)) {
      secondaries = { value: [], source: { artifact, line: i + 1 } };
      inSecondaries = !/NULL IP Array/i.test(t);
      continue;
    }
    if (inSecondaries) {
      const a = /addr=([0-9a-f.:]+)/i.exec(t) ?? /^Addr\[\d+\]\s*=>\s*([0-9a-f.:]+)/i.exec(t);
      if (a) {
        secondaries!.value.push(a[1]!);
        continue;
      }
      if (/^(ptr|maxcount|addrcount)\s*=/i.test(t)) continue;
      inSecondaries = false;
    }
    const m = /^([^=]+?)\s*=\s*(.*)$/.exec(t);
    if (m) kv[m[1]!.toLowerCase().replace(/\s+/g, ' ')] = { value: m[2]!.trim(), source: { artifact, line: i + 1 } };
  }
  const name = kv['zone name']?.value ?? zoneHint;
  if (!name) {
    problems.push({ artifact, severity: 'error', reason: 'no "zone name = …" line: not dnscmd /ZoneInfo output' });
    return { slice: dns, problems };
  }
  const src = kv['zone name']?.source ?? { artifact };
  const zone: DnsZone = { name, source: src };
  const num = (k: string): Sourced<number> | undefined => {
    const v = kv[k];
    return v && /^\d+$/.test(v.value) ? { value: Number(v.value), source: v.source } : undefined;
  };
  const type = kv['zone type'];
  if (type) zone.zoneType = { value: ZONE_TYPES[type.value] ?? type.value, source: type.source };
  const upd = num('update');
  if (upd) zone.allowUpdate = upd;
  const ss = num('secure secs');
  if (ss) zone.secureSecondaries = ss;
  const ds = num('ds integrated');
  if (ds) zone.dsIntegrated = { value: ds.value !== 0, source: ds.source };
  const notify = num('notify level');
  if (notify) zone.notify = notify;
  if (secondaries) zone.secondaryServers = secondaries;
  setOwn(dns.zones, name.toLowerCase(), zone);
  return { slice: dns, problems };
}

// ---------------------------------------------------------------------------------------------
// Get-DnsServer* cmdlets

const SECURE_SECONDARIES: Record<string, number> = { transferanyserver: 0, transfertozonenameserver: 1, transfertosecureservers: 2, notransfer: 3 };
const DYNAMIC_UPDATE: Record<string, number> = { none: 0, nonsecureandsecure: 1, secure: 2 };

function scalarText(v: unknown): string | undefined {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return v.map((x) => scalarText(x) ?? '').join(', ');
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    // IPAddress objects serialise as { IPAddressToString: "…", … } in Windows PowerShell 5.1.
    if (typeof o['IPAddressToString'] === 'string') return o['IPAddressToString'];
    if (typeof o['value'] === 'string') return o['value'];
  }
  return undefined;
}

/** A Get-DnsServerRootHint object: the collector's flat form `{ NameServer, IPAddress: [] }` or
 *  the raw cmdlet form where both are records (`NameServer.RecordData.NameServer`,
 *  `IPAddress[].RecordData.IPv4Address.IPAddressToString`). */
function rootHintFrom(item: Record<string, unknown>): { name: string; addresses: string[] } | undefined {
  const ns = item['NameServer'];
  let name: string | undefined;
  if (typeof ns === 'string') name = ns;
  else if (ns && typeof ns === 'object') {
    const rd = (ns as Record<string, unknown>)['RecordData'];
    const n = rd && typeof rd === 'object' ? (rd as Record<string, unknown>)['NameServer'] : undefined;
    if (typeof n === 'string') name = n;
  }
  if (!name || !('IPAddress' in item)) return undefined;
  const addresses: string[] = [];
  const walk = (v: unknown, depth: number): void => {
    if (depth > 5) return;
    if (typeof v === 'string') {
      if (/^[0-9a-f.:]+$/i.test(v) && /[.:]/.test(v)) addresses.push(v);
    } else if (Array.isArray(v)) v.forEach((x) => walk(x, depth + 1));
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (typeof o['IPAddressToString'] === 'string') walk(o['IPAddressToString'], depth + 1);
      else for (const x of Object.values(o)) walk(x, depth + 1);
    }
  };
  walk(item['IPAddress'], 0);
  return { name: name.toLowerCase(), addresses: [...new Set(addresses)] };
}

function zoneFromObject(o: Record<string, string>, source: Provenance): DnsZone | undefined {
  const name = o['zonename'];
  if (!name) return undefined;
  const z: DnsZone = { name, source };
  if (o['zonetype']) z.zoneType = { value: o['zonetype'].toLowerCase(), source };
  if (o['isdsintegrated']) z.dsIntegrated = { value: truthy(o['isdsintegrated']) ?? false, source };
  if (o['isreverselookupzone']) z.reverse = { value: truthy(o['isreverselookupzone']) ?? false, source };
  if (o['isautocreated']) z.autoCreated = { value: truthy(o['isautocreated']) ?? false, source };
  const ss = o['securesecondaries'];
  if (ss !== undefined && ss !== '') {
    const n = /^\d+$/.test(ss) ? Number(ss) : SECURE_SECONDARIES[ss.toLowerCase()];
    if (n !== undefined) z.secureSecondaries = { value: n, source };
  }
  const du = o['dynamicupdate'];
  if (du !== undefined && du !== '') {
    const n = /^\d+$/.test(du) ? Number(du) : DYNAMIC_UPDATE[du.toLowerCase()];
    if (n !== undefined) z.allowUpdate = { value: n, source };
  }
  if (o['secondaryservers']) z.secondaryServers = { value: addressList(o['secondaryservers']), source };
  return z;
}

function absorbObject(dns: DnsServerState, o: Record<string, string>, names: Record<string, string>, lineFor: (name: string) => number | undefined, artifact: string): void {
  const zoneSource = { artifact, ...(lineFor('ZoneName') ? { line: lineFor('ZoneName')! } : {}) };
  const zone = zoneFromObject(o, zoneSource);
  if (zone) {
    setOwn(dns.zones, zone.name.toLowerCase(), zone);
    dns.zoneListComplete = true;
    return;
  }
  for (const [k, v] of Object.entries(o)) {
    const name = ownValue(names, k) ?? k;
    const line = lineFor(name);
    put(dns, name, v, { artifact, ...(line ? { line } : {}) });
  }
}

/** Cmdlet output as JSON (`ConvertTo-Json`) or Format-List text. In a transcript or a
 *  documentation page, only the lines after the `PS …> Get-DnsServer…` prompt are read. */
export function parseDnsCmdlet(artifact: string, input: Uint8Array | string): ParseResult<DnsServerState> {
  const problems: ParseProblem[] = [];
  const dns = emptyDns();
  const { text, lines } = decodeText(input);
  if (/^\s*[[{]/.test(text)) {
    const parsed = parseJsonArtifact(artifact, input, problems);
    if (!parsed) return { slice: dns, problems };
    let cursor = 0;
    const hints: { name: string; addresses: string[] }[] = [];
    let hintLine: number | undefined;
    for (const item of parsed.items) {
      const hint = rootHintFrom(item);
      if (hint) {
        hints.push(hint);
        hintLine ??= parsed.lines.find(hint.name.replace(/\.$/, ''));
        continue;
      }
      const o: Record<string, string> = {};
      const names: Record<string, string> = {};
      for (const [k, v] of Object.entries(item)) {
        const s = scalarText(v);
        if (s === undefined) continue;
        setOwn(o, k.toLowerCase(), s);
        setOwn(names, k.toLowerCase(), k);
      }
      const start = cursor;
      absorbObject(dns, o, names, (n) => {
        const l = parsed.lines.find(`"${n}"`, start);
        if (l) cursor = Math.max(cursor, l);
        return l;
      }, artifact);
    }
    if (hints.length > 0) dns.rootHints = { value: hints, source: { artifact, ...(hintLine ? { line: hintLine } : {}) } };
    normaliseDns(dns);
    return { slice: dns, problems };
  }
  // Format-List text.
  let from = 0;
  let to = lines.length;
  const prompt = lines.findIndex((l) => /^\s*PS [^>]*>\s*Get-DnsServer/i.test(l));
  if (prompt >= 0) {
    from = prompt + 1;
    const fence = lines.findIndex((l, i) => i > prompt && (/^\s*```/.test(l) || /^\s*PS [^>]*>/.test(l)));
    if (fence >= 0) to = fence;
  }
  let obj: Record<string, string> = {};
  let names: Record<string, string> = {};
  let linesOf: Record<string, number> = {};
  let pairs = 0;
  let lastKey: string | undefined;
  const flush = (): void => {
    if (Object.keys(obj).length > 0) absorbObject(dns, obj, names, (n) => ownValue(linesOf, n.toLowerCase()), artifact);
    obj = {};
    names = {};
    linesOf = {};
  };
  let blankRun = 0;
  for (let i = from; i < to; i++) {
    const line = lines[i]!;
    if (line.trim() === '') {
      blankRun++;
      continue;
    }
    const m = /^(\S[^:]*?)\s*:\s?(.*)$/.exec(line);
    if (m) {
      const key = m[1]!.trim();
      const k = key.toLowerCase();
      // A repeated property name starts a new object (Get-DnsServerZone lists several), except
      // within the settings list, which repeats EnableDuplicateQuerySuppression.
      if (k === 'zonename' && Object.hasOwn(obj, k)) flush();
      if (blankRun >= 2 && k === 'zonename') flush();
      setOwn(obj, k, m[2]!.trim());
      setOwn(names, k, key);
      setOwn(linesOf, k, i + 1);
      lastKey = k;
      pairs++;
    } else if (/^\s+\S/.test(line) && lastKey) {
      setOwn(obj, lastKey, obj[lastKey] + ' ' + line.trim()); // Format-List wraps long values with indentation
    }
    blankRun = 0;
  }
  flush();
  if (pairs === 0) problems.push({ artifact, severity: 'error', reason: 'no "Name : Value" lines and no JSON: not Get-DnsServer* output' });
  normaliseDns(dns);
  return { slice: dns, problems };
}

/** Combine DNS slices (several dnscmd/cmdlet files). Later zone facts add to earlier ones. */
export function mergeDns(into: DnsServerState, from: DnsServerState): void {
  for (const [k, s] of Object.entries(from.settings)) setOwn(into.settings, k, s);
  if (from.rootHints) into.rootHints = from.rootHints;
  for (const [k, z] of Object.entries(from.zones)) setOwn(into.zones, k, { ...(ownValue(into.zones, k) ?? {}), ...z });
  into.zoneListComplete ||= from.zoneListComplete;
  normaliseDns(into);
}
