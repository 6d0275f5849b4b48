// `portcullis rules`: the catalog of inside-view rules and outside-in probes, as a table or JSON.
import { SEVERITIES, severityRank, type Severity } from '../core/finding.js';
import { PROBES } from '../probes/index.js';
import { RULES } from '../rules/index.js';
import { RULE_AREAS } from '../rules/define.js';
import type { CliContext } from './common.js';
import { EXIT, OutputSink, parseChoice, parseOptions } from './common.js';

/** One verdict a probe can reach, as `portcullis rules` lists it. */
export interface ProbeListing {
  /** The finding id (PROTOCOLS.md). */
  id: string;
  /** The probe module that decides it. */
  probe: string;
  title: string;
  protocol: string;
  transport: 'tcp' | 'udp';
  ports: readonly number[];
  safety: 'safe' | 'intrusive';
  severity: Severity;
  references: readonly string[];
}

/** Every check of every probe in the static catalog, worst first. */
export function probeListing(): ProbeListing[] {
  return PROBES.flatMap((p) =>
    p.checks.map((c) => ({
      id: c.id,
      probe: p.id,
      title: c.title,
      protocol: p.protocol,
      transport: p.transport,
      ports: [...p.ports],
      safety: p.safety,
      severity: c.severity,
      references: [...c.references],
    })),
  ).sort((a, b) => a.protocol.localeCompare(b.protocol) || severityRank(b.severity) - severityRank(a.severity) || a.id.localeCompare(b.id));
}

export const RULES_HELP = `Usage: portcullis rules [options]

Lists every inside-view rule (what \`portcullis audit\` judges) and every outside-in probe
(what \`portcullis scan\` checks), with id, severity, area or protocol, and references.

Options:
  --format table|json   output format (default table)
  --area AREA           only rules of one area (${RULE_AREAS.join(', ')})
  -o, --output FILE     write there instead of stdout
  -h, --help            this text

Examples:
  portcullis rules
  portcullis rules --area rdp
  portcullis rules --format json | jq '.rules[] | select(.severity == "critical")'
`;

const OPTIONS = {
  format: { type: 'string' },
  area: { type: 'string' },
  output: { type: 'string', short: 'o' },
  help: { type: 'boolean', short: 'h' },
} as const;

export interface RuleListing {
  id: string;
  title: string;
  severity: Severity;
  area: string;
  roles: string[];
  requires: string[];
  rationale: string;
  remediation: string;
  references: string[];
}

export function ruleListing(): RuleListing[] {
  return RULES.map((r) => ({
    id: r.id,
    title: r.title,
    severity: r.severity,
    area: r.area,
    roles: [...(r.roles ?? [])],
    requires: [...r.requires],
    rationale: r.rationale,
    remediation: r.remediation,
    references: [...r.references],
  })).sort((a, b) => a.area.localeCompare(b.area) || severityRank(b.severity) - severityRank(a.severity) || a.id.localeCompare(b.id));
}

function table(rules: RuleListing[], probes: readonly ProbeListing[]): string {
  const out: string[] = [];
  const w = Math.max(...rules.map((r) => r.id.length), 10);
  out.push(`Rules (${rules.length}) — inside view, \`portcullis audit\``);
  for (const area of RULE_AREAS) {
    const inArea = rules.filter((r) => r.area === area);
    if (inArea.length === 0) continue;
    out.push('', `  ${area}`);
    for (const r of inArea) {
      out.push(`    ${r.id.padEnd(w)}  ${r.severity.padEnd(8)}  ${r.title}`);
      for (const ref of r.references) out.push(`    ${''.padEnd(w)}  ${''.padEnd(8)}  ↳ ${ref}`);
    }
  }
  out.push('', `Probes (${probes.length}) — outside view, \`portcullis scan\``);
  const pw = Math.max(...probes.map((p) => p.id.length), 10);
  for (const p of probes) {
    out.push(`    ${p.id.padEnd(pw)}  ${p.severity.padEnd(8)}  ${p.safety.padEnd(10)}  ${p.transport}/${p.ports.join(',')}  ${p.title}`);
    for (const ref of p.references) out.push(`    ${''.padEnd(pw)}  ${''.padEnd(8)}  ↳ ${ref}`);
  }
  return `${out.join('\n')}\n`;
}

export async function run(args: string[], ctx: CliContext): Promise<number> {
  const { values } = parseOptions(args, OPTIONS, 'rules');
  if (values.help) {
    ctx.stdout.write(RULES_HELP);
    return EXIT.ok;
  }
  const format = parseChoice(values.format, '--format', ['table', 'json'] as const, 'table');
  const area = values.area === undefined ? undefined : parseChoice(values.area, '--area', RULE_AREAS, 'network');
  const rules = ruleListing().filter((r) => area === undefined || r.area === area);
  const probes = area === undefined ? probeListing() : [];
  const text = format === 'json' ? `${JSON.stringify({ severities: SEVERITIES, rules, probes }, null, 2)}\n` : table(rules, probes);
  const sink = new OutputSink(ctx, values.output);
  try {
    sink.write(text);
    sink.commit();
  } catch (e) {
    sink.abort();
    throw e;
  }
  return EXIT.ok;
}
