// Test helpers for rules: small HostStates, built from native-format text through the real parsers
// where the format is compact (.reg, secedit INF, applicationHost.config), and from small slice
// builders where the collector's format is verbose (service lists, adapters, DNS, …).
// Used only by *.test.ts files.
import assert from 'node:assert/strict';
import { buildHostState, type BundleManifest, type ManifestEntry } from '../artifacts/bundle.js';
import type { AuditFinding } from '../audit/engine.js';
import { DEFAULT_AUDIT_OPTIONS, judge } from '../audit/engine.js';
import type { Status } from '../core/finding.js';
import { detectRoles } from '../host/effective.js';
import type {
  AccessEntry,
  AccountsState,
  Adapter,
  AuditPolicyState,
  DnsServerState,
  DnsZone,
  FirewallState,
  HostState,
  Listener,
  ServiceRunState,
  ServiceStartType,
  ServiceState,
  Sourced,
} from '../host/state.js';
import type { AnyRule, AuditOptions } from './define.js';

export const T = { artifact: 'test', line: 1 } as const;
export function s<T>(value: T, line = 1, artifact = 'test'): Sourced<T> {
  return { value, source: { artifact, line } };
}

/** A `.reg` file (REGEDIT5) with one block per key. Numbers are DWORDs, strings REG_SZ, arrays MULTI_SZ (hex(7)). */
export function regText(keys: Record<string, Record<string, number | string | string[]>>): string {
  const lines = ['Windows Registry Editor Version 5.00', ''];
  for (const [key, values] of Object.entries(keys)) {
    lines.push(`[${key.replace(/^HKLM\\/, 'HKEY_LOCAL_MACHINE\\').replace(/^HKCR\\/, 'HKEY_CLASSES_ROOT\\')}]`);
    for (const [name, v] of Object.entries(values)) {
      const n = name === '' ? '@' : `"${name}"`;
      if (typeof v === 'number') lines.push(`${n}=dword:${v.toString(16).padStart(8, '0')}`);
      else if (typeof v === 'string') lines.push(`${n}="${v.replace(/\\/g, '\\\\')}"`);
      else {
        const bytes: string[] = [];
        for (const str of v) {
          for (const ch of str) bytes.push((ch.charCodeAt(0) & 0xff).toString(16).padStart(2, '0'), '00');
          bytes.push('00', '00');
        }
        bytes.push('00', '00');
        lines.push(`${n}=hex(7):${bytes.join(',')}`);
      }
    }
    lines.push('');
  }
  return lines.join('\r\n');
}

/** A secedit export (UTF-16 is what Windows writes; the parser takes text too). */
export function seceditText(sections: Record<string, Record<string, string | number>>): string {
  const lines = ['[Unicode]', 'Unicode=yes'];
  for (const [sec, kv] of Object.entries(sections)) {
    lines.push(`[${sec}]`);
    // An empty value writes the key alone ([Service General Setting] lines have no "=").
    for (const [k, v] of Object.entries(kv)) lines.push(v === "" ? k : `${k} = ${v}`);
  }
  lines.push('[Version]', 'signature="$CHICAGO$"', 'Revision=1');
  return lines.join('\r\n') + '\r\n';
}

export interface FileSpec {
  text: string;
  /** For .reg files: the key the export covers (its absence of values is then meaningful). */
  key?: string;
  site?: string;
  virtualPath?: string;
}

/** Builds a HostState from native-format files (by name) plus directly built slices. */
export function hostFrom(files: Record<string, string | FileSpec>, extra: Partial<HostState> = {}, manifest: Partial<BundleManifest> = {}): HostState {
  const entries: ManifestEntry[] = [];
  const bundleFiles = Object.entries(files).map(([name, spec]) => {
    const f = typeof spec === 'string' ? { text: spec } : spec;
    const e: ManifestEntry = { file: name };
    if (f.key) e.key = f.key;
    if (f.site) e.site = f.site;
    if (f.virtualPath) e.virtualPath = f.virtualPath;
    entries.push(e);
    return { name, bytes: new TextEncoder().encode(f.text) };
  });
  const state = buildHostState({ files: bundleFiles, problems: [], manifest: { files: entries, ...manifest } });
  return { ...state, ...extra };
}

export function services(list: Array<{ name: string; start?: ServiceStartType; state?: ServiceRunState; dependents?: string[] }>): ServiceState {
  const out: ServiceState = { services: {} };
  list.forEach((x, i) => {
    out.services[x.name.toLowerCase()] = {
      name: x.name,
      ...(x.start ? { startType: s(x.start, i + 1, 'services.json') } : {}),
      ...(x.state ? { state: s(x.state, i + 1, 'services.json') } : {}),
      ...(x.dependents ? { dependents: s(x.dependents, i + 1, 'services.json') } : {}),
      source: { artifact: 'services.json', line: i + 1 },
    };
  });
  return out;
}

export function accounts(users: Array<{ name: string; active?: boolean; lastLogon?: string | null; passwordLastSet?: string }>, groups: Record<string, string[]> = {}): AccountsState {
  const out: AccountsState = { users: {}, groups: {}, userListComplete: true };
  users.forEach((u, i) => {
    out.users[u.name.toLowerCase()] = {
      name: u.name,
      ...(u.active !== undefined ? { active: s(u.active, i + 1, `net_user_${u.name}.txt`) } : {}),
      ...(u.lastLogon !== undefined ? { lastLogon: s({ raw: u.lastLogon ?? 'Never', iso: u.lastLogon }, 2, `net_user_${u.name}.txt`) } : {}),
      ...(u.passwordLastSet !== undefined ? { passwordLastSet: s({ raw: u.passwordLastSet, iso: u.passwordLastSet }, 3, `net_user_${u.name}.txt`) } : {}),
      source: { artifact: 'net_user.txt', line: i + 1 },
    };
  });
  for (const [g, members] of Object.entries(groups)) {
    out.groups[g.toLowerCase()] = { name: g, members: members.map((m, i) => s(m, i + 7, `net_localgroup_${g}.txt`)), source: { artifact: `net_localgroup_${g}.txt`, line: 1 } };
  }
  return out;
}

export function adapters(list: Array<Partial<Adapter> & { name: string; ips?: string[]; netbios?: number; smbBound?: boolean }>): { adapters: Record<string, Adapter> } {
  const out: Record<string, Adapter> = {};
  list.forEach((a, i) => {
    out[a.name.toLowerCase()] = {
      name: a.name,
      ...(a.settingId ? { settingId: a.settingId } : {}),
      ...(a.ips ? { ipAddresses: s(a.ips, i + 2, 'nicconfig.csv') } : {}),
      ...(a.netbios !== undefined ? { netbiosOptions: s(a.netbios, i + 2, 'nicconfig.csv') } : {}),
      ...(a.smbBound !== undefined ? { bindings: { ms_server: s(a.smbBound, i + 2, 'bindings.json') } } : {}),
      source: { artifact: 'nicconfig.csv', line: i + 2 },
    };
  });
  return { adapters: out };
}

export function firewall(profiles: Partial<Record<'domain' | 'private' | 'public', [boolean, 'block' | 'allow' | 'blockinboundalways' | 'notconfigured']>>): FirewallState {
  const out: FirewallState = { profiles: {} };
  let line = 1;
  for (const [k, v] of Object.entries(profiles)) {
    out.profiles[k as 'domain'] = { enabled: s(v[0], line + 2, 'firewall.txt'), inbound: s(v[1], line + 3, 'firewall.txt'), settings: {}, source: { artifact: 'firewall.txt', line } };
    line += 20;
  }
  return out;
}

export function listeners(list: Array<[protocol: 'tcp' | 'udp', address: string, port: number, process?: string]>): { listeners: Listener[]; connections: number; withOwners: boolean } {
  return {
    listeners: list.map(([protocol, address, port, process], i) => ({
      protocol,
      address,
      port,
      pid: 1000 + i,
      ...(process ? { process } : {}),
      allInterfaces: address === '0.0.0.0' || address === '::',
      loopback: address.startsWith('127.') || address === '::1',
      source: { artifact: 'netstat.txt', line: i + 5 },
    })),
    connections: 0,
    withOwners: list.some((l) => l[3] !== undefined),
  };
}

export function dns(d: Partial<Omit<DnsServerState, 'zones'>> & { zones?: Array<Partial<DnsZone> & { name: string }> } = {}): DnsServerState {
  const zones: Record<string, DnsZone> = {};
  (d.zones ?? []).forEach((z, i) => {
    zones[z.name.toLowerCase()] = { source: { artifact: `zoneinfo_${z.name}.txt`, line: 1 }, zoneType: s('primary', 2, `zoneinfo_${z.name}.txt`), ...z } as DnsZone;
    void i;
  });
  const { zones: _z, ...rest } = d;
  return { settings: { version: { name: 'Version', ...s('10.0.17763', 3, 'dnscmd_info.txt') } }, zoneListComplete: true, ...rest, zones };
}

export function auditPolicy(rows: Record<string, [success: boolean, failure: boolean]>): AuditPolicyState {
  const out: AuditPolicyState = { subcategories: {} };
  Object.entries(rows).forEach(([guid, [su, fa]], i) => {
    out.subcategories[guid] = { guid, name: guid, success: su, failure: fa, raw: su && fa ? 'Success and Failure' : su ? 'Success' : fa ? 'Failure' : 'No Auditing', source: { artifact: 'auditpol.csv', line: i + 2 } };
  });
  return out;
}

export function acl(path: string, entries: Array<[principal: string, rights: string, write: boolean]>): { paths: Record<string, { path: string; entries: AccessEntry[]; source: { artifact: string; line: number } }> } {
  return {
    paths: {
      [path.toLowerCase()]: {
        path,
        entries: entries.map(([principal, rights, canWrite], i) => ({ principal, flags: ['OI', 'CI', rights], rights: [rights], inherited: false, deny: false, canWrite, source: { artifact: 'icacls.txt', line: i + 1 } })),
        source: { artifact: 'icacls.txt', line: 1 },
      },
    },
  };
}

export function system(build: number, osName = 'Microsoft Windows Server 2019 Datacenter', role: 'member-server' | 'primary-dc' | 'standalone-server' = 'member-server') {
  return {
    hostName: s('WEB01', 1, 'systeminfo.txt'),
    osName: s(osName, 3, 'systeminfo.txt'),
    osBuild: s(build, 4, 'systeminfo.txt'),
    osKernel: s(build >= 10000 ? '10.0' : '6.3', 4, 'systeminfo.txt'),
    domainRole: s(role, 7, 'systeminfo.txt'),
  };
}

export const NOW = new Date('2026-11-21T12:00:00Z');

/** Runs one rule through the engine (roles, requires, isolation) and returns its finding. */
export function check(rule: AnyRule, state: HostState, options: Partial<AuditOptions> = {}, now = NOW): AuditFinding {
  return judge(rule, state, { now, host: 'WEB01', roles: detectRoles(state), options: { ...DEFAULT_AUDIT_OPTIONS, ...options } });
}

export interface Case {
  name: string;
  state: HostState;
  status: Status;
  /** Must match the evidence summary. */
  summary?: RegExp;
  /** Must match some evidence item's label or value. */
  item?: RegExp;
  options?: Partial<AuditOptions>;
  /** Severity expected on a failure (when it differs from the rule's). */
  severity?: string;
}

/** Asserts one table case and the invariants every verdict must satisfy. */
export function assertCase(rule: AnyRule, c: Case): AuditFinding {
  const f = check(rule, c.state, c.options);
  assert.equal(f.status, c.status, `${rule.id} / ${c.name}: got ${f.status}: ${f.evidence.summary}`);
  if (c.summary) assert.match(f.evidence.summary, c.summary, `${rule.id} / ${c.name}`);
  if (c.item) assert.ok((f.evidence.items ?? []).some((i) => c.item!.test(`${i.label} ${String(i.value)}`)), `${rule.id} / ${c.name}: no evidence item matches ${c.item}: ${JSON.stringify(f.evidence.items)}`);
  if (c.severity) assert.equal(f.severity, c.severity);
  if (f.status === 'fail') {
    assert.ok((f.evidence.items ?? []).length > 0, 'a failure carries evidence items');
    assert.ok((f.fix ?? []).length > 0, 'a failure carries fix operations or manual steps');
  }
  if (f.status === 'manual') assert.ok((f.commands ?? []).length > 0, 'a manual verdict names a command');
  return f;
}

export { DEFAULT_AUDIT_OPTIONS, detectRoles };
