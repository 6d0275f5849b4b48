// HostState: everything the host audit knows about one Windows server, built from the native
// artifacts in a bundle. Every value carries the artifact (and line or XPath) it came from, so a
// verdict can always be explained. A slice is `undefined` when no artifact provided it: rules must
// then answer `manual` with the command from COLLECT_COMMANDS, never a silent pass.
//
// Conventions used throughout this file:
// - Name-keyed records (`Record<string, X>`) are keyed by the LOWER-CASE name; the entry keeps the
//   name as written in `name`. Windows compares these names case-insensitively, and so do we.
// - Registry key paths are canonical: hive abbreviated (HKLM, HKCU, HKCR, HKU, HKCC), single
//   backslashes, no trailing backslash. See `canonicalKeyPath` in effective.ts.
// - Slices are plain JSON-serialisable data (no Map, no bigint, no class instances).
import type { Provenance } from '../core/finding.js';

export type { Provenance };

/** A value together with the place it was read from. */
export interface Sourced<T> {
  value: T;
  source: Provenance;
}

/** A problem met while reading an artifact. Parsers never throw; they report these and go on. */
export interface ParseProblem {
  artifact: string;
  line?: number;
  xpath?: string;
  /** `error`: part of the file could not be read (values from it may be missing).
   *  `warning`: something odd that was read anyway (e.g. a truncated list, an unknown section). */
  severity: 'error' | 'warning';
  reason: string;
}

/** What a parser returns: the slice it built and the problems it met. */
export interface ParseResult<T> {
  slice: T;
  problems: ParseProblem[];
}

// ---------------------------------------------------------------------------------------------
// Artifacts present in the bundle

export const ARTIFACT_KINDS = [
  'reg-export', // regedit / `reg export` .reg file
  'registry-pol', // Group Policy Registry.pol (binary PReg)
  'secedit-inf', // `secedit /export /cfg` or a GPO GptTmpl.inf
  'iis-applicationhost', // %windir%\System32\inetsrv\config\applicationHost.config
  'iis-webconfig', // a site's or application's web.config
  'iis6-metabase', // IIS 6 MetaBase.xml
  'iis-log', // IIS W3C access log
  'netstat', // `netstat -ano` or `netstat -anob`
  'systeminfo', // `systeminfo`
  'hotfix-wmic', // `wmic qfe` table or `wmic qfe ... /format:csv`
  'hotfix-json', // `Get-HotFix | ConvertTo-Json`
  'net-user-list', // `net user`
  'net-user', // `net user NAME`
  'net-localgroup-list', // `net localgroup`
  'net-localgroup', // `net localgroup NAME`
  'auditpol-csv', // `auditpol /get /category:* /r`
  'dnscmd-info', // `dnscmd /Info`
  'dnscmd-enumzones', // `dnscmd /EnumZones`
  'dnscmd-zoneinfo', // `dnscmd /ZoneInfo ZONE`
  'dns-cmdlet', // `Get-DnsServer*` as JSON or as Format-List text
  'services-sc', // `sc queryex type= service state= all`
  'services-json', // `Get-Service | ConvertTo-Json` / `Get-CimInstance Win32_Service`
  'icacls', // `icacls PATH`
  'firewall-netsh', // `netsh advfirewall show allprofiles`
  'adapters-nicconfig', // `wmic nicconfig get ...` (table or CSV)
  'adapters-json', // `Get-NetAdapterBinding` / `Get-NetIPAddress` / Win32_NetworkAdapterConfiguration JSON
  'defender-json', // `Get-MpComputerStatus | ConvertTo-Json`
] as const;
export type ArtifactKind = (typeof ARTIFACT_KINDS)[number];

/** One file of the bundle, as the manifest (or sniffing) described it. */
export interface ArtifactRecord {
  /** Path inside the bundle (forward slashes), or the file name for loose files. This is what
   *  every Provenance.artifact refers to. */
  file: string;
  /** `unknown` when neither the manifest nor sniffing recognised the file. */
  kind: ArtifactKind | 'unknown';
  /** How the kind was decided. */
  recognisedBy: 'manifest' | 'name' | 'content' | 'none';
  /** The command that produced it (from manifest.json). */
  command?: string;
  exitCode?: number;
  /** The collector's recorded error for this command (e.g. "dnscmd is not recognized"). */
  error?: string;
  bytes: number;
  encoding?: string;
  /** For web.config: the IIS site and virtual path it belongs to, when the manifest says. */
  site?: string;
  virtualPath?: string;
}

// ---------------------------------------------------------------------------------------------
// Registry

export type RegistryType =
  | 'REG_SZ'
  | 'REG_EXPAND_SZ'
  | 'REG_MULTI_SZ'
  | 'REG_DWORD'
  | 'REG_DWORD_BIG_ENDIAN'
  | 'REG_QWORD'
  | 'REG_BINARY'
  | 'REG_NONE'
  | 'REG_LINK'
  | 'REG_RESOURCE_LIST'
  | 'REG_UNKNOWN';

/** Registry data in a JSON-safe form. QWORDs beyond 2^53 are kept as a decimal string. */
export type RegistryData =
  | { type: 'REG_SZ' | 'REG_EXPAND_SZ' | 'REG_LINK'; value: string }
  | { type: 'REG_MULTI_SZ'; value: string[] }
  | { type: 'REG_DWORD' | 'REG_DWORD_BIG_ENDIAN'; value: number }
  | { type: 'REG_QWORD'; value: number | string }
  | { type: 'REG_BINARY' | 'REG_NONE' | 'REG_RESOURCE_LIST' | 'REG_UNKNOWN'; value: number[]; rawType?: number };

/** `local`: read from a .reg export (what the registry holds). `policy`: from a Registry.pol
 *  (what Group Policy writes and re-applies at every refresh). */
export type RegistryLayer = 'local' | 'policy';

export interface RegistryValueEntry {
  /** Value name as written; '' is the key's default value (`@`). */
  name: string;
  /** `deleted`: the artifact removes the value (`"x"=-` in a .reg, `**del.x` in a Registry.pol). */
  data: RegistryData | { type: 'deleted' };
  layer: RegistryLayer;
  source: Provenance;
}

export interface RegistryKeyEntry {
  /** Canonical path as written (case kept). */
  path: string;
  /** Lower-case value name → the entries for it, one per artifact that mentions it, in read order. */
  values: Record<string, RegistryValueEntry[]>;
  /** Where the key header appeared (`[HKEY_...]` in a .reg); for Registry.pol, the first entry. */
  sources: Provenance[];
  /** `[-HKEY...]` in a .reg, or `**DeleteKeys` in a Registry.pol. */
  deleted?: Provenance;
  /** `**delvals.` in a Registry.pol: every value of the key is removed before the policy values apply. */
  deleteAllValues?: Provenance;
}

export interface RegistryState {
  /** Lower-case canonical key path → key. */
  keys: Record<string, RegistryKeyEntry>;
  /** Subtrees a `reg export` wrote completely (per manifest.json): a value missing below one of
   *  these roots is really absent on the host, not merely uncollected. Canonical paths. */
  exportedRoots: Sourced<string>[];
  /** Keys a `reg export` reported as not existing on the host (the manifest's recorded error). */
  missingRoots: Sourced<string>[];
}

// ---------------------------------------------------------------------------------------------
// Security policy (secedit INF)

export interface SecurityPolicyEntry<T> extends Sourced<T> {
  /** Key as written in the INF. */
  name: string;
}

export interface SeceditRegistryValue {
  /** secedit's registry type number: 1 REG_SZ, 2 REG_EXPAND_SZ, 3 REG_BINARY, 4 REG_DWORD, 7 REG_MULTI_SZ. */
  type: number;
  /** The raw text after `type,` (quotes kept out). */
  raw: string;
  /** Decoded: number for type 4, string for 1/2, strings for 7, byte list for 3. */
  value: number | string | string[] | number[];
}

export interface SeceditService {
  /** 2 automatic, 3 manual, 4 disabled (same numbers as Services\<name>\Start). */
  startMode: number;
  sddl: string;
}

export interface SecurityPolicy {
  /** `[System Access]`: numbers where the value is numeric, else the string (quotes removed). */
  systemAccess: Record<string, SecurityPolicyEntry<number | string>>;
  /** `[Event Audit]`. */
  eventAudit: Record<string, SecurityPolicyEntry<number>>;
  /** `[Privilege Rights]`: right → principals (`*S-1-5-32-544` SIDs keep their `*`, names as written). */
  privilegeRights: Record<string, SecurityPolicyEntry<string[]>>;
  /** `[Registry Values]`: key is the lower-cased full path as written, e.g.
   *  `machine\system\currentcontrolset\control\lsa\restrictanonymous`. */
  registryValues: Record<string, SecurityPolicyEntry<SeceditRegistryValue>>;
  /** `[Service General Setting]`: lower-case service name → start mode and SDDL. */
  services: Record<string, SecurityPolicyEntry<SeceditService>>;
  /** Every other section, raw: section name (lower-case) → lines. */
  otherSections: Record<string, SecurityPolicyEntry<string>[]>;
}

// ---------------------------------------------------------------------------------------------
// Services

export type ServiceStartType = 'boot' | 'system' | 'auto' | 'delayed-auto' | 'manual' | 'disabled' | 'unknown';
export type ServiceRunState = 'running' | 'stopped' | 'start-pending' | 'stop-pending' | 'paused' | 'unknown';

export interface ServiceEntry {
  name: string;
  displayName?: string;
  state?: Sourced<ServiceRunState>;
  startType?: Sourced<ServiceStartType>;
  pid?: number;
  /** Services that depend on this one (Get-Service DependentServices), when collected. */
  dependents?: Sourced<string[]>;
  source: Provenance;
}

export interface ServiceState {
  /** Lower-case short name → service. */
  services: Record<string, ServiceEntry>;
}

// ---------------------------------------------------------------------------------------------
// Accounts and groups

export interface UserAccount {
  name: string;
  fullName?: Sourced<string>;
  comment?: Sourced<string>;
  active?: Sourced<boolean>;
  /** The raw text plus an ISO date when it could be read (`Never` → null). */
  lastLogon?: Sourced<{ raw: string; iso: string | null }>;
  passwordLastSet?: Sourced<{ raw: string; iso: string | null }>;
  passwordExpires?: Sourced<{ raw: string; iso: string | null }>;
  passwordRequired?: Sourced<boolean>;
  /** Local group names from "Local Group Memberships" (without the `*`). */
  localGroups?: Sourced<string[]>;
  /** Where the user was listed (net user) or described (net user NAME). */
  source: Provenance;
}

export interface LocalGroup {
  name: string;
  comment?: Sourced<string>;
  /** Members as written (`DOMAIN\name` or `name`), each with its line. Undefined when only listed. */
  members?: Sourced<string>[];
  source: Provenance;
}

export interface AccountsState {
  /** `\\COMPUTER` from the "User accounts for" header. */
  computer?: Sourced<string>;
  /** Lower-case user name → account. */
  users: Record<string, UserAccount>;
  /** Lower-case group name → group. */
  groups: Record<string, LocalGroup>;
  /** True when the plain `net user` list was read (so "absent from users" means "does not exist"). */
  userListComplete: boolean;
}

// ---------------------------------------------------------------------------------------------
// IIS 7+ (applicationHost.config / web.config)

/** One XML element of the configuration system, with attributes and children in document order. */
export interface ConfigElement {
  name: string;
  /** Attributes as flat pairs `[name0, value0, name1, value1, …]` in document order, names as
   *  written. Read them with `configAttr` / `configAttributes` (host/effective.ts), which give
   *  each value its own provenance: the element's artifact and line, XPath `…/@name`. Pairs
   *  rather than a record of Sourced values: a real applicationHost.config has thousands of
   *  attributes no control reads (mimeMap, handlers), and building a value, a provenance and an
   *  XPath for each was most of what parsing it allocated. */
  attrs: readonly string[];
  /** Provenance of attributes that do not come from this element's own tag: set only when a
   *  second block of the same section group (two `<system.webServer>` at one level) added or
   *  replaced them. Attribute name (as written) → where it was read. */
  attrSources?: Record<string, Provenance>;
  children: readonly ConfigElement[];
  /** Where the element was read: artifact, line, and `path`, the parent's XPath plus this
   *  element's step (`/configuration/system.webServer/staticContent/mimeMap`), shared by siblings
   *  of the same name. The element's own XPath adds a key predicate made from its attributes
   *  (`…/mimeMap[@fileExtension='.txt']`); `configSource` (host/effective.ts) builds the whole
   *  Provenance. Kept in pieces because most elements (mimeMap, handler entries) are never cited,
   *  and a Provenance object and XPath string for each was most of what the model allocated. */
  artifact: string;
  line: number;
  path: string;
}

/** One `<location>` block (or the file's own top level, path ''). */
export interface ConfigLocation {
  path: string;
  sections: Record<string, ConfigElement>;
  source: Provenance;
  /** `inheritInChildApplications="false"`: the settings stop at this path's own application. */
  inheritInChildApplications?: boolean;
}

/** A configuration file's sections, split by `<location path>`. */
export interface ConfigFile {
  artifact: string;
  kind: 'applicationHost' | 'web.config';
  /** Lower-case `<location path>` ('' for the file's own top level) → its top-level section
   *  groups, keyed by lower-case element name (`system.webserver`, `system.web`,
   *  `system.applicationhost`). Deeper sections are children of these elements; use
   *  `iisElement`/`iisSetting` in effective.ts to reach them by a path like
   *  `system.webServer/security/requestFiltering`. `configSections` and `configProtectedData`
   *  are not kept. */
  locations: Record<string, ConfigLocation>;
  /** Sections with `configSource="..."`: their content lives in another file. */
  configSources: Sourced<string>[];
  /** For a web.config, the site and virtual path it belongs to, if known. */
  site?: string;
  virtualPath?: string;
}

export interface IisBinding {
  protocol: string;
  bindingInformation: string;
  /** Parsed from bindingInformation `ip:port:host` when the protocol is http/https. */
  ip?: string;
  port?: number;
  hostName?: string;
  sslFlags?: number;
  source: Provenance;
}

export interface IisApplication {
  path: string;
  applicationPool?: string;
  virtualDirectories: { path: string; physicalPath: string; source: Provenance }[];
  source: Provenance;
}

export interface IisSite {
  name: string;
  id?: string;
  bindings: IisBinding[];
  applications: IisApplication[];
  /** The site's own `<logFile>` element, if any (siteDefaults apply otherwise; see effective.ts). */
  logFile?: ConfigElement;
  source: Provenance;
}

export interface IisAppPool {
  name: string;
  identityType?: Sourced<string>;
  userName?: Sourced<string>;
  managedRuntimeVersion?: Sourced<string>;
  source: Provenance;
}

export interface IisState {
  /** applicationHost.config (at most one is used; more are reported as a problem). */
  applicationHost?: ConfigFile;
  webConfigs: ConfigFile[];
  sites: IisSite[];
  appPools: IisAppPool[];
}

// ---------------------------------------------------------------------------------------------
// IIS 6 metabase

export interface MetabaseKey {
  /** `Location` attribute, e.g. `/LM/W3SVC/1/ROOT`. */
  location: string;
  /** Element name, e.g. `IIsWebVirtualDir`. */
  keyType: string;
  /** Attribute name (as written) → value. Lower-case keys. */
  properties: Record<string, SecurityPolicyEntry<string>>;
  source: Provenance;
}

export interface Iis6Metabase {
  /** Lower-case location → key. */
  keys: Record<string, MetabaseKey>;
}

// ---------------------------------------------------------------------------------------------
// DNS server

export interface DnsZone {
  name: string;
  /** primary | secondary | stub | forwarder | cache | unknown */
  zoneType?: Sourced<string>;
  dsIntegrated?: Sourced<boolean>;
  reverse?: Sourced<boolean>;
  autoCreated?: Sourced<boolean>;
  /** 0 to any server, 1 only to NS servers, 2 only to listed servers, 3 none. */
  secureSecondaries?: Sourced<number>;
  secondaryServers?: Sourced<string[]>;
  /** 0 none, 1 nonsecure and secure, 2 secure only. */
  allowUpdate?: Sourced<number>;
  notify?: Sourced<number>;
  source: Provenance;
}

export interface DnsServerState {
  /** Every server setting read, lower-case name → raw text (dnscmd names like `fnorecursion` and
   *  cmdlet names like `enableversionquery` both live here). */
  settings: Record<string, SecurityPolicyEntry<string>>;
  /** Normalised facts the controls need (undefined when no artifact said). */
  recursionEnabled?: Sourced<boolean>;
  secureResponses?: Sourced<boolean>;
  /** 0 off; 1 or 2: the server answers version.bind. */
  enableVersionQuery?: Sourced<number>;
  /** Empty list = listening on all addresses. */
  listenAddresses?: Sourced<string[]>;
  allAddresses?: Sourced<string[]>;
  version?: Sourced<string>;
  rootHints?: Sourced<{ name: string; addresses: string[] }[]>;
  /** Lower-case zone name → zone. */
  zones: Record<string, DnsZone>;
  /** True once a zone enumeration (dnscmd /EnumZones or Get-DnsServerZone) was read. */
  zoneListComplete: boolean;
}

// ---------------------------------------------------------------------------------------------
// Network listeners (netstat)

export interface Listener {
  protocol: 'tcp' | 'udp';
  /** As printed: `0.0.0.0`, `::`, `127.0.0.1`, `fe80::1%4` (brackets removed). */
  address: string;
  port: number;
  pid?: number;
  /** Image name from `netstat -b` (`[svchost.exe]`). */
  process?: string;
  /** Service tags from `netstat -b` (e.g. `RpcSs`). */
  services?: string[];
  /** True for 0.0.0.0 / :: (every interface). */
  allInterfaces: boolean;
  loopback: boolean;
  source: Provenance;
}

export interface ListenerState {
  listeners: Listener[];
  /** Count of non-listening connection rows seen (ESTABLISHED, TIME_WAIT, ...). */
  connections: number;
  /** True when the capture had `-b` ownership lines. */
  withOwners: boolean;
}

// ---------------------------------------------------------------------------------------------
// systeminfo and hotfixes

export type DomainRole =
  | 'standalone-workstation'
  | 'member-workstation'
  | 'standalone-server'
  | 'member-server'
  | 'backup-dc'
  | 'primary-dc'
  | 'unknown';

export interface SystemInfo {
  hostName?: Sourced<string>;
  osName?: Sourced<string>;
  /** e.g. `6.3.9600 N/A Build 9600`, raw. */
  osVersion?: Sourced<string>;
  /** Numeric build (9600, 14393, 17763, 20348, ...). */
  osBuild?: Sourced<number>;
  /** `major.minor` from the version line, e.g. `6.3`, `10.0`. */
  osKernel?: Sourced<string>;
  /** OS configuration line mapped to a role (language-independent by position and keyword). */
  domainRole?: Sourced<DomainRole>;
  domain?: Sourced<string>;
  logonServer?: Sourced<string>;
  installDate?: Sourced<{ raw: string; iso: string | null }>;
  bootTime?: Sourced<{ raw: string; iso: string | null }>;
  /** The "N Hotfix(s) Installed." count, which can exceed the listed entries. */
  hotfixesReported?: Sourced<number>;
}

export interface Hotfix {
  /** `KB5005039`, upper-case, or the raw text for placeholders like `File 1`. */
  id: string;
  description?: string;
  /** ISO date `YYYY-MM-DD` when the date could be read. */
  installedOn?: string | null;
  installedOnRaw?: string;
  source: Provenance;
}

export interface HotfixState {
  hotfixes: Hotfix[];
}

// ---------------------------------------------------------------------------------------------
// Audit policy (auditpol /r)

export interface AuditSubcategory {
  /** Lower-case GUID without braces. */
  guid: string;
  /** Localised name as printed. */
  name: string;
  success: boolean;
  failure: boolean;
  /** "Inclusion Setting" as printed (localised). */
  raw: string;
  source: Provenance;
}

export interface AuditPolicyState {
  /** Lower-case GUID (no braces) → subcategory. */
  subcategories: Record<string, AuditSubcategory>;
}

// ---------------------------------------------------------------------------------------------
// Firewall (netsh advfirewall show allprofiles)

export type FirewallProfileName = 'domain' | 'private' | 'public';

export interface FirewallProfile {
  enabled?: Sourced<boolean>;
  inbound?: Sourced<'block' | 'blockinboundalways' | 'allow' | 'notconfigured'>;
  outbound?: Sourced<'block' | 'allow' | 'notconfigured'>;
  /** Every `Name   Value` line of the profile, lower-case name → raw value. */
  settings: Record<string, SecurityPolicyEntry<string>>;
  source: Provenance;
}

export interface FirewallState {
  profiles: Partial<Record<FirewallProfileName, FirewallProfile>>;
}

// ---------------------------------------------------------------------------------------------
// Network adapters (NetBIOS, bindings)

export interface Adapter {
  /** Description, or interface alias for JSON sources. */
  name: string;
  index?: number;
  settingId?: string;
  ipAddresses?: Sourced<string[]>;
  ipEnabled?: Sourced<boolean>;
  /** 0 from DHCP, 1 enabled, 2 disabled. */
  netbiosOptions?: Sourced<number>;
  /** Component id (lower-case, e.g. `ms_server`, `ms_msclient`) → bound. */
  bindings?: Record<string, Sourced<boolean>>;
  source: Provenance;
}

export interface AdapterState {
  /** Lower-case adapter name → adapter. */
  adapters: Record<string, Adapter>;
}

// ---------------------------------------------------------------------------------------------
// File-system ACLs (icacls)

export interface AccessEntry {
  principal: string;
  /** Permission tokens in order, e.g. ['OI','CI','F'] or ['I','RX']. */
  flags: string[];
  /** Simple rights: F, M, RX, R, W, D, N, or the special list `(...)`. */
  rights: string[];
  inherited: boolean;
  deny: boolean;
  /** True when the rights include write (F, M, W, WD, AD, GW, GA, ...). */
  canWrite: boolean;
  source: Provenance;
}

export interface AclState {
  /** Lower-case path → entries. */
  paths: Record<string, { path: string; entries: AccessEntry[]; source: Provenance }>;
}

// ---------------------------------------------------------------------------------------------
// Anti-virus (Get-MpComputerStatus)

export interface AntivirusState {
  antivirusEnabled?: Sourced<boolean>;
  realTimeProtectionEnabled?: Sourced<boolean>;
  antivirusSignatureAge?: Sourced<number>;
  antivirusSignatureLastUpdated?: Sourced<string>;
  amServiceEnabled?: Sourced<boolean>;
  /** All scalar properties, lower-case name → raw string. */
  properties: Record<string, SecurityPolicyEntry<string>>;
}

// ---------------------------------------------------------------------------------------------
// IIS logs (W3C)

export interface IisLogState {
  files: {
    artifact: string;
    software?: string;
    /** Each `#Fields:` layout met, with its line. */
    layouts: Sourced<string[]>[];
    entries: number;
    malformedLines: number;
  }[];
}

// ---------------------------------------------------------------------------------------------
// The whole host

export interface HostState {
  host: {
    /** From manifest.json, else systeminfo, else net user's `\\COMPUTER`. */
    name?: Sourced<string>;
    /** ISO time of collection from manifest.json. */
    collectedAt?: Sourced<string>;
  };
  /** Every file of the bundle, recognised or not. */
  artifacts: ArtifactRecord[];
  /** Everything that could not be read, file by file. */
  problems: ParseProblem[];
  registry?: RegistryState;
  securityPolicy?: SecurityPolicy;
  services?: ServiceState;
  accounts?: AccountsState;
  iis?: IisState;
  iis6?: Iis6Metabase;
  iisLogs?: IisLogState;
  dns?: DnsServerState;
  listeners?: ListenerState;
  system?: SystemInfo;
  hotfixes?: HotfixState;
  auditPolicy?: AuditPolicyState;
  firewall?: FirewallState;
  adapters?: AdapterState;
  acls?: AclState;
  antivirus?: AntivirusState;
}

/** The optional data slices of HostState (what a rule can `require`). */
export type HostSlice = Exclude<keyof HostState, 'host' | 'artifacts' | 'problems'>;

/** The collector command that would provide each slice, for `manual` verdicts. */
export const COLLECT_COMMANDS: Record<HostSlice, string> = {
  registry: 'reg export <key> <file>.reg /y  (keys listed in CONTROLS.md; the collector exports them all)',
  securityPolicy: 'secedit /export /cfg secpol.inf /areas SECURITYPOLICY USER_RIGHTS REGKEYS SERVICES',
  services: 'sc queryex type= service state= all  (or Get-Service | ConvertTo-Json)',
  accounts: 'net user; net user <name>; net localgroup; net localgroup Administrators',
  iis: 'copy %windir%\\System32\\inetsrv\\config\\applicationHost.config and each site\'s web.config',
  iis6: 'copy %windir%\\System32\\inetsrv\\MetaBase.xml',
  iisLogs: 'copy the newest W3C log of each site',
  dns: 'dnscmd /Info; dnscmd /EnumZones; dnscmd /ZoneInfo <zone>  (or Get-DnsServerSetting -All | ConvertTo-Json)',
  listeners: 'netstat -anob  (netstat -ano when not elevated)',
  system: 'systeminfo',
  hotfixes: 'wmic qfe list full /format:csv  (or Get-HotFix | ConvertTo-Json)',
  auditPolicy: 'auditpol /get /category:* /r',
  firewall: 'netsh advfirewall show allprofiles',
  adapters: 'wmic nicconfig get Description,Index,IPAddress,IPEnabled,SettingID,TcpipNetbiosOptions /format:csv; Get-NetAdapterBinding | ConvertTo-Json',
  acls: 'icacls <IIS log folder>; icacls <content folder>; icacls %windir%\\System32\\inetsrv\\config',
  antivirus: 'Get-MpComputerStatus | ConvertTo-Json',
};

/** A fresh, empty HostState (no slices: nothing collected). */
export function emptyHostState(): HostState {
  return { host: {}, artifacts: [], problems: [] };
}
