// Probe `tls`: protocol versions, weak suites and the certificate of any TLS service.
//
// REUSE AFTER STARTTLS / RDP NEGOTIATION — the public API of this file:
//
//   import { tlsChecks, TLS_CHECKS, type TlsTarget } from './tls.js';
//
//   export const smtp = defineProbe({
//     ...,
//     checks: [...MY_SMTP_CHECKS, ...TLS_CHECKS],        // so the runner knows the tls-* ids
//     async run(ctx) {
//       const verdicts = [...];
//       if (serverAdvertisedStartTls) {
//         verdicts.push(...(await tlsChecks(ctx, {
//           via: 'SMTP STARTTLS',
//           // Every call must return a FRESH connection positioned exactly where the server expects a
//           // ClientHello (greeting read, EHLO sent, "STARTTLS" answered 220, nothing left unread).
//           open: async () => { const s = await ctx.io.connect(ctx.address, ctx.port, { timeoutMs, signal: ctx.signal }); …; return s; },
//         })));
//       }
//       return verdicts;
//     },
//   });
//
// `tlsChecks` returns one verdict for each of the six TLS_CHECKS ids (pass / fail / error), never
// throws for peer behaviour, opens at most MAX_CONNECTIONS connections and keeps inside
// `ctx.timeoutMs` / `ctx.signal`. Optional `certificate` passes a TlsInfo the caller already got from
// `stream.startTls` (the RDP probe does this on its negotiated socket); otherwise `tlsChecks` upgrades
// one more `open()` connection with Node's TLS to fetch the chain.
//
// Method (PROTOCOLS.md §TLS): our own ClientHello per protocol version (record version = the probed
// version, supported_versions only for 1.3, SNI when a name is known); a version counts as accepted
// only when the ServerHello carries exactly that version. Weak suites are enumerated by re-offering
// what is left after each ServerHello, in chunks of at most 64 suites (128 bytes) per hello.
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import tls from 'node:tls';
import net from 'node:net';
import type { Stream, TlsInfo } from '../io/transport.js';
import { IoError } from '../io/transport.js';
import type { CheckMeta, ProbeContext, Verdict } from './define.js';
import { defineProbe } from './define.js';
import type { HelloOutcome, KeyExchangeParams, TlsVersion } from '../protocols/tls.js';
import { SSL3, TLS10, TLS11, TLS12, TLS13, encodeClientHello, helloExchange, versionName } from '../protocols/tls.js';
import { CIPHER_SUITES, suiteName } from '../protocols/tls-suites.js';

const SCHANNEL = 'HKLM\\SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL';

export const TLS_CHECKS = [
  {
    id: 'tls-legacy-protocol',
    title: 'TLS service accepts SSL 3.0, TLS 1.0 or TLS 1.1',
    severity: 'high',
    remediation:
      `Turn the legacy protocols off for the server side: ${SCHANNEL}\\Protocols\\<SSL 3.0 | TLS 1.0 | TLS 1.1>\\Server ` +
      'Enabled=0 (DWORD) and DisabledByDefault=1, keep TLS 1.2 (and TLS 1.3 on Windows Server 2022+) enabled, then reboot. ' +
      'A service with its own TLS stack (Apache, nginx, Java) needs its minimum protocol raised in its own configuration.',
    references: ['https://learn.microsoft.com/en-us/windows-server/security/tls/tls-registry-settings', 'https://www.rfc-editor.org/rfc/rfc8996'],
  },
  {
    id: 'tls-weak-cipher',
    title: 'TLS service accepts NULL, anonymous, EXPORT, RC4, DES or 3DES cipher suites',
    severity: 'high',
    remediation:
      `Disable the weak ciphers: ${SCHANNEL}\\Ciphers\\<NULL | RC4 128/128 | RC4 56/128 | RC4 40/128 | DES 56/56 | Triple DES 168> Enabled=0, ` +
      'and remove anonymous/EXPORT/3DES suites from the suite order (Group Policy "SSL Cipher Suite Order" or Disable-TlsCipherSuite). ' +
      'Non-Schannel services: remove them from the service cipher list.',
    references: ['https://learn.microsoft.com/en-us/windows-server/security/tls/tls-registry-settings', 'https://www.rfc-editor.org/rfc/rfc7465'],
  },
  {
    id: 'tls-weak-key',
    title: 'TLS service uses a weak key (RSA/DH < 2048 bits or EC < 224 bits)',
    severity: 'medium',
    remediation:
      'Reissue the certificate with an RSA key of at least 2048 bits (or ECDSA P-256 or larger) and bind it to the service; ' +
      `for ephemeral Diffie-Hellman set ${SCHANNEL}\\KeyExchangeAlgorithms\\Diffie-Hellman ServerMinKeyBitLength=0x800 (2048).`,
    references: ['https://learn.microsoft.com/en-us/windows-server/security/tls/tls-registry-settings'],
  },
  {
    id: 'tls-untrusted-certificate',
    title: 'TLS certificate is self-signed or not anchored in a trusted root',
    severity: 'medium',
    remediation:
      'Bind a certificate issued by a CA the clients trust (enterprise PKI or a public CA) and send the intermediate certificates: ' +
      'IIS site binding (netsh http show sslcert), or for RDP HKLM\\SYSTEM\\CurrentControlSet\\Control\\Terminal Server\\WinStations\\RDP-Tcp\\SSLCertificateSHA1Hash ' +
      '(or the Terminal Services policy "Server authentication certificate template" for automatic enrolment).',
    references: ['https://www.rfc-editor.org/rfc/rfc5280#section-6'],
  },
  {
    id: 'tls-expired-certificate',
    title: 'TLS certificate is expired or not yet valid',
    severity: 'high',
    remediation:
      'Renew the certificate and bind the new one: IIS site binding (netsh http update sslcert), RDP ' +
      'HKLM\\SYSTEM\\CurrentControlSet\\Control\\Terminal Server\\WinStations\\RDP-Tcp\\SSLCertificateSHA1Hash, or the service configuration; enrol with auto-renewal where the CA allows it.',
    references: ['https://www.rfc-editor.org/rfc/rfc5280#section-4.1.2.5'],
  },
  {
    id: 'tls-hostname-mismatch',
    title: 'TLS certificate names neither the host name used nor the address',
    severity: 'low',
    remediation:
      'Issue the certificate with a subjectAltName listing every DNS name (and address, if clients use it) that clients connect to, and bind it: IIS site binding ' +
      '(netsh http update sslcert), or for RDP HKLM\\SYSTEM\\CurrentControlSet\\Control\\Terminal Server\\WinStations\\RDP-Tcp\\SSLCertificateSHA1Hash.',
    references: ['https://www.rfc-editor.org/rfc/rfc6125'],
  },
] as const satisfies readonly CheckMeta[];

/** A place where a ClientHello can be sent: direct TLS, after STARTTLS, after RDP negotiation. */
export interface TlsTarget {
  /** Words for evidence: "direct TLS", "after SMTP STARTTLS", "after RDP negotiation (PROTOCOL_SSL)". */
  via: string;
  /** A fresh connection positioned where the server expects a ClientHello. May throw IoError. */
  open(): Promise<Stream>;
  /** Certificate info the caller already has from `stream.startTls` on this service. */
  certificate?: TlsInfo;
}

/** Upper bound on connections one `tlsChecks` call opens (enumeration included). */
export const MAX_CONNECTIONS = 80;
const CHUNK = 64;
const LEGACY: readonly TlsVersion[] = [SSL3, TLS10, TLS11];
const PROBED: readonly TlsVersion[] = [SSL3, TLS10, TLS11, TLS12, TLS13];

type VersionState = 'accepted' | 'refused' | 'error';

interface VersionResult {
  version: TlsVersion;
  state: VersionState;
  /** One line per exchange, for evidence. */
  log: string[];
  weakAccepted: number[];
  preferred?: number;
  /** The weak enumeration for this version ended with a clean refusal (alert / close), not a broken exchange. */
  weakComplete: boolean;
}

interface Scan {
  versions: VersionResult[];
  chain: Buffer[];
  keyExchange: KeyExchangeParams[];
  connections: number;
  stoppedEarly?: string;
}

/** Offer order: forward-secret AEAD first, so a server that follows the client's order shows its best. */
function rank(code: number): number {
  const s = CIPHER_SUITES.get(code);
  if (!s) return 9;
  const kex = s.kex === 'ECDHE' ? 0 : s.kex === 'DHE' ? 1 : 2;
  const aead = /_(GCM|CCM|POLY1305)/.test(s.name) ? 0 : 1;
  return aead * 3 + kex;
}

function suitesFor(v: TlsVersion, weak: boolean): number[] {
  const out: number[] = [];
  for (const s of CIPHER_SUITES.values()) {
    if (v === TLS13 ? !s.tls13 : s.tls13) continue;
    if (v < TLS12 && s.tls12Only) continue;
    if ((s.weakness.length > 0) !== weak) continue;
    out.push(s.code);
  }
  return out.sort((a, b) => rank(a) - rank(b) || a - b);
}

function describe(o: HelloOutcome): string {
  switch (o.kind) {
    case 'server-hello':
      return `ServerHello ${versionName(o.hello.version)} ${o.hello.cipherName}${o.hello.helloRetryRequest ? ' (HelloRetryRequest)' : ''}`;
    case 'alert':
      return `alert ${o.alert.name} (${o.alert.description})`;
    case 'closed':
      return `closed without an answer (${o.detail})`;
    case 'broken':
      return `unreadable answer: ${o.detail}`;
  }
}

class Budget {
  connections = 0;
  constructor(
    private readonly ctx: ProbeContext,
    private readonly deadline: number,
  ) {}
  left(): number {
    return this.deadline - Date.now();
  }
  exhausted(): string | null {
    if (this.ctx.signal.aborted) return 'the probe was stopped';
    if (this.connections >= MAX_CONNECTIONS) return `connection budget of ${MAX_CONNECTIONS} used up`;
    if (this.left() < 200) return 'time budget used up';
    return null;
  }
  step(): number {
    return Math.max(100, Math.min(5_000, this.left() - 100));
  }
}

async function exchange(target: TlsTarget, budget: Budget, v: TlsVersion, suites: number[], sni: string | undefined, collect: boolean): Promise<HelloOutcome> {
  budget.connections++;
  let stream: Stream | undefined;
  try {
    stream = await target.open();
  } catch (e) {
    const kind = e instanceof IoError ? e.kind : 'other';
    return { kind: 'broken', detail: `could not open a connection ${target.via} (${kind}): ${(e as Error).message}` };
  }
  try {
    const hello = encodeClientHello({ version: v, suites, ...(sni ? { serverName: sni } : {}) });
    return await helloExchange(stream, hello, { timeoutMs: budget.step(), collect });
  } finally {
    stream.close();
  }
}

/** Chunks of at most CHUNK suites. */
function chunks(list: number[]): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < list.length; i += CHUNK) out.push(list.slice(i, i + CHUNK));
  return out;
}

async function scanVersions(target: TlsTarget, budget: Budget, sni: string | undefined): Promise<Scan> {
  const scan: Scan = { versions: [], chain: [], keyExchange: [], connections: 0 };
  const absorb = (o: HelloOutcome): void => {
    if (o.kind !== 'server-hello') return;
    if (scan.chain.length === 0 && o.certificates.length) scan.chain = o.certificates;
    if (o.keyExchange) scan.keyExchange.push(o.keyExchange);
  };
  for (const v of PROBED) {
    const res: VersionResult = { version: v, state: 'refused', log: [], weakAccepted: [], weakComplete: true };
    scan.versions.push(res);
    let sawBroken = false;
    // 1. Does the version work at all with ordinary suites? Stop at the first ServerHello.
    for (const chunk of chunks(suitesFor(v, false))) {
      const stop = budget.exhausted();
      if (stop) {
        scan.stoppedEarly = stop;
        break;
      }
      const o = await exchange(target, budget, v, chunk, sni, v !== TLS13);
      res.log.push(describe(o));
      absorb(o);
      if (o.kind === 'server-hello') {
        if (o.hello.version === v) {
          res.state = 'accepted';
          res.preferred = o.hello.cipherSuite;
        }
        break;
      }
      if (o.kind === 'broken') sawBroken = true;
      // protocol_version: no other chunk will change the answer.
      if (o.kind === 'alert' && o.alert.description === 70) break;
    }
    // 2. Weak suites for this version, re-offering the remainder after each acceptance.
    if (v !== TLS13) {
      let remaining = suitesFor(v, true);
      for (let round = 0; remaining.length > 0 && round < 64; round++) {
        const stop = budget.exhausted();
        if (stop) {
          scan.stoppedEarly = stop;
          res.weakComplete = false;
          break;
        }
        const offer = remaining.slice(0, CHUNK);
        const o = await exchange(target, budget, v, offer, sni, true);
        absorb(o);
        if (o.kind === 'server-hello') {
          if (o.hello.version !== v) {
            res.log.push(`weak suites: ${describe(o)} — a different version, so none for ${versionName(v)}`);
            remaining = remaining.slice(offer.length);
            continue;
          }
          if (!offer.includes(o.hello.cipherSuite)) {
            res.log.push(`weak suites: the server chose ${o.hello.cipherName}, which was not offered`);
            sawBroken = true;
            res.weakComplete = false;
            break;
          }
          res.state = 'accepted';
          res.weakAccepted.push(o.hello.cipherSuite);
          remaining = remaining.filter((s) => s !== o.hello.cipherSuite);
          continue;
        }
        if (o.kind === 'broken') {
          res.log.push(`weak suites: ${describe(o)}`);
          sawBroken = true;
          res.weakComplete = false;
          break;
        }
        // Refused (alert or close): nothing in this chunk is acceptable; move to the next chunk.
        remaining = remaining.slice(offer.length);
        if (o.kind === 'alert' && o.alert.description === 70) break;
      }
      if (res.weakAccepted.length) res.log.push(`weak suites accepted: ${res.weakAccepted.map(suiteName).join(', ')}`);
    }
    if (res.state !== 'accepted' && sawBroken) res.state = 'error';
  }
  scan.connections = budget.connections;
  return scan;
}

// ---------------------------------------------------------------------------------------------
// Certificates

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/**
 * The CAs an administrator added to Node's trust store with NODE_EXTRA_CA_CERTS (an enterprise PKI
 * root, say). Node's own TLS stack trusts them, but `tls.rootCertificates` lists only the bundled
 * Mozilla roots, so without this a certificate from the organisation's own CA would be reported as
 * untrusted. Newer Node has `tls.getCACertificates('extra')`; on Node 20 the file is read the way
 * Node reads it at start-up (PEM certificates, anything else ignored). An unreadable file gives no
 * extra anchors — Node itself has already warned about it on start-up.
 */
function extraCaPems(): string[] {
  const get = (tls as unknown as { getCACertificates?: (kind: string) => string[] }).getCACertificates;
  if (typeof get === 'function') return get('extra');
  const file = process.env['NODE_EXTRA_CA_CERTS'];
  if (!file) return [];
  try {
    return readFileSync(file, 'latin1').match(PEM_CERTIFICATE) ?? [];
  } catch {
    return [];
  }
}

let roots: X509Certificate[] | null = null;
function trustStore(): X509Certificate[] {
  if (!roots) {
    roots = [];
    for (const pem of [...tls.rootCertificates, ...extraCaPems()]) {
      try {
        roots.push(new X509Certificate(pem));
      } catch {
        /* a root that cannot be parsed is simply not an anchor */
      }
    }
  }
  return roots;
}

function issuedBy(child: X509Certificate, parent: X509Certificate): boolean {
  try {
    return child.checkIssued(parent) && child.verify(parent.publicKey);
  } catch {
    return false;
  }
}

export interface TrustResult {
  trusted: boolean;
  selfSigned: boolean;
  reason: string;
}

/** Walk the presented chain from the leaf to an anchor in Node's root store plus NODE_EXTRA_CA_CERTS (RFC 5280 §6, signatures and names only; time is judged separately). */
export function judgeTrust(chain: readonly X509Certificate[]): TrustResult {
  const leaf = chain[0];
  if (!leaf) return { trusted: false, selfSigned: false, reason: 'no certificate' };
  const store = trustStore();
  const selfSigned = issuedBy(leaf, leaf);
  let cur = leaf;
  const seen = new Set<string>([leaf.fingerprint256]);
  for (let depth = 0; depth < 10; depth++) {
    if (store.some((r) => r.fingerprint256 === cur.fingerprint256)) return { trusted: true, selfSigned, reason: `anchored at ${cur.subject.replace(/\n/g, ', ')}` };
    const root = store.find((r) => issuedBy(cur, r));
    if (root) return { trusted: true, selfSigned, reason: `anchored at trusted root ${root.subject.replace(/\n/g, ', ')}` };
    const next = chain.find((c) => !seen.has(c.fingerprint256) && issuedBy(cur, c));
    if (!next) break;
    seen.add(next.fingerprint256);
    cur = next;
  }
  if (selfSigned) return { trusted: false, selfSigned, reason: 'the certificate is self-signed and not in the trust store' };
  const issuer = cur.issuer.replace(/\n/g, ', ');
  return { trusted: false, selfSigned, reason: `the chain ends at "${issuer}", which is neither presented nor a trusted root` };
}

function keyBits(cert: X509Certificate): { kind: string; bits: number | null; detail: string } {
  const key = cert.publicKey;
  const type = key.asymmetricKeyType ?? 'unknown';
  const d = key.asymmetricKeyDetails ?? {};
  if (type === 'rsa' || type === 'rsa-pss' || type === 'dsa') {
    const bits = d.modulusLength ?? null;
    return { kind: type.toUpperCase(), bits, detail: `${type.toUpperCase()} ${bits ?? '?'} bits` };
  }
  if (type === 'ec') {
    const curve = d.namedCurve ?? 'unknown curve';
    const sizes: Record<string, number> = { prime192v1: 192, secp192r1: 192, secp224r1: 224, prime256v1: 256, secp256r1: 256, secp256k1: 256, secp384r1: 384, secp521r1: 521 };
    return { kind: 'EC', bits: sizes[curve] ?? null, detail: `EC ${curve}` };
  }
  if (type === 'ed25519') return { kind: 'Ed25519', bits: 256, detail: 'Ed25519' };
  if (type === 'ed448') return { kind: 'Ed448', bits: 456, detail: 'Ed448' };
  return { kind: type, bits: null, detail: type };
}

function chainFromTlsInfo(info: TlsInfo | undefined): Buffer[] {
  const out: Buffer[] = [];
  let c: tls.DetailedPeerCertificate | undefined = info?.peerCertificate ?? undefined;
  const seen = new Set<string>();
  for (let i = 0; c && c.raw && i < 10; i++) {
    const fp = c.fingerprint256 ?? String(i);
    if (seen.has(fp)) break;
    seen.add(fp);
    out.push(c.raw);
    c = c.issuerCertificate;
  }
  return out;
}

/** DNS names a certificate claims: subjectAltName DNS entries, else the subject CN. */
export function certificateNames(cert: X509Certificate): string[] {
  const names = new Set<string>();
  for (const part of (cert.subjectAltName ?? '').split(/,\s*/)) {
    if (part.startsWith('DNS:')) names.add(part.slice(4).toLowerCase());
  }
  if (names.size === 0) {
    const cn = /(?:^|\n)CN=([^\n]+)/.exec(cert.subject)?.[1];
    if (cn) names.add(cn.toLowerCase());
  }
  return [...names].filter((n) => /^(\*\.)?[a-z0-9_-]+(\.[a-z0-9_-]+)*\.?$/.test(n));
}

/** "*.corp.example.com" → corp.example.com; "web01.corp.example.com" → corp.example.com; single labels → none. */
export function domainSuffix(name: string): string | null {
  const n = name.replace(/\.$/, '').toLowerCase();
  if (net.isIP(n)) return null;
  const labels = n.split('.');
  if (labels[0] === '*') labels.shift();
  else labels.shift();
  return labels.length >= 2 ? labels.join('.') : null;
}

function parseDate(s: string): Date {
  return new Date(s);
}

// ---------------------------------------------------------------------------------------------
// Verdicts

function err(check: string, summary: string, extra: Partial<Verdict['evidence']> = {}): Verdict {
  return { check, status: 'error', evidence: { summary, ...extra } };
}

/**
 * Run the six TLS checks against `target`. See the head of this file for how callers after
 * STARTTLS use it. Never throws for peer behaviour; every verdict carries its evidence.
 */
export async function tlsChecks(ctx: ProbeContext, target: TlsTarget): Promise<Verdict[]> {
  const budget = new Budget(ctx, Date.now() + Math.max(500, ctx.timeoutMs - 300));
  const sni = ctx.hostNames.find((n) => net.isIP(n) === 0);
  const scan = await scanVersions(target, budget, sni);
  const accepted = scan.versions.filter((v) => v.state === 'accepted');
  const protocolLog = scan.versions.map((v) => `${versionName(v.version)}: ${v.log.join('; ') || 'not tried'}`).join(' | ');
  const sent = `our ClientHello per version (SSL 3.0 … TLS 1.3) ${target.via}, ordinary suites then weak suites re-offered after each acceptance; ${scan.connections} connection(s)${scan.stoppedEarly ? `; stopped early: ${scan.stoppedEarly}` : ''}`;
  const verdicts: Verdict[] = [];

  // Without a single ServerHello we have not seen TLS at all: nothing can be judged.
  if (accepted.length === 0) {
    const why = `no ServerHello for any protocol version ${target.via}`;
    return TLS_CHECKS.map((c) => err(c.id, `${why}; cannot judge. ${protocolLog}`.slice(0, 1000), { sent }));
  }

  // tls-legacy-protocol
  {
    const legacyOn = scan.versions.filter((v) => LEGACY.includes(v.version) && v.state === 'accepted');
    const legacyUnknown = scan.versions.filter((v) => LEGACY.includes(v.version) && v.state === 'error');
    const items = scan.versions.map((v) => ({ label: versionName(v.version), value: v.state }));
    if (legacyOn.length) {
      verdicts.push({
        check: 'tls-legacy-protocol',
        status: 'fail',
        evidence: { summary: `${legacyOn.map((v) => versionName(v.version)).join(', ')} accepted (ServerHello with exactly that version)`, sent, received: protocolLog, items },
      });
    } else if (legacyUnknown.length || scan.stoppedEarly) {
      verdicts.push(err('tls-legacy-protocol', `could not decide ${legacyUnknown.map((v) => versionName(v.version)).join(', ') || 'every legacy version'}: ${scan.stoppedEarly ?? 'unreadable answers'}`, { sent, received: protocolLog, items }));
    } else {
      verdicts.push({
        check: 'tls-legacy-protocol',
        status: 'pass',
        evidence: { summary: `SSL 3.0, TLS 1.0 and TLS 1.1 refused; accepted: ${accepted.map((v) => versionName(v.version)).join(', ')}`, sent, received: protocolLog, items },
      });
    }
  }

  // tls-weak-cipher
  {
    // One entry per suite, with the versions that accepted it: "TLS_RSA_WITH_NULL_SHA [NULL] (TLS 1.0, TLS 1.2)".
    const versionsBySuite = new Map<number, string[]>();
    for (const v of accepted) for (const s of v.weakAccepted) versionsBySuite.set(s, [...(versionsBySuite.get(s) ?? []), versionName(v.version)]);
    const weak = [...versionsBySuite].map(([s, vs]) => `${suiteName(s)} [${CIPHER_SUITES.get(s)?.weakness.join('/') ?? '?'}] (${vs.join(', ')})`);
    const incomplete = accepted.filter((v) => v.version !== TLS13 && !v.weakComplete);
    if (weak.length) {
      verdicts.push({
        check: 'tls-weak-cipher',
        status: 'fail',
        evidence: { summary: `weak suites accepted: ${weak.join(', ')}`, sent, received: protocolLog, items: weak.map((w) => ({ label: 'accepted', value: w })) },
      });
    } else if (incomplete.length) {
      verdicts.push(err('tls-weak-cipher', `weak-suite enumeration incomplete for ${incomplete.map((v) => versionName(v.version)).join(', ')}: ${scan.stoppedEarly ?? 'unreadable answer'}`, { sent, received: protocolLog }));
    } else {
      verdicts.push({
        check: 'tls-weak-cipher',
        status: 'pass',
        evidence: {
          summary: `no NULL/anon/EXPORT/RC4/DES/3DES suite accepted in ${accepted.map((v) => versionName(v.version)).join(', ')}; preferred: ${accepted.map((v) => `${versionName(v.version)} ${v.preferred !== undefined ? suiteName(v.preferred) : '?'}`).join(', ')}`,
          sent,
          received: protocolLog,
        },
      });
    }
  }

  // Certificates: the caller's TlsInfo, else Node's TLS on a fresh connection, else the raw chain from our hellos.
  let info = target.certificate;
  let certSource = info ? `Node TLS ${target.via}` : '';
  let nodeError = '';
  if (!info && !budget.exhausted()) {
    budget.connections++;
    try {
      const s = await target.open();
      try {
        info = await s.startTls({ timeoutMs: budget.step(), ...(sni ? { servername: sni } : {}), minVersion: 'TLSv1', ciphers: 'ALL:@SECLEVEL=0' });
        certSource = `Node TLS ${target.via} (${info.protocol ?? '?'})`;
      } finally {
        s.close();
      }
    } catch (e) {
      nodeError = (e as Error).message;
    }
  }
  let der = chainFromTlsInfo(info);
  if (der.length === 0 && scan.chain.length) {
    der = scan.chain;
    certSource = `the Certificate message of our own ClientHello ${target.via}${nodeError ? ` (Node TLS failed: ${nodeError})` : ''}`;
  }
  let chain: X509Certificate[] = [];
  let certParseError = '';
  try {
    chain = der.map((d) => new X509Certificate(d));
  } catch (e) {
    certParseError = `certificate could not be parsed: ${(e as Error).message}`;
  }
  const leaf = chain[0];
  if (!leaf) {
    const why = certParseError || `no certificate obtained ${target.via}${nodeError ? `: ${nodeError}` : ''}`;
    for (const id of ['tls-weak-key', 'tls-untrusted-certificate', 'tls-expired-certificate', 'tls-hostname-mismatch']) verdicts.push(err(id, why, { sent }));
    return verdicts;
  }
  const subject = leaf.subject.replace(/\n/g, ', ');
  const certItems = [
    { label: 'subject', value: subject },
    { label: 'issuer', value: leaf.issuer.replace(/\n/g, ', ') },
    { label: 'validFrom', value: leaf.validFrom },
    { label: 'validTo', value: leaf.validTo },
    { label: 'subjectAltName', value: leaf.subjectAltName ?? null },
    { label: 'sha256', value: leaf.fingerprint256 },
  ];
  const received = `certificate from ${certSource}: ${subject}`;

  // Learned names: certificate CN/SAN, and their domain suffixes as zone candidates.
  for (const name of certificateNames(leaf)) {
    if (!name.startsWith('*.')) ctx.learn({ kind: 'hostname', value: name.replace(/\.$/, ''), source: `certificate ${target.via} on port ${ctx.port}` });
    const suffix = domainSuffix(name);
    if (suffix) ctx.learn({ kind: 'domain', value: suffix, source: `certificate ${name.startsWith('*.') ? 'wildcard ' : ''}name ${name} on port ${ctx.port}` });
  }

  // tls-weak-key
  {
    const k = keyBits(leaf);
    const problems: string[] = [];
    if ((k.kind === 'RSA' || k.kind === 'RSA-PSS' || k.kind === 'DSA') && k.bits !== null && k.bits < 2048) problems.push(`certificate key ${k.detail} (< 2048)`);
    if (k.kind === 'EC' && k.bits !== null && k.bits < 224) problems.push(`certificate key ${k.detail} (< 224 bits)`);
    // Ephemeral DH size: one more hello offering only DHE suites at the best TLS ≤ 1.2 version accepted.
    const classic = [...accepted].reverse().find((v) => v.version !== TLS13);
    let dhNote = 'no TLS ≤ 1.2 accepted, so no finite-field DH to measure';
    if (classic && !scan.keyExchange.some((x) => x.kind === 'DH') && !budget.exhausted()) {
      const dhe = [...CIPHER_SUITES.values()].filter((s) => s.kex === 'DHE' && !s.tls13 && (classic.version >= TLS12 || !s.tls12Only)).map((s) => s.code);
      const o = await exchange(target, budget, classic.version, dhe.slice(0, CHUNK), sni, true);
      if (o.kind === 'server-hello' && o.keyExchange) scan.keyExchange.push(o.keyExchange);
      dhNote = o.kind === 'server-hello' ? `DHE offered at ${versionName(classic.version)}: ${describe(o)}` : `DHE suites at ${versionName(classic.version)}: ${describe(o)}`;
    } else if (classic) dhNote = 'DH parameters seen during the version scan';
    for (const x of scan.keyExchange) {
      if (x.kind === 'DH' && x.bits !== null && x.bits < 2048) problems.push(`ephemeral DH group of ${x.bits} bits (< 2048)`);
      if (x.kind === 'ECDH' && x.bits !== null && x.bits < 224) problems.push(`ephemeral EC group ${x.curve ?? '?'} (${x.bits} bits, < 224)`);
    }
    const kex = [...new Set(scan.keyExchange.map((x) => `${x.kind}${x.curve ? ` ${x.curve}` : ''} (${x.bits ?? '?'} bits)`))];
    const items = [{ label: 'certificate key', value: k.detail }, ...kex.map((x) => ({ label: 'ephemeral key exchange', value: x }))];
    if (problems.length) {
      verdicts.push({ check: 'tls-weak-key', status: 'fail', evidence: { summary: problems.join('; '), sent, received: `${received}; ${dhNote}`, items } });
    } else if (k.bits === null) {
      verdicts.push(err('tls-weak-key', `cannot size the certificate key (${k.detail})`, { received, items }));
    } else {
      verdicts.push({ check: 'tls-weak-key', status: 'pass', evidence: { summary: `certificate key ${k.detail}${kex.length ? `; ephemeral ${kex.join(', ')}` : ''}; none below the minimum`, sent, received: `${received}; ${dhNote}`, items } });
    }
  }

  // tls-untrusted-certificate
  {
    const t = judgeTrust(chain);
    verdicts.push({
      check: 'tls-untrusted-certificate',
      status: t.trusted ? 'pass' : 'fail',
      evidence: { summary: t.reason, received: `${received}; ${chain.length} certificate(s) presented`, items: [...certItems, { label: 'selfSigned', value: t.selfSigned }] },
    });
  }

  // tls-expired-certificate
  {
    const now = Date.now();
    const from = parseDate(leaf.validFrom).getTime();
    const to = parseDate(leaf.validTo).getTime();
    if (!Number.isFinite(from) || !Number.isFinite(to)) {
      verdicts.push(err('tls-expired-certificate', `unreadable validity dates (${leaf.validFrom} – ${leaf.validTo})`, { received, items: certItems }));
    } else {
      const expiredIntermediates = chain.slice(1).filter((c) => parseDate(c.validTo).getTime() < now).map((c) => c.subject.replace(/\n/g, ', '));
      const note = expiredIntermediates.length ? `; expired chain certificate(s) also presented: ${expiredIntermediates.join(' / ')}` : '';
      if (now > to) verdicts.push({ check: 'tls-expired-certificate', status: 'fail', evidence: { summary: `expired on ${leaf.validTo}${note}`, received, items: certItems } });
      else if (now < from) verdicts.push({ check: 'tls-expired-certificate', status: 'fail', evidence: { summary: `not valid before ${leaf.validFrom}${note}`, received, items: certItems } });
      else verdicts.push({ check: 'tls-expired-certificate', status: 'pass', evidence: { summary: `valid now (${leaf.validFrom} – ${leaf.validTo})${note}`, received, items: certItems } });
    }
  }

  // tls-hostname-mismatch
  {
    const wanted = [...new Set([...ctx.hostNames.filter((n) => net.isIP(n) === 0), ctx.address])];
    const matched = wanted.find((n) => (net.isIP(n) ? leaf.checkIP(n) !== undefined : leaf.checkHost(n) !== undefined));
    const names = certificateNames(leaf);
    verdicts.push({
      check: 'tls-hostname-mismatch',
      status: matched ? 'pass' : 'fail',
      evidence: {
        summary: matched ? `the certificate names ${matched}` : `the certificate names ${names.join(', ') || subject} — none of ${wanted.join(', ')}`,
        received,
        items: [{ label: 'checked against', value: wanted.join(', ') }, { label: 'subjectAltName', value: leaf.subjectAltName ?? null }],
      },
    });
  }
  return verdicts;
}

export const tlsProbe = defineProbe({
  id: 'tls',
  title: 'TLS protocol versions, cipher suites and certificate',
  protocol: 'tls',
  transport: 'tcp',
  ports: [443, 636, 993, 995, 3269, 5986, 8443],
  safety: 'safe',
  timeoutMs: 30_000,
  checks: TLS_CHECKS,
  // Every service identified as speaking TLS directly; STARTTLS services and RDP call tlsChecks themselves.
  appliesTo: (svc) => svc?.tls === true,
  async run(ctx) {
    return tlsChecks(ctx, {
      via: 'direct TLS',
      open: () => ctx.io.connect(ctx.address, ctx.port, { timeoutMs: Math.min(5_000, ctx.timeoutMs), signal: ctx.signal }),
    });
  },
});
