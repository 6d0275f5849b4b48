// The TCP connect-scan engine: targets stream in, per-host results stream out as each host
// completes (PROTOCOLS.md §The scanner).
//
// Shape of the work: the coordinator (this module) turns hosts × ports into *units* of about two
// thousand probes and hands them to schedulers — in worker threads for big scans, in-process for
// small ones or when a test injects a connector. A full-range host becomes ~32 units spread over
// the schedulers and interleaved with the units of a few other hosts; a sweep of many hosts over a
// few ports packs many hosts into one unit. Only a bounded number of hosts is in flight, each held
// as one byte per port, so a /16 never exists in memory as 65,536 objects.
//
// States and reasons: open (syn-ack), closed (conn-refused; also self-connect), filtered
// (no-response after the retries, host-unreach for ICMP unreachable/prohibited, local-firewall when
// our own host refused to send). Note the kernel reports an ICMP *port*-unreachable answer to a SYN
// exactly like a RST (ECONNREFUSED), so a connect scan calls such a port closed, as nmap -sT does.
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { PortcullisError } from '../core/errors.js';
import type { PortResult, PortState } from '../core/result.js';
import { type Connector, defaultConnector } from './engine-connector.js';
import { CODE, Scheduler, type SchedulerOptions, type UnitDone, type UnitSpec } from './engine-scheduler.js';
import type { WorkerIn, WorkerOut } from './engine-worker.js';

export type { Connector, ConnectOutcome, ConnectInfo, ConnectDone } from './engine-connector.js';
export { socketConnector, defaultConnector, usingRawConnector } from './engine-connector.js';

export interface ScanTarget {
  address: string;
  names?: readonly string[];
}

export type TcpReason = 'syn-ack' | 'conn-refused' | 'no-response' | 'host-unreach' | 'self-connect' | 'local-firewall' | 'error';

export interface TcpScanOptions {
  /** Ports to scan, already resolved (profiles.ts resolvePorts); duplicates are ignored. */
  ports: readonly number[];
  /** Most connections in flight at once (--concurrency). Default 1024. */
  concurrency?: number;
  /** Most new connections per second (--rate). Default: no limit. */
  rate?: number;
  /** Upper bound for one attempt in ms (--timeout). Default 1500. */
  timeoutMs?: number;
  /** Lower bound of the RTT-based timeout. Default 100 (never above timeoutMs). */
  minTimeoutMs?: number;
  /** Timeout before any round trip has been measured. Default 1000 (clamped to the bounds). */
  initialTimeoutMs?: number;
  /** Retries of a silent port before it is `filtered`. Default 1. */
  retries?: number;
  /** Ceiling for retries when a host shows loss (a port answered only on a retry). Default 4. */
  maxRetries?: number;
  /** Stops the scan promptly; hosts in progress come out with `complete: false`. */
  signal?: AbortSignal;
  /** Worker threads; 0 = scan in this thread. Default: automatic (by scan size and CPU count). */
  workers?: number;
  /** Connection strategy (tests). Forces an in-process scan. */
  connector?: Connector;
  /** Full-range scans: how many hosts are interleaved at once. Default 8. */
  hostParallelism?: number;
  /**
   * A closed or filtered state with more ports than this is summarised in `extraPorts` instead of
   * listed (nmap's "Not shown: 65530 closed ports"). Default 25; Infinity lists everything.
   */
  collapseAbove?: number;
  /** Called after each finished unit of work. */
  onProgress?: (p: ScanProgress) => void;
}

export interface ScanProgress {
  hostsStarted: number;
  hostsDone: number;
  probesSent: number;
  /** Ports decided so far (all hosts). */
  portsDone: number;
}

export interface ExtraPorts {
  state: PortState;
  count: number;
  /** How many of them for each reason. */
  reasons: Partial<Record<TcpReason, number>>;
}

export interface HostScan {
  address: string;
  names: string[];
  /** `up` when any port answered (open or closed). */
  status: 'up' | 'down';
  /** Every open port, and the closed/filtered ports of states that were not collapsed; by port. */
  ports: PortResult[];
  /** States summarised instead of listed. */
  extraPorts: ExtraPorts[];
  counts: { open: number; closed: number; filtered: number; unscanned: number };
  /** False when the scan was stopped before every port of this host was decided. */
  complete: boolean;
  durationMs: number;
}

/** The running scan: iterate it for hosts; `stats()` at any time. */
export interface TcpScan extends AsyncIterable<HostScan> {
  stats(): ScanProgress & { interrupted: boolean; workers: number };
}

const UNIT_PROBES = 2048;
const UNITS_PER_RUNNER = 4;
const MAX_QUEUED_RESULTS = 512;

const STATE_OF: Record<number, { state: PortState; reason: TcpReason } | undefined> = {
  [CODE.open]: { state: 'open', reason: 'syn-ack' },
  [CODE.closed]: { state: 'closed', reason: 'conn-refused' },
  [CODE.filtered]: { state: 'filtered', reason: 'no-response' },
  [CODE.unreach]: { state: 'filtered', reason: 'host-unreach' },
  [CODE.selfConnect]: { state: 'closed', reason: 'self-connect' },
  [CODE.denied]: { state: 'filtered', reason: 'local-firewall' },
  [CODE.error]: { state: 'filtered', reason: 'error' },
};

function checkInt(name: string, v: number | undefined, min: number, max: number, dflt: number): number {
  if (v === undefined) return dflt;
  if (!Number.isFinite(v) || v < min || v > max) throw new PortcullisError('E_USAGE', `${name} must be a number from ${min} to ${max} (got ${v})`);
  return v;
}

/** Check and complete the options (throws E_USAGE naming the bad option). */
function settle(o: TcpScanOptions) {
  const ports = [...new Set(o.ports)].sort((a, b) => a - b);
  for (const p of ports) {
    if (!Number.isInteger(p) || p < 1 || p > 65535) throw new PortcullisError('E_USAGE', `port ${p} is not a TCP port (1-65535)`);
  }
  const timeoutMs = checkInt('timeout', o.timeoutMs, 1, 600_000, 1500);
  const minTimeoutMs = Math.min(timeoutMs, checkInt('minimum timeout', o.minTimeoutMs, 1, 600_000, 100));
  return {
    ports,
    concurrency: Math.floor(checkInt('concurrency', o.concurrency, 1, 65_535, 1024)),
    rate: checkInt('rate', o.rate, 0, 10_000_000, 0),
    timeoutMs,
    minTimeoutMs,
    initialTimeoutMs: checkInt('initial timeout', o.initialTimeoutMs, 1, 600_000, 1000),
    retries: Math.floor(checkInt('retries', o.retries, 0, 10, 1)),
    maxRetries: Math.floor(checkInt('maxRetries', o.maxRetries, 0, 10, Math.max(4, o.retries ?? 1))),
    hostParallelism: Math.floor(checkInt('hostParallelism', o.hostParallelism, 1, 1024, 8)),
    collapseAbove: o.collapseAbove ?? 25,
  };
}

interface Runner {
  load: number;
  submit(u: UnitSpec): void;
  abort(): void;
  close(): Promise<void>;
}

class LocalRunner implements Runner {
  load = 0;
  private readonly s: Scheduler;
  constructor(connector: Connector, opts: SchedulerOptions, onDone: (d: UnitDone) => void, onFatal: (e: Error) => void) {
    this.s = new Scheduler(
      connector,
      opts,
      (d) => {
        this.load--;
        onDone(d);
      },
      onFatal,
    );
  }
  submit(u: UnitSpec): void {
    this.load++;
    this.s.submit(u);
  }
  abort(): void {
    this.s.abort();
  }
  async close(): Promise<void> {
    this.s.close();
  }
}

class WorkerRunner implements Runner {
  load = 0;
  private readonly w: Worker;
  private exited = false;
  /** Units handed to the worker and not yet back, with their size (to hand them back if it dies). */
  private readonly held = new Map<number, number>();
  constructor(opts: SchedulerOptions, onDone: (d: UnitDone) => void, onFatal: (e: Error) => void) {
    this.w = new Worker(new URL('./engine-worker.js', import.meta.url));
    this.w.on('message', (m: WorkerOut) => {
      if (m.type === 'done') {
        this.load--;
        this.held.delete(m.id);
        onDone({ id: m.id, codes: m.codes, aborted: m.aborted, probes: m.probes });
      } else onFatal(new Error(m.message));
    });
    this.w.on('error', (e) => onFatal(e));
    this.w.on('exit', (code) => {
      this.exited = true;
      if (this.held.size > 0) {
        onFatal(new Error(`engine worker exited (code ${code}) with ${this.held.size} unit(s) unfinished`));
        for (const [id, size] of [...this.held]) {
          this.held.delete(id);
          this.load--;
          onDone({ id, codes: new Uint8Array(size), aborted: true, probes: 0 });
        }
      }
    });
    this.send({ type: 'init', options: opts });
  }
  private send(m: WorkerIn): void {
    if (!this.exited) this.w.postMessage(m);
  }
  submit(u: UnitSpec): void {
    this.load++;
    this.held.set(u.id, u.hosts.length * u.ports.length);
    this.send({ type: 'unit', unit: u });
  }
  abort(): void {
    this.send({ type: 'abort' });
  }
  async close(): Promise<void> {
    if (this.exited) return;
    const gone = new Promise<void>((r) => this.w.once('exit', () => r()));
    this.send({ type: 'close' });
    const t = setTimeout(() => void this.w.terminate(), 2000);
    await gone;
    clearTimeout(t);
  }
}

interface HostAgg {
  address: string;
  names: string[];
  codes: Uint8Array;
  chunksTotal: number;
  chunksIssued: number;
  unitsOut: number;
  aborted: boolean;
  emitted: boolean;
  started: number;
}

interface UnitMeta {
  hosts: HostAgg[];
  portStart: number;
  portCount: number;
}

function buildHostScan(agg: HostAgg, ports: readonly number[], collapseAbove: number, complete: boolean): HostScan {
  const counts = { open: 0, closed: 0, filtered: 0, unscanned: 0 };
  const byState: Record<'closed' | 'filtered', { count: number; reasons: Partial<Record<TcpReason, number>> }> = {
    closed: { count: 0, reasons: {} },
    filtered: { count: 0, reasons: {} },
  };
  for (let i = 0; i < agg.codes.length; i++) {
    const s = STATE_OF[agg.codes[i] as number];
    if (!s) {
      counts.unscanned++;
      continue;
    }
    if (s.state === 'open') counts.open++;
    else {
      const g = byState[s.state as 'closed' | 'filtered'];
      g.count++;
      g.reasons[s.reason] = (g.reasons[s.reason] ?? 0) + 1;
      counts[s.state as 'closed' | 'filtered']++;
    }
  }
  const listClosed = counts.closed <= collapseAbove;
  const listFiltered = counts.filtered <= collapseAbove;
  const out: PortResult[] = [];
  for (let i = 0; i < agg.codes.length; i++) {
    const s = STATE_OF[agg.codes[i] as number];
    if (!s) continue;
    if (s.state === 'open' || (s.state === 'closed' && listClosed) || (s.state === 'filtered' && listFiltered)) {
      out.push({ port: ports[i] as number, protocol: 'tcp', state: s.state, reason: s.reason });
    }
  }
  const extraPorts: ExtraPorts[] = [];
  if (!listClosed) extraPorts.push({ state: 'closed', ...byState.closed });
  if (!listFiltered) extraPorts.push({ state: 'filtered', ...byState.filtered });
  return {
    address: agg.address,
    names: agg.names,
    status: counts.open + counts.closed > 0 ? 'up' : 'down',
    ports: out,
    extraPorts,
    counts,
    complete,
    durationMs: Math.round(performance.now() - agg.started),
  };
}

function autoWorkers(lookaheadProbes: number): number {
  const cpus = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  if (cpus < 2 || lookaheadProbes < 4 * UNIT_PROBES) return 0;
  return Math.min(4, cpus);
}

/**
 * Scan `targets` (any iterable or async iterable of `{address, names}`, pulled lazily) on
 * `options.ports`. Hosts come out as soon as each one is finished. Breaking out of the loop stops
 * the scan. Errors of the target stream (e.g. a name that does not resolve) end the iteration.
 */
export function scanTcp(targets: AsyncIterable<ScanTarget> | Iterable<ScanTarget>, options: TcpScanOptions): TcpScan {
  const o = settle(options);
  const P = o.ports.length;
  const portsU16 = Uint16Array.from(o.ports);
  const bigHosts = P > UNIT_PROBES / 2;
  const chunkSize = bigHosts ? UNIT_PROBES : P;
  const chunksPerHost = P === 0 ? 0 : Math.ceil(P / chunkSize);
  const hostsPerUnit = bigHosts ? 1 : Math.max(1, Math.floor(UNIT_PROBES / Math.max(1, P)));

  const results: HostScan[] = [];
  let failure: unknown = null;
  let finished = false;
  let interrupted = false;
  let wake: (() => void) | null = null;
  let consumerWake: (() => void) | null = null;
  const progress: ScanProgress = { hostsStarted: 0, hostsDone: 0, probesSent: 0, portsDone: 0 };
  let workerCount = 0;
  let runners: Runner[] = [];
  const units = new Map<number, UnitMeta>();
  let nextUnitId = 1;
  let stopping = false;
  const active: HostAgg[] = []; // big-host mode: hosts with chunks still to issue
  let rr = 0;

  const signalWake = (): void => {
    const w = wake;
    wake = null;
    w?.();
  };
  const signalConsumer = (): void => {
    const w = consumerWake;
    consumerWake = null;
    w?.();
  };

  const emit = (agg: HostAgg, complete: boolean): void => {
    if (agg.emitted) return;
    agg.emitted = true;
    progress.hostsDone++;
    results.push(buildHostScan(agg, o.ports, o.collapseAbove, complete));
    signalConsumer();
  };

  const onUnitDone = (d: UnitDone): void => {
    const meta = units.get(d.id);
    if (!meta) return;
    units.delete(d.id);
    progress.probesSent += d.probes;
    const H = meta.hosts.length;
    for (let hi = 0; hi < H; hi++) {
      const agg = meta.hosts[hi] as HostAgg;
      for (let pi = 0; pi < meta.portCount; pi++) {
        const c = d.codes[pi * H + hi] as number;
        agg.codes[meta.portStart + pi] = c;
        if (c !== CODE.pending) progress.portsDone++;
      }
      if (d.aborted) agg.aborted = true;
      agg.unitsOut--;
      if (agg.unitsOut === 0 && (agg.chunksIssued === agg.chunksTotal || stopping)) {
        emit(agg, !agg.aborted && agg.chunksIssued === agg.chunksTotal);
      }
    }
    options.onProgress?.({ ...progress });
    signalWake();
  };

  const onFatal = (e: Error): void => {
    if (failure === null) failure = new PortcullisError('E_INTERNAL', `the connect scan failed: ${e.message}`);
    stop();
  };

  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    for (const r of runners) r.abort();
    signalWake();
  };

  const onAbort = (): void => {
    interrupted = true;
    stop();
  };

  const iterator: AsyncIterator<ScanTarget> | Iterator<ScanTarget> =
    Symbol.asyncIterator in targets ? (targets as AsyncIterable<ScanTarget>)[Symbol.asyncIterator]() : (targets as Iterable<ScanTarget>)[Symbol.iterator]();
  let targetsDone = false;
  const lookahead: ScanTarget[] = [];

  const pullTarget = async (): Promise<ScanTarget | null> => {
    if (lookahead.length > 0) return lookahead.shift() as ScanTarget;
    if (targetsDone) return null;
    const r = await iterator.next();
    if (r.done) {
      targetsDone = true;
      return null;
    }
    return r.value;
  };

  const newAgg = (t: ScanTarget): HostAgg => {
    progress.hostsStarted++;
    return {
      address: t.address,
      names: t.names ? [...t.names] : [],
      codes: new Uint8Array(P),
      chunksTotal: chunksPerHost,
      chunksIssued: 0,
      unitsOut: 0,
      aborted: false,
      emitted: false,
      started: performance.now(),
    };
  };

  /** The next unit to hand out, or null when the targets are exhausted. */
  const nextUnit = async (): Promise<{ spec: UnitSpec; meta: UnitMeta } | null> => {
    if (bigHosts) {
      while (active.length < o.hostParallelism && !(targetsDone && lookahead.length === 0)) {
        const t = await pullTarget();
        if (stopping) return null;
        if (!t) break;
        active.push(newAgg(t));
      }
      if (active.length === 0) return null;
      if (rr >= active.length) rr = 0;
      const agg = active[rr] as HostAgg;
      const chunk = agg.chunksIssued++;
      agg.unitsOut++;
      if (agg.chunksIssued === agg.chunksTotal) active.splice(rr, 1);
      else rr++;
      const portStart = chunk * chunkSize;
      const portCount = Math.min(chunkSize, P - portStart);
      const meta: UnitMeta = { hosts: [agg], portStart, portCount };
      return { spec: { id: nextUnitId++, hosts: [agg.address], ports: portsU16.slice(portStart, portStart + portCount) }, meta };
    }
    const hosts: HostAgg[] = [];
    while (hosts.length < hostsPerUnit) {
      const t = await pullTarget();
      if (stopping && hosts.length === 0) return null;
      if (!t) break;
      const agg = newAgg(t);
      agg.chunksIssued = 1;
      agg.unitsOut = 1;
      hosts.push(agg);
      if (stopping) break;
    }
    if (hosts.length === 0) return null;
    return { spec: { id: nextUnitId++, hosts: hosts.map((h) => h.address), ports: portsU16 }, meta: { hosts, portStart: 0, portCount: P } };
  };

  const drive = async (): Promise<void> => {
    options.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      if (options.signal?.aborted) onAbort();
      // Look ahead a little to size the scan before choosing threads.
      const want = Math.min(4096, Math.ceil((8 * UNIT_PROBES) / Math.max(1, P)));
      while (!stopping && lookahead.length < want) {
        const r = await iterator.next();
        if (r.done) {
          targetsDone = true;
          break;
        }
        lookahead.push(r.value);
      }
      const requested = options.connector ? 0 : options.workers;
      workerCount = requested !== undefined ? Math.max(0, Math.floor(requested)) : autoWorkers(lookahead.length * P);
      // Each thread needs at least one connection of the --concurrency budget.
      workerCount = Math.min(workerCount, o.concurrency);
      const n = Math.max(1, workerCount);
      const share = (v: number): number => Math.max(1, Math.floor(v / n));
      const schedOpts: SchedulerOptions = {
        maxWindow: share(o.concurrency),
        minWindow: Math.min(10, share(o.concurrency)),
        initialWindow: Math.min(64, share(o.concurrency)),
        rate: o.rate > 0 ? o.rate / n : 0,
        timeoutMs: o.timeoutMs,
        minTimeoutMs: o.minTimeoutMs,
        initialTimeoutMs: o.initialTimeoutMs,
        retries: o.retries,
        maxRetries: Math.max(o.retries, o.maxRetries),
      };
      runners =
        workerCount > 0
          ? Array.from({ length: workerCount }, () => new WorkerRunner(schedOpts, onUnitDone, onFatal))
          : [new LocalRunner(options.connector ?? defaultConnector(), schedOpts, onUnitDone, onFatal)];
      const capacity = runners.length * UNITS_PER_RUNNER;
      for (;;) {
        while (!stopping && units.size < capacity && results.length < MAX_QUEUED_RESULTS) {
          const u = await nextUnit();
          if (!u) break;
          if (stopping) {
            // Stopped while we waited for targets: these hosts were never probed.
            for (const h of u.meta.hosts) h.unitsOut--;
            break;
          }
          units.set(u.spec.id, u.meta);
          let best = runners[0] as Runner;
          for (const r of runners) if (r.load < best.load) best = r;
          best.submit(u.spec);
        }
        if (units.size === 0 && (stopping || (targetsDone && lookahead.length === 0 && active.length === 0))) break;
        await new Promise<void>((r) => {
          wake = r;
        });
      }
      // A stop may leave big hosts with some chunks never issued: report what is known of them.
      for (const agg of active) if (agg.unitsOut === 0 && agg.chunksIssued > 0) emit(agg, false);
    } catch (e) {
      if (failure === null) failure = e;
      stop();
      // Wait for the schedulers to hand back what they had.
      const deadline = Date.now() + 5000;
      while (units.size > 0 && Date.now() < deadline) await new Promise<void>((r) => setTimeout(r, 10));
    } finally {
      options.signal?.removeEventListener('abort', onAbort);
      await Promise.all(runners.map((r) => r.close().catch(() => {})));
      if (!targetsDone) {
        try {
          await iterator.return?.();
        } catch {
          /* the target stream failed to close; nothing left to do with it */
        }
      }
      finished = true;
      signalConsumer();
    }
  };

  let started: Promise<void> | null = null;
  const scan: TcpScan = {
    stats: () => ({ ...progress, interrupted, workers: workerCount }),
    [Symbol.asyncIterator](): AsyncIterator<HostScan> {
      started ??= drive();
      return {
        async next(): Promise<IteratorResult<HostScan>> {
          for (;;) {
            if (results.length > 0) {
              const v = results.shift() as HostScan;
              if (results.length === MAX_QUEUED_RESULTS - 1) signalWake();
              return { value: v, done: false };
            }
            if (finished) {
              if (failure !== null) {
                const f = failure;
                failure = null;
                throw f;
              }
              return { value: undefined, done: true };
            }
            await new Promise<void>((r) => {
              consumerWake = r;
            });
          }
        },
        async return(): Promise<IteratorResult<HostScan>> {
          stop();
          await started;
          results.length = 0;
          return { value: undefined, done: true };
        },
      };
    },
  };
  return scan;
}

/** Collect a whole scan (tests, small scans). */
export async function scanTcpAll(targets: AsyncIterable<ScanTarget> | Iterable<ScanTarget>, options: TcpScanOptions): Promise<HostScan[]> {
  const out: HostScan[] = [];
  for await (const h of scanTcp(targets, options)) out.push(h);
  return out;
}
