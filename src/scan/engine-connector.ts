// How the connect-scan engine opens one TCP connection and learns its fate.
//
// The engine never holds a connection: a connector reports `open` (and the local end, for the
// self-connect guard) and has already torn the socket down with a reset, so no TIME_WAIT piles up
// on either side however many ports answer. Tests inject their own connector to simulate
// resource exhaustion, self-connects or a backlog that drops the first SYN.
//
// Two real connectors exist. `rawConnector` drives libuv's TCP handle directly (the same handle
// `net.Socket` wraps), which skips the stream machinery a scan never uses and makes a connect about
// 2.5x cheaper in CPU — on loopback, where the kernel answers in microseconds, that cost *is* the
// scan time. `socketConnector` is the public-API fallback used when the handle is unavailable.
import net from 'node:net';
import os from 'node:os';

/**
 * - open: the three-way handshake completed
 * - refused: RST (or, on Linux, an ICMP port-unreachable: the kernel reports both as ECONNREFUSED)
 * - unreach: ICMP host/network unreachable or administratively prohibited
 * - denied: the local host's own firewall refused to send (EPERM/EACCES)
 * - resource: we ran out of something locally (descriptors, buffers, ephemeral ports); try later
 * - error: anything else; the text says what
 */
export type ConnectOutcome = 'open' | 'refused' | 'unreach' | 'denied' | 'resource' | 'error';

export interface ConnectInfo {
  /** Local end of an `open` connection, when known (self-connect guard). */
  localAddress?: string;
  localPort?: number;
  /** errno name for failures (ECONNREFUSED, EMFILE, …). */
  code?: string;
}

export type ConnectDone = (outcome: ConnectOutcome, info?: ConnectInfo) => void;

export interface Connector {
  /**
   * Start one attempt. `done` is called at most once (it may be called synchronously, e.g. for
   * EMFILE); after `cancel()` it is never called. The connector closes every socket itself.
   */
  attempt(address: string, family: 4 | 6, port: number, done: ConnectDone): () => void;
}

const ERRNO = os.constants.errno;
const CODE_BY_UV = new Map<number, string>();
for (const [name, value] of Object.entries(ERRNO)) CODE_BY_UV.set(-value, name);

export function classifyErrno(code: string | undefined): ConnectOutcome {
  switch (code) {
    case 'ECONNREFUSED':
      return 'refused';
    // The handshake completed and the peer reset at once (a service that accepts and drops):
    // a closed port answers a SYN with RST and gives ECONNREFUSED, never this. So: open.
    case 'ECONNRESET':
      return 'open';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'EHOSTDOWN':
    case 'ENETDOWN':
      return 'unreach';
    case 'EPERM':
    case 'EACCES':
      return 'denied';
    case 'EMFILE':
    case 'ENFILE':
    case 'EAGAIN':
    case 'ENOBUFS':
    case 'ENOMEM':
    case 'EADDRNOTAVAIL': // ephemeral ports exhausted for this destination
    case 'EADDRINUSE':
      return 'resource';
    default:
      return 'error';
  }
}

function needsLocalEnd(address: string): boolean {
  // Self-connects are only possible when source and destination address are the same machine's
  // loopback; elsewhere getsockname would be a wasted syscall.
  return address.startsWith('127.') || address === '::1' || address.startsWith('::ffff:127.');
}

/** The public `net.Socket` path: slower, but uses only documented API. */
export const socketConnector: Connector = {
  attempt(address, _family, port, done) {
    let finished = false;
    let socket: net.Socket;
    try {
      socket = net.connect({ host: address, port });
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      done(classifyErrno(code), code ? { code } : {});
      return () => {};
    }
    socket.once('connect', () => {
      if (finished) return;
      finished = true;
      const info: ConnectInfo = {};
      if (needsLocalEnd(address)) {
        if (socket.localAddress !== undefined) info.localAddress = socket.localAddress;
        if (socket.localPort !== undefined) info.localPort = socket.localPort;
      }
      socket.removeAllListeners('error');
      socket.on('error', () => {});
      socket.resetAndDestroy();
      done('open', info);
    });
    socket.once('error', (e: NodeJS.ErrnoException) => {
      socket.on('error', () => {});
      socket.destroy();
      if (finished) return;
      finished = true;
      done(classifyErrno(e.code), e.code ? { code: e.code } : {});
    });
    return () => {
      if (finished) return;
      finished = true;
      socket.removeAllListeners('connect');
      socket.on('error', () => {});
      socket.destroy();
    };
  },
};

interface RawTcpHandle {
  connect(req: RawConnectReq, address: string, port: number): number;
  connect6(req: RawConnectReq, address: string, port: number): number;
  getsockname(out: { address?: string; port?: number }): number;
  reset(cb: () => void): number;
  close(cb?: () => void): void;
}
interface RawConnectReq {
  oncomplete: (status: number) => void;
}
interface RawTcpBinding {
  TCP: new (type: number) => RawTcpHandle;
  TCPConnectWrap: new () => RawConnectReq;
  constants: { SOCKET: number };
}

function loadRawBinding(): RawTcpBinding | null {
  try {
    // process.binding is a legacy accessor; tcp_wrap is on its allow-list in Node 20 and 22. Any
    // change in shape makes us fall back to net.Socket rather than fail.
    const binding = (process as unknown as { binding(name: string): unknown }).binding('tcp_wrap') as Partial<RawTcpBinding>;
    if (typeof binding.TCP !== 'function' || typeof binding.TCPConnectWrap !== 'function' || typeof binding.constants?.SOCKET !== 'number') return null;
    const probe = new binding.TCP(binding.constants.SOCKET);
    const ok = typeof probe.connect === 'function' && typeof probe.reset === 'function' && typeof probe.getsockname === 'function';
    probe.close();
    return ok ? (binding as RawTcpBinding) : null;
  } catch {
    return null;
  }
}

function makeRawConnector(b: RawTcpBinding): Connector {
  const { TCP, TCPConnectWrap } = b;
  const SOCKET = b.constants.SOCKET;
  const noop = (): void => {};
  return {
    attempt(address, family, port, done) {
      const handle = new TCP(SOCKET);
      const req = new TCPConnectWrap();
      let live = true;
      req.oncomplete = (status: number) => {
        if (!live) return;
        live = false;
        if (status === 0) {
          let info: ConnectInfo | undefined;
          if (needsLocalEnd(address)) {
            const out: { address?: string; port?: number } = {};
            if (handle.getsockname(out) === 0) {
              info = {};
              if (out.address !== undefined) info.localAddress = out.address;
              if (out.port !== undefined) info.localPort = out.port;
            }
          }
          // SO_LINGER 0 + close: the peer gets a RST, nobody keeps TIME_WAIT.
          if (handle.reset(noop) !== 0) handle.close();
          done('open', info);
          return;
        }
        handle.close();
        const code = CODE_BY_UV.get(status);
        done(classifyErrno(code), code ? { code } : {});
      };
      const err = family === 6 ? handle.connect6(req, address, port) : handle.connect(req, address, port);
      if (err !== 0) {
        live = false;
        handle.close();
        const code = CODE_BY_UV.get(err);
        done(classifyErrno(code), code ? { code } : {});
        return noop;
      }
      return () => {
        if (!live) return;
        live = false;
        handle.close();
      };
    },
  };
}

let cached: Connector | undefined;
/** The fastest connector this Node.js offers. */
export function defaultConnector(): Connector {
  if (!cached) {
    const raw = process.env['PORTCULLIS_SOCKET_CONNECTOR'] === '1' ? null : loadRawBinding();
    cached = raw ? makeRawConnector(raw) : socketConnector;
  }
  return cached;
}

/** True when the fast raw-handle path is in use (reported by the benchmark). */
export function usingRawConnector(): boolean {
  return defaultConnector() !== socketConnector;
}
