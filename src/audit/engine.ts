// The audit engine: every rule of the catalog over one HostState, each in isolation.
//
// Order of decisions for one rule (Lighthouse-style):
//   1. role detection says the host does not play any role the rule needs → `not-applicable`;
//   2. a slice the rule requires was not collected → `manual`, naming the command that provides it;
//   3. `evaluate` runs; a throw (or an outcome that breaks the contract) → `error` for that rule only;
//   4. waivers turn a failure into `waived` (or say that the waiver expired).
import type { Evidence, Finding, Severity } from '../core/finding.js';
import type { FixOp } from '../fix/ops.js';
import { releaseDerived } from '../host/derived.js';
import { detectRoles, type HostRoles } from '../host/effective.js';
import { COLLECT_COMMANDS, type ArtifactRecord, type HostSlice, type HostState, type ParseProblem } from '../host/state.js';
import type { AnyRule, AuditOptions, FailOutcome, Outcome, RuleArea, RuleContext } from '../rules/define.js';
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
  let findings: AuditFinding[];
  try {
    findings = rules.map((rule) => judge(rule, state, ctx));
  } finally {
    // The per-state caches rules share (effective IIS configuration, registry reads) are done with:
    // let them die young instead of surviving to the next full GC (see host/derived.ts).
    releaseDerived();
  }
  return {
    host,
    roles,
    findings: run.waivers ? (applyWaivers(findings, run.waivers, host, run.now) as AuditFinding[]) : findings,
    artifacts: state.artifacts,
    problems: state.problems,
  };
}

/** The finding for `rule`; every status builds the same object shape, so findings serialise
 *  through one hidden class. `references` is the rule's own list, shared, not copied: findings are
 *  read-only data (probes share their metadata the same way). */
function finding(rule: AnyRule, ctx: RuleContext, status: Finding['status'], evidence: Evidence, severity: Severity = rule.severity): AuditFinding {
  return {
    id: rule.id,
    title: status === 'fail' ? rule.failureTitle : rule.title,
    severity,
    status,
    target: ctx.host,
    evidence,
    remediation: rule.remediation,
    references: rule.references,
    area: rule.area,
  };
}

/** One rule over one host; never throws. */
export function judge(rule: AnyRule, state: HostState, ctx: RuleContext): AuditFinding {
  // Checks first, evidence only when needed: for the ~100 rules of every bundle the common case
  // (a role present, every slice collected) allocates nothing here.
  const roles = rule.roles;
  if (roles !== undefined && roles.length > 0 && noRolePresent(roles, ctx.roles)) {
    return finding(rule, ctx, 'not-applicable', {
      summary: `Not applicable: the host is not a ${roles.map((r) => ROLE_LABEL[r]).join(' / ')}.`,
      items: roles.map((r) => {
        const v = ctx.roles[r];
        return v.source ? { label: ROLE_LABEL[r], value: v.reason, source: v.source } : { label: ROLE_LABEL[r], value: v.reason };
      }),
    });
  }

  if (!hasSlices(rule.requires, state)) {
    const missing = rule.requires.filter((k: HostSlice) => state[k] === undefined);
    const f = finding(rule, ctx, 'manual', {
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
    return finding(rule, ctx, 'error', {
      summary: `The rule failed while judging this host: ${e instanceof Error ? e.message : String(e)}`,
      items: [{ label: 'exception', value: e instanceof Error ? `${e.name}: ${e.message}` : String(e) }],
    });
  }
  const broken = contractBreak(outcome);
  if (broken) return finding(rule, ctx, 'error', { summary: `The rule returned an invalid outcome: ${broken}` });

  switch (outcome.status) {
    case 'pass':
      return finding(rule, ctx, 'pass', outcome.evidence);
    case 'not-applicable':
      return finding(rule, ctx, 'not-applicable', outcome.evidence);
    case 'manual': {
      const f = finding(rule, ctx, 'manual', outcome.evidence);
      f.commands = [...outcome.commands];
      return f;
    }
    case 'fail': {
      const f = finding(rule, ctx, 'fail', outcome.evidence, outcome.severity ?? rule.severity);
      f.fix = [...outcome.fix];
      return f;
    }
  }
}

function noRolePresent(roles: readonly (keyof HostRoles)[], verdicts: HostRoles): boolean {
  for (const r of roles) if (verdicts[r].present !== false) return false;
  return true;
}

function hasSlices(requires: readonly HostSlice[], state: HostState): boolean {
  for (const k of requires) if (state[k] === undefined) return false;
  return true;
}

/** The type system already forbids these; the check guards against casts and plain-JS rules. */
function contractBreak(o: Outcome | undefined): string | undefined {
  if (!o || typeof o !== 'object') return 'no outcome';
  if (!o.evidence || typeof o.evidence.summary !== 'string' || o.evidence.summary === '') return 'no evidence summary';
  const status: string = o.status;
  if (status === 'fail') {
    if (!Array.isArray(o.evidence.items) || o.evidence.items.length === 0) return 'a failure without evidence items';
    if (!Array.isArray((o as FailOutcome).fix) || (o as FailOutcome).fix.length === 0) return 'a failure without fix operations or manual steps';
  } else if (status !== 'pass' && status !== 'not-applicable' && status !== 'manual') return `unknown status '${String(status)}'`;
  return undefined;
}
