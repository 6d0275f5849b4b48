// Effective-value logic: where Windows keeps one setting in more than one place, these functions
// say which value is in force and which source decided it. All are pure functions of HostState,
// so rules can call them freely.
import { DerivedCache } from './derived.js';
import type {
  ConfigElement,
  ConfigFile,
  ConfigLocation,
  DomainRole,
  HostState,
  Provenance,
  RegistryData,
  RegistryKeyEntry,
  RegistryLayer,
  RegistryState,
  RegistryValueEntry,
  ServiceRunState,
  ServiceStartType,
  Sourced,
} from './state.js';
import { ownValue, setOwn } from '../core/records.js';

// ---------------------------------------------------------------------------------------------
// Registry paths

// A Map, not an object literal: the first segment comes from the file, and `[constructor\...]`
// must not find Object.prototype's member.
const HIVE_ALIASES = new Map<string, string>(Object.entries({
  hkey_local_machine: 'HKLM',
  hklm: 'HKLM',
  machine: 'HKLM', // secedit [Registry Values] and Registry.pol context
  hkey_current_user: 'HKCU',
  hkcu: 'HKCU',
  hkey_classes_root: 'HKCR',
  hkcr: 'HKCR',
  hkey_users: 'HKU',
  hku: 'HKU',
  hkey_current_config: 'HKCC',
  hkcc: 'HKCC',
}));

/** `HKEY_LOCAL_MACHINE\\System\\...\\` → `HKLM\\System\\...`. Paths without a known hive are
 *  returned trimmed as they are (a Registry.pol path has no hive; its caller adds HKLM). */
export function canonicalKeyPath(path: string): string {
  let c = canonicalMemo.get(path);
  if (c === undefined) {
    c = canonicalise(path);
    remember(canonicalMemo, detached(path), c);
  }
  return c;
}

function canonicalise(path: string): string {
  const parts = path.trim().replace(/\//g, '\\').split('\\').filter((p) => p.length > 0);
  if (parts.length === 0) return '';
  const hive = HIVE_ALIASES.get(parts[0]!.toLowerCase());
  if (hive) parts[0] = hive;
  // CurrentControlSet is what every control names; ControlSet001 is what offline exports show.
  if (parts.length > 2 && parts[0] === 'HKLM' && parts[1]!.toLowerCase() === 'system' && /^controlset00\d$/i.test(parts[2]!)) {
    parts[2] = 'CurrentControlSet';
  }
  return parts.join('\\');
}

export function keyId(path: string): string {
  let id = keyIdMemo.get(path);
  if (id === undefined) {
    id = canonicalKeyPath(path).toLowerCase();
    remember(keyIdMemo, detached(path), id);
  }
  return id;
}

// Rules ask for the same few hundred key paths in every bundle, and each lookup used to
// canonicalise its path about fifteen times (once per coverage root). The answer depends on the
// string alone, so it is memoised; the bound keeps a long run over varied paths from growing
// without limit (dropping everything is fine: it is only a cache).
const MEMO_LIMIT = 20_000;
const canonicalMemo = new Map<string, string>();
const keyIdMemo = new Map<string, string>();
const lowerMemo = new Map<string, string>();

/** `s.toLowerCase()`, memoised: value and service names are the rules' literals, so the memo
 *  returns one string object per name whose hash V8 has already computed for the lookups that
 *  follow, instead of a fresh copy to hash each time. */
export function lowerCase(s: string): string {
  let l = lowerMemo.get(s);
  if (l === undefined) {
    l = s.toLowerCase();
    remember(lowerMemo, detached(s), l);
  }
  return l;
}
function remember(m: Map<string, string>, k: string, v: string): void {
  if (m.size >= MEMO_LIMIT) m.clear();
  m.set(k, v);
}
/** A copy that shares no storage with the text it was cut from: V8 keeps a long substring as a
 *  view of its parent, so a memo key taken from a parsed line would keep the whole file alive. */
function detached(s: string): string {
  return s.length < 13 ? s : (JSON.parse(JSON.stringify(s)) as string);
}

/** Is key id `id` the key `rootId` or below it? Both are key ids (canonical, lower case). */
function isUnderId(id: string, rootId: string): boolean {
  return id === rootId || (id.length > rootId.length && id.charCodeAt(rootId.length) === 0x5c /* \ */ && id.startsWith(rootId));
}

/** What the registry artifacts say about one value. */
export type RegistryLookup =
  | {
      status: 'set';
      data: RegistryData;
      layer: RegistryLayer;
      source: Provenance;
      /** Other artifacts' entries for the same value that lost (e.g. the local value under a policy). */
      overridden: { data: RegistryData | { type: 'deleted' }; layer: RegistryLayer; source: Provenance }[];
    }
  | { status: 'deleted'; layer: RegistryLayer; source: Provenance }
  /** The key was collected (or is known not to exist) and the value is not there. */
  | { status: 'absent'; keyExists: boolean; coveredBy: Provenance }
  /** No artifact covers this key: the registry was not collected here. */
  | { status: 'not-collected' };

/** Is the key known to be completely collected? Only a whole-subtree export (`reg export` per
 *  the manifest, or a regedit-shaped file) or a recorded "key not found" proves that a value is
 *  absent; a hand-written .reg or a Registry.pol lists only what it sets. */
function coverage(reg: RegistryState, id: string, key: RegistryKeyEntry | undefined): { covered: Provenance; keyExists: boolean } | undefined {
  const exported = rootIds(reg.exportedRoots);
  for (let i = 0; i < exported.length; i++) {
    if (isUnderId(id, exported[i]!)) return { covered: reg.exportedRoots[i]!.source, keyExists: key !== undefined && !key.deleted };
  }
  const missing = rootIds(reg.missingRoots);
  for (let i = 0; i < missing.length; i++) {
    if (isUnderId(id, missing[i]!)) return { covered: reg.missingRoots[i]!.source, keyExists: false };
  }
  return undefined;
}

/** Key ids of a root list, kept beside the list and rebuilt whenever an entry changed (the lists
 *  are plain arrays that a caller may still extend or edit). */
const rootIdCache = new DerivedCache<readonly Sourced<string>[], { values: string[]; ids: string[] }>();
function rootIds(roots: readonly Sourced<string>[]): string[] {
  let c = rootIdCache.get(roots);
  if (c && c.values.length === roots.length) {
    let same = true;
    for (let i = 0; i < roots.length && same; i++) same = roots[i]!.value === c.values[i];
    if (same) return c.ids;
  }
  c = { values: roots.map((r) => r.value), ids: roots.map((r) => keyId(r.value)) };
  rootIdCache.set(roots, c);
  return c.ids;
}

/**
 * The value in force for `keyPath\name`. Group Policy (Registry.pol) wins over a local export:
 * the policy engine writes its values back at every refresh, so a local value that differs is
 * temporary. Within one layer the last artifact read wins.
 */
export function registryLookup(state: HostState, keyPath: string, name: string): RegistryLookup {
  const reg = state.registry;
  if (!reg) return { status: 'not-collected' };
  const id = keyId(keyPath);
  const key: RegistryKeyEntry | undefined = reg.keys[id];
  // One pass instead of filter/filter/map: this runs ~70 times per bundle and most values have a
  // single entry, so the common case allocates nothing but the answer.
  const entries = key?.values[lowerCase(name)];
  if (entries !== undefined && entries.length > 0) {
    let winner: RegistryValueEntry | undefined;
    for (let i = entries.length - 1; i >= 0; i--) {
      if (entries[i]!.layer === 'policy') {
        winner = entries[i];
        break;
      }
    }
    winner ??= entries[entries.length - 1]!; // no policy entry: the last local one
    if (winner.data.type === 'deleted') return { status: 'deleted', layer: winner.layer, source: winner.source };
    const overridden: { data: RegistryData | { type: 'deleted' }; layer: RegistryLayer; source: Provenance }[] = [];
    for (const e of entries) if (e !== winner) overridden.push({ data: e.data, layer: e.layer, source: e.source });
    return { status: 'set', data: winner.data, layer: winner.layer, source: winner.source, overridden };
  }
  if (key?.deleteAllValues) return { status: 'deleted', layer: 'policy', source: key.deleteAllValues };
  if (key?.deleted) return { status: 'absent', keyExists: false, coveredBy: key.deleted };
  const cov = coverage(reg, id, key);
  if (cov) return { status: 'absent', keyExists: cov.keyExists, coveredBy: cov.covered };
  return { status: 'not-collected' };
}

/** The numeric value of a REG_DWORD/REG_QWORD (or a REG_SZ holding digits), else undefined. */
export function registryNumber(lookup: RegistryLookup): number | undefined {
  if (lookup.status !== 'set') return undefined;
  const d = lookup.data;
  if (d.type === 'REG_DWORD' || d.type === 'REG_DWORD_BIG_ENDIAN') return d.value;
  if (d.type === 'REG_QWORD') return typeof d.value === 'number' ? d.value : Number(d.value);
  if ((d.type === 'REG_SZ' || d.type === 'REG_EXPAND_SZ') && /^\s*-?\d+\s*$/.test(d.value)) return Number(d.value);
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Remote Desktop (CONTROLS.md §5)

export const RDP_POLICY_KEY = 'HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows NT\\Terminal Services';
export const RDP_LISTENER_KEY = 'HKLM\\SYSTEM\\CurrentControlSet\\Control\\Terminal Server\\WinStations\\RDP-Tcp';
export const TERMINAL_SERVER_KEY = 'HKLM\\SYSTEM\\CurrentControlSet\\Control\\Terminal Server';

export interface EffectiveSetting {
  /** The value in force, undefined when no source holds it. */
  value: number | undefined;
  /** `policy`: the Group Policy key decided; `listener`: the RDP-Tcp (or Terminal Server) key;
   *  `absent`: both were collected and neither holds it; `not-collected`: no artifact covers them. */
  decidedBy: 'policy' | 'listener' | 'absent' | 'not-collected';
  source?: Provenance;
  policy: RegistryLookup;
  listener: RegistryLookup;
}

function decide(policy: RegistryLookup, listener: RegistryLookup): EffectiveSetting {
  const pv = registryNumber(policy);
  if (policy.status === 'set' && pv !== undefined) return { value: pv, decidedBy: 'policy', source: policy.source, policy, listener };
  const lv = registryNumber(listener);
  if (listener.status === 'set' && lv !== undefined) return { value: lv, decidedBy: 'listener', source: listener.source, policy, listener };
  if (policy.status === 'not-collected' && listener.status === 'not-collected') return { value: undefined, decidedBy: 'not-collected', policy, listener };
  // One side uncollected and the other absent: we cannot say the setting is unset.
  if (policy.status === 'not-collected' || listener.status === 'not-collected') return { value: undefined, decidedBy: 'not-collected', policy, listener };
  return { value: undefined, decidedBy: 'absent', policy, listener };
}

/** An RDP setting such as `SecurityLayer`, `UserAuthentication`, `MinEncryptionLevel`,
 *  `fPromptForPassword`, `fEncryptRPCTraffic`, `DisablePasswordSaving`, `PortNumber`:
 *  the policy key wins over the RDP-Tcp listener key when it holds the value. */
export function effectiveRdpSetting(state: HostState, name: string): EffectiveSetting {
  return decide(registryLookup(state, RDP_POLICY_KEY, name), registryLookup(state, RDP_LISTENER_KEY, name));
}

/** `fDenyTSConnections` (0 = RDP accepts connections): policy over the Terminal Server key. */
export function effectiveDenyTsConnections(state: HostState): EffectiveSetting {
  return decide(registryLookup(state, RDP_POLICY_KEY, 'fDenyTSConnections'), registryLookup(state, TERMINAL_SERVER_KEY, 'fDenyTSConnections'));
}

// ---------------------------------------------------------------------------------------------
// Operating system release (from systeminfo)

export interface OsRelease {
  /** e.g. `Windows Server 2019`, `Windows 10`, `Windows Server 2003`. */
  product: string;
  server: boolean;
  build: number | undefined;
  /** ISO date of the end of extended support for servers (CONTROLS.md §8), when known. */
  endOfSupport?: string;
  source?: Provenance;
}

const SERVER_BY_BUILD: [number, string, string][] = [
  // [build, product, end of extended support]
  [3790, 'Windows Server 2003', '2015-07-14'],
  [6001, 'Windows Server 2008', '2020-01-14'],
  [6002, 'Windows Server 2008', '2020-01-14'],
  [6003, 'Windows Server 2008', '2020-01-14'],
  [7600, 'Windows Server 2008 R2', '2020-01-14'],
  [7601, 'Windows Server 2008 R2', '2020-01-14'],
  [9200, 'Windows Server 2012', '2023-10-10'],
  [9600, 'Windows Server 2012 R2', '2023-10-10'],
  [14393, 'Windows Server 2016', '2027-01-12'],
  [17763, 'Windows Server 2019', '2029-01-09'],
  [20348, 'Windows Server 2022', '2031-10-14'],
  [26100, 'Windows Server 2025', '2034-10-10'],
];

/** Which Windows release the host runs, from the build number (and the OS name for
 *  server vs client; the name is localised, but "Server" stays "Server" in every language). */
export function osRelease(state: HostState): OsRelease | undefined {
  const sys = state.system;
  if (!sys) return undefined;
  const build = sys.osBuild?.value;
  const name = sys.osName?.value ?? '';
  const server = /server/i.test(name) || (sys.domainRole?.value ?? '').includes('server') || (sys.domainRole?.value ?? '').includes('dc');
  const source = sys.osBuild?.source ?? sys.osName?.source;
  if (build !== undefined && server) {
    const row = SERVER_BY_BUILD.find((r) => r[0] === build);
    if (row) return { product: row[1], server, build, endOfSupport: row[2], ...(source ? { source } : {}) };
  }
  const m = /Windows(?:\s*\(R\)|®)?\s+(Server\s+\d{4}(?:\s+R2)?|\d+|XP|Vista)/i.exec(name);
  const product = m ? `Windows ${m[1]!.replace(/\s+/g, ' ')}` : name || 'unknown';
  const known = SERVER_BY_BUILD.find((r) => r[1].toLowerCase() === product.toLowerCase());
  return { product, server, build, ...(known && server ? { endOfSupport: known[2] } : {}), ...(source ? { source } : {}) };
}

// ---------------------------------------------------------------------------------------------
// SCHANNEL (CONTROLS.md §7)

export const SCHANNEL_PROTOCOLS_KEY = 'HKLM\\SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL\\Protocols';
export type SchannelProtocol = 'SSL 2.0' | 'SSL 3.0' | 'TLS 1.0' | 'TLS 1.1' | 'TLS 1.2' | 'TLS 1.3';

type DefaultState = 'enabled' | 'disabled' | 'not-supported';
/** Server-side defaults per build, from Microsoft's "Protocols in TLS/SSL (Schannel SSP)" table
 *  (learn.microsoft.com/windows/win32/secauthn/protocols-in-tls-ssl--schannel-ssp-). Note that the
 *  table lists TLS 1.0 and 1.1 as ENABLED on Windows Server 2022 too; only TLS 1.3 is new there.
 *  Server 2003 is not in the table: its row repeats Vista/2008 (SSL 2.0 server on, no TLS 1.1+),
 *  as the Server 2003 Schannel documentation describes. */
const SCHANNEL_SERVER_DEFAULTS: { maxBuild: number; label: string; d: Record<SchannelProtocol, DefaultState> }[] = [
  { maxBuild: 3790, label: 'Windows Server 2003', d: { 'SSL 2.0': 'enabled', 'SSL 3.0': 'enabled', 'TLS 1.0': 'enabled', 'TLS 1.1': 'not-supported', 'TLS 1.2': 'not-supported', 'TLS 1.3': 'not-supported' } },
  { maxBuild: 6001, label: 'Windows Server 2008', d: { 'SSL 2.0': 'enabled', 'SSL 3.0': 'enabled', 'TLS 1.0': 'enabled', 'TLS 1.1': 'not-supported', 'TLS 1.2': 'not-supported', 'TLS 1.3': 'not-supported' } },
  { maxBuild: 7601, label: 'Windows Server 2008 SP2 / 2008 R2', d: { 'SSL 2.0': 'enabled', 'SSL 3.0': 'enabled', 'TLS 1.0': 'enabled', 'TLS 1.1': 'disabled', 'TLS 1.2': 'disabled', 'TLS 1.3': 'not-supported' } },
  { maxBuild: 9600, label: 'Windows Server 2012 / 2012 R2', d: { 'SSL 2.0': 'disabled', 'SSL 3.0': 'enabled', 'TLS 1.0': 'enabled', 'TLS 1.1': 'enabled', 'TLS 1.2': 'enabled', 'TLS 1.3': 'not-supported' } },
  { maxBuild: 19999, label: 'Windows Server 2016 / 2019', d: { 'SSL 2.0': 'not-supported', 'SSL 3.0': 'disabled', 'TLS 1.0': 'enabled', 'TLS 1.1': 'enabled', 'TLS 1.2': 'enabled', 'TLS 1.3': 'not-supported' } },
  { maxBuild: 20348, label: 'Windows Server 2022', d: { 'SSL 2.0': 'not-supported', 'SSL 3.0': 'disabled', 'TLS 1.0': 'enabled', 'TLS 1.1': 'enabled', 'TLS 1.2': 'enabled', 'TLS 1.3': 'enabled' } },
];

/** Client-side defaults from the same table: SSL 2.0 client was off by default from Vista on. */
const SCHANNEL_CLIENT_DEFAULTS: { maxBuild: number; label: string; d: Record<SchannelProtocol, DefaultState> }[] = SCHANNEL_SERVER_DEFAULTS.map((r) => ({
  ...r,
  d: { ...r.d, 'SSL 2.0': r.maxBuild <= 3790 ? 'enabled' : r.d['SSL 2.0'] === 'not-supported' ? 'not-supported' : 'disabled' },
}));

export interface SchannelState {
  protocol: SchannelProtocol;
  side: 'Server' | 'Client';
  /** `unknown` when neither the registry nor a documented OS default decides. */
  enabled: boolean | 'unknown';
  decidedBy: 'registry' | 'os-default' | 'unknown';
  /** e.g. "Enabled=0", "DisabledByDefault=1", "OS default for Windows Server 2019 (build 17763)". */
  detail: string;
  source?: Provenance;
}

const SCHANNEL_PROTOCOLS: readonly SchannelProtocol[] = ['SSL 2.0', 'SSL 3.0', 'TLS 1.0', 'TLS 1.1', 'TLS 1.2', 'TLS 1.3'];
// Key paths built once: a path built afresh at every lookup is a new string to flatten and hash.
const SCHANNEL_KEYS = {
  Server: Object.fromEntries(SCHANNEL_PROTOCOLS.map((p) => [p, `${SCHANNEL_PROTOCOLS_KEY}\\${p}\\Server`])) as Record<SchannelProtocol, string>,
  Client: Object.fromEntries(SCHANNEL_PROTOCOLS.map((p) => [p, `${SCHANNEL_PROTOCOLS_KEY}\\${p}\\Client`])) as Record<SchannelProtocol, string>,
};
/** `HKLM\...\SCHANNEL\Protocols\<protocol>\<side>`. */
export function schannelKey(protocol: SchannelProtocol, side: 'Server' | 'Client'): string {
  return SCHANNEL_KEYS[side][protocol] ?? `${SCHANNEL_PROTOCOLS_KEY}\\${protocol}\\${side}`;
}

/** Whether a protocol is in force for Schannel servers (IIS, RDP's TLS, …). `Enabled=0` turns it
 *  off; `DisabledByDefault=1` keeps it off unless an application asks for it by name, which IIS and
 *  RDP do not, so we count it as off. Missing values fall back to the OS default for the build. */
export function schannelProtocol(state: HostState, protocol: SchannelProtocol, side: 'Server' | 'Client' = 'Server'): SchannelState {
  const key = schannelKey(protocol, side);
  const enabled = registryLookup(state, key, 'Enabled');
  const dbd = registryLookup(state, key, 'DisabledByDefault');
  const en = registryNumber(enabled);
  if (enabled.status === 'set' && en === 0) return { protocol, side, enabled: false, decidedBy: 'registry', detail: 'Enabled=0', source: enabled.source };
  const dv = registryNumber(dbd);
  if (dbd.status === 'set' && dv !== undefined && dv !== 0) return { protocol, side, enabled: false, decidedBy: 'registry', detail: `DisabledByDefault=${dv}`, source: dbd.source };
  if (enabled.status === 'set' && en !== undefined) return { protocol, side, enabled: true, decidedBy: 'registry', detail: `Enabled=${en}`, source: enabled.source };
  if (enabled.status === 'not-collected') {
    return { protocol, side, enabled: 'unknown', decidedBy: 'unknown', detail: `the SCHANNEL\\Protocols key was not collected (${key})` };
  }
  const build = state.system?.osBuild?.value;
  if (build === undefined) {
    return { protocol, side, enabled: 'unknown', decidedBy: 'unknown', detail: 'no registry value and no systeminfo to decide the OS default' };
  }
  const row = (side === 'Server' ? SCHANNEL_SERVER_DEFAULTS : SCHANNEL_CLIENT_DEFAULTS).find((r) => build <= r.maxBuild);
  if (!row) {
    // Server 2025 (build 26100) and later are not in the documented table; we do not guess.
    return { protocol, side, enabled: 'unknown', decidedBy: 'unknown', detail: `no documented ${side.toLowerCase()} default for build ${build}` };
  }
  const d = row.d[protocol];
  const src = state.system?.osBuild?.source;
  return {
    protocol,
    side,
    enabled: d === 'enabled',
    decidedBy: 'os-default',
    detail: `OS default for ${row.label} (build ${build}): ${d}`,
    ...(src ? { source: src } : {}),
  };
}

// ---------------------------------------------------------------------------------------------
// Services

export interface EffectiveService {
  name: string;
  /** `false` only when a complete service list was read and the name is not in it. */
  exists: boolean | 'unknown';
  startType?: Sourced<ServiceStartType>;
  state?: Sourced<ServiceRunState>;
  /** secedit [Service General Setting] start mode, if set (Group Policy re-applies it). */
  policyStartType?: Sourced<ServiceStartType>;
}

const START_NUMBERS: Record<number, ServiceStartType> = { 0: 'boot', 1: 'system', 2: 'auto', 3: 'manual', 4: 'disabled' };
export function startTypeFromNumber(n: number): ServiceStartType {
  return START_NUMBERS[n] ?? 'unknown';
}

// The key path of a service, one string object per name: a path built afresh at every call is a
// new string that the key-id memo must flatten and hash again.
const serviceKeyMemo = new Map<string, string>();
function serviceKeyPath(name: string): string {
  let p = serviceKeyMemo.get(name);
  if (p === undefined) {
    p = `HKLM\\SYSTEM\\CurrentControlSet\\Services\\${name}`;
    remember(serviceKeyMemo, detached(name), p);
  }
  return p;
}

/** A service's start type and state from `sc queryex`/Get-Service, the Services registry key and
 *  the security template. A security-template start mode wins (it is re-applied by policy). */
export function effectiveService(state: HostState, name: string): EffectiveService {
  const id = lowerCase(name);
  const svc = state.services?.services[id];
  const out: EffectiveService = { name: svc?.name ?? name, exists: svc ? true : state.services ? false : 'unknown' };
  if (svc?.startType) out.startType = svc.startType;
  if (svc?.state) out.state = svc.state;
  const reg = registryLookup(state, serviceKeyPath(name), 'Start');
  const rn = registryNumber(reg);
  if (reg.status === 'set' && rn !== undefined) {
    if (!out.startType || out.startType.value === 'unknown') out.startType = { value: startTypeFromNumber(rn), source: reg.source };
    if (out.exists !== true) out.exists = true;
  }
  const sp = state.securityPolicy?.services[id];
  if (sp) {
    out.policyStartType = { value: startTypeFromNumber(sp.value.startMode), source: sp.source };
    out.startType = out.policyStartType;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Roles

export interface RoleVerdict {
  /** null: the artifacts cannot tell. */
  present: boolean | null;
  reason: string;
  source?: Provenance;
}

export interface HostRoles {
  iis: RoleVerdict;
  dnsServer: RoleVerdict;
  domainController: RoleVerdict;
  rdpEnabled: RoleVerdict;
}

function serviceRole(state: HostState, names: string[], what: string): RoleVerdict | undefined {
  for (const n of names) {
    const s = effectiveService(state, n);
    if (s.exists === true) {
      const disabled = s.startType?.value === 'disabled';
      const src = s.startType?.source ?? state.services?.services[n.toLowerCase()]?.source;
      const reason = `service ${s.name} is ${disabled ? 'installed but disabled' : 'installed'}`;
      return src ? { present: !disabled, reason, source: src } : { present: !disabled, reason };
    }
  }
  if (state.services) return { present: false, reason: `no ${what} service (${names.join(', ')}) in the service list` };
  return undefined;
}

function listenerOwner(state: HostState, port: number, images: string[]): Provenance | undefined {
  const l = state.listeners?.listeners.find((x) => x.port === port && !x.loopback && (!x.process || images.includes(x.process.toLowerCase())));
  return l?.source;
}

/** Which server roles the host plays, each with the artifact that decided it. */
export function detectRoles(state: HostState): HostRoles {
  // IIS
  let iis: RoleVerdict;
  const ah = state.iis?.applicationHost;
  if (ah && (state.iis?.sites.length ?? 0) > 0) iis = { present: true, reason: `applicationHost.config defines ${state.iis!.sites.length} site(s)`, source: { artifact: ah.artifact } };
  else if (state.iis6 && Object.keys(state.iis6.keys).length > 0) iis = { present: true, reason: 'IIS 6 metabase present', source: { artifact: Object.values(state.iis6.keys)[0]!.source.artifact } };
  else iis = serviceRole(state, ['W3SVC', 'IISADMIN'], 'IIS') ?? { present: null, reason: 'neither applicationHost.config nor a service list was collected' };

  // DNS server
  let dnsServer = serviceRole(state, ['DNS'], 'DNS Server') ?? { present: null, reason: 'no service list was collected' };
  if (dnsServer.present !== true && state.dns && (Object.keys(state.dns.settings).length > 0 || Object.keys(state.dns.zones).length > 0)) {
    const first = Object.values(state.dns.settings)[0]?.source ?? Object.values(state.dns.zones)[0]?.source;
    dnsServer = { present: true, reason: 'DNS server settings or zones were exported', ...(first ? { source: first } : {}) };
  }
  if (dnsServer.present === null) {
    const src = listenerOwner(state, 53, ['dns.exe']);
    if (src) dnsServer = { present: true, reason: 'dns.exe (or an unknown process) listens on port 53', source: src };
  }

  // Domain controller
  let domainController: RoleVerdict;
  const role = state.system?.domainRole;
  if (role && role.value !== 'unknown') {
    const dc = role.value === 'primary-dc' || role.value === 'backup-dc';
    domainController = { present: dc, reason: `systeminfo OS configuration: ${role.value}`, source: role.source };
  } else {
    domainController = serviceRole(state, ['NTDS'], 'Active Directory Domain Services') ?? { present: null, reason: 'neither systeminfo nor a service list was collected' };
  }

  // RDP
  let rdpEnabled: RoleVerdict;
  const deny = effectiveDenyTsConnections(state);
  const term = effectiveService(state, 'TermService');
  if (term.startType?.value === 'disabled') rdpEnabled = { present: false, reason: 'TermService is disabled', source: term.startType.source };
  else if (deny.value !== undefined) {
    rdpEnabled = { present: deny.value === 0, reason: `fDenyTSConnections=${deny.value} (decided by the ${deny.decidedBy} key)`, ...(deny.source ? { source: deny.source } : {}) };
  } else {
    const port = effectiveRdpSetting(state, 'PortNumber').value ?? 3389;
    const src = listenerOwner(state, port, ['svchost.exe', 'termservice']);
    if (src) rdpEnabled = { present: true, reason: `a listener on the RDP port ${port}`, source: src };
    else if (deny.decidedBy === 'absent') rdpEnabled = { present: false, reason: 'fDenyTSConnections is absent (Windows Server default: RDP off)' };
    else rdpEnabled = { present: null, reason: 'the Terminal Server registry key was not collected' };
  }
  return { iis, dnsServer, domainController, rdpEnabled };
}

// ---------------------------------------------------------------------------------------------
// IIS configuration after inheritance (CONTROLS.md §3)

// A ConfigElement keeps its provenance in pieces (artifact, line, parent path) and the XML
// reader's attribute pairs; these accessors build a Provenance or a Sourced value only for the
// elements and attributes something reads.

/** Attributes that identify a collection entry or a location, best first: the XPath step of an
 *  element names the first of these it carries. */
const KEY_RANK = new Map(['path', 'name', 'verb', 'fileExtension', 'statusCode', 'protocol', 'segment', 'value', 'id'].map((k, i) => [k, i]));

// XPath pieces that repeat for every element or attribute of the same name (`/@name`, `[@path='`),
// made once per name: names come interned from the reader, so the lookups are cheap, and every
// concatenation allocates. Bounded like the other memos.
const PIECE_LIMIT = 4096;
const stepPieces = new Map<string, string>();
const attrPieces = new Map<string, string>();
const predicatePieces = new Map<string, string>();
function piece(m: Map<string, string>, before: string, name: string, after: string): string {
  let v = m.get(name);
  if (v === undefined) {
    v = before + name + after;
    if (m.size >= PIECE_LIMIT) m.clear();
    m.set(name, v);
  }
  return v;
}

/** `[@key='value']` for the best key attribute among `attrs` (pairs), '' when there is none. */
function keyPredicate(attrs: readonly string[]): string {
  let best = -1;
  let rank = KEY_RANK.size;
  for (let j = 0; j < attrs.length; j += 2) {
    const r = KEY_RANK.get(attrs[j]!);
    if (r !== undefined && r < rank) {
      rank = r;
      best = j;
    }
  }
  if (best < 0) return '';
  const v = attrs[best + 1]!;
  return piece(predicatePieces, '[@', attrs[best]!, "='") + (v.includes("'") ? v.replace(/'/g, '&apos;') : v) + "']";
}

/** XPath of a child named `name` of the element at `parentXpath` (without the child's predicate):
 *  what ConfigElement.path holds. */
export function configChildPath(parentXpath: string, name: string): string {
  return parentXpath + piece(stepPieces, '/', name, '');
}

/** The XPath of a configuration element, e.g. `/configuration/location[@path='Site']/system.webServer`. */
export function configXPath(el: ConfigElement): string {
  return el.path + keyPredicate(el.attrs);
}

/** Where a configuration element was read. */
export function configSource(el: ConfigElement): Provenance {
  return { artifact: el.artifact, line: el.line, xpath: configXPath(el) };
}

/** Where attribute `name` of `el` was read. */
export function configAttrSource(el: ConfigElement, name: string): Provenance {
  const from = el.attrSources;
  if (from !== undefined && Object.hasOwn(from, name)) return from[name]!;
  return { artifact: el.artifact, line: el.line, xpath: configXPath(el) + piece(attrPieces, '/@', name, '') };
}

/** The attribute at pair index `j` of `el.attrs`, with its provenance. */
function attrAt(el: ConfigElement, j: number): Sourced<string> {
  return { value: el.attrs[j + 1]!, source: configAttrSource(el, el.attrs[j]!) };
}

/** Attribute `name` of a configuration element, compared case-insensitively (the first match in
 *  document order), with its provenance; undefined when the element or attribute is absent. */
export function configAttr(el: ConfigElement | undefined, name: string): Sourced<string> | undefined {
  const j = attrIndex(el, name);
  return j < 0 ? undefined : attrAt(el!, j);
}

/** The value of attribute `name` (case-insensitive, first match), without building provenance. */
export function configAttrValue(el: ConfigElement | undefined, name: string): string | undefined {
  const j = attrIndex(el, name);
  return j < 0 ? undefined : el!.attrs[j + 1];
}

function attrIndex(el: ConfigElement | undefined, name: string): number {
  if (!el) return -1;
  const a = el.attrs;
  const want = lowerName(name);
  for (let j = 0; j < a.length; j += 2) if (a[j] === name || lowerName(a[j]!) === want) return j;
  return -1;
}

/** Every attribute of a configuration element as a record keyed by the name as written, in
 *  document order, each with its provenance. */
export function configAttributes(el: ConfigElement): Record<string, Sourced<string>> {
  const out: Record<string, Sourced<string>> = {};
  copyAttributes(out, el);
  return out;
}

function copyAttributes(out: Record<string, Sourced<string>>, el: ConfigElement): void {
  const a = el.attrs;
  for (let j = 0; j < a.length; j += 2) setOwn(out, a[j]!, attrAt(el, j));
}

/** Could `toLowerCase` change `s`? (An ASCII capital, or anything beyond ASCII.) Most element and
 *  attribute names and many values are lower case already, and this scan is cheaper than a copy
 *  or a memo lookup. */
function mayHaveUpper(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c >= 65 && c <= 90) || c > 127) return true;
  }
  return false;
}

/** `name.toLowerCase()` for element and attribute names (memoised: a bounded vocabulary). */
function lowerName(name: string): string {
  return mayHaveUpper(name) ? lowerCase(name) : name;
}

/** `value.toLowerCase()`, without a copy when nothing changes (values are not memoised: unbounded). */
function lowerValue(value: string): string {
  return mayHaveUpper(value) ? value.toLowerCase() : value;
}

/** One element after merging every configuration level that applies to a scope. Each attribute's
 *  source is the XPath of the attribute that decided it. */
export interface EffectiveElement {
  name: string;
  attributes: Record<string, Sourced<string>>;
  /** Non-collection child elements, by element name. */
  children: Record<string, EffectiveElement>;
  /** Collection entries (`<add>`, `<error>`, `<rule>`, …) after `<clear/>` and `<remove>`. */
  items: EffectiveItem[];
  /** The `<clear/>` that emptied the inherited collection, if any. */
  cleared?: Provenance;
}

/** A collection entry is the configuration element that added it (read its attributes with
 *  `configAttr`, its provenance with `configSource`): merging shares the element instead of
 *  copying its attributes. */
export type EffectiveItem = ConfigElement;

export type IisScope = { site: string; path?: string } | { webConfig: string };

export interface IisEffectiveConfig {
  /** `Default Web Site/app`, or the web.config's artifact name. */
  label: string;
  /** Section path → effective element. */
  sections: Record<string, EffectiveElement>;
  /** The configuration levels applied, outermost first. */
  levels: Provenance[];
}

/** Which elements a merge takes, as a tree of lower-case element names from the section level
 *  down: below a node with `all`, everything; elsewhere only the named children (and the
 *  element's own attributes). A query parameter, never part of the state. */
export interface IisElementFilter {
  all: boolean;
  /** The element's own attributes are what is wanted (used by callers deciding coverage). */
  attrs: boolean;
  next: Map<string, IisElementFilter>;
}

/** Element names that are entries of a collection rather than nested settings. */
const ITEM_ELEMENTS = new Set(['add', 'error', 'rule', 'site', 'application', 'virtualdirectory', 'binding', 'filter', 'provider', 'mimemap', 'scriptmap']);

/** Collection key of an entry: its first attribute (the key in nearly every IIS schema collection:
 *  name, verb, fileExtension, path, …), plus subStatusCode for httpErrors. A `<remove>` names the
 *  same attributes, so the same function keys both. */
function itemKey(attrs: readonly string[]): string | undefined {
  if (attrs.length === 0) return undefined;
  const first = `${lowerName(attrs[0]!)}=${lowerValue(attrs[1]!)}`;
  if (!first.startsWith('statuscode=')) return first;
  let sub: string | undefined;
  for (let j = 2; j < attrs.length; j += 2) if (lowerName(attrs[j]!) === 'substatuscode') sub = lowerValue(attrs[j + 1]!);
  return sub !== undefined ? `${first}|${sub}` : first;
}

/** Per merged element: collection key → index in `items`, rebuilt after a removal. Kept outside
 *  the element so EffectiveElement stays plain data. */
const itemIndex = new DerivedCache<EffectiveElement, Map<string, number>>();

function indexOf(target: EffectiveElement): Map<string, number> {
  let idx = itemIndex.get(target);
  if (!idx) {
    idx = new Map();
    const items = target.items;
    for (let i = 0; i < items.length; i++) {
      const k = itemKey(items[i]!.attrs);
      if (k !== undefined) idx.set(k, i);
    }
    itemIndex.set(target, idx);
  }
  return idx;
}

/** Do two or more of `children` have the name `lname` (in any case)? Siblings sharing a name form a
 *  collection. A scan for the few children of a settings element; for many, `counts` (built once
 *  per element by the caller) keeps the merge linear. */
function repeatedName(children: readonly ConfigElement[], lname: string, counts: Map<string, number> | undefined): boolean {
  if (counts !== undefined) return counts.get(lname)! > 1;
  let n = 0;
  for (let i = 0; i < children.length; i++) if (lowerName(children[i]!.name) === lname && ++n > 1) return true;
  return false;
}

/** How many children of each (lower-case) name. */
function nameCounts(children: readonly ConfigElement[]): Map<string, number> {
  const m = new Map<string, number>();
  for (let i = 0; i < children.length; i++) {
    const n = lowerName(children[i]!.name);
    m.set(n, (m.get(n) ?? 0) + 1);
  }
  return m;
}

/** Merge one configuration element into `target`, which the caller owns (may change in place).
 *  Children not in `owned` are shared with another scope's result and are copied before the
 *  first write, one element at a time along the path being written. Only the children `filter`
 *  names are merged (undefined: all of them). */
function mergeElement(target: EffectiveElement, el: ConfigElement, owned: Set<EffectiveElement>, filter: IisElementFilter | undefined): void {
  // Sourced values are made here, for the elements being merged only.
  const attrs = el.attrs;
  for (let j = 0; j < attrs.length; j += 2) setOwn(target.attributes, attrs[j]!, attrAt(el, j));
  const kids = el.children;
  // Whether a name repeats is asked only for nested elements (a handful per section): a Map of
  // name counts for every element with children was a tenth of the merge.
  let counts: Map<string, number> | undefined;
  for (let i = 0; i < kids.length; i++) {
    const c = kids[i]!;
    const lname = lowerName(c.name);
    let sub: IisElementFilter | undefined;
    if (filter !== undefined) {
      sub = filter.next.get(lname);
      if (sub === undefined) continue;
      if (sub.all) sub = undefined;
    }
    if (lname === 'clear') {
      target.items = [];
      target.cleared = configSource(c);
      itemIndex.delete(target);
    } else if (lname === 'remove') {
      const k = itemKey(c.attrs);
      const at = k === undefined ? undefined : indexOf(target).get(k);
      if (at !== undefined) {
        target.items = target.items.filter((_, n) => n !== at);
        itemIndex.delete(target);
      }
    } else if (ITEM_ELEMENTS.has(lname) || (kids.length > 1 && repeatedName(kids, lname, kids.length > 32 ? (counts ??= nameCounts(kids)) : undefined))) {
      const k = itemKey(c.attrs);
      const idx = indexOf(target);
      const at = k === undefined ? undefined : idx.get(k);
      if (at !== undefined) {
        // An <add> for an existing key is a configuration error in IIS (duplicate entry); the
        // later one is what a reader would expect to matter, so it replaces the earlier.
        target.items[at] = c;
      } else {
        target.items.push(c);
        if (k !== undefined) idx.set(k, target.items.length - 1);
      }
    } else {
      let child = ownValue(target.children, lname);
      if (child === undefined || !owned.has(child)) {
        child = child === undefined ? { name: c.name, attributes: {}, children: {}, items: [] } : shallowCopy(child);
        setOwn(target.children, lname, child);
        owned.add(child);
      }
      mergeElement(child, c, owned, sub);
    }
  }
}

/** A copy of one level: its children stay shared until written (see mergeElement). Copying the
 *  whole section for each site that set one attribute in it was most of the merge's cost. */
function shallowCopy(e: EffectiveElement): EffectiveElement {
  const out: EffectiveElement = { name: e.name, attributes: { ...e.attributes }, children: { ...e.children }, items: [...e.items] };
  if (e.cleared) out.cleared = e.cleared;
  return out;
}

/** Sections being built for one scope. Elements start shared with the memoised server level and
 *  are copied (one level at a time) the first time a deeper level writes to them. */
class SectionSet {
  readonly sections: Record<string, EffectiveElement>;
  /** Elements this scope created or copied: safe to change in place. */
  readonly owned = new Set<EffectiveElement>();
  constructor(
    readonly filter: IisElementFilter | undefined,
    base?: Record<string, EffectiveElement>,
  ) {
    this.sections = base ? { ...base } : {};
  }
  merge(id: string, el: ConfigElement): void {
    let sub: IisElementFilter | undefined;
    if (this.filter !== undefined) {
      sub = this.filter.next.get(id);
      if (sub === undefined) return;
      if (sub.all) sub = undefined;
    }
    let cur = ownValue(this.sections, id);
    if (cur === undefined || !this.owned.has(cur)) {
      cur = cur === undefined ? { name: el.name, attributes: {}, children: {}, items: [] } : shallowCopy(cur);
      setOwn(this.sections, id, cur);
      this.owned.add(cur);
    }
    mergeElement(cur, el, this.owned, sub);
  }
}

/** A `<location>` block with its path normalised once (every scope of every rule filters them). */
interface LocationEntry {
  loc: ConfigLocation;
  /** Lower-case path without leading or trailing slashes ('' for the file's own top level). */
  lpath: string;
  /** `lpath + '/'`: a scope at or below this path starts with it. */
  prefix: string;
  /** Lower-case path without trailing slashes, as an application's own location is compared. */
  lpathAsWritten: string;
  depth: number;
  noInherit: boolean;
}

/** A file's `<location>` blocks (its own top level included) in increasing path depth, document
 *  order within a depth: the order levels apply in (more specific wins). */
const locationEntries = new DerivedCache<ConfigFile, readonly LocationEntry[]>();
function locationsOf(file: ConfigFile): readonly LocationEntry[] {
  let entries = locationEntries.get(file);
  if (!entries) {
    entries = Object.values(file.locations)
      .map((loc) => {
        const lpath = loc.path.replace(/^\/+|\/+$/g, '').toLowerCase();
        return { loc, lpath, prefix: lpath + '/', lpathAsWritten: loc.path.replace(/\/+$/g, '').toLowerCase(), depth: depth(loc.path), noInherit: loc.inheritInChildApplications === false };
      })
      .sort((a, b) => a.depth - b.depth);
    locationEntries.set(file, entries);
  }
  return entries;
}

/** The lower-case paths of a file's `<location>` blocks, without surrounding slashes. */
export function iisLocationPaths(file: ConfigFile): string[] {
  return locationsOf(file).map((e) => e.lpath);
}

/** Does a location apply to the site path `target` (lower case, no trailing slash)? */
function locationMatches(e: LocationEntry, target: string): boolean {
  if (e.lpath === '' || e.lpath === '.') return true;
  return target === e.lpath || target.startsWith(e.prefix);
}

function applyLocation(set: SectionSet, loc: ConfigFile['locations'][string], levels: Provenance[]): void {
  levels.push(loc.source);
  const sections = loc.sections;
  for (const secPath in sections) if (Object.hasOwn(sections, secPath)) set.merge(lowerName(secPath), sections[secPath]!);
}

/** Apply a file's own level and its `<location>` blocks (all of them, or only those of depth 0
 *  when `topOnly`), in increasing path depth (more specific wins). */
function applyFile(set: SectionSet, file: ConfigFile, topOnly: boolean, levels: Provenance[], childApp = false): void {
  for (const e of locationsOf(file)) {
    if (topOnly && e.depth !== 0) continue;
    if (childApp && e.noInherit) continue;
    applyLocation(set, e.loc, levels);
  }
}

interface ServerLevel {
  sections: Record<string, EffectiveElement>;
  levels: Provenance[];
}

/** The applicationHost.config server level (top level and `<location path="">`), merged once per
 *  file and element filter, and shared by every scope. */
const serverLevel = new DerivedCache<ConfigFile, WeakMap<IisElementFilter, ServerLevel>>();
/** Stands for "no filter" in the memo. */
const EVERYTHING: IisElementFilter = { all: true, attrs: false, next: new Map() };
function serverBase(ah: ConfigFile, filter: IisElementFilter | undefined): ServerLevel {
  let byFilter = serverLevel.get(ah);
  if (!byFilter) serverLevel.set(ah, (byFilter = new WeakMap()));
  let base = byFilter.get(filter ?? EVERYTHING);
  if (!base) {
    const set = new SectionSet(filter);
    const levels: Provenance[] = [];
    applyFile(set, ah, true, levels);
    base = { sections: set.sections, levels };
    byFilter.set(filter ?? EVERYTHING, base);
  }
  return base;
}

function depth(p: string): number {
  const t = p.replace(/^\/+|\/+$/g, '');
  return t === '' || t === '.' ? 0 : t.split('/').length;
}

/** Every scope the IIS rules should judge: each site's root, each application, and each
 *  web.config that is not tied to a known site. */
export function iisScopes(state: HostState): IisScope[] {
  const out: IisScope[] = [];
  for (const site of state.iis?.sites ?? []) {
    out.push({ site: site.name });
    for (const app of site.applications) {
      // A path without its leading slash (seen in templated configs) still names a virtual path.
      const path = app.path.startsWith('/') ? app.path : `/${app.path}`;
      if (path !== '/') out.push({ site: site.name, path });
    }
  }
  for (const wc of state.iis?.webConfigs ?? []) {
    if (!wc.site || !state.iis?.sites.some((s) => s.name.toLowerCase() === wc.site!.toLowerCase())) out.push({ webConfig: wc.artifact });
  }
  return out;
}

/** The configuration in force for a site (or application), merging server level → `<location
 *  path="">` → `<location path="Site">` → the site's web.config → `<location path="Site/app">` →
 *  the application's web.config. A lone web.config merges over the server level only.
 *  With `filter`, only the elements it names are merged (rules ask for a few dozen paths of a
 *  config that holds thousands of entries). The result shares unchanged sections with other
 *  scopes: treat it as read-only. */
export function iisEffectiveConfig(state: HostState, scope: IisScope, filter?: IisElementFilter): IisEffectiveConfig {
  const f = filter?.all ? undefined : filter;
  const ah = state.iis?.applicationHost;
  const base = ah ? serverBase(ah, f) : undefined;
  const set = new SectionSet(f, base?.sections);
  const levels: Provenance[] = base ? base.levels.slice() : [];
  if ('webConfig' in scope) {
    const wc = state.iis?.webConfigs.find((w) => w.artifact === scope.webConfig);
    if (wc) applyFile(set, wc, false, levels);
    return { label: scope.webConfig, sections: set.sections, levels };
  }
  const appPath = scope.path ?? '/';
  const segments = appPath.split('/').filter((x) => x.length > 0);
  // Virtual paths from the site root down to the application: '/', '/a', '/a/b'. The web.config of
  // a virtual path at depth d applies after the appHost locations of depth ≤ d (it is closer).
  const chain = ['/', ...segments.map((_, i) => '/' + segments.slice(0, i + 1).join('/'))];
  const webConfigs = state.iis?.webConfigs ?? [];
  const target = `${scope.site}${appPath === '/' ? '' : appPath}`.toLowerCase();
  const trimmed = target.replace(/\/+$/g, '');
  let wi = 0;
  for (const e of ah ? locationsOf(ah) : []) {
    if (e.depth === 0 || !locationMatches(e, trimmed) || (e.noInherit && e.lpathAsWritten !== target)) continue;
    while (wi < chain.length && wi + 1 < e.depth) applyWebConfig(set, webConfigs, scope.site, chain[wi]!, levels, wi++ < chain.length - 1);
    applyLocation(set, e.loc, levels);
  }
  for (; wi < chain.length; wi++) applyWebConfig(set, webConfigs, scope.site, chain[wi]!, levels, wi < chain.length - 1);
  return { label: `${scope.site}${appPath === '/' ? '' : appPath}`, sections: set.sections, levels };
}

/** `childApp`: the scope is an application below this web.config's own, so blocks marked
 *  inheritInChildApplications="false" do not reach it. */
function applyWebConfig(set: SectionSet, webConfigs: ConfigFile[], site: string, vpath: string, levels: Provenance[], childApp = false): void {
  for (const wc of webConfigs) {
    if (!wc.site || wc.site.toLowerCase() !== site.toLowerCase()) continue;
    const vp = (wc.virtualPath ?? '/').replace(/\/+$/g, '') || '/';
    if (vp.toLowerCase() !== vpath.toLowerCase()) continue;
    applyFile(set, wc, true, levels, childApp);
  }
}

/** A child of `el` whose name is `lname` in any case. */
function childNamed(el: ConfigElement | undefined, lname: string): ConfigElement | undefined {
  if (!el) return undefined;
  const kids = el.children;
  for (let i = 0; i < kids.length; i++) if (lowerName(kids[i]!.name) === lname) return kids[i];
  return undefined;
}

/** A per-site element of `system.applicationHost/sites` (`logFile`, `traceFailedRequestsLogging`,
 *  `limits`, `hsts`, …): the site's own element over `<siteDefaults>`, attribute by attribute. */
export function iisSiteSetting(state: HostState, siteName: string, element: string): Record<string, Sourced<string>> {
  const out: Record<string, Sourced<string>> = {};
  const lelement = lowerName(element);
  const root = state.iis?.applicationHost?.locations[''];
  const sitesEl = childNamed(root && ownValue(root.sections, 'system.applicationhost'), 'sites');
  const defaults = childNamed(childNamed(sitesEl, 'sitedefaults'), lelement);
  if (defaults) copyAttributes(out, defaults);
  const lsite = siteName.toLowerCase();
  const site = state.iis?.sites.find((s) => s.name.toLowerCase() === lsite);
  const siteEl = site === undefined ? undefined : sitesEl?.children.find((c) => lowerName(c.name) === 'site' && exactAttrIs(c, 'name', site.name));
  const own = childNamed(siteEl, lelement);
  if (own) copyAttributes(out, own);
  return out;
}

/** Does `el` carry attribute `name` (exact spelling, as XML compares) with exactly `value`? */
function exactAttrIs(el: ConfigElement, name: string, value: string): boolean {
  const a = el.attrs;
  for (let j = 0; j < a.length; j += 2) if (a[j] === name && a[j + 1] === value) return true;
  return false;
}

/** IIS and ASP.NET schema defaults for the attributes the controls judge, used when no level
 *  sets the attribute (IIS_schema.xml / ASPNET_schema.xml defaults). */
export const IIS_SCHEMA_DEFAULTS: Record<string, string> = {
  'system.webServer/directoryBrowse@enabled': 'false',
  'system.webServer/httpErrors@errorMode': 'DetailedLocalOnly',
  'system.web/customErrors@mode': 'RemoteOnly',
  'system.web/compilation@debug': 'false',
  'system.web/trace@enabled': 'false',
  'system.web/httpRuntime@enableVersionHeader': 'true',
  'system.webServer/security/requestFiltering@allowDoubleEscaping': 'false',
  'system.webServer/security/requestFiltering@allowHighBitCharacters': 'true',
  'system.webServer/security/requestFiltering@removeServerHeader': 'false',
  'system.webServer/security/requestFiltering/requestLimits@maxAllowedContentLength': '30000000',
  'system.webServer/security/requestFiltering/requestLimits@maxUrl': '4096',
  'system.webServer/security/requestFiltering/requestLimits@maxQueryString': '2048',
  'system.webServer/security/requestFiltering/verbs@allowUnlisted': 'true',
  'system.webServer/security/requestFiltering/fileExtensions@allowUnlisted': 'true',
  'system.webServer/webdav/authoring@enabled': 'false',
  'system.webServer/security/access@sslFlags': 'None',
  'system.webServer/handlers@accessPolicy': 'Read',
  'system.webServer/security/dynamicIpSecurity/denyByConcurrentRequests@enabled': 'false',
  'system.webServer/security/dynamicIpSecurity/denyByRequestRate@enabled': 'false',
  'system.webServer/security/isapiCgiRestriction@notListedIsapisAllowed': 'false',
  'system.webServer/security/isapiCgiRestriction@notListedCgisAllowed': 'false',
};

/** Find an element by a slash path below the section level, e.g.
 *  `system.webServer/security/requestFiltering/requestLimits`. Section paths are matched
 *  longest-first, the rest walks non-collection children. */
export function iisElement(cfg: IisEffectiveConfig, path: string): EffectiveElement | undefined {
  const parts = pathParts(path);
  let el: EffectiveElement | undefined = ownValue(cfg.sections, parts[0] ?? '');
  for (let i = 1; i < parts.length && el; i++) el = ownValue(el.children, parts[i]!);
  return el;
}

// Rules name the same few dozen element paths for every scope of every bundle: split and
// lower-case each once. Bounded like the registry memos (a cache, safe to drop).
const pathPartsMemo = new Map<string, readonly string[]>();
function pathParts(path: string): readonly string[] {
  let parts = pathPartsMemo.get(path);
  if (!parts) {
    parts = path.split('/').filter((p) => p.length > 0).map((p) => p.toLowerCase());
    if (pathPartsMemo.size >= MEMO_LIMIT) pathPartsMemo.clear();
    pathPartsMemo.set(detached(path), parts);
  }
  return parts;
}

/** IIS_SCHEMA_DEFAULTS by lower-case `path@attribute`. */
const SCHEMA_DEFAULTS_LC = new Map(Object.entries(IIS_SCHEMA_DEFAULTS).map(([k, v]) => [k.toLowerCase(), v]));

/** An attribute after inheritance; falls back to the schema default (source artifact
 *  `IIS schema default`) when the attribute is set nowhere. */
export function iisSetting(cfg: IisEffectiveConfig, path: string, attribute: string): (Sourced<string> & { isDefault: boolean }) | undefined {
  const el = iisElement(cfg, path);
  const v = (el && ownValue(el.attributes, attribute)) ?? findAttr(el, attribute);
  if (v) return { value: v.value, source: v.source, isDefault: false };
  const def = schemaDefault(path, attribute);
  if (def !== undefined) return { value: def, source: { artifact: 'IIS schema default', xpath: `${path}/@${attribute}` }, isDefault: true };
  return undefined;
}

// Rules ask for the same few dozen path/attribute pairs at every scope: look each default up once.
const schemaDefaultMemo = new Map<string, Map<string, string | undefined>>();
function schemaDefault(path: string, attribute: string): string | undefined {
  let byAttr = schemaDefaultMemo.get(path);
  if (byAttr === undefined) {
    if (schemaDefaultMemo.size >= MEMO_LIMIT) schemaDefaultMemo.clear();
    schemaDefaultMemo.set(detached(path), (byAttr = new Map()));
  }
  if (byAttr.has(attribute)) return byAttr.get(attribute);
  const def = SCHEMA_DEFAULTS_LC.get(`${path}@${attribute}`.toLowerCase());
  if (byAttr.size < 256) byAttr.set(detached(attribute), def);
  return def;
}

/** Attribute of an effective element, compared case-insensitively (first in merge order). */
export function effectiveAttr(el: EffectiveElement | undefined, attribute: string): Sourced<string> | undefined {
  return findAttr(el, attribute);
}

function findAttr(el: EffectiveElement | undefined, attribute: string): Sourced<string> | undefined {
  if (!el) return undefined;
  const want = lowerName(attribute);
  const attrs = el.attributes;
  for (const k in attrs) if (Object.hasOwn(attrs, k) && lowerName(k) === want) return attrs[k];
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Accounts

/** secedit/systeminfo-independent: is the guest account active according to `net user Guest`? */
export function userActive(state: HostState, name: string): Sourced<boolean> | undefined {
  return state.accounts?.users[name.toLowerCase()]?.active;
}

/** Lower-case secedit `[System Access]` lookup. */
export function systemAccess(state: HostState, name: string): Sourced<number | string> | undefined {
  return state.securityPolicy?.systemAccess[name.toLowerCase()];
}

// ---------------------------------------------------------------------------------------------
// Domain role helpers

export function isDomainController(role: DomainRole | undefined): boolean {
  return role === 'primary-dc' || role === 'backup-dc';
}

// ---------------------------------------------------------------------------------------------
// Audit policy subcategory GUIDs (auditpol /list /subcategory:* /v), language-independent keys.

export const AUDIT_SUBCATEGORY_GUIDS = {
  securityStateChange: '0cce9210-69ae-11d9-bed3-505054503030',
  securitySystemExtension: '0cce9211-69ae-11d9-bed3-505054503030',
  systemIntegrity: '0cce9212-69ae-11d9-bed3-505054503030',
  ipsecDriver: '0cce9213-69ae-11d9-bed3-505054503030',
  otherSystemEvents: '0cce9214-69ae-11d9-bed3-505054503030',
  logon: '0cce9215-69ae-11d9-bed3-505054503030',
  logoff: '0cce9216-69ae-11d9-bed3-505054503030',
  accountLockout: '0cce9217-69ae-11d9-bed3-505054503030',
  specialLogon: '0cce921b-69ae-11d9-bed3-505054503030',
  otherLogonLogoffEvents: '0cce921c-69ae-11d9-bed3-505054503030',
  fileSystem: '0cce921d-69ae-11d9-bed3-505054503030',
  registry: '0cce921e-69ae-11d9-bed3-505054503030',
  fileShare: '0cce9224-69ae-11d9-bed3-505054503030',
  sensitivePrivilegeUse: '0cce9228-69ae-11d9-bed3-505054503030',
  nonSensitivePrivilegeUse: '0cce9229-69ae-11d9-bed3-505054503030',
  processCreation: '0cce922b-69ae-11d9-bed3-505054503030',
  auditPolicyChange: '0cce922f-69ae-11d9-bed3-505054503030',
  authenticationPolicyChange: '0cce9230-69ae-11d9-bed3-505054503030',
  authorizationPolicyChange: '0cce9231-69ae-11d9-bed3-505054503030',
  mpssvcRuleLevelPolicyChange: '0cce9232-69ae-11d9-bed3-505054503030',
  otherPolicyChangeEvents: '0cce9234-69ae-11d9-bed3-505054503030',
  userAccountManagement: '0cce9235-69ae-11d9-bed3-505054503030',
  computerAccountManagement: '0cce9236-69ae-11d9-bed3-505054503030',
  securityGroupManagement: '0cce9237-69ae-11d9-bed3-505054503030',
  distributionGroupManagement: '0cce9238-69ae-11d9-bed3-505054503030',
  applicationGroupManagement: '0cce9239-69ae-11d9-bed3-505054503030',
  otherAccountManagementEvents: '0cce923a-69ae-11d9-bed3-505054503030',
  directoryServiceAccess: '0cce923b-69ae-11d9-bed3-505054503030',
  directoryServiceChanges: '0cce923c-69ae-11d9-bed3-505054503030',
  credentialValidation: '0cce923f-69ae-11d9-bed3-505054503030',
  kerberosServiceTicketOperations: '0cce9240-69ae-11d9-bed3-505054503030',
  otherAccountLogonEvents: '0cce9241-69ae-11d9-bed3-505054503030',
  kerberosAuthenticationService: '0cce9242-69ae-11d9-bed3-505054503030',
  detailedFileShare: '0cce9244-69ae-11d9-bed3-505054503030',
  removableStorage: '0cce9245-69ae-11d9-bed3-505054503030',
  pnpActivity: '0cce9248-69ae-11d9-bed3-505054503030',
  groupMembership: '0cce9249-69ae-11d9-bed3-505054503030',
} as const;
