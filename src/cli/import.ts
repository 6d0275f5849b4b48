// `portcullis import nmap FILE.xml`: read an existing nmap XML report and judge it like a scan.
import { usageError } from '../core/errors.js';
import { failsAtOrAbove } from '../core/finding.js';
import { countFailures } from '../core/result.js';
import { importNmapFile } from '../import/nmap.js';
import { colorWanted, FORMATS, render } from '../report/index.js';
import { applyPolicy, loadInventory } from '../targets/index.js';
import type { CliContext } from './common.js';
import { EXIT, OutputSink, parseChoice, parseOptions, parseSeverity } from './common.js';

const HELP = `Usage: portcullis import nmap FILE.xml [options]

Reads a report nmap wrote with -oX and judges it the way \`portcullis scan\` judges its own
results: rogue hosts and unapproved services against an inventory, or, without one, the
built-in risk of exposed services. No packet is sent.

  --inventory FILE           YAML inventory of managed hosts and approved services per role
  --format table|json|jsonl|nmap-xml   (default table)
  -o, --output FILE          write there (only when complete) instead of stdout
  --fail-on SEVERITY         exit 1 when a failure at or above it is found (default high)
  -v, --verbose              list closed and filtered ports too (table)
  --no-color                 no colours in the table

Example:
  nmap -sT -p- -oX scan.xml 192.0.2.0/24
  portcullis import nmap scan.xml --inventory inventory.yaml
`;

const OPTIONS = {
  inventory: { type: 'string' },
  format: { type: 'string' },
  output: { type: 'string', short: 'o' },
  'fail-on': { type: 'string' },
  verbose: { type: 'boolean', short: 'v' },
  'no-color': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export async function run(args: string[], ctx: CliContext): Promise<number> {
  const { values: o, positionals } = parseOptions(args, OPTIONS, 'import');
  if (o.help) {
    ctx.stdout.write(HELP);
    return EXIT.ok;
  }
  const [kind, file, ...extra] = positionals;
  if (kind !== 'nmap') throw usageError(kind === undefined ? 'import: say what to import: `portcullis import nmap FILE.xml`' : `import: unknown report kind '${kind}' (supported: nmap)`);
  if (!file) throw usageError('import nmap: no file given (`portcullis import nmap FILE.xml`)');
  if (extra.length) throw usageError(`import nmap: unexpected argument '${extra[0]}'`);
  const format = parseChoice(o.format, '--format', FORMATS, 'table');
  const failOn = parseSeverity(o['fail-on'], '--fail-on', 'high');
  const inventory = o.inventory ? await loadInventory(o.inventory) : null;
  const doc = await importNmapFile(file);
  doc.hosts = doc.hosts.map((h) => applyPolicy(h, inventory));
  doc.summary.findings = countFailures(doc.hosts);
  doc.options = { ...doc.options, inventory: o.inventory ?? null };
  const color = format === 'table' && !o['no-color'] && !o.output && colorWanted(ctx.stdout as { isTTY?: boolean }, ctx.env);
  const sink = new OutputSink(ctx, o.output);
  try {
    sink.write(render(format, doc, { color, verbose: o.verbose ?? false }));
    sink.commit();
  } catch (e) {
    sink.abort();
    throw e;
  }
  return doc.hosts.some((h) => failsAtOrAbove(h.findings, failOn)) ? EXIT.findings : EXIT.ok;
}
