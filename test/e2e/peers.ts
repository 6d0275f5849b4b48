// The real servers the e2e tests and bench/probes.ts scan, started through the harness of
// test/harness/ (one 127.16.x.y address per server, stopped by pid).
//
// The harness is loaded at run time, by export name, so that a server the harness does not (yet)
// offer turns into a skipped test with the reason, not into a build error of every test file.
// Each start failure is kept with the harness's own message: the tests skip with that reason.
import type { Peer, Variant } from '../harness/peer.js';
import type { Protocol } from '../../src/core/result.js';
import { assertE2eAddress } from './support.js';

export type PeerKind = 'nginx' | 'apache' | 'php' | 'bind9' | 'samba' | 'xrdp' | 'freerdp-shadow' | 'vsftpd' | 'snmpd' | 'telnetd' | 'x11vnc' | 'mariadb' | 'postfix';

/** Export names tried, in order, per kind (the harness index re-exports every start function). */
const START_EXPORTS: Record<PeerKind, readonly string[]> = {
  nginx: ['startNginx'],
  apache: ['startApache'],
  php: ['startPhp'],
  bind9: ['startBind', 'startBind9'],
  samba: ['startSamba'],
  xrdp: ['startXrdp'],
  'freerdp-shadow': ['startFreerdpShadow', 'startFreeRdpShadow'],
  vsftpd: ['startVsftpd'],
  snmpd: ['startSnmpd'],
  telnetd: ['startTelnetd', 'startTelnet', 'startInetdTelnet'],
  x11vnc: ['startVnc', 'startX11vnc'],
  mariadb: ['startMariadb', 'startMariaDb', 'startMariaDB'],
  postfix: ['startPostfix'],
};

/** Harness modules tried when the index does not exist yet or lacks an export. */
const HARNESS_MODULES = ['../harness/index.js', '../harness/nginx.js', '../harness/apache.js', '../harness/php.js', '../harness/bind.js', '../harness/samba.js', '../harness/rdp.js', '../harness/vsftpd.js', '../harness/snmpd.js', '../harness/vnc.js', '../harness/telnetd.js', '../harness/telnet.js', '../harness/mariadb.js', '../harness/postfix.js', '../harness/hostile.js'];

type AnyStart = (opts: Record<string, unknown>) => Promise<Peer<object>>;

let harnessExports: Promise<Map<string, unknown>> | null = null;

/** Every export of every harness module that loads (a module that fails to load is skipped). */
export function harness(): Promise<Map<string, unknown>> {
  harnessExports ??= (async () => {
    const all = new Map<string, unknown>();
    for (const spec of HARNESS_MODULES) {
      let mod: Record<string, unknown>;
      try {
        // A variable specifier: the module may not exist in this checkout (see the header).
        const url = new URL(spec, import.meta.url).href;
        mod = (await import(url)) as Record<string, unknown>;
      } catch (e) {
        const code = (e as { code?: string }).code;
        if (code === 'ERR_MODULE_NOT_FOUND') continue;
        throw e;
      }
      for (const [k, v] of Object.entries(mod)) if (!all.has(k)) all.set(k, v);
    }
    return all;
  })();
  return harnessExports;
}

export async function harnessExport(names: readonly string[]): Promise<{ name: string; fn: unknown } | null> {
  const all = await harness();
  for (const n of names) if (typeof all.get(n) === 'function') return { name: n, fn: all.get(n) };
  return null;
}

/**
 * What each port role of a peer is, as the scan must report it. `internal` roles are helpers of the
 * harness (bind's silent upstream) that the scan must not touch. Unknown roles are not scanned and
 * are named in the diagnostics, so a harness change shows up rather than passing silently.
 */
export interface RoleInfo {
  protocols: readonly Protocol[];
  service: string;
  internal?: boolean;
}

const ROLES: Record<PeerKind, Record<string, RoleInfo>> = {
  nginx: {
    http: { protocols: ['tcp'], service: 'http' },
    https: { protocols: ['tcp'], service: 'https' },
    httpsWeakKey: { protocols: ['tcp'], service: 'https' },
    httpsExpired: { protocols: ['tcp'], service: 'https' },
  },
  apache: { http: { protocols: ['tcp'], service: 'http' } },
  php: { http: { protocols: ['tcp'], service: 'http' } },
  bind9: {
    dns: { protocols: ['tcp', 'udp'], service: 'dns' },
    silentUpstream: { protocols: ['udp'], service: 'none', internal: true },
  },
  samba: {
    smb: { protocols: ['tcp'], service: 'smb' },
    netbiosSession: { protocols: ['tcp'], service: 'netbios-ssn' },
    netbiosName: { protocols: ['udp'], service: 'netbios-ns' },
  },
  xrdp: { rdp: { protocols: ['tcp'], service: 'rdp' } },
  'freerdp-shadow': { rdp: { protocols: ['tcp'], service: 'rdp' } },
  vsftpd: { ftp: { protocols: ['tcp'], service: 'ftp' } },
  snmpd: { snmp: { protocols: ['udp'], service: 'snmp' } },
  telnetd: { telnet: { protocols: ['tcp'], service: 'telnet' } },
  x11vnc: { rfb: { protocols: ['tcp'], service: 'vnc' }, vnc: { protocols: ['tcp'], service: 'vnc' } },
  mariadb: { mysql: { protocols: ['tcp'], service: 'mysql' }, mariadb: { protocols: ['tcp'], service: 'mysql' } },
  postfix: { smtp: { protocols: ['tcp'], service: 'smtp' } },
};

export interface PeerPort {
  role: string;
  port: number;
  protocol: Protocol;
  service: string;
}

/** One server to start: which kind, which variant, where, and harness options (ports …). */
export interface PeerSpec {
  /** Unique label in a plan, e.g. `nginx/careless`. */
  label: string;
  kind: PeerKind;
  variant: Variant;
  address: string;
  /** Extra options for the harness start function (e.g. `ports: { rdp: 3390 }`). */
  options?: Record<string, unknown>;
}

export interface Started {
  spec: PeerSpec;
  peer: Peer<object>;
  /** The ports the scan should see open, by role. */
  ports: PeerPort[];
  /** Roles of the peer this table does not know (not scanned). */
  unknownRoles: string[];
}

export interface StartFailure {
  spec: PeerSpec;
  /** The harness's reason (missing export, or its start error message). */
  reason: string;
}

export function portsOfPeer(kind: PeerKind, peer: Peer<object>): { ports: PeerPort[]; unknownRoles: string[] } {
  const ports: PeerPort[] = [];
  const unknownRoles: string[] = [];
  for (const [role, value] of Object.entries(peer.ports as Record<string, unknown>)) {
    if (typeof value !== 'number' || value === 0) continue;
    const info = ROLES[kind][role];
    if (!info) {
      unknownRoles.push(`${role}=${value}`);
      continue;
    }
    if (info.internal) continue;
    for (const protocol of info.protocols) ports.push({ role, port: value, protocol, service: info.service });
  }
  return { ports, unknownRoles };
}

/** Starts one peer; a missing start function or a failing start becomes a StartFailure. */
export async function startPeer(spec: PeerSpec): Promise<Started | StartFailure> {
  assertE2eAddress(spec.address);
  const found = await harnessExport(START_EXPORTS[spec.kind]);
  if (!found) return { spec, reason: `the harness offers no ${spec.kind} peer (no export ${START_EXPORTS[spec.kind].join(' / ')} in test/harness/)` };
  try {
    const peer = await (found.fn as AnyStart)({ address: spec.address, variant: spec.variant, startTimeoutMs: 60_000, ...(spec.options ?? {}) });
    const { ports, unknownRoles } = portsOfPeer(spec.kind, peer);
    return { spec, peer, ports, unknownRoles };
  } catch (e) {
    return { spec, reason: `${found.name} failed: ${(e as Error).message.split('\n').slice(0, 6).join(' ')}` };
  }
}

export function isStarted(x: Started | StartFailure): x is Started {
  return 'peer' in x;
}

/**
 * Starts a plan's peers, a few at a time (the machine has few CPUs and other suites run beside us),
 * and returns what started and what could not (with reasons).
 */
export async function startPlan(plan: readonly PeerSpec[], parallel = 3): Promise<{ started: Map<string, Started>; failed: Map<string, StartFailure> }> {
  const labels = new Set<string>();
  const addresses = new Set<string>();
  for (const s of plan) {
    if (labels.has(s.label)) throw new Error(`e2e plan: duplicate label ${s.label}`);
    if (addresses.has(s.address)) throw new Error(`e2e plan: address ${s.address} used twice`);
    labels.add(s.label);
    addresses.add(s.address);
  }
  const started = new Map<string, Started>();
  const failed = new Map<string, StartFailure>();
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < plan.length) {
      const spec = plan[next++]!;
      const r = await startPeer(spec);
      if (isStarted(r)) started.set(spec.label, r);
      else failed.set(spec.label, r);
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, plan.length) }, worker));
  return { started, failed };
}

/** Stops every started peer; collects (does not throw on the first) errors. */
export async function stopAll(started: Iterable<Started>): Promise<string[]> {
  const errors: string[] = [];
  await Promise.all(
    [...started].map(async (s) => {
      try {
        await s.peer.stop();
      } catch (e) {
        errors.push(`${s.spec.label}: ${(e as Error).message}`);
      }
    }),
  );
  return errors;
}

/** Ports of all started peers by protocol (for --ports), sorted and unique. */
export function planPorts(started: Iterable<Started>): { tcp: number[]; udp: number[] } {
  const tcp = new Set<number>();
  const udp = new Set<number>();
  for (const s of started) for (const p of s.ports) (p.protocol === 'tcp' ? tcp : udp).add(p.port);
  const sort = (x: Set<number>): number[] => [...x].sort((a, b) => a - b);
  return { tcp: sort(tcp), udp: sort(udp) };
}
