// Runs the applicable probes against one host's open ports, each in isolation: its own time
// limit, its own abort signal, a throw becomes an `error` verdict for that probe's checks only.
import type { Finding } from '../core/finding.js';
import type { HostResult, PortResult } from '../core/result.js';
import type { Stream, Transport } from '../io/transport.js';
import { IoError } from '../io/transport.js';
import type { LearnedFact, ProbeDefinition, Verdict } from './define.js';
import { toFinding } from './define.js';

export type ProbeSelection = 'safe' | 'all' | 'none';

export interface ProbeRunOptions {
  selection: ProbeSelection;
  io: Transport;
  /** Zones to try for AXFR and names to check certificates against, shared across hosts. */
  domains: Set<string>;
  /** Every fact learned, for the report. */
  learned?: LearnedFact[];
  signal?: AbortSignal;
  /** Upper bound on any single probe's time, whatever the probe declares. */
  maxProbeMs?: number;
  /** Probes in flight at once for this host. */
  concurrency?: number;
}

/** Probes that read learned names (zone candidates) run after the others on the host. */
const LATE_PROTOCOLS = new Set(['dns']);

export function selectProbes(all: readonly ProbeDefinition[], selection: ProbeSelection): ProbeDefinition[] {
  if (selection === 'none') return [];
  return all.filter((p) => selection === 'all' || p.safety === 'safe');
}

interface Job {
  probe: ProbeDefinition;
  port: PortResult;
}

export async function runProbes(host: HostResult, probes: readonly ProbeDefinition[], opts: ProbeRunOptions): Promise<Finding[]> {
  const open = host.ports.filter((p) => p.state === 'open' || (p.protocol === 'udp' && p.state === 'open|filtered'));
  const jobs: Job[] = [];
  for (const port of open) {
    for (const probe of probes) {
      if (probe.transport !== port.protocol) continue;
      if (port.state !== 'open' && probe.transport === 'tcp') continue;
      if (probe.appliesTo(port.service, port.port, port.protocol)) jobs.push({ probe, port });
    }
  }
  const early = jobs.filter((j) => !LATE_PROTOCOLS.has(j.probe.protocol));
  const late = jobs.filter((j) => LATE_PROTOCOLS.has(j.probe.protocol));
  const findings: Finding[] = [];
  for (const phase of [early, late]) {
    const results = await pool(phase, opts.concurrency ?? 4, (job) => runOne(host, job, opts));
    for (const r of results) findings.push(...r);
  }
  return mergeVerdicts(findings);
}

/** When two probes decide the same check on the same target, the more damning verdict stands. */
const STATUS_WEIGHT: Record<Finding['status'], number> = { fail: 5, error: 4, manual: 3, waived: 2, pass: 1, 'not-applicable': 0 };

export function mergeVerdicts(findings: readonly Finding[]): Finding[] {
  const byKey = new Map<string, Finding>();
  for (const f of findings) {
    const key = `${f.id}\u0000${f.target}`;
    const seen = byKey.get(key);
    if (!seen || STATUS_WEIGHT[f.status] > STATUS_WEIGHT[seen.status]) byKey.set(key, f);
  }
  return [...byKey.values()];
}

/**
 * The probe's own view of the transport: every stream it opens is remembered, so a probe that
 * runs out of time (or forgets) cannot leave a connection behind that keeps reading.
 */
function trackedTransport(io: Transport): { io: Transport; closeAll: () => void } {
  const open = new Set<Stream>();
  return {
    io: {
      async connect(host, port, options) {
        const s = await io.connect(host, port, options);
        open.add(s);
        return s;
      },
      udpExchange: (host, port, payload, options) => io.udpExchange(host, port, payload, options),
    },
    closeAll: () => {
      for (const s of open) s.close();
      open.clear();
    },
  };
}

async function runOne(host: HostResult, { probe, port }: Job, opts: ProbeRunOptions): Promise<Finding[]> {
  const limit = Math.min(probe.timeoutMs, opts.maxProbeMs ?? Number.POSITIVE_INFINITY);
  const tracked = trackedTransport(opts.io);
  const ac = new AbortController();
  const onOuterAbort = (): void => ac.abort();
  opts.signal?.addEventListener('abort', onOuterAbort, { once: true });
  let timer: NodeJS.Timeout | undefined;
  let verdicts: Verdict[];
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        ac.abort();
        reject(new IoError('timeout', `probe ${probe.id} did not finish within ${limit} ms`));
      }, limit);
    });
    verdicts = await Promise.race([
      probe.run({
        address: host.address,
        hostNames: host.names,
        port: port.port,
        protocol: port.protocol,
        service: port.service,
        hostPorts: host.ports,
        domains: [...opts.domains],
        io: tracked.io,
        timeoutMs: limit,
        signal: ac.signal,
        learn: (fact) => {
          opts.learned?.push(fact);
          if (fact.kind === 'domain') opts.domains.add(fact.value.toLowerCase().replace(/\.$/, ''));
        },
      }),
      timeout,
    ]);
  } catch (e) {
    const reason = e instanceof Error ? `${e instanceof IoError ? `${e.kind}: ` : ''}${e.message}` : String(e);
    verdicts = probe.checks.map((c) => ({
      check: c.id,
      status: 'error' as const,
      evidence: { summary: `probe ${probe.id} could not decide: ${reason}` },
    }));
  } finally {
    clearTimeout(timer);
    opts.signal?.removeEventListener('abort', onOuterAbort);
    ac.abort();
    tracked.closeAll();
  }
  const out: Finding[] = [];
  for (const v of verdicts) {
    const meta = probe.checks.find((c) => c.id === v.check);
    if (!meta) throw new Error(`probe ${probe.id} returned a verdict for unknown check ${v.check}`);
    out.push(toFinding(meta, v, host.address, port.port, port.protocol));
  }
  return out;
}

/** Run `fn` over items with at most `n` in flight; results in input order. */
export async function pool<T, R>(items: readonly T[], n: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(n, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i] as T);
    }
  });
  await Promise.all(workers);
  return results;
}
