// `portcullis audit`: read one or more bundles, judge them with the rule catalog, render.
// Verdicts come from src/audit (engine) and src/rules; this file only wires options to them.
import { statSync } from 'node:fs';
import { basename } from 'node:path';
import { usageError } from '../core/errors.js';
import { failsAtOrAbove, type Finding } from '../core/finding.js';
import type { HostResult, ScanDocument } from '../core/result.js';
import { VERSION } from '../core/version.js';
import { auditHost, DEFAULT_AUDIT_OPTIONS, type HostAudit } from '../audit/engine.js';
import { loadHostState } from '../artifacts/bundle.js';
import { colorWanted, render } from '../report/index.js';
import { RULES } from '../rules/index.js';
import type { AuditOptions } from '../rules/define.js';
import { loadWaivers, type Waiver } from '../waivers/waivers.js';
import type { CliContext } from './common.js';
import { EXIT, OutputSink, parseChoice, parseOptions, parsePositiveInt, parseSeverity } from './common.js';

export const AUDIT_HELP = `Usage: portcullis audit <bundle|files...> [options]

Judges Windows servers from their own exported artifacts, offline. Every rule of the
catalog (\`portcullis rules\`) runs in isolation and answers pass, fail, not-applicable
(the host does not play the role), manual (an artifact is missing: the finding names the
command that collects it) or error (the rule itself failed). Every verdict shows the
values that decided it and the file and line (or XPath) they came from.

Inputs:
  A bundle folder or .zip made by \`portcullis collector\` (manifest.json + artifacts),
  or loose artifact files of ONE host: applicationHost.config, web.config, secpol.inf
  (secedit /export), *.reg, Registry.pol, systeminfo.txt, netstat.txt, auditpol.csv, ...
  Several folders/zips (and nothing else) are audited as several hosts.

Options:
  --format table|json        output format (default table)
  -o, --output FILE          write there, only once complete, instead of stdout
  --waivers FILE             YAML list of {rule, host, reason, expires}: a waived failure is
                             reported as 'waived'; after 'expires' it fails again
  --fail-on SEVERITY         exit 1 when a failure at or above it remains (default high)
  --now DATE                 judge as of this date (YYYY-MM-DD or ISO time; default: now)
  --max-update-age DAYS      newest installed update may be this old (default ${DEFAULT_AUDIT_OPTIONS.maxHotfixAgeDays})
  --max-signature-age DAYS   anti-virus signatures may be this old (default ${DEFAULT_AUDIT_OPTIONS.maxSignatureAgeDays})
  --max-idle-days DAYS       enabled accounts unused longer are flagged (default ${DEFAULT_AUDIT_OPTIONS.maxIdleAccountDays})
  --require-kb KB            an update that must be installed (repeatable: --require-kb KB5005039)
  -v, --verbose              show passed and not-applicable checks in the table too
  --no-color                 no colours in the table (also: NO_COLOR=1)
  -h, --help                 this text

Exit codes: 0 no failure at or above --fail-on, 1 failures at or above it,
2 usage or input error (nothing is written).

Examples:
  portcullis audit web01-bundle.zip
  portcullis audit web01/ --waivers waivers.yaml --format json -o web01.json
  portcullis audit applicationHost.config secpol.inf rdp.reg --now 2026-11-01
  portcullis audit bundles/web01.zip bundles/dns01.zip --fail-on medium

Waiver file:
  - rule: iis-content-off-system-drive
    host: "comp-web-*"
    reason: The competition scorer expects C:\\inetpub.
    expires: 2026-12-31
`;

const OPTIONS = {
  format: { type: 'string' },
  output: { type: 'string', short: 'o' },
  waivers: { type: 'string' },
  'fail-on': { type: 'string' },
  now: { type: 'string' },
  'max-update-age': { type: 'string' },
  'max-signature-age': { type: 'string' },
  'max-idle-days': { type: 'string' },
  'require-kb': { type: 'string', multiple: true },
  verbose: { type: 'boolean', short: 'v' },
  'no-color': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** The JSON document: the shared result shape plus what only an audit has. */
export interface AuditDocument extends ScanDocument {
  audit: {
    hosts: Array<Pick<HostAudit, 'host' | 'roles' | 'artifacts' | 'problems'> & { input: string[] }>;
  };
}

export function parseNow(value: string | undefined): Date {
  if (value === undefined) return new Date();
  const iso = /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value;
  const t = Date.parse(iso);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || !Number.isFinite(t)) throw usageError(`--now: '${value}' is not a date (YYYY-MM-DD or an ISO time such as 2026-11-21T08:00:00Z)`);
  return new Date(t);
}

function parseKbs(values: string[] | undefined): string[] {
  return (values ?? []).flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean).map((v) => {
    const m = /^(?:KB)?(\d{6,8})$/i.exec(v);
    if (!m) throw usageError(`--require-kb: '${v}' is not a KB number (e.g. KB5005039)`);
    return `KB${m[1]}`;
  });
}

/** Several folders/zips (and nothing else) are several hosts; anything else is one host. */
export function groupInputs(paths: string[]): string[][] {
  if (paths.length < 2) return [paths];
  const bundles = paths.every((p) => {
    try {
      return statSync(p).isDirectory() || /\.zip$/i.test(p);
    } catch {
      return false;
    }
  });
  return bundles ? paths.map((p) => [p]) : [paths];
}

export async function run(args: string[], ctx: CliContext): Promise<number> {
  const { values, positionals } = parseOptions(args, OPTIONS, 'audit');
  if (values.help) {
    ctx.stdout.write(AUDIT_HELP);
    return EXIT.ok;
  }
  if (positionals.length === 0) throw usageError('audit: give a bundle folder, a .zip, or artifact files (see `portcullis audit --help`)');
  const format = parseChoice(values.format, '--format', ['table', 'json'] as const, 'table');
  const failOn = parseSeverity(values['fail-on'], '--fail-on', 'high');
  const now = parseNow(values.now);
  const options: AuditOptions = {
    maxHotfixAgeDays: parsePositiveInt(values['max-update-age'], '--max-update-age', 3650) ?? DEFAULT_AUDIT_OPTIONS.maxHotfixAgeDays,
    maxSignatureAgeDays: parsePositiveInt(values['max-signature-age'], '--max-signature-age', 3650) ?? DEFAULT_AUDIT_OPTIONS.maxSignatureAgeDays,
    maxIdleAccountDays: parsePositiveInt(values['max-idle-days'], '--max-idle-days', 36500) ?? DEFAULT_AUDIT_OPTIONS.maxIdleAccountDays,
    requiredHotfixes: parseKbs(values['require-kb']),
  };
  // Read everything that can fail before opening the output, so an error leaves nothing behind.
  const waivers: Waiver[] = values.waivers ? await loadWaivers(values.waivers, { knownRules: new Set(RULES.map((r) => r.id)) }) : [];
  const startedAt = new Date();
  const groups = groupInputs(positionals);
  const audits = groups.map((paths) => {
    const state = loadHostState(paths);
    const fallback = paths.length === 1 ? basename(paths[0]!).replace(/\.zip$/i, '') : undefined;
    return { paths, audit: auditHost(state, RULES, { now, options, waivers, ...(fallback ? { fallbackHost: fallback } : {}) }) };
  });
  const doc = auditDocument(audits, { startedAt, finishedAt: new Date(), now, failOn, options, waiverFile: values.waivers, format });

  const sink = new OutputSink(ctx, values.output);
  try {
    const text = format === 'json' ? render('json', doc) : render('table', doc, { color: !values['no-color'] && !values.output && colorWanted(ctx.stdout as { isTTY?: boolean }, ctx.env ?? process.env), verbose: values.verbose ?? false });
    sink.write(text.endsWith('\n') ? text : `${text}\n`);
    sink.commit();
  } catch (e) {
    sink.abort();
    throw e;
  }
  if (format === 'table') {
    for (const a of audits) {
      for (const p of a.audit.problems) {
        ctx.stderr.write(`portcullis audit: ${a.audit.host}: ${p.artifact}${p.line !== undefined ? `:${p.line}` : ''}: ${p.severity}: ${p.reason}\n`);
      }
    }
  }
  const all: Finding[] = audits.flatMap((a) => a.audit.findings);
  return failsAtOrAbove(all, failOn) ? EXIT.findings : EXIT.ok;
}

interface DocMeta {
  startedAt: Date;
  finishedAt: Date;
  now: Date;
  failOn: string;
  options: AuditOptions;
  waiverFile: string | undefined;
  format: string;
}

export function auditDocument(audits: Array<{ paths: string[]; audit: HostAudit }>, meta: DocMeta): AuditDocument {
  const counts: Record<string, number> = {};
  const hosts: HostResult[] = audits.map(({ audit }) => {
    // Like scan: failures counted by severity; the audit-only outcomes (manual, error, waived) by
    // status, so the summary line reads "3 high, 5 manual, 1 waived". Passes are not findings.
    for (const f of audit.findings) {
      const key = f.status === 'fail' ? f.severity : f.status === 'pass' || f.status === 'not-applicable' ? undefined : f.status;
      if (key) counts[key] = (counts[key] ?? 0) + 1;
    }
    return { address: audit.host, names: [audit.host], status: 'up', ports: [], findings: audit.findings };
  });
  return {
    tool: { name: 'portcullis', version: VERSION },
    command: 'audit',
    startedAt: meta.startedAt.toISOString(),
    finishedAt: meta.finishedAt.toISOString(),
    options: {
      inputs: audits.map((a) => a.paths),
      format: meta.format,
      failOn: meta.failOn,
      now: meta.now.toISOString(),
      waivers: meta.waiverFile ?? null,
      maxUpdateAgeDays: meta.options.maxHotfixAgeDays,
      maxSignatureAgeDays: meta.options.maxSignatureAgeDays,
      maxIdleDays: meta.options.maxIdleAccountDays,
      requiredKbs: [...meta.options.requiredHotfixes],
    },
    hosts,
    summary: { hostsScanned: hosts.length, hostsUp: hosts.length, openPorts: 0, findings: counts, interrupted: false },
    audit: { hosts: audits.map(({ paths, audit }) => ({ host: audit.host, input: paths, roles: audit.roles, artifacts: audit.artifacts, problems: audit.problems })) },
  };
}
