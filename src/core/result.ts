// The result document: what `scan` and `import nmap` produce and every renderer reads.
// Renderers never compute verdicts; they only read this.
import type { Finding } from './finding.js';

export type Protocol = 'tcp' | 'udp';
export type PortState = 'open' | 'closed' | 'filtered' | 'open|filtered';

export interface ServiceInfo {
  /** Short lower-case name: http, https, ssh, rdp, smb, dns, … or `unknown`. */
  name: string;
  product?: string;
  version?: string;
  /** The service speaks TLS on this port (directly, not after STARTTLS). */
  tls: boolean;
  /** How the name was decided: a handshake we recognised, or the port number (UDP payload answered). */
  method: 'handshake' | 'banner' | 'port' | 'none';
  /** What the service said (first bytes, printable summary) when it could not be named, or a key fact. */
  evidence?: string;
  /** Extra facts learned during identification (e.g. NetBIOS domain, certificate names). */
  extra?: Record<string, string>;
}

export interface PortResult {
  port: number;
  protocol: Protocol;
  state: PortState;
  /** Why the state was decided: syn-ack, conn-refused, no-response, udp-response, port-unreach. */
  reason: string;
  service?: ServiceInfo;
}

/**
 * Ports of one protocol and state that are counted rather than listed one by one (nmap's
 * `extraports`: an imported report that folded 995 closed ports, or a scanner that keeps a
 * full-range scan's closed ports as a count instead of 65,000 entries).
 */
export interface PortTally {
  protocol: Protocol;
  state: PortState;
  count: number;
  /** Why those ports got that state, when one reason covers them all (e.g. conn-refused). */
  reason?: string;
}

export interface InventoryMatch {
  name: string;
  roles: string[];
}

export interface HostResult {
  address: string;
  /** Names the user gave or that resolved to this address. */
  names: string[];
  status: 'up' | 'down';
  /** The inventory entry this host matched, `null` when an inventory was given and none matched. */
  inventory?: InventoryMatch | null;
  ports: PortResult[];
  /** Ports scanned but not listed in `ports`, counted per protocol and state. */
  extraPorts?: PortTally[];
  findings: Finding[];
}

export interface ScanDocument {
  tool: { name: 'portcullis'; version: string };
  command: 'scan' | 'import-nmap' | 'audit';
  startedAt: string;
  finishedAt: string;
  /** The options as the command understood them (after defaults). */
  options: Record<string, unknown>;
  /** The ports probed per protocol as a compact list ("1-1024,3389"); renderers use it for nmap's scaninfo. */
  portsScanned?: Partial<Record<Protocol, string>>;
  hosts: HostResult[];
  summary: {
    hostsScanned: number;
    hostsUp: number;
    openPorts: number;
    findings: Record<string, number>;
    /** True when the run was interrupted (Ctrl-C) and the document holds what was known by then. */
    interrupted: boolean;
  };
}

/** `summary.findings` of a document: failures counted per severity. */
export function countFailures(hosts: readonly HostResult[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const h of hosts) for (const f of h.findings) if (f.status === 'fail') out[f.severity] = (out[f.severity] ?? 0) + 1;
  return out;
}
