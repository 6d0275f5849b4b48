// Service identification from what the service says, never from the port number alone.
// 1. Connect and listen: many services speak first (SSH, FTP, SMTP, MySQL, VNC, Telnet …).
// 2. Silent services get active handshakes on fresh connections, the port's likely service first
//    (HTTP, TLS ClientHello, RDP X.224, SMB negotiate, TDS PRELOGIN, LDAP, …).
// 3. A TLS answer is upgraded with Node's TLS and identified again inside (HTTPS, WinRM over HTTPS…).
// Unknown stays `unknown`, with the first bytes as evidence.
import type { ServiceInfo } from '../core/result.js';
import type { Stream, Transport } from '../io/transport.js';
import { IoError } from '../io/transport.js';
import { summarizeBytes } from '../probes/define.js';

export interface IdentifyContext {
  address: string;
  port: number;
  /** A name for SNI / Host headers, when the user gave one. */
  hostName?: string;
  /** Time for one exchange (connect + request + answer). */
  timeoutMs: number;
  /** True when this exchange runs inside TLS that the orchestrator set up. */
  insideTls: boolean;
}

/** Recognises a service from the bytes it sends first, unprompted. */
export interface GreetingMatcher {
  name: string;
  match(greeting: Buffer, ctx: IdentifyContext): ServiceInfo | null;
}

/** Recognises a silent service by sending a request of its protocol on a fresh connection. */
export interface ActiveIdentifier {
  name: string;
  /** Ports where this service is the likely one: tried first there, and without a greeting wait. */
  ports: readonly number[];
  /** Position in the generic order for ports with no hint (lower first). */
  order: number;
  /** Worth trying inside TLS (HTTP, LDAP, …)? */
  insideTls: boolean;
  /** Send the request on `stream` and decide; null when the answer is not this protocol. */
  identify(stream: Stream, ctx: IdentifyContext): Promise<ServiceInfo | null>;
}

export interface IdentifierCatalog {
  greetings: readonly GreetingMatcher[];
  active: readonly ActiveIdentifier[];
  /** The active identifier that recognises a TLS server (ClientHello answered). */
  tls?: ActiveIdentifier;
}

export interface IdentifyOptions {
  io: Transport;
  catalog: IdentifierCatalog;
  timeoutMs: number;
  /** How long to wait for an unprompted greeting on a port with no client-first hint. */
  greetingWaitMs?: number;
  hostName?: string;
  signal?: AbortSignal;
  /** At most this many active handshakes per port (bounds the time spent on odd services). */
  maxAttempts?: number;
  /** Total time for identifying one port (default 4 × timeoutMs). */
  budgetMs?: number;
}

const UNKNOWN = (evidence?: string): ServiceInfo => ({ name: 'unknown', tls: false, method: 'none', ...(evidence ? { evidence } : {}) });

/**
 * The port's likely services first; then, on a port with no hint, TLS before anything else: many
 * TLS servers answer a plaintext request politely (nginx: "400 The plain HTTP request was sent to
 * HTTPS port"), and taking that answer for plain HTTP would hide the TLS service and its checks.
 */
function ordered(catalog: IdentifierCatalog, port: number, inside: boolean): ActiveIdentifier[] {
  const usable = catalog.active.filter((a) => !inside || a.insideTls);
  const hinted = usable.filter((a) => a.ports.includes(port));
  const rest = usable.filter((a) => !a.ports.includes(port)).sort((a, b) => a.order - b.order);
  const tls = catalog.tls;
  if (!inside && tls && !hinted.includes(tls)) {
    const i = rest.indexOf(tls);
    if (i > 0) rest.unshift(...rest.splice(i, 1));
  }
  return [...hinted, ...rest];
}

async function withStream<T>(opts: IdentifyOptions, ctx: IdentifyContext, tlsWrap: boolean, fn: (s: Stream) => Promise<T>): Promise<T | null> {
  let stream: Stream | undefined;
  try {
    stream = await opts.io.connect(ctx.address, ctx.port, { timeoutMs: opts.timeoutMs, ...(opts.signal ? { signal: opts.signal } : {}) });
    if (tlsWrap) await stream.startTls({ timeoutMs: opts.timeoutMs, ...(opts.hostName ? { servername: opts.hostName } : {}) });
    return await fn(stream);
  } catch (e) {
    if (e instanceof IoError) return null;
    throw e;
  } finally {
    stream?.close();
  }
}

/**
 * Try handshakes one after another. A service that lets two requests of different protocols run
 * into the time limit without a word will not answer a third either: stop there (a silent service
 * is reported as such) rather than spend the time limit once per known protocol.
 */
async function tryActive(opts: IdentifyOptions, ctx: IdentifyContext, list: ActiveIdentifier[], deadline: number): Promise<{ found: ServiceInfo | null; silent: number; tried: number }> {
  const max = opts.maxAttempts ?? 8;
  let silent = 0;
  let tried = 0;
  for (const ident of list.slice(0, max)) {
    const left = deadline - Date.now();
    if (opts.signal?.aborted || left < 50 || silent >= 2) break;
    const started = Date.now();
    const attemptCtx = { ...ctx, timeoutMs: Math.min(ctx.timeoutMs, left) };
    const found = await withStream(opts, attemptCtx, ctx.insideTls, (s) => ident.identify(s, attemptCtx));
    tried++;
    if (found) return { found, silent, tried };
    if (Date.now() - started >= attemptCtx.timeoutMs * 0.9) silent++;
    else silent = 0;
  }
  return { found: null, silent, tried };
}

/** Identify the service on one open TCP port. Never throws for network trouble. */
export async function identifyService(address: string, port: number, opts: IdentifyOptions): Promise<ServiceInfo> {
  const ctx: IdentifyContext = { address, port, timeoutMs: opts.timeoutMs, insideTls: false, ...(opts.hostName ? { hostName: opts.hostName } : {}) };
  const deadline = Date.now() + (opts.budgetMs ?? opts.timeoutMs * 4);
  const clientFirst = opts.catalog.active.some((a) => a.ports.includes(port));
  const wait = clientFirst ? Math.min(400, opts.timeoutMs) : (opts.greetingWaitMs ?? Math.min(2500, opts.timeoutMs));

  // 1. Unprompted greeting.
  const greeting = await withStream(opts, ctx, false, (s) => s.peek(wait));
  if (greeting && greeting.length > 0) {
    for (const m of opts.catalog.greetings) {
      const found = m.match(greeting, ctx);
      if (found) return found;
    }
    return UNKNOWN(summarizeBytes(greeting));
  }

  // 2. Active handshakes, the port's likely service first.
  const outer = await tryActive(opts, ctx, ordered(opts.catalog, port, false), deadline);
  const found = outer.found;
  if (!found) {
    return UNKNOWN(
      outer.silent >= 2
        ? 'accepts connections but stayed silent, unprompted and to requests of several protocols'
        : `answered none of ${outer.tried} identification requests in a way we recognise`,
    );
  }
  if (found.name !== 'tls' || !found.tls) return found;

  // 3. TLS: identify what runs inside.
  const inner: IdentifyContext = { ...ctx, insideTls: true };
  const innerGreeting = await withStream(opts, inner, true, (s) => s.peek(Math.min(1000, opts.timeoutMs)));
  if (innerGreeting && innerGreeting.length > 0) {
    for (const m of opts.catalog.greetings) {
      const g = m.match(innerGreeting, inner);
      if (g) return mergeTls(g, found);
    }
  }
  const innerFound = (await tryActive(opts, inner, ordered(opts.catalog, port, true), deadline + opts.timeoutMs * 2)).found;
  return innerFound ? mergeTls(innerFound, found) : found;
}

function mergeTls(inner: ServiceInfo, outer: ServiceInfo): ServiceInfo {
  const extra = { ...(outer.extra ?? {}), ...(inner.extra ?? {}) };
  const name = inner.name === 'http' ? 'https' : inner.name;
  return { ...inner, name, tls: true, ...(Object.keys(extra).length ? { extra } : {}) };
}
