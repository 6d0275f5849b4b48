// The shape of an inside-view rule. A rule is metadata plus one pure, synchronous `evaluate`
// over HostState: no I/O, no clock (the engine passes `now`), no exceptions on purpose (a throw is
// turned into an `error` finding for that rule alone). Fixes are data (src/fix/ops.ts).
import type { Evidence, EvidenceItem, Severity } from '../core/finding.js';
import type { FixOp } from '../fix/ops.js';
import type { HostSlice, HostState } from '../host/state.js';
import type { HostRoles } from '../host/effective.js';

export const RULE_AREAS = ['network', 'services', 'iis', 'accounts', 'rdp', 'dns', 'tls', 'patching', 'logging', 'management'] as const;
export type RuleArea = (typeof RULE_AREAS)[number];

/**
 * Server roles, decided from the bundle by `detectRoles` (src/host/effective.ts). A rule that names
 * roles applies when any of them is present; when all are known to be absent it is `not-applicable`;
 * when the bundle cannot tell, the rule runs (and answers `manual` if its artifacts are missing).
 */
export type Role = keyof HostRoles;
export type Roles = HostRoles;

/** Knobs a user may set for one audit run (defaults in src/audit/options.ts). */
export interface AuditOptions {
  /** The newest installed update may be at most this old. */
  maxHotfixAgeDays: number;
  /** Anti-virus signatures may be at most this old. */
  maxSignatureAgeDays: number;
  /** Enabled accounts unused for longer than this are flagged. */
  maxIdleAccountDays: number;
  /** KB numbers that must be installed (`KB5005039`); empty = the rule does not apply. */
  requiredHotfixes: readonly string[];
}

export interface RuleContext {
  /** The audit's clock: every age is measured against this, never against the wall clock. */
  now: Date;
  /** Host name used as the finding target. */
  host: string;
  roles: Roles;
  options: AuditOptions;
}

/** HostState with the slices a rule requires known to be present. */
export type RuleInput<K extends HostSlice> = HostState & { [P in K]-?: NonNullable<HostState[P]> };

export type NonEmpty<T> = readonly [T, ...T[]];

export interface PassOutcome {
  status: 'pass';
  evidence: Evidence;
}
export interface FailOutcome {
  status: 'fail';
  /** A failure always shows what decided it: at least one item, with provenance where known. */
  evidence: Evidence & { items: [EvidenceItem, ...EvidenceItem[]] };
  /** At least one operation; a judgement call is a `manualStep`. */
  fix: NonEmpty<FixOp>;
  /** A failure may be milder or graver than the rule's default (e.g. 12 vs 8 password characters). */
  severity?: Severity;
}
export interface NotApplicableOutcome {
  status: 'not-applicable';
  evidence: Evidence;
}
export interface ManualOutcome {
  status: 'manual';
  evidence: Evidence;
  /** What a person runs to collect what is missing or to decide. */
  commands: readonly string[];
}
export type Outcome = PassOutcome | FailOutcome | NotApplicableOutcome | ManualOutcome;

export interface RuleMeta {
  /** kebab-case, equal to the file name, never reused for a different check. */
  id: string;
  /** What holds when the rule passes. */
  title: string;
  /** What is wrong when it fails. */
  failureTitle: string;
  severity: Severity;
  area: RuleArea;
  /** Why it matters, in our own words. */
  rationale: string;
  /** One paragraph a person can follow without the fix script. */
  remediation: string;
  /** Microsoft Learn pages and CIS benchmark item numbers (`CIS Windows Server 2022 L1 2.3.10.2`). */
  references: readonly string[];
  /** Roles that make the rule applicable (any of them). Absent = every Windows server. */
  roles?: readonly Role[];
}

export interface Rule<K extends HostSlice = HostSlice> extends RuleMeta {
  /** Slices that must all be present; the engine answers `manual` (with the collect commands) otherwise. */
  requires: readonly K[];
  evaluate(input: RuleInput<K>, ctx: RuleContext): Outcome;
}

/** A rule with its slice type erased, for lists. */
export interface AnyRule extends RuleMeta {
  requires: readonly HostSlice[];
  evaluate(input: HostState, ctx: RuleContext): Outcome;
}

/** Identity at run time; keeps the `requires` keys and the `evaluate` input in step at compile time. */
export function defineRule<const K extends HostSlice>(rule: Rule<K>): AnyRule {
  return rule as unknown as AnyRule;
}

// ---------------------------------------------------------------------------------------------
// Outcome constructors

export function pass(summary: string, items: readonly EvidenceItem[] = []): PassOutcome {
  return { status: 'pass', evidence: items.length ? { summary, items: [...items] } : { summary } };
}

export function fail(
  summary: string,
  items: NonEmpty<EvidenceItem>,
  fix: NonEmpty<FixOp>,
  severity?: Severity,
): FailOutcome {
  const out: FailOutcome = { status: 'fail', evidence: { summary, items: [items[0], ...items.slice(1)] }, fix };
  if (severity !== undefined) out.severity = severity;
  return out;
}

export function notApplicable(summary: string, items: readonly EvidenceItem[] = []): NotApplicableOutcome {
  return { status: 'not-applicable', evidence: items.length ? { summary, items: [...items] } : { summary } };
}

export function manual(summary: string, commands: readonly string[], items: readonly EvidenceItem[] = []): ManualOutcome {
  return { status: 'manual', evidence: items.length ? { summary, items: [...items] } : { summary }, commands };
}

/** Type guard for a non-empty array. */
export function nonEmpty<T>(xs: readonly T[]): xs is NonEmpty<T> {
  return xs.length > 0;
}
