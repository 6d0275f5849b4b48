// What a probe is: metadata as data plus one async `run` that talks to a service through an
// injected transport and returns verdicts. Probes never throw findings; the runner turns a throw
// or a timeout into an `error` verdict for that probe's checks only.
import type { Evidence, Finding, Severity, Status } from '../core/finding.js';
import { formatTarget } from '../core/finding.js';
import type { PortResult, Protocol, ServiceInfo } from '../core/result.js';
import type { Transport } from '../io/transport.js';

export type Safety = 'safe' | 'intrusive';

/** One verdict a probe can reach: a stable finding id (PROTOCOLS.md) and what to do about it. */
export interface CheckMeta {
  id: string;
  /** Title of the failure, e.g. "RDP accepts Standard RDP Security". */
  title: string;
  severity: Severity;
  /** Names the Windows setting that fixes it (CONTROLS.md). */
  remediation: string;
  references: string[];
}

/** Facts a probe learned that other probes can use (zone candidates for AXFR, host names). */
export interface LearnedFact {
  kind: 'domain' | 'hostname';
  value: string;
  /** Which probe or exchange taught it (certificate SAN, NetBIOS, reverse DNS, SOA …). */
  source: string;
}

export interface ProbeContext {
  /** The address being probed. */
  address: string;
  /** Names the user gave for this host or learned for it (SNI, Host header, certificate checks). */
  hostNames: readonly string[];
  port: number;
  protocol: Protocol;
  service: ServiceInfo | undefined;
  /** Every port result of this host (e.g. an HTTP probe asks whether HTTPS exists). */
  hostPorts: readonly PortResult[];
  /** DNS zones worth asking for (from --domain, the inventory and learned facts). */
  domains: readonly string[];
  io: Transport;
  /** Milliseconds left for this probe; every read must use at most this. */
  timeoutMs: number;
  signal: AbortSignal;
  learn(fact: LearnedFact): void;
}

export interface Verdict {
  /** A CheckMeta id of this probe. */
  check: string;
  status: Extract<Status, 'pass' | 'fail' | 'error' | 'not-applicable' | 'manual'>;
  evidence: Evidence;
}

export interface ProbeDefinition {
  /** Module id (kebab-case, = file name), e.g. `rdp-security`. */
  id: string;
  title: string;
  /** Wire protocol family, for `portcullis rules` and docs. */
  protocol: string;
  transport: Protocol;
  /** Default ports, for documentation and for services whose name is unknown. */
  ports: readonly number[];
  safety: Safety;
  timeoutMs: number;
  checks: readonly CheckMeta[];
  /** Whether this probe should run against an open port with this service. */
  appliesTo(service: ServiceInfo | undefined, port: number, protocol: Protocol): boolean;
  run(ctx: ProbeContext): Promise<Verdict[]>;
}

/** Identity function that checks a probe definition against the type (and keeps literal ids). */
export function defineProbe<const P extends ProbeDefinition>(probe: P): P {
  const ids = new Set(probe.checks.map((c) => c.id));
  if (ids.size !== probe.checks.length) throw new Error(`probe ${probe.id}: duplicate check ids`);
  return probe;
}

/** Build a finding from a verdict and the check's metadata. */
export function toFinding(meta: CheckMeta, v: Verdict, address: string, port: number, protocol: Protocol): Finding {
  return {
    id: meta.id,
    title: meta.title,
    severity: meta.severity,
    status: v.status,
    target: formatTarget(address, port, protocol),
    evidence: v.evidence,
    remediation: meta.remediation,
    references: meta.references,
  };
}

/** Render bytes for evidence: printable ASCII kept, the rest as \xNN, capped. */
export function summarizeBytes(buf: Buffer, max = 64): string {
  const slice = buf.subarray(0, max);
  let out = '';
  for (const b of slice) out += b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : `\\x${b.toString(16).padStart(2, '0')}`;
  return buf.length > max ? `${out}… (${buf.length} bytes)` : out;
}

/** Hex dump for evidence, capped. */
export function hexBytes(buf: Buffer, max = 48): string {
  const hex = buf.subarray(0, max).toString('hex').replace(/(..)/g, '$1 ').trim();
  return buf.length > max ? `${hex} … (${buf.length} bytes)` : hex;
}
