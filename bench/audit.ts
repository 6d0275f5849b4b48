// `npm run bench:audit`: audits 1,000 generated bundles (variants of a realistic bundle: ~100 KB
// applicationHost.config, UTF-16 secedit and registry exports, systeminfo and wmic qfe with 200
// updates, netstat with 100 listeners, auditpol, services, firewall) and prints bundles per second
// and peak RSS after 100 and after 1,000 bundles. Not a test: it prints figures, the targets are
// ≥ 200 bundles/s on 2 cores and a flat peak RSS under 300 MB.
//
//   node dist/bench/audit.js [--count N] [--workers N] [--keep]
//
// Bundles are written to a temp folder first (not timed); then one worker thread per core reads,
// parses, audits and serialises each bundle exactly as `portcullis audit --format json` does, and
// keeps nothing but counters, so memory should not grow with the count.
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { loadHostState } from '../src/artifacts/bundle.js';
import { auditHost } from '../src/audit/engine.js';
import { writeSampleBundle } from '../src/audit/sample-bundle.js';
import { RULES } from '../src/rules/index.js';

interface WorkerInput {
  paths: string[];
  now: string;
}
type WorkerMessage = { done: number; failures: number; errors: number; bytes: number } | { error: string };

function workerMain(input: WorkerInput): void {
  const now = new Date(input.now);
  let done = 0;
  for (const p of input.paths) {
    const state = loadHostState([p]);
    const audit = auditHost(state, RULES, { now, fallbackHost: p });
    // Serialise like the JSON renderer so the benchmark includes output cost.
    const bytes = JSON.stringify({ host: audit.host, findings: audit.findings, problems: audit.problems }).length;
    done++;
    const failures = audit.findings.filter((f) => f.status === 'fail').length;
    const errors = audit.findings.filter((f) => f.status === 'error').length;
    parentPort!.postMessage({ done, failures, errors, bytes } satisfies WorkerMessage);
  }
}

interface Mark {
  bundles: number;
  seconds: number;
  rate: number;
  /** CPU time (all threads) per bundle: the figure that stays meaningful on a busy machine. */
  cpuMsPerBundle: number;
  rssMb: number;
  peakRssMb: number;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { count: { type: 'string' }, workers: { type: 'string' }, keep: { type: 'boolean' } }, strict: true });
  const count = Number(values.count ?? 1000);
  const workers = Math.max(1, Math.min(Number(values.workers ?? availableParallelism()), 16));
  if (!Number.isInteger(count) || count < 100) throw new Error('--count must be a whole number of at least 100');
  const dir = mkdtempSync(join(tmpdir(), 'pc-bench-audit-'));
  try {
    const g0 = performance.now();
    const paths: string[] = [];
    for (let i = 0; i < count; i++) {
      const p = join(dir, `web${String(i).padStart(4, '0')}`);
      writeSampleBundle(p, { host: `WEB${String(i).padStart(4, '0')}`, variant: i });
      paths.push(p);
    }
    process.stdout.write(`generated ${count} bundles in ${((performance.now() - g0) / 1000).toFixed(1)} s under ${dir}\n`);
    process.stdout.write(`auditing with ${workers} worker thread(s), ${RULES.length} rules per bundle\n`);

    // Interleave so that both workers reach the 100 mark together.
    const shares: string[][] = Array.from({ length: workers }, () => []);
    paths.forEach((p, i) => shares[i % workers]!.push(p));
    const marks: Mark[] = [];
    let total = 0;
    let failures = 0;
    let errors = 0;
    let bytes = 0;
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    const peakMb = () => process.resourceUsage().maxRSS / 1024;
    const checkpoints = new Set([100, count]);
    await Promise.all(
      shares.map(
        (share) =>
          new Promise<void>((resolve, reject) => {
            // One bundle is live at a time (about 10 MB of heap); bounded heaps make V8 collect
            // instead of growing each worker's heap lazily, which is what kept RSS from staying flat.
            const w = new Worker(new URL(import.meta.url), {
              workerData: { paths: share, now: '2026-11-21T00:00:00Z' } satisfies WorkerInput,
              resourceLimits: { maxOldGenerationSizeMb: 96, maxYoungGenerationSizeMb: 16 },
            });
            w.on('message', (m: WorkerMessage) => {
              if ('error' in m) return reject(new Error(m.error));
              total++;
              failures += m.failures;
              errors += m.errors;
              bytes += m.bytes;
              if (checkpoints.has(total)) {
                const seconds = (performance.now() - t0) / 1000;
                const c = process.cpuUsage(cpu0);
                marks.push({ bundles: total, seconds, rate: total / seconds, cpuMsPerBundle: (c.user + c.system) / 1000 / total, rssMb: process.memoryUsage().rss / 1048576, peakRssMb: peakMb() });
              }
            });
            w.on('error', reject);
            w.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`worker exited with ${code}`))));
          }),
      ),
    );
    process.stdout.write('\n  bundles   seconds   bundles/s   CPU ms/bundle   RSS now (MB)   peak RSS (MB)\n');
    for (const m of marks) {
      process.stdout.write(`  ${String(m.bundles).padStart(7)}   ${m.seconds.toFixed(2).padStart(7)}   ${m.rate.toFixed(1).padStart(9)}   ${m.cpuMsPerBundle.toFixed(1).padStart(13)}   ${m.rssMb.toFixed(0).padStart(12)}   ${m.peakRssMb.toFixed(0).padStart(13)}\n`);
    }
    const loadAvg = (await import('node:os')).loadavg()[0]!;
    process.stdout.write(`(load average ${loadAvg.toFixed(1)} on ${availableParallelism()} cores; with the cores to ourselves the rate would be about ${((1000 / marks[marks.length - 1]!.cpuMsPerBundle) * workers).toFixed(0)} bundles/s)\n`);
    const first = marks[0]!;
    const last = marks[marks.length - 1]!;
    process.stdout.write(`\n${failures} failures and ${errors} rule errors over ${total} bundles; ${(bytes / 1048576).toFixed(1)} MB of JSON findings\n`);
    process.stdout.write(`targets: >= 200 bundles/s (${last.rate >= 200 ? 'met' : 'NOT met'}), peak RSS < 300 MB (${last.peakRssMb < 300 ? 'met' : 'NOT met'}), flat memory (peak grew ${(last.peakRssMb - first.peakRssMb).toFixed(0)} MB from ${first.bundles} to ${last.bundles} bundles)\n`);
    process.stdout.write(`${JSON.stringify({ bench: 'audit', workers, marks })}\n`);
    if (errors > 0) process.exitCode = 1;
  } finally {
    if (!values.keep) rmSync(dir, { recursive: true, force: true });
  }
}

if (isMainThread) {
  main().catch((e: unknown) => {
    process.stderr.write(`bench:audit: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 2;
  });
} else {
  try {
    workerMain(workerData as WorkerInput);
  } catch (e) {
    parentPort!.postMessage({ error: e instanceof Error ? `${e.message}\n${e.stack}` : String(e) } satisfies WorkerMessage);
  }
}
