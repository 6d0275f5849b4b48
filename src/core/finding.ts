// The vocabulary every check speaks: severities, statuses, evidence with provenance, findings.
// Findings are data, never thrown.

export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Higher is worse; used for --fail-on and sorting. */
export function severityRank(s: Severity): number {
  return SEVERITIES.length - SEVERITIES.indexOf(s);
}

export function isSeverity(s: string): s is Severity {
  return (SEVERITIES as readonly string[]).includes(s);
}

export const STATUSES = ['fail', 'pass', 'not-applicable', 'manual', 'error', 'waived'] as const;
export type Status = (typeof STATUSES)[number];

/** Where a value came from: an artifact file and a line or XPath inside it, or a network exchange. */
export interface Provenance {
  artifact: string;
  line?: number;
  xpath?: string;
}

export interface EvidenceItem {
  label: string;
  value: string | number | boolean | null;
  source?: Provenance;
}

export interface Evidence {
  /** One sentence: what was seen that decided the verdict. */
  summary: string;
  /** What was offered on the wire (summarised), for probes. */
  sent?: string;
  /** What came back (summarised), for probes. */
  received?: string;
  /** The deciding values, with provenance where known. */
  items?: EvidenceItem[];
}

export interface Finding {
  /** Stable kebab-case id (PROTOCOLS.md finding table, or a rule id). */
  id: string;
  title: string;
  severity: Severity;
  status: Status;
  /** `host:port/proto` or the host. */
  target: string;
  evidence: Evidence;
  remediation: string;
  references: readonly string[];
  /** Present when status is `waived`. */
  waiver?: { reason: string; expires: string };
}

export function formatTarget(host: string, port?: number, protocol?: 'tcp' | 'udp'): string {
  if (port === undefined) return host;
  const h = host.includes(':') ? `[${host}]` : host;
  return `${h}:${port}/${protocol ?? 'tcp'}`;
}

/** Findings that count towards the exit code: failures at or above the threshold. */
export function failsAtOrAbove(findings: readonly Finding[], threshold: Severity): boolean {
  const min = severityRank(threshold);
  return findings.some((f) => f.status === 'fail' && severityRank(f.severity) >= min);
}
