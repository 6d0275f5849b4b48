// The verdict matrix of issue 3: for every probe finding id of PROTOCOLS.md (except rogue-host and
// unapproved-service), which real peer shows the misconfiguration (careless) and which shows the
// fix (hardened), and how to read portcullis' result document against it. Shared by
// test/e2e/probes-real-servers.test.ts and bench/probes.ts so both judge exactly the same rows.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Finding } from '../../src/core/finding.js';
import type { HostResult, Protocol, ScanDocument } from '../../src/core/result.js';
import type { Variant } from '../harness/peer.js';
import type { PeerKind, PeerSpec, Started } from './peers.js';
import { hostOf } from './support.js';

/**
 * Peers of one variant on 127.16.NET.x; `xrdp-altport` (hardened only) is RDP moved off 3389,
 * `nginx-trusted` (hardened only) is the hardened nginx with a certificate from a private CA that
 * the scan is told to trust (see `trustEnv`).
 */
export function probePeerPlan(variant: Variant, net: number): PeerSpec[] {
  const kinds: Array<[PeerKind, number]> = [
    ['nginx', 1],
    ['bind9', 2],
    ['samba', 3],
    ['xrdp', 4],
    ['vsftpd', 5],
    ['snmpd', 6],
    ['telnetd', 7],
    ['x11vnc', 8],
    ['mariadb', 9],
    ['postfix', 10],
    ['freerdp-shadow', 11],
    // Apache: the only peer that really allows TRACE and answers OPTIONS (nginx cannot).
    ['apache', 13],
    // PHP's built-in server with an application whose error pages show PHP warnings (careless).
    ['php', 14],
  ];
  const plan: PeerSpec[] = kinds.map(([kind, host]) => ({ label: `${variant}/${kind}`, kind, variant, address: `127.16.${net}.${host}` }));
  if (variant === 'hardened') {
    // A non-default port the port scan lists explicitly; 3390 is what admins commonly move RDP to.
    plan.push({ label: 'hardened/xrdp-altport', kind: 'xrdp', variant, address: `127.16.${net}.12`, options: { ports: { rdp: 3390 } } });
    plan.push({ label: 'hardened/nginx-trusted', kind: 'nginx', variant, address: `127.16.${net}.15`, options: { certificate: 'private-ca' } });
  }
  return plan;
}

/** Where to look for a verdict: a peer of the plan (by kind, or `xrdp-altport`) and optionally one port role. */
export interface Side {
  peer: string;
  /** Port role(s) of the peer; without one (or when the peer opens none of them) the whole host counts. */
  role?: string | readonly string[];
  /** Hardened side: a `pass` must be present, not merely no `fail` (the probe can prove the fix). */
  requirePass?: boolean;
}

export interface Skip {
  skip: string;
}

export interface Expectation {
  id: string;
  careless: Side | Skip;
  hardened: Side | Skip;
}

export const isSkip = (s: Side | Skip): s is Skip => 'skip' in s;

/**
 * The hardened web peer on both ports: 80 only redirects to HTTPS (the vhost where counting a 301
 * as "method supported" is the trap of PROTOCOLS.md), 443 serves content.
 */
const WEB_BOTH = ['http', 'https'] as const;

export const EXPECTATIONS: readonly Expectation[] = [
  { id: 'rdp-standard-security-allowed', careless: { peer: 'xrdp', role: 'rdp' }, hardened: { peer: 'xrdp', role: 'rdp', requirePass: true } },
  { id: 'rdp-nla-not-required', careless: { peer: 'xrdp', role: 'rdp' }, hardened: { peer: 'freerdp-shadow', role: 'rdp', requirePass: true } },
  { id: 'rdp-encryption-level-low', careless: { peer: 'xrdp', role: 'rdp' }, hardened: { peer: 'xrdp', role: 'rdp' } },
  { id: 'rdp-default-port', careless: { peer: 'xrdp', role: 'rdp' }, hardened: { peer: 'xrdp-altport', role: 'rdp', requirePass: true } },
  { id: 'smb-v1-enabled', careless: { peer: 'samba', role: 'smb' }, hardened: { peer: 'samba', role: 'smb', requirePass: true } },
  { id: 'smb-signing-not-required', careless: { peer: 'samba', role: 'smb' }, hardened: { peer: 'samba', role: 'smb', requirePass: true } },
  { id: 'netbios-name-disclosure', careless: { peer: 'samba', role: 'netbiosName' }, hardened: { peer: 'samba', role: 'netbiosName' } },
  { id: 'dns-zone-transfer-allowed', careless: { peer: 'bind9', role: 'dns' }, hardened: { peer: 'bind9', role: 'dns', requirePass: true } },
  { id: 'dns-open-recursion', careless: { peer: 'bind9', role: 'dns' }, hardened: { peer: 'bind9', role: 'dns', requirePass: true } },
  { id: 'dns-version-disclosed', careless: { peer: 'bind9', role: 'dns' }, hardened: { peer: 'bind9', role: 'dns', requirePass: true } },
  // Apache careless: OPTIONS 200 with an Allow list, TRACE 200 echoing the request. The hardened
  // side stays nginx on both ports (80 answers every method with 301, the trap of PROTOCOLS.md);
  // hardened Apache (405 to both) is held to "no failure" by the beyond-the-matrix test.
  { id: 'http-options-enabled', careless: { peer: 'apache', role: 'http' }, hardened: { peer: 'nginx', role: WEB_BOTH, requirePass: true } },
  { id: 'http-trace-enabled', careless: { peer: 'apache', role: 'http' }, hardened: { peer: 'nginx', role: WEB_BOTH, requirePass: true } },
  { id: 'http-webdav-methods-enabled', careless: { peer: 'nginx', role: 'http' }, hardened: { peer: 'nginx', role: WEB_BOTH, requirePass: true } },
  { id: 'http-server-version-disclosed', careless: { peer: 'nginx', role: 'http' }, hardened: { peer: 'nginx', role: WEB_BOTH, requirePass: true } },
  { id: 'http-framework-disclosed', careless: { peer: 'nginx', role: 'http' }, hardened: { peer: 'nginx', role: WEB_BOTH, requirePass: true } },
  { id: 'http-directory-listing', careless: { peer: 'nginx', role: 'http' }, hardened: { peer: 'nginx', role: 'https', requirePass: true } },
  { id: 'http-default-page', careless: { peer: 'nginx', role: 'http' }, hardened: { peer: 'nginx', role: 'https', requirePass: true } },
  // The same PHP application both ways; only display_errors differs, so the verdict rests on the page content.
  { id: 'http-detailed-errors', careless: { peer: 'php', role: 'http' }, hardened: { peer: 'php', role: 'http', requirePass: true } },
  { id: 'http-no-https-redirect', careless: { peer: 'nginx', role: 'http' }, hardened: { peer: 'nginx', role: 'http', requirePass: true } },
  { id: 'http-no-hsts', careless: { peer: 'nginx', role: 'https' }, hardened: { peer: 'nginx', role: 'https', requirePass: true } },
  { id: 'tls-legacy-protocol', careless: { peer: 'nginx', role: 'https' }, hardened: { peer: 'nginx', role: 'https', requirePass: true } },
  { id: 'tls-weak-cipher', careless: { peer: 'nginx', role: 'https' }, hardened: { peer: 'nginx', role: 'https', requirePass: true } },
  { id: 'tls-weak-key', careless: { peer: 'nginx', role: 'httpsWeakKey' }, hardened: { peer: 'nginx', role: 'https', requirePass: true } },
  // A certificate from a private CA, trusted through NODE_EXTRA_CA_CERTS as an enterprise root would be.
  { id: 'tls-untrusted-certificate', careless: { peer: 'nginx', role: 'https' }, hardened: { peer: 'nginx-trusted', role: 'https', requirePass: true } },
  { id: 'tls-expired-certificate', careless: { peer: 'nginx', role: 'httpsExpired' }, hardened: { peer: 'nginx', role: 'https', requirePass: true } },
  // FreeRDP's shadow server makes its own certificate for the machine's host name, not the address.
  { id: 'tls-hostname-mismatch', careless: { peer: 'freerdp-shadow', role: 'rdp' }, hardened: { peer: 'nginx', role: 'https', requirePass: true } },
  { id: 'ftp-anonymous-login', careless: { peer: 'vsftpd', role: 'ftp' }, hardened: { peer: 'vsftpd', role: 'ftp', requirePass: true } },
  { id: 'ftp-cleartext', careless: { peer: 'vsftpd', role: 'ftp' }, hardened: { peer: 'vsftpd', role: 'ftp', requirePass: true } },
  { id: 'telnet-cleartext', careless: { peer: 'telnetd', role: 'telnet' }, hardened: { peer: 'telnetd', role: 'telnet' } },
  { id: 'snmp-default-community', careless: { peer: 'snmpd', role: 'snmp' }, hardened: { peer: 'snmpd', role: 'snmp' } },
  { id: 'vnc-no-auth', careless: { peer: 'x11vnc', role: 'rfb' }, hardened: { peer: 'x11vnc', role: 'rfb', requirePass: true } },
  { id: 'database-exposed', careless: { peer: 'mariadb', role: 'mysql' }, hardened: { peer: 'mariadb', role: 'mysql' } },
  { id: 'smtp-open-relay', careless: { peer: 'postfix', role: 'smtp' }, hardened: { peer: 'postfix', role: 'smtp', requirePass: true } },
];

/**
 * Failures a hardened peer still shows, each for a reason that is right (so the probes must keep
 * reporting them). Anything else failing on a hardened peer is a false positive.
 */
export const HARDENED_EXPECTED_FAILS: ReadonlyArray<{ id: string; peers?: readonly string[]; why: string }> = [
  { id: 'unapproved-service', why: 'no inventory is given, so the built-in risk table flags SMB, RDP, FTP, VNC wherever they listen' },
  { id: 'tls-untrusted-certificate', why: 'every peer certificate but nginx-trusted\'s is self-signed (or, for FreeRDP and xrdp, made by the server itself)' },
  { id: 'rdp-default-port', peers: ['xrdp', 'freerdp-shadow'], why: 'both RDP peers of the matrix listen on 3389 (xrdp-altport is the fix)' },
  { id: 'rdp-nla-not-required', peers: ['xrdp', 'xrdp-altport'], why: 'xrdp cannot do CredSSP as a server, so TLS without NLA is as hard as it gets' },
  { id: 'tls-hostname-mismatch', peers: ['freerdp-shadow'], why: 'the shadow server generates its certificate for the machine host name' },
];

export interface SideResult {
  /** What portcullis reported: `fail`, `pass`, another status, or `none` (no finding with that id). */
  got: string;
  right: boolean;
  /** Why (for messages and the bench table). */
  detail: string;
  /** Address and port judged. */
  where: string;
}

/** The peer of a plan a side refers to (label `VARIANT/PEER`). */
export function sidePeer(started: ReadonlyMap<string, Started>, variant: Variant, side: Side): Started | undefined {
  return started.get(`${variant}/${side.peer}`);
}

export interface PortRef {
  port: number;
  protocol: Protocol;
}

/** The ports of a side's role (DNS has one per protocol); empty when the peer does not open that role. */
export function sidePorts(peer: Started, side: Side): PortRef[] {
  if (!side.role) return [];
  const roles: readonly string[] = typeof side.role === 'string' ? [side.role] : side.role;
  return peer.ports.filter((x) => roles.includes(x.role)).map((x) => ({ port: x.port, protocol: x.protocol }));
}

function relevant(host: HostResult | undefined, id: string, ports: readonly PortRef[]): Finding[] {
  if (!host) return [];
  return host.findings.filter((f) => f.id === id && (ports.length === 0 || ports.some((p) => f.target.endsWith(`:${p.port}/${p.protocol}`))));
}

/**
 * Judges one side of one expectation in a result document.
 * careless: right when some finding with the id has status fail.
 * hardened: right when none fails, and (requirePass) at least one passes.
 */
export function judgeSide(doc: ScanDocument, peer: Started, variant: Variant, id: string, side: Side): SideResult {
  const ports = sidePorts(peer, side);
  const host = hostOf(doc, peer.spec.address);
  const fs = relevant(host, id, ports);
  const where = `${peer.spec.address}${ports.length ? ` ${ports.map((p) => `${p.port}/${p.protocol}`).join('+')}` : ' (whole host)'}`;
  const statuses = [...new Set(fs.map((f) => f.status))];
  const got = statuses.includes('fail') ? 'fail' : statuses.includes('pass') ? 'pass' : (statuses[0] ?? 'none');
  const detail = fs.length ? fs.map((f) => `${f.status}: ${f.evidence.summary}`).join(' | ') : `no ${id} finding on ${where}`;
  if (variant === 'careless') return { got, right: got === 'fail', detail, where };
  const right = !statuses.includes('fail') && (!side.requirePass || statuses.includes('pass'));
  return { got, right, detail, where };
}

/**
 * Environment for a scan of these peers: when some peer serves a certificate from a private CA
 * (`info.caCert`, nginx `certificate: 'private-ca'`), NODE_EXTRA_CA_CERTS names it, so Node's trust
 * store — and with it the TLS probe — anchors that chain exactly as it would an enterprise root an
 * administrator installed. Several CAs are joined into one bundle in the first such peer's dir
 * (removed with the peer). Returns undefined when no peer needs it (the caller's env is kept).
 */
export function trustEnv(started: Iterable<Started>): NodeJS.ProcessEnv | undefined {
  const cas: Array<{ file: string; dir: string }> = [];
  for (const s of started) {
    const file = s.peer.info['caCert'];
    if (file) cas.push({ file, dir: s.peer.dir });
  }
  if (cas.length === 0) return undefined;
  let file = cas[0]!.file;
  if (cas.length > 1) {
    file = join(cas[0]!.dir, 'e2e-trusted-cas.pem');
    writeFileSync(file, cas.map((c) => readFileSync(c.file, 'utf8')).join('\n'));
  }
  return { ...process.env, NODE_EXTRA_CA_CERTS: file };
}
