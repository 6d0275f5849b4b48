// Connect-scan benchmark (issue 2): portcullis against `nmap -sT -T4 -Pn -n`, measured in the
// same run, on
//   1. the full TCP range of 8 loopback hosts (127.10.1.1-8) with real listeners;
//   2. the full TCP range of a network-namespace host behind DROP/REJECT rules and 3 % random loss;
//   3. a /16 of loopback (127.11.0.0/16) on two ports: wall time and peak RSS.
// Both tools scan exactly the same ports: ports other processes already listen on (ss -ltnH) are
// excluded from both, so neither touches somebody else's service.
//
//   node dist/bench/scan.js [--hosts N] [--repeat N] [--skip-netns] [--skip-sweep] [--json]
// Exports the pieces as functions; this file's main() is a thin wrapper.
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { ChildJob, ChildResult } from './scan-child.js';
import { applyFilter, commandExists, createNetns, foreignTcpListeners, measureNode, netnsAvailable, runNmap, startListeners } from './lib.js';

const CHILD = fileURLToPath(new URL('./scan-child.js', import.meta.url));

export interface Comparison {
  name: string;
  hosts: number;
  portsPerHost: number;
  excluded: number[];
  portcullisMs: number;
  nmapMs: number;
  /** portcullis wall ÷ nmap wall (target ≤ 1.0). */
  ratio: number;
  identical: boolean;
  /** Differences, `address: +port` (only portcullis) / `-port` (only nmap). */
  differences: string[];
  expectedOpen: Record<string, number[]>;
  portcullisRssKb: number;
  workers: number;
  rawConnector: boolean;
  /** Ports portcullis called filtered (all hosts), and how many the rules make filtered. */
  filtered: number;
  expectedFiltered: number;
  /** Every timing sample, in run order (the tools alternate; the best of each is compared). */
  samples: { portcullisMs: number[]; nmapMs: number[] };
  /** 1-minute load average when the comparison started (other work on the machine skews both). */
  loadAverage: number;
}

export interface SweepResult {
  name: string;
  hosts: number;
  ports: number[];
  up: number;
  open: Record<string, number[]>;
  wallMs: number;
  peakRssMb: number;
}

function runChild(job: ChildJob): { result: ChildResult; wallMs: number; rssKb: number } {
  const m = measureNode(CHILD, [JSON.stringify(job)]);
  const line = m.stdout.trim().split('\n').pop() ?? '{}';
  const result = JSON.parse(line) as ChildResult;
  return { result, wallMs: m.wallMs, rssKb: m.maxRssKb || result.maxRssKb };
}

function compare(a: Record<string, number[]>, b: Map<string, Set<number>>, hosts: string[]): string[] {
  const diff: string[] = [];
  for (const h of hosts) {
    const mine = new Set(a[h] ?? []);
    const theirs = b.get(h) ?? new Set<number>();
    for (const p of mine) if (!theirs.has(p)) diff.push(`${h}: +${p}`);
    for (const p of theirs) if (!mine.has(p)) diff.push(`${h}: -${p}`);
  }
  return diff;
}

function sameSets(a: Record<string, number[]>, expected: Record<string, number[]>): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(expected)]);
  for (const k of keys) {
    const x = [...(a[k] ?? [])].sort((p, q) => p - q).join(',');
    const y = [...(expected[k] ?? [])].sort((p, q) => p - q).join(',');
    if (x !== y) return false;
  }
  return true;
}

interface CompareJob {
  name: string;
  hosts: string[];
  exclude: number[];
  expectedOpen: Record<string, number[]>;
  expectedFiltered: number;
  repeat: number;
}

/** Run nmap and portcullis alternately `repeat` times; compare the best wall time of each. */
function compareTools(job: CompareJob): Comparison {
  const loadAverage = os.loadavg()[0] ?? 0;
  const nmapMs: number[] = [];
  const mineMs: number[] = [];
  let nmap: ReturnType<typeof runNmap> | undefined;
  let mine: ReturnType<typeof runChild> | undefined;
  for (let i = 0; i < job.repeat; i++) {
    const n = runNmap(job.hosts, '1-65535', job.exclude);
    nmapMs.push(Math.round(n.wallMs));
    process.stderr.write(`bench:scan: ${job.name}: run ${i + 1}/${job.repeat}: nmap ${(n.wallMs / 1000).toFixed(2)} s\n`);
    nmap ??= n;
    const m = runChild({ targets: { list: job.hosts }, ports: 'all', exclude: job.exclude });
    mineMs.push(Math.round(m.wallMs));
    process.stderr.write(`bench:scan: ${job.name}: run ${i + 1}/${job.repeat}: portcullis ${(m.wallMs / 1000).toFixed(2)} s\n`);
    // Keep the first run's port sets; later runs must agree with it.
    if (mine && !sameSets(m.result.open, mine.result.open)) throw new Error(`portcullis runs disagree: ${JSON.stringify(m.result.open)} vs ${JSON.stringify(mine.result.open)}`);
    mine ??= m;
  }
  if (!nmap || !mine) throw new Error('no benchmark run happened');
  const differences = compare(mine.result.open, nmap.open, job.hosts);
  const best = (xs: number[]): number => Math.min(...xs);
  return {
    name: job.name,
    hosts: job.hosts.length,
    portsPerHost: 65535 - job.exclude.length,
    excluded: job.exclude,
    portcullisMs: best(mineMs),
    nmapMs: best(nmapMs),
    ratio: best(mineMs) / best(nmapMs),
    identical: differences.length === 0 && sameSets(mine.result.open, job.expectedOpen),
    differences,
    expectedOpen: job.expectedOpen,
    portcullisRssKb: mine.rssKb,
    workers: mine.result.workers,
    rawConnector: mine.result.rawConnector,
    filtered: Object.values(mine.result.filtered).reduce((a, b) => a + b, 0),
    expectedFiltered: job.expectedFiltered,
    samples: { portcullisMs: mineMs, nmapMs },
    loadAverage: Math.round(loadAverage * 100) / 100,
  };
}

/** Full range on `hostCount` loopback hosts 127.10.1.x, each with a few real listeners. */
export async function benchLoopback(hostCount = 8, repeat = 2): Promise<Comparison> {
  const hosts = Array.from({ length: hostCount }, (_, i) => `127.10.1.${i + 1}`);
  const excluded = new Set<number>();
  for (const h of hosts) for (const p of foreignTcpListeners(h)) excluded.add(p);
  const expectedOpen: Record<string, number[]> = {};
  const tcp: Array<{ address: string; port: number }> = [];
  hosts.forEach((address, i) => {
    const ports = [80, 443, 445, 3389, 8080, 20000 + i * 111, 50000 + i].filter((p) => !excluded.has(p));
    expectedOpen[address] = ports;
    for (const port of ports) tcp.push({ address, port });
  });
  const servers = await startListeners({ tcp });
  try {
    const exclude = [...excluded].sort((a, b) => a - b);
    return compareTools({ name: `full TCP range, ${hostCount} loopback hosts`, hosts, exclude, expectedOpen, expectedFiltered: 0, repeat });
  } finally {
    await servers.stop();
  }
}

/** Full range on one namespace host behind DROP / REJECT rules and 3 % random packet loss. */
export async function benchNetns(repeat = 2): Promise<Comparison> {
  const ns = createNetns('pc-engine-bench');
  const cleanup = (): void => ns.destroy();
  process.once('exit', cleanup);
  try {
    const open = [22, 80, 443, 445, 3389, 5985, 8080, 31337, 50123];
    const servers = await startListeners({ tcp: open.map((port) => ({ address: ns.nsAddress, port })) }, { netns: ns.name });
    try {
      applyFilter(ns, {
        lossPercent: 3,
        dropTcp: [21, 23, 135, 139, 1433, 8443, 9000, 40000],
        resetTcp: [25, 110],
        prohibitTcp: [5900, 6000],
      });
      const dropped = [21, 23, 135, 139, 1433, 8443, 9000, 40000];
      const prohibited = [5900, 6000];
      return compareTools({
        name: 'full TCP range, netns host with DROP/REJECT rules and 3 % loss',
        hosts: [ns.nsAddress],
        exclude: [],
        expectedOpen: { [ns.nsAddress]: open },
        expectedFiltered: dropped.length + prohibited.length,
        repeat,
      });
    } finally {
      await servers.stop();
    }
  } finally {
    cleanup();
    process.removeListener('exit', cleanup);
  }
}

/** A /16 of loopback (127.11.0.0/16) on two ports, with listeners on two of its addresses. */
export async function benchSweep(): Promise<SweepResult> {
  const probeAddrs = ['127.11.0.1', '127.11.255.254'];
  const foreign = new Set([...foreignTcpListeners(probeAddrs[0] as string)]);
  const ports = [80, 445, 8081, 4455, 8082, 4456].filter((p) => !foreign.has(p)).slice(0, 2);
  const servers = await startListeners({
    tcp: [
      { address: probeAddrs[0] as string, port: ports[0] as number },
      { address: probeAddrs[1] as string, port: ports[1] as number },
    ],
  });
  try {
    const run = runChild({ targets: { sweep16: '127.11' }, ports });
    return {
      name: '127.11.0.0/16 on two ports',
      hosts: run.result.hosts,
      ports,
      up: run.result.up,
      open: run.result.open,
      wallMs: Math.round(run.wallMs),
      peakRssMb: Math.round((run.rssKb / 1024) * 10) / 10,
    };
  } finally {
    await servers.stop();
  }
}

export interface BenchReport {
  loopback?: Comparison;
  netns?: Comparison | { skipped: string };
  sweep?: SweepResult;
}

function printComparison(c: Comparison): void {
  console.log(`\n== ${c.name}`);
  console.log(`   ports per host: ${c.portsPerHost}${c.excluded.length ? ` (excluded, other processes listen there: ${c.excluded.join(',')})` : ''}`);
  console.log(`   portcullis: ${(c.portcullisMs / 1000).toFixed(2)} s   (worker threads ${c.workers}, raw connector ${c.rawConnector}, peak RSS ${(c.portcullisRssKb / 1024).toFixed(0)} MB)`);
  console.log(`   nmap -sT -T4 -Pn -n: ${(c.nmapMs / 1000).toFixed(2)} s`);
  console.log(`   (best of ${c.samples.nmapMs.length} alternating runs; portcullis ${c.samples.portcullisMs.join('/')} ms, nmap ${c.samples.nmapMs.join('/')} ms; load average ${c.loadAverage})`);
  console.log(`   filtered ports found by portcullis: ${c.filtered} (the rules filter ${c.expectedFiltered})`);
  console.log(`   ratio portcullis/nmap: ${c.ratio.toFixed(2)}  ${c.ratio <= 1 ? '(target <= 1.0 met)' : '(target <= 1.0 NOT met)'}`);
  console.log(`   open-port sets identical (to nmap and to the servers started): ${c.identical ? 'yes' : 'NO'}`);
  if (c.differences.length) console.log(`   differences: ${c.differences.slice(0, 20).join('; ')}`);
}

export async function runScanBenchmark(opts: { hosts?: number; repeat?: number; netns?: boolean; sweep?: boolean; json?: boolean } = {}): Promise<BenchReport> {
  if (!commandExists('nmap')) throw new Error('the benchmark needs nmap (Debian package nmap); it installs nothing itself');
  const report: BenchReport = {};
  report.loopback = await benchLoopback(opts.hosts ?? 8, opts.repeat ?? 2);
  if (!opts.json) printComparison(report.loopback);
  if (opts.netns !== false) {
    const avail = netnsAvailable();
    if (avail.ok) {
      report.netns = await benchNetns(opts.repeat ?? 2);
      if (!opts.json) printComparison(report.netns);
    } else {
      report.netns = { skipped: avail.why };
      if (!opts.json) console.log(`\n== netns comparison skipped: ${avail.why}`);
    }
  }
  if (opts.sweep !== false) {
    report.sweep = await benchSweep();
    if (!opts.json) {
      const s = report.sweep;
      console.log(`\n== ${s.name}`);
      console.log(`   hosts: ${s.hosts}, up: ${s.up}, open: ${JSON.stringify(s.open)}`);
      console.log(`   wall: ${(s.wallMs / 1000).toFixed(2)} s, peak RSS: ${s.peakRssMb} MB ${s.peakRssMb < 200 ? '(target < 200 MB met)' : '(target < 200 MB NOT met)'}`);
    }
  }
  if (opts.json) console.log(JSON.stringify(report, null, 2));
  return report;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { hosts: { type: 'string' }, repeat: { type: 'string' }, 'skip-netns': { type: 'boolean' }, 'skip-sweep': { type: 'boolean' }, json: { type: 'boolean' } },
  });
  const hosts = values.hosts !== undefined ? Number(values.hosts) : 8;
  if (!Number.isInteger(hosts) || hosts < 1 || hosts > 254) throw new Error(`--hosts must be 1-254 (got ${values.hosts})`);
  const repeat = values.repeat !== undefined ? Number(values.repeat) : 2;
  if (!Number.isInteger(repeat) || repeat < 1 || repeat > 10) throw new Error(`--repeat must be 1-10 (got ${values.repeat})`);
  await runScanBenchmark({ hosts, repeat, netns: !values['skip-netns'], sweep: !values['skip-sweep'], json: values.json ?? false });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((e: unknown) => {
    console.error(`bench:scan: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  });
}
