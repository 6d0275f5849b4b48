// The audit engine: every rule of the catalog over one HostState, each in isolation.
//
// Order of decisions for one rule (Lighthouse-style):
//   1. role detection says the host does not play any role the rule needs → `not-applicable`;
//   2. a slice the rule requires was not collected → `manual`, naming the command that provides it;
//   3. `evaluate` runs; a throw (or an outcome that breaks the contract) → `error` for that rule only;
//   4. waivers turn a failure into `waived` (or say that the waiver expired).
import type { Evidence, Finding, Severity } from '../core/finding.js';
import type { FixOp } from '../fix/ops.js';
import { detectRoles, type HostRoles } from '../host/effective.js';
import { COLLECT_COMMANDS, type ArtifactRecord, type HostSlice, type HostState, type ParseProblem } from '../host/state.js';
import type { AnyRule, AuditOptions, Outcome, RuleArea, RuleContext } from '../rules/define.js';
import { applyWaivers, type Waiver } from '../waivers/waivers.js';

/** A finding of the host audit: the shared Finding plus what a fix renderer needs. */
export interface AuditFinding extends Finding {
  area: RuleArea;
  /** Fix operations (status `fail`/`waived`). */
  fix?: FixOp[];
  /** Commands that collect what is missing or help a person decide (status `manual`). */
  commands?: string[];
}

export interface HostAudit {
  host: string;
  roles: HostRoles;
  findings: AuditFinding[];
  artifacts: ArtifactRecord[];
  problems: ParseProblem[];
}

export const DEFAULT_AUDIT_OPTIONS: AuditOptions = {
  maxHotfixAgeDays: 45,
  maxSignatureAgeDays: 7,
  maxIdleAccountDays: 90,
  requiredHotfixes: [],
};

export interface AuditRunOptions {
  now: Date;
  options?: Partial<AuditOptions>;
  waivers?: readonly Waiver[];
  /** Used when the bundle does not name its host (no manifest, systeminfo or net user header). */
  fallbackHost?: string;
}

const ROLE_LABEL: Record<keyof HostRoles, string> = {
  iis: 'IIS web server',
  dnsServer: 'DNS server',
  domainController: 'domain controller',
  rdpEnabled: 'Remote Desktop enabled',
};

export function auditHost(state: HostState, rules: readonly AnyRule[], run: AuditRunOptions): HostAudit {
  const host = state.host.name?.value ?? run.fallbackHost ?? 'unknown-host';
  const roles = detectRoles(state);
  const ctx: RuleContext = { now: run.now, host, roles, options: { ...DEFAULT_AUDIT_OPTIONS, ...run.options } };
  const findings = rules.map((rule) => judge(rule, state, ctx));
  return {
    host,
    roles,
    findings: run.waivers ? (applyWaivers(findings, run.waivers, host, run.now) as AuditFinding[]) : findings,
    artifacts: state.artifacts,
    problems: state.problems,
  };
}

/** One rule over one host; never throws. */
export function judge(rule: AnyRule, state: HostState, ctx: RuleContext): AuditFinding {
  const base = (status: Finding['status'], evidence: Evidence, severity: Severity = rule.severity): AuditFinding => ({
    id: rule.id,
    title: status === 'fail' ? rule.failureTitle : rule.title,
    severity,
    status,
    target: ctx.host,
    evidence,
    remediation: rule.remediation,
    references: [...rule.references],
    area: rule.area,
  });

  if (rule.roles && rule.roles.length > 0) {
    const verdicts = rule.roles.map((r) => ({ role: r, v: ctx.roles[r] }));
    if (verdicts.every((x) => x.v.present === false)) {
      return base('not-applicable', {
        summary: `Not applicable: the host is not a ${verdicts.map((x) => ROLE_LABEL[x.role]).join(' / ')}.`,
        items: verdicts.map((x) => ({ label: ROLE_LABEL[x.role], value: x.v.reason, ...(x.v.source ? { source: x.v.source } : {}) })),
      });
    }
  }

  const missing = rule.requires.filter((k: HostSlice) => state[k] === undefined);
  if (missing.length > 0) {
    const f = base('manual', {
      summary: `Cannot judge: the bundle has no ${missing.join(', ')} data. Collect it and audit again.`,
      items: missing.map((k) => ({ label: `missing ${k}`, value: COLLECT_COMMANDS[k] })),
    });
    f.commands = missing.map((k) => COLLECT_COMMANDS[k]);
    return f;
  }

  let outcome: Outcome;
  try {
    outcome = rule.evaluate(state, ctx);
  } catch (e) {
    return base('error', {
      summary: `The rule failed while judging this host: ${e instanceof Error ? e.message : String(e)}`,
      items: [{ label: 'exception', value: e instanceof Error ? `${e.name}: ${e.message}` : String(e) }],
    });
  }
  const broken = contractBreak(outcome);
  if (broken) return base('error', { summary: `The rule returned an invalid outcome: ${broken}` });

  switch (outcome.status) {
    case 'pass':
      return base('pass', outcome.evidence);
    case 'not-applicable':
      return base('not-applicable', outcome.evidence);
    case 'manual': {
      const f = base('manual', outcome.evidence);
      f.commands = [...outcome.commands];
      return f;
    }
    case 'fail': {
      const f = base('fail', outcome.evidence, outcome.severity ?? rule.severity);
      f.fix = [...outcome.fix];
      return f;
    }
  }
}

/** The type system already forbids these; the check guards against casts and plain-JS rules. */
function contractBreak(o: Outcome | undefined): string | undefined {
  if (!o || typeof o !== 'object') return 'no outcome';
  if (!o.evidence || typeof o.evidence.summary !== 'string' || o.evidence.summary === '') return 'no evidence summary';
  if (o.status === 'fail') {
    if (!Array.isArray(o.evidence.items) || o.evidence.items.length === 0) return 'a failure without evidence items';
    if (!Array.isArray(o.fix) || o.fix.length === 0) return 'a failure without fix operations or manual steps';
  }
  if (!['pass', 'fail', 'not-applicable', 'manual'].includes(o.status)) return `unknown status '${String((o as { status: unknown }).status)}'`;
  return undefined;
}
