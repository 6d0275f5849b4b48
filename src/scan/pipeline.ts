// The scan, end to end: targets → TCP connect scan (and UDP) → service identification →
// probes → inventory judgement → one HostResult per host, handed out as each host completes.
// `prepare` checks everything the user gave (targets, ports, inventory) before any packet is sent.
import type { HostResult, PortResult, PortTally, ScanDocument } from '../core/result.js';
import { countFailures } from '../core/result.js';
import { VERSION } from '../core/version.js';
import { netTransport, type Transport } from '../io/transport.js';
import { PROBES } from '../probes/index.js';
import { pool, runProbes, selectProbes, type ProbeSelection } from '../probes/runner.js';
import { applyPolicy, loadInventory, planTargets, type Inventory, type TargetPlan } from '../targets/index.js';
import { scanTcp, type HostScan } from './engine.js';
import { identifyService } from './identify.js';
import { IDENTIFIERS } from './identifiers/index.js';
import { resolvePorts } from './profiles.js';
import { scanUdp } from './udp.js';

export interface ScanPlan {
  targets: string[];
  inputLists: string[];
  exclude: string[];
  excludeFiles: string[];
  firstAddress: boolean;
  maxHosts: number;
  force: boolean;
  /** Profile name or explicit list. */
  ports: string;
  excludePorts: string;
  /** `profile`: UDP ports of the profile (windows has some); `on`: also for explicit lists; `off`: none. */
  udp: 'on' | 'off' | 'profile';
  probes: ProbeSelection;
  domains: string[];
  inventoryFile: string | undefined;
  timeoutMs: number;
  concurrency: number;
  rate: number | undefined;
}

export interface PreparedScan {
  plan: ScanPlan;
  targets: TargetPlan;
  inventory: Inventory | null;
  tcpPorts: number[];
  udpPorts: number[];
  /** Zone candidates known before the scan (--domain and the inventory's domains). */
  domains: string[];
  /** The options as understood, for the result document. */
  options: Record<string, unknown>;
  portsScanned: ScanDocument['portsScanned'];
}

export interface ExecuteHooks {
  signal?: AbortSignal;
  onHost?: (host: HostResult) => void;
  onProgress?: (p: { hostsDone: number; hostsTotal: number; openPorts: number; phase: string }) => void;
  /** Tests inject recorded transports; the real network otherwise. */
  io?: Transport;
}

/** Hosts being identified/probed at once while the port scan goes on. */
const HOSTS_IN_FLIGHT = 8;
/** Ports identified at once on one host. */
const IDENTIFY_PER_HOST = 6;

function compactPorts(ports: readonly number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < ports.length; ) {
    let j = i;
    while (j + 1 < ports.length && (ports[j + 1] as number) === (ports[j] as number) + 1) j++;
    parts.push(i === j ? `${ports[i]}` : `${ports[i]}-${ports[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}

async function prepare(plan: ScanPlan): Promise<PreparedScan> {
  const resolved = resolvePorts(plan.ports, { excludePorts: plan.excludePorts });
  const tcp = resolved.tcp;
  const udp = plan.udp === 'off' || (plan.udp === 'profile' && !resolved.udpByDefault) ? [] : resolved.udp;
  const inventory = plan.inventoryFile ? await loadInventory(plan.inventoryFile) : null;
  const targets = await planTargets(plan.targets, {
    inputFiles: plan.inputLists,
    exclude: plan.exclude,
    excludeFiles: plan.excludeFiles,
    firstAddress: plan.firstAddress,
    maxHosts: plan.maxHosts,
    force: plan.force,
  });
  const domains = [...new Set([...plan.domains, ...(inventory?.domains ?? [])].map((d) => d.toLowerCase().replace(/\.$/, '')))];
  return {
    plan,
    targets,
    inventory,
    tcpPorts: tcp,
    udpPorts: udp,
    domains,
    portsScanned: { tcp: compactPorts(tcp), ...(udp.length ? { udp: compactPorts(udp) } : {}) },
    options: {
      targets: plan.targets,
      inputLists: plan.inputLists,
      exclude: plan.exclude,
      excludeFiles: plan.excludeFiles,
      hosts: targets.count,
      ports: plan.ports,
      excludePorts: plan.excludePorts,
      tcpPorts: tcp.length,
      udpPorts: udp,
      probes: plan.probes,
      domains,
      inventory: plan.inventoryFile ?? null,
      timeoutMs: plan.timeoutMs,
      concurrency: plan.concurrency,
      rate: plan.rate ?? null,
    },
  };
}

function tallies(scan: HostScan): PortTally[] {
  return scan.extraPorts.map((e) => {
    const reasons = Object.keys(e.reasons);
    return { protocol: 'tcp' as const, state: e.state, count: e.count, ...(reasons.length === 1 ? { reason: reasons[0] as string } : {}) };
  });
}

async function finishHost(scan: HostScan, prepared: PreparedScan, io: Transport, domains: Set<string>, signal: AbortSignal | undefined): Promise<HostResult> {
  const { plan } = prepared;
  const ports: PortResult[] = [...scan.ports];
  let status = scan.status;
  if (prepared.udpPorts.length > 0 && !signal?.aborted) {
    const udp: PortResult[] = [];
    for await (const h of scanUdp([{ address: scan.address, names: scan.names }], { ports: prepared.udpPorts, transport: io, attemptTimeoutMs: Math.min(plan.timeoutMs, 1000), ...(signal ? { signal } : {}) })) udp.push(...h.ports);
    ports.push(...udp);
    if (udp.some((p) => p.state === 'open' || p.state === 'closed')) status = 'up';
  }
  const hostName = scan.names[0];
  const open = ports.filter((p) => p.protocol === 'tcp' && p.state === 'open');
  await pool(open, IDENTIFY_PER_HOST, async (p) => {
    if (signal?.aborted) return;
    p.service = await identifyService(scan.address, p.port, {
      io,
      catalog: IDENTIFIERS,
      timeoutMs: Math.min(plan.timeoutMs, 5000),
      ...(hostName ? { hostName } : {}),
      ...(signal ? { signal } : {}),
    });
  });
  ports.sort((a, b) => (a.protocol === b.protocol ? a.port - b.port : a.protocol === 'tcp' ? -1 : 1));
  for (const p of ports) for (const zone of zonesFromService(p)) domains.add(zone);
  const host: HostResult = { address: scan.address, names: scan.names, status, ports, findings: [] };
  const extra = tallies(scan);
  if (extra.length) host.extraPorts = extra;
  if (status === 'up' && !signal?.aborted) {
    host.findings = await runProbes(host, selectProbes(PROBES, plan.probes), {
      selection: plan.probes,
      io,
      domains,
      ...(signal ? { signal } : {}),
      maxProbeMs: Math.max(plan.timeoutMs * 10, 20_000),
    });
  }
  return applyPolicy(host, prepared.inventory);
}

/**
 * Zone candidates that identification itself revealed: the DNS domain an LDAP rootDSE or an SMB
 * negotiation names (`extra.domain`), and the parent of an LDAP server's dnsHostName.
 * Single-label names (NetBIOS workgroups) are not zones.
 */
export function zonesFromService(p: PortResult): string[] {
  const extra = p.service?.extra;
  if (!extra) return [];
  const host = extra['dnsHostName']?.toLowerCase();
  const candidates = [extra['domain']?.toLowerCase(), host?.includes('.') ? host.slice(host.indexOf('.') + 1) : undefined];
  return candidates.map((z) => z?.replace(/\.$/, '')).filter((z): z is string => !!z && /^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(z));
}

function addressKey(a: string): string {
  if (a.includes(':')) return `6${a}`;
  return `4${a
    .split('.')
    .map((o) => o.padStart(3, '0'))
    .join('.')}`;
}

async function execute(prepared: PreparedScan, hooks: ExecuteHooks = {}): Promise<ScanDocument> {
  const startedAt = new Date().toISOString();
  const io = hooks.io ?? netTransport;
  const domains = new Set<string>(prepared.domains);
  const hosts: HostResult[] = [];
  let hostsScanned = 0;
  let openPorts = 0;
  const total = prepared.targets.count;
  const tcp = scanTcp(prepared.targets, {
    ports: prepared.tcpPorts,
    concurrency: prepared.plan.concurrency,
    ...(prepared.plan.rate ? { rate: prepared.plan.rate } : {}),
    timeoutMs: prepared.plan.timeoutMs,
    ...(hooks.signal ? { signal: hooks.signal } : {}),
    onProgress: (p) => hooks.onProgress?.({ hostsDone: p.hostsDone, hostsTotal: total, openPorts, phase: 'port scan' }),
  });
  const inFlight = new Set<Promise<void>>();
  const complete = (h: HostResult): void => {
    hostsScanned++;
    if (h.status !== 'up') return;
    openPorts += h.ports.filter((p) => p.state === 'open').length;
    hosts.push(h);
    hooks.onHost?.(h);
    hooks.onProgress?.({ hostsDone: hostsScanned, hostsTotal: total, openPorts, phase: 'probing' });
  };
  for await (const scan of tcp) {
    if (scan.status !== 'up' && prepared.udpPorts.length === 0) {
      hostsScanned++;
      continue;
    }
    const job = finishHost(scan, prepared, io, domains, hooks.signal).then(complete);
    inFlight.add(job);
    void job.finally(() => inFlight.delete(job));
    if (inFlight.size >= HOSTS_IN_FLIGHT) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
  hosts.sort((a, b) => (addressKey(a.address) < addressKey(b.address) ? -1 : 1));
  return {
    tool: { name: 'portcullis', version: VERSION },
    command: 'scan',
    startedAt,
    finishedAt: new Date().toISOString(),
    options: prepared.options,
    ...(prepared.portsScanned ? { portsScanned: prepared.portsScanned } : {}),
    hosts,
    summary: {
      hostsScanned,
      hostsUp: hosts.length,
      openPorts,
      findings: countFailures(hosts),
      interrupted: Boolean(hooks.signal?.aborted),
    },
  };
}

export const runScanPipeline = { prepare, execute };
