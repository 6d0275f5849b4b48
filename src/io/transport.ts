// The one place network I/O happens for identification and probes. Codecs and probes talk to a
// `Transport`, so tests can swap in recorded bytes, and every read is bounded in time and size:
// a hostile peer (trickling, endless, silent, resetting) ends in an IoError with a reason.
import net from 'node:net';
import tls from 'node:tls';
import dgram from 'node:dgram';

export type IoErrorKind = 'timeout' | 'closed' | 'reset' | 'refused' | 'unreachable' | 'overflow' | 'tls' | 'other';

export class IoError extends Error {
  override readonly name = 'IoError';
  constructor(
    readonly kind: IoErrorKind,
    message: string,
    /** Bytes received before the failure (a truncated frame is evidence too). */
    readonly partial?: Buffer,
  ) {
    super(message);
  }
}

/** Default ceiling for one buffered read: no probe needs more, and an endless stream stops here. */
export const DEFAULT_MAX_BYTES = 1 << 20;

export interface ConnectOptions {
  timeoutMs: number;
  signal?: AbortSignal;
}

export interface TlsUpgradeOptions {
  servername?: string;
  timeoutMs: number;
  /** Accept any certificate: probes judge trust themselves. */
  rejectUnauthorized?: false;
  minVersion?: tls.SecureVersion;
  maxVersion?: tls.SecureVersion;
  ciphers?: string;
  ALPNProtocols?: string[];
}

export interface TlsInfo {
  protocol: string | null;
  cipher: { name: string; version: string } | null;
  peerCertificate: tls.DetailedPeerCertificate | null;
  authorized: boolean;
  authorizationError: string | null;
}

export interface Stream {
  readonly remote: { host: string; port: number };
  write(data: Buffer | string): Promise<void>;
  /** Wait for at least `min` bytes (default 1) and return everything buffered. */
  read(timeoutMs: number, min?: number): Promise<Buffer>;
  readExactly(n: number, timeoutMs: number): Promise<Buffer>;
  /**
   * Read until `complete(buffer)` returns the length of a complete message (>0), then return
   * exactly that many bytes; the rest stays buffered. Bounded by `maxBytes`.
   */
  readMessage(complete: (buf: Buffer) => number, timeoutMs: number, maxBytes?: number): Promise<Buffer>;
  /** Read a line ending in LF (CRLF stripped). */
  readLine(timeoutMs: number, maxBytes?: number): Promise<string>;
  /** Wait up to `timeoutMs` for whatever arrives; returns an empty buffer on silence (no error). */
  peek(timeoutMs: number): Promise<Buffer>;
  /** Upgrade this connection to TLS in place (STARTTLS, RDP after negotiation). */
  startTls(opts: TlsUpgradeOptions): Promise<TlsInfo>;
  /** Close with a reset so no TIME_WAIT lingers. Idempotent. */
  close(): void;
}

export interface UdpExchangeOptions {
  timeoutMs: number;
  /** Resend the payload this many extra times while silent. */
  retries?: number;
  /** Decide whether a datagram is the answer (e.g. matching transaction id). */
  accept?: (msg: Buffer) => boolean;
  signal?: AbortSignal;
}

export interface UdpResult {
  kind: 'answer' | 'unreachable' | 'silence';
  data?: Buffer;
}

/** Several datagrams from ONE socket, answers matched to requests (e.g. SNMP communities by request-id). */
export interface UdpBurstOptions {
  /** Total time to listen after the first send. */
  timeoutMs: number;
  /** Which request (index into the payloads) a datagram answers, or -1 when it answers none. */
  match: (msg: Buffer) => number;
  signal?: AbortSignal;
}

export interface UdpBurstResult {
  /** Answer per payload index (first datagram that matched it). */
  answers: Map<number, Buffer>;
  /** ICMP port-unreachable was seen. */
  unreachable: boolean;
}

export interface Transport {
  connect(host: string, port: number, opts: ConnectOptions): Promise<Stream>;
  udpExchange(host: string, port: number, payload: Buffer, opts: UdpExchangeOptions): Promise<UdpResult>;
  /**
   * Optional (added for the SNMP probe): send every payload once from one socket and collect the
   * matching answers until all are answered or the time is up. Callers fall back to `udpExchange`
   * when a Transport does not provide it.
   */
  udpBurst?(host: string, port: number, payloads: readonly Buffer[], opts: UdpBurstOptions): Promise<UdpBurstResult>;
}

function errnoKind(code: string | undefined): IoErrorKind {
  switch (code) {
    case 'ECONNREFUSED':
      return 'refused';
    case 'ECONNRESET':
    case 'EPIPE':
      return 'reset';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'unreachable';
    case 'ETIMEDOUT':
      return 'timeout';
    default:
      return 'other';
  }
}

/** A buffered reader over a net.Socket or tls.TLSSocket, shared by plain and upgraded streams. */
class SocketStream implements Stream {
  private chunks: Buffer[] = [];
  private length = 0;
  private ended = false;
  private failure: IoError | null = null;
  private wake: (() => void) | null = null;
  private closed = false;

  constructor(
    private socket: net.Socket,
    readonly remote: { host: string; port: number },
  ) {
    this.attach(socket);
  }

  private attach(socket: net.Socket): void {
    socket.on('data', (d: Buffer) => {
      this.chunks.push(d);
      this.length += d.length;
      if (this.length > DEFAULT_MAX_BYTES * 4) socket.pause(); // back-pressure against floods
      this.notify();
    });
    socket.on('end', () => {
      this.ended = true;
      this.notify();
    });
    socket.on('close', () => {
      this.ended = true;
      this.notify();
    });
    socket.on('error', (e: NodeJS.ErrnoException) => {
      this.failure ??= new IoError(errnoKind(e.code), `${e.code ?? 'error'}: ${e.message}`);
      this.notify();
    });
  }

  private notify(): void {
    const w = this.wake;
    this.wake = null;
    w?.();
  }

  private buffered(): Buffer {
    if (this.chunks.length > 1) this.chunks = [Buffer.concat(this.chunks)];
    return this.chunks[0] ?? Buffer.alloc(0);
  }

  private take(n: number): Buffer {
    const all = this.buffered();
    const out = all.subarray(0, n);
    const rest = all.subarray(n);
    this.chunks = rest.length ? [rest] : [];
    this.length = rest.length;
    if (this.socket.isPaused() && this.length < DEFAULT_MAX_BYTES) this.socket.resume();
    return Buffer.from(out);
  }

  /** Wait until `ready()` says yes, the deadline passes, or the stream ends/fails. */
  private async waitFor(ready: () => boolean, deadline: number, what: string): Promise<void> {
    while (!ready()) {
      if (this.failure) throw new IoError(this.failure.kind, `${this.failure.message} (while waiting for ${what})`, this.buffered());
      if (this.ended || this.closed) throw new IoError('closed', `connection closed by peer while waiting for ${what}`, this.buffered());
      const left = deadline - Date.now();
      if (left <= 0) throw new IoError('timeout', `no complete ${what} within the time limit`, this.buffered());
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.wake = () => {
          clearTimeout(t);
          resolve();
        };
      });
    }
  }

  async write(data: Buffer | string): Promise<void> {
    if (this.closed) throw new IoError('closed', 'write after close');
    if (this.failure) throw this.failure;
    await new Promise<void>((resolve, reject) => {
      this.socket.write(data, (err) => (err ? reject(new IoError(errnoKind((err as NodeJS.ErrnoException).code), err.message)) : resolve()));
    });
  }

  async read(timeoutMs: number, min = 1): Promise<Buffer> {
    await this.waitFor(() => this.length >= min, Date.now() + timeoutMs, `${min} byte(s)`);
    return this.take(this.length);
  }

  async readExactly(n: number, timeoutMs: number): Promise<Buffer> {
    if (n > DEFAULT_MAX_BYTES) throw new IoError('overflow', `refusing to read ${n} bytes (over the ${DEFAULT_MAX_BYTES}-byte limit)`);
    await this.waitFor(() => this.length >= n, Date.now() + timeoutMs, `${n}-byte read`);
    return this.take(n);
  }

  async readMessage(complete: (buf: Buffer) => number, timeoutMs: number, maxBytes = DEFAULT_MAX_BYTES): Promise<Buffer> {
    let size = 0;
    await this.waitFor(
      () => {
        if (this.length === 0) return false;
        size = complete(this.buffered());
        if (size > maxBytes) throw new IoError('overflow', `message announces ${size} bytes, over the ${maxBytes}-byte limit`, this.buffered());
        if (size <= 0 && this.length > maxBytes) throw new IoError('overflow', `no complete message in the first ${maxBytes} bytes`, this.buffered().subarray(0, 256));
        return size > 0 && this.length >= size;
      },
      Date.now() + timeoutMs,
      'message',
    );
    return this.take(size);
  }

  async readLine(timeoutMs: number, maxBytes = 8192): Promise<string> {
    const line = await this.readMessage(
      (buf) => {
        const i = buf.indexOf(0x0a);
        return i >= 0 ? i + 1 : 0;
      },
      timeoutMs,
      maxBytes,
    );
    return line.toString('latin1').replace(/\r?\n$/, '');
  }

  async peek(timeoutMs: number): Promise<Buffer> {
    try {
      await this.waitFor(() => this.length > 0, Date.now() + timeoutMs, 'data');
    } catch (e) {
      if (e instanceof IoError && (e.kind === 'timeout' || e.kind === 'closed')) return this.take(this.length);
      throw e;
    }
    return this.take(this.length);
  }

  async startTls(opts: TlsUpgradeOptions): Promise<TlsInfo> {
    if (this.length > 0) throw new IoError('tls', 'unread plaintext before the TLS upgrade');
    const raw = this.socket;
    raw.removeAllListeners('data');
    raw.removeAllListeners('end');
    raw.removeAllListeners('close');
    raw.removeAllListeners('error');
    const secure = tls.connect({
      socket: raw,
      rejectUnauthorized: false,
      ...(opts.servername && net.isIP(opts.servername) === 0 ? { servername: opts.servername } : {}),
      ...(opts.minVersion ? { minVersion: opts.minVersion } : {}),
      ...(opts.maxVersion ? { maxVersion: opts.maxVersion } : {}),
      ...(opts.ciphers ? { ciphers: opts.ciphers } : {}),
      ...(opts.ALPNProtocols ? { ALPNProtocols: opts.ALPNProtocols } : {}),
    });
    this.socket = secure;
    this.ended = false;
    this.failure = null;
    try {
      await new Promise<void>((resolve, reject) => {
        const t = setTimeout(() => reject(new IoError('timeout', 'TLS handshake did not complete in time')), opts.timeoutMs);
        secure.once('secureConnect', () => {
          clearTimeout(t);
          resolve();
        });
        secure.once('error', (e: NodeJS.ErrnoException) => {
          clearTimeout(t);
          reject(new IoError('tls', `TLS handshake failed: ${e.message}`));
        });
        secure.once('close', () => {
          clearTimeout(t);
          reject(new IoError('closed', 'connection closed during the TLS handshake'));
        });
      });
    } catch (e) {
      secure.destroy();
      raw.destroy();
      throw e;
    }
    secure.removeAllListeners('error');
    secure.removeAllListeners('close');
    this.attach(secure);
    const cert = secure.getPeerCertificate(true);
    return {
      protocol: secure.getProtocol(),
      cipher: secure.getCipher() ?? null,
      peerCertificate: cert && Object.keys(cert).length > 0 ? cert : null,
      authorized: secure.authorized,
      authorizationError: secure.authorizationError ? String(secure.authorizationError) : null,
    };
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.notify();
    const s = this.socket;
    // Reset only a fully open socket: after the peer's FIN (or a reset) Node is already closing it,
    // and resetAndDestroy() then leaves the TCP handle referenced for good (seen on Node 20: the
    // process never exits and the test runner spins), so such sockets are simply destroyed.
    if (s.readyState === 'open' && !s.destroyed && typeof (s as net.Socket & { resetAndDestroy?: () => void }).resetAndDestroy === 'function' && !(s instanceof tls.TLSSocket)) {
      try {
        s.resetAndDestroy();
        return;
      } catch {
        /* fall through to destroy */
      }
    }
    s.destroy();
  }
}

/** Open a TCP connection; rejects with an IoError (refused, timeout, unreachable). */
export function connectTcp(host: string, port: number, opts: ConnectOptions): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    if (opts.signal?.aborted) return reject(new IoError('other', 'aborted'));
    const socket = net.connect({ host, port, noDelay: true });
    const done = (err: IoError | null): void => {
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      socket.removeAllListeners('connect');
      socket.removeAllListeners('error');
      if (err) {
        socket.destroy();
        reject(err);
      } else resolve(socket);
    };
    const onAbort = (): void => done(new IoError('other', 'aborted'));
    const timer = setTimeout(() => done(new IoError('timeout', `no answer to the connection attempt within ${opts.timeoutMs} ms`)), opts.timeoutMs);
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    socket.once('connect', () => done(null));
    socket.once('error', (e: NodeJS.ErrnoException) => done(new IoError(errnoKind(e.code), `${e.code ?? 'error'}: ${e.message}`)));
  });
}

/** The real network. */
export const netTransport: Transport = {
  async connect(host, port, opts) {
    const socket = await connectTcp(host, port, opts);
    return new SocketStream(socket, { host, port });
  },

  udpExchange(host, port, payload, opts) {
    return new Promise((resolve) => {
      const family = net.isIPv6(host) ? 'udp6' : 'udp4';
      const sock = dgram.createSocket(family);
      let attempts = 0;
      const total = 1 + (opts.retries ?? 0);
      const slice = Math.max(50, Math.floor(opts.timeoutMs / total));
      let timer: NodeJS.Timeout | undefined;
      let finished = false;
      const finish = (r: UdpResult): void => {
        if (finished) return;
        finished = true;
        if (timer) clearTimeout(timer);
        opts.signal?.removeEventListener('abort', onAbort);
        try {
          sock.close();
        } catch {
          /* already closed */
        }
        resolve(r);
      };
      const onAbort = (): void => finish({ kind: 'silence' });
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      sock.on('message', (msg, rinfo) => {
        if (rinfo.port !== port) return;
        if (opts.accept && !opts.accept(msg)) return;
        finish({ kind: 'answer', data: msg });
      });
      // A connected UDP socket surfaces ICMP port-unreachable as ECONNREFUSED.
      sock.on('error', (e: NodeJS.ErrnoException) => finish({ kind: e.code === 'ECONNREFUSED' ? 'unreachable' : 'silence' }));
      const send = (): void => {
        if (finished) return;
        if (attempts >= total) return finish({ kind: 'silence' });
        attempts++;
        sock.send(payload, (err) => {
          if (err) finish({ kind: (err as NodeJS.ErrnoException).code === 'ECONNREFUSED' ? 'unreachable' : 'silence' });
        });
        timer = setTimeout(send, slice);
      };
      sock.connect(port, host, () => send());
    });
  },

  udpBurst(host, port, payloads, opts) {
    return new Promise((resolve) => {
      const sock = dgram.createSocket(net.isIPv6(host) ? 'udp6' : 'udp4');
      const answers = new Map<number, Buffer>();
      let unreachable = false;
      let finished = false;
      let timer: NodeJS.Timeout | undefined;
      const finish = (): void => {
        if (finished) return;
        finished = true;
        if (timer) clearTimeout(timer);
        opts.signal?.removeEventListener('abort', finish);
        try {
          sock.close();
        } catch {
          /* already closed */
        }
        resolve({ answers, unreachable });
      };
      opts.signal?.addEventListener('abort', finish, { once: true });
      if (opts.signal?.aborted || payloads.length === 0) return finish();
      sock.on('message', (msg, rinfo) => {
        if (rinfo.port !== port) return;
        const i = opts.match(msg);
        if (i < 0 || i >= payloads.length || answers.has(i)) return;
        answers.set(i, msg);
        if (answers.size === payloads.length) finish();
      });
      // On a connected socket ICMP port-unreachable surfaces as ECONNREFUSED; nobody will answer.
      sock.on('error', (e: NodeJS.ErrnoException) => {
        if (e.code === 'ECONNREFUSED') unreachable = true;
        finish();
      });
      sock.connect(port, host, () => {
        timer = setTimeout(finish, Math.max(1, opts.timeoutMs));
        for (const p of payloads) {
          sock.send(p, (err) => {
            if (err && (err as NodeJS.ErrnoException).code === 'ECONNREFUSED') {
              unreachable = true;
              finish();
            }
          });
        }
      });
    });
  },
};
