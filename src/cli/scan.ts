// `portcullis scan`: options in, the scan pipeline, a renderer out. No verdicts are made here.
import { usageError } from '../core/errors.js';
import { failsAtOrAbove } from '../core/finding.js';
import type { ScanDocument } from '../core/result.js';
import { VERSION } from '../core/version.js';
import { colorWanted, FORMATS, JsonlWriter, render } from '../report/index.js';
import { runScanPipeline, type ScanPlan } from '../scan/pipeline.js';
import type { CliContext } from './common.js';
import { EXIT, OutputSink, parseChoice, parseOptions, parsePositiveInt, parseSeverity, Progress } from './common.js';

export const SCAN_HELP = `Usage: portcullis scan <targets...> [options]

Finds live hosts and open ports, identifies each service from what it says, runs the
outside-in probes of the hardening controls, and judges the result against an inventory.

Targets:
  10.0.0.5  2001:db8::5  10.0.0.0/24  10.0.0.1-20  10.0.0.1-10.0.1.5  web01.example.org
  -iL, --input-list FILE     read targets from FILE (one or more per line, # comments)
  --exclude LIST             hosts to leave out (same syntax, comma-separated)
  --exclude-file FILE        hosts to leave out, from a file
  --first-address            use only the first address a host name resolves to
  --max-hosts N              refuse target sets larger than N (default 65536) ...
  --force                    ... unless forced

Ports:
  -p, --ports SPEC           windows (default: Windows server roles and risky services),
                             common (a broader curated list), all (1-65535), or a list
                             such as 22,80,443,8000-8100
  --exclude-ports LIST       ports never to touch
  --udp                      also probe UDP ports of the profile (on by default for windows)
  --no-udp                   TCP only

Probes:
  --probes safe|all|none     safe (default) runs the non-intrusive checks; all adds the
                             intrusive ones (SMTP relay test, HTTP PUT/DELETE); none only scans
  --domain NAME              a DNS zone to try for zone transfers (repeatable)
  --inventory FILE           YAML inventory of managed hosts and approved services per role

Timing:
  --timeout MS               upper bound for one connection attempt or exchange (default 3000)
  --concurrency N            at most N connections in flight (default 1000)
  --rate N                   at most N new connections per second

Output:
  --format table|json|jsonl|nmap-xml   (default table)
  -o, --output FILE          write there (only when complete) instead of stdout
  --fail-on SEVERITY         exit 1 when a failure at or above it is found (default high)
  -v, --verbose              list closed and filtered ports too (table)
  -q, --quiet                no progress on stderr
  --no-color                 no colours in the table (also: NO_COLOR=1)

Exit codes: 0 clean, 1 findings at or above --fail-on, 2 usage or input error, 130 interrupted.

Examples:
  portcullis scan 127.0.0.1
  portcullis scan 192.0.2.0/24 --exclude 192.0.2.1 --inventory inventory.yaml --format json -o out.json
  portcullis scan dns01.example.org --domain example.org --ports 53 --udp
`;

const OPTIONS = {
  'input-list': { type: 'string', multiple: true },
  exclude: { type: 'string', multiple: true },
  'exclude-file': { type: 'string', multiple: true },
  'first-address': { type: 'boolean' },
  'max-hosts': { type: 'string' },
  force: { type: 'boolean' },
  ports: { type: 'string', short: 'p' },
  'exclude-ports': { type: 'string' },
  udp: { type: 'boolean' },
  'no-udp': { type: 'boolean' },
  probes: { type: 'string' },
  domain: { type: 'string', multiple: true },
  inventory: { type: 'string' },
  timeout: { type: 'string' },
  concurrency: { type: 'string' },
  rate: { type: 'string' },
  format: { type: 'string' },
  output: { type: 'string', short: 'o' },
  'fail-on': { type: 'string' },
  verbose: { type: 'boolean', short: 'v' },
  quiet: { type: 'boolean', short: 'q' },
  'no-color': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** nmap users type `-iL FILE`; parseArgs only knows one-letter short options. */
function normaliseArgs(args: string[]): string[] {
  return args.map((a) => (a === '-iL' ? '--input-list' : a));
}

export async function run(rawArgs: string[], ctx: CliContext): Promise<number> {
  const { values: o, positionals } = parseOptions(normaliseArgs(rawArgs), OPTIONS, 'scan');
  if (o.help) {
    ctx.stdout.write(SCAN_HELP);
    return EXIT.ok;
  }
  if (positionals.length === 0 && !o['input-list']) throw usageError('scan: no targets given (e.g. `portcullis scan 127.0.0.1`; see --help)');
  if (o.udp && o['no-udp']) throw usageError('scan: --udp and --no-udp contradict each other');
  const format = parseChoice(o.format, '--format', FORMATS, 'table');
  const failOn = parseSeverity(o['fail-on'], '--fail-on', 'high');
  const plan: ScanPlan = {
    targets: positionals,
    inputLists: o['input-list'] ?? [],
    exclude: o.exclude ?? [],
    excludeFiles: o['exclude-file'] ?? [],
    firstAddress: o['first-address'] ?? false,
    maxHosts: parsePositiveInt(o['max-hosts'], '--max-hosts') ?? 65_536,
    force: o.force ?? false,
    ports: o.ports ?? 'windows',
    excludePorts: o['exclude-ports'] ?? '',
    udp: o.udp ? 'on' : o['no-udp'] ? 'off' : 'profile',
    probes: parseChoice(o.probes, '--probes', ['safe', 'all', 'none'] as const, 'safe'),
    domains: o.domain ?? [],
    inventoryFile: o.inventory,
    timeoutMs: parsePositiveInt(o.timeout, '--timeout', 600_000) ?? 3000,
    concurrency: parsePositiveInt(o.concurrency, '--concurrency', 65_535) ?? 1000,
    rate: parsePositiveInt(o.rate, '--rate', 1_000_000),
  };
  const quiet = o.quiet ?? false;
  const progress = new Progress(ctx, ctx.isTTY && !quiet);
  const color = format === 'table' && !o['no-color'] && !o.output && colorWanted(ctx.stdout as { isTTY?: boolean }, ctx.env);

  // Everything the pipeline needs to refuse (bad targets, bad inventory) is checked before any
  // output file is opened, so a refused run leaves nothing behind.
  const prepared = await runScanPipeline.prepare(plan);
  if (!quiet) for (const w of prepared.targets.warnings) ctx.stderr.write(`portcullis: warning: ${w}\n`);
  const sink = new OutputSink(ctx, o.output);
  const startedAt = new Date();
  const jsonl = format === 'jsonl' ? new JsonlWriter(sink) : undefined;
  let doc: ScanDocument;
  try {
    jsonl?.begin({ tool: { name: 'portcullis', version: VERSION }, command: 'scan', startedAt: startedAt.toISOString(), options: prepared.options });
    doc = await runScanPipeline.execute(prepared, {
      ...(ctx.signal ? { signal: ctx.signal } : {}),
      onHost: (h) => jsonl?.host(h),
      onProgress: (p) => progress.update(`portcullis: ${p.hostsDone}/${p.hostsTotal} hosts, ${p.openPorts} open ports, ${p.phase}`),
    });
    progress.done();
    if (jsonl) jsonl.end(doc);
    else sink.write(render(format, doc, { color, verbose: o.verbose ?? false }));
    sink.commit();
  } catch (e) {
    progress.done();
    sink.abort();
    throw e;
  }
  if (!quiet && o.output) ctx.stderr.write(`portcullis: wrote ${o.output}\n`);
  if (doc.summary.interrupted) return EXIT.interrupted;
  return doc.hosts.some((h) => failsAtOrAbove(h.findings, failOn)) ? EXIT.findings : EXIT.ok;
}
