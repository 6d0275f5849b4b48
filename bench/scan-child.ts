// One portcullis connect scan in its own process, so the benchmark measures it the way nmap is
// measured: whole-process wall time (start-up included) and peak RSS. Prints one JSON line.
//
//   node dist/bench/scan-child.js '{"targets":{"list":["127.10.1.1"]}|{"sweep16":"127.11"},
//                                   "ports":[...]|"all", "exclude":[...], "options":{...}}'
import { scanTcp, type ScanTarget, type TcpScanOptions, usingRawConnector } from '../src/scan/engine.js';

export interface ChildJob {
  targets: { list: string[] } | { sweep16: string };
  ports: number[] | 'all';
  exclude?: number[];
  options?: Omit<TcpScanOptions, 'ports' | 'signal' | 'connector' | 'onProgress'>;
}

export interface ChildResult {
  hosts: number;
  up: number;
  open: Record<string, number[]>;
  filtered: Record<string, number>;
  probes: number;
  workers: number;
  rawConnector: boolean;
  scanMs: number;
  maxRssKb: number;
}

function* targetsOf(job: ChildJob): Generator<ScanTarget> {
  if ('list' in job.targets) {
    for (const address of job.targets.list) yield { address };
    return;
  }
  // A /16 generated lazily: never more than the engine's bounded window of hosts exists.
  const prefix = job.targets.sweep16;
  for (let a = 0; a < 256; a++) for (let b = 0; b < 256; b++) yield { address: `${prefix}.${a}.${b}` };
}

async function main(job: ChildJob): Promise<void> {
  const exclude = new Set(job.exclude ?? []);
  const ports: number[] = [];
  if (job.ports === 'all') {
    for (let p = 1; p <= 65535; p++) if (!exclude.has(p)) ports.push(p);
  } else for (const p of job.ports) if (!exclude.has(p)) ports.push(p);
  const t0 = performance.now();
  const scan = scanTcp(targetsOf(job), { ...(job.options ?? {}), ports });
  const result: ChildResult = { hosts: 0, up: 0, open: {}, filtered: {}, probes: 0, workers: 0, rawConnector: usingRawConnector(), scanMs: 0, maxRssKb: 0 };
  for await (const h of scan) {
    result.hosts++;
    if (h.status === 'up') result.up++;
    const open = h.ports.filter((p) => p.state === 'open').map((p) => p.port);
    if (open.length > 0) result.open[h.address] = open;
    if (h.counts.filtered > 0) result.filtered[h.address] = h.counts.filtered;
  }
  const s = scan.stats();
  result.probes = s.probesSent;
  result.workers = s.workers;
  result.scanMs = Math.round(performance.now() - t0);
  result.maxRssKb = process.resourceUsage().maxRSS;
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

const arg = process.argv[2];
if (arg) {
  main(JSON.parse(arg) as ChildJob).catch((e: unknown) => {
    process.stderr.write(`scan-child: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(2);
  });
}
