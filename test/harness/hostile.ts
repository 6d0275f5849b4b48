// A hostile peer, pure Node: a TCP (or UDP) server that misbehaves in one chosen way on every
// connection, so probes can prove they end within their timeout with an error/unknown result
// instead of crashing, hanging or buffering without limit (issue 3 item 5).
//
// Everything it does is bounded: a lifetime after which it closes itself, a cap on connections,
// on bytes per connection (endless, garbage, trickle) and on UDP replies.
import net from 'node:net';
import dgram from 'node:dgram';
import { randomBytes } from 'node:crypto';
import { assertPeerAddress, assertPort, PeerTimers } from './net.js';
import { HarnessError } from './process.js';

export type HostileMode =
  /** random bytes (`garbageBytes`, default 512), then close */
  | 'garbage'
  /** the first `truncateAt` bytes of `frame` (default half of it), then silence with the socket open */
  | 'truncated'
  /** one byte per `trickleIntervalMs` (default 1 s) of `frame` (or random), at most `trickleMaxBytes` */
  | 'trickle'
  /** an immediate TCP RST (socket.resetAndDestroy) */
  | 'reset'
  /** an unbounded-looking stream, written with back-pressure, until the client goes or `endlessMaxBytes` */
  | 'endless'
  /** `frame` — a header announcing an absurd length (see ABSURD_FRAMES) — then silence */
  | 'absurd-length'
  /** accept and never speak */
  | 'silent';

export const HOSTILE_MODES: readonly HostileMode[] = ['garbage', 'truncated', 'trickle', 'reset', 'endless', 'absurd-length', 'silent'];

/**
 * Frames whose length fields announce far more than will ever come (or more than the protocol
 * allows). Each is a real header shape of its protocol, so a probe gets past its first check.
 */
export const ABSURD_FRAMES = {
  /** TPKT length 0xFFFF, then the start of an X.224 Connection Confirm. */
  rdpTpkt: Buffer.from([0x03, 0x00, 0xff, 0xff, 0x0e, 0xd0, 0x00, 0x00, 0x12, 0x34, 0x00]),
  /** TLS handshake record with length 0x4001 (over the 2^14 limit of RFC 8446 5.1), ServerHello start. */
  tlsRecord: Buffer.from([0x16, 0x03, 0x03, 0x40, 0x01, 0x02, 0x00, 0x3f, 0xfd, 0x03, 0x03]),
  /** A well-sized record holding a ServerHello whose handshake length is 0xFFFFFF. */
  tlsHandshake: Buffer.from([0x16, 0x03, 0x03, 0x00, 0x08, 0x02, 0xff, 0xff, 0xff, 0x03, 0x03, 0x00, 0x00]),
  /** SMB direct-TCP header announcing 0xFFFFFF bytes, then the SMB2 magic. */
  smbDirect: Buffer.from([0x00, 0xff, 0xff, 0xff, 0xfe, 0x53, 0x4d, 0x42, 0x40, 0x00]),
  /** NetBIOS session message of 0x1FFFF bytes (length extension bit set), SMB1 magic. */
  netbiosSession: Buffer.from([0x00, 0x01, 0xff, 0xff, 0xff, 0x53, 0x4d, 0x42, 0x72]),
  /** DNS over TCP: length 0xFFFF, header claiming 65535 answers. */
  dnsTcp: Buffer.from([0xff, 0xff, 0x00, 0x00, 0x81, 0x80, 0x00, 0x01, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00]),
  /** MySQL packet header announcing 0xFFFFFF bytes, protocol 10 greeting start. */
  mysqlGreeting: Buffer.from([0xff, 0xff, 0xff, 0x00, 0x0a, 0x35, 0x2e]),
  /** RFB 3.8 banner, zero security types, failure reason of 0xFFFFFFFF bytes. */
  rfbReason: Buffer.concat([Buffer.from('RFB 003.008\n', 'latin1'), Buffer.from([0x00, 0xff, 0xff, 0xff, 0xff, 0x41])]),
  /** BER SEQUENCE with a 4-byte length 0x7FFFFFFF (SNMP, LDAP). */
  berSequence: Buffer.from([0x30, 0x84, 0x7f, 0xff, 0xff, 0xff, 0x02, 0x01, 0x01]),
  /** HTTP answer promising 10^11 bytes of body. */
  httpContentLength: Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 99999999999\r\nContent-Type: text/html\r\n\r\n<html>', 'latin1'),
  /** FTP/SMTP style multi-line reply that never ends ("220-" forever is what endless adds). */
  textMultiline: Buffer.from('220-portcullis hostile peer\r\n220-', 'latin1'),
} as const satisfies Record<string, Buffer>;

export interface HostileOptions {
  address: string;
  port: number;
  mode: HostileMode;
  /** Bytes for truncated / absurd-length / trickle / endless (repeated). */
  frame?: Buffer;
  /** truncated: how many bytes of `frame` to send (1 .. frame.length-1). */
  truncateAt?: number;
  /** 'connect' (default): misbehave at once; 'data': wait for the client's first bytes (protocols where the client speaks first). */
  trigger?: 'connect' | 'data';
  garbageBytes?: number;
  trickleIntervalMs?: number;
  trickleMaxBytes?: number;
  endlessMaxBytes?: number;
  /** The server closes itself after this long (default 120 s, max 30 min). */
  lifetimeMs?: number;
  /** Connections accepted before the server stops accepting (default 1000). */
  maxConnections?: number;
}

export interface HostileStats {
  connections: number;
  bytesSent: number;
  /** Bytes the clients sent us (bounded count, content is dropped). */
  bytesReceived: number;
}

export interface HostilePeer {
  readonly address: string;
  readonly port: number;
  readonly mode: HostileMode;
  readonly stats: Readonly<HostileStats>;
  /** Stops listening, destroys every open connection, clears every timer. Idempotent. */
  close(): Promise<void>;
}

function checkCount(name: string, v: number | undefined, min: number, max: number): void {
  if (v !== undefined && !(Number.isInteger(v) && v >= min && v <= max)) {
    throw new HarnessError(`hostile: ${name} must be an integer in ${min}..${max}, got ${v}`);
  }
}

/**
 * Starts a hostile TCP server on `address:port` (port 0 = pick one; read `.port`).
 * Every accepted connection gets `mode`; see HostileMode for what each does.
 */
export async function startHostile(o: HostileOptions): Promise<HostilePeer> {
  assertPeerAddress(o.address);
  if (o.port !== 0) assertPort(o.port, 'hostile');
  if (!HOSTILE_MODES.includes(o.mode)) throw new HarnessError(`hostile: unknown mode ${JSON.stringify(o.mode)}; one of ${HOSTILE_MODES.join(', ')}`);
  checkCount('garbageBytes', o.garbageBytes, 1, 1 << 20);
  checkCount('trickleIntervalMs', o.trickleIntervalMs, 10, 60_000);
  checkCount('trickleMaxBytes', o.trickleMaxBytes, 1, 100_000);
  checkCount('endlessMaxBytes', o.endlessMaxBytes, 1, 1 << 30);
  checkCount('lifetimeMs', o.lifetimeMs, 1, 30 * 60_000);
  checkCount('maxConnections', o.maxConnections, 1, 100_000);
  if ((o.mode === 'truncated' || o.mode === 'absurd-length') && (!o.frame || o.frame.length === 0)) {
    throw new HarnessError(`hostile: mode ${o.mode} needs a non-empty frame (see ABSURD_FRAMES)`);
  }
  if (o.mode === 'truncated') {
    const n = o.truncateAt ?? Math.floor(o.frame!.length / 2);
    if (!(Number.isInteger(n) && n >= 1 && n < o.frame!.length)) {
      throw new HarnessError(`hostile: truncateAt must be in 1..${o.frame!.length - 1} for a ${o.frame!.length}-byte frame, got ${n}`);
    }
  }
  const stats: HostileStats = { connections: 0, bytesSent: 0, bytesReceived: 0 };
  const sockets = new Set<net.Socket>();
  const timers = new PeerTimers();
  const maxConnections = o.maxConnections ?? 1000;
  let closed = false;

  const send = (s: net.Socket, b: Buffer): boolean => {
    if (s.destroyed) return false;
    stats.bytesSent += b.length;
    return s.write(b);
  };

  const behave = (s: net.Socket): void => {
    switch (o.mode) {
      case 'silent':
        return;
      case 'reset':
        s.resetAndDestroy();
        return;
      case 'garbage':
        send(s, randomBytes(o.garbageBytes ?? 512));
        s.end();
        return;
      case 'truncated':
        send(s, o.frame!.subarray(0, o.truncateAt ?? Math.floor(o.frame!.length / 2)));
        return;
      case 'absurd-length':
        send(s, o.frame!);
        return;
      case 'trickle': {
        const src = o.frame && o.frame.length > 0 ? o.frame : randomBytes(64);
        const max = o.trickleMaxBytes ?? 300;
        let i = 0;
        const step = () => {
          if (s.destroyed || closed || i >= max) return s.end();
          send(s, src.subarray(i % src.length, (i % src.length) + 1));
          i++;
          timers.later(o.trickleIntervalMs ?? 1_000, step);
        };
        step();
        return;
      }
      case 'endless': {
        const max = o.endlessMaxBytes ?? 512 << 20;
        const chunk = o.frame && o.frame.length > 0 ? Buffer.concat(Array(Math.ceil(65536 / o.frame.length)).fill(o.frame)) : randomBytes(65536);
        let sent = 0;
        // Back-pressure: write until the kernel buffer is full, then wait for 'drain'. The client
        // decides the pace, and a client that stops reading stalls us instead of our memory growing.
        const pump = () => {
          while (!s.destroyed && !closed && sent < max) {
            sent += chunk.length;
            if (!send(s, chunk)) {
              s.once('drain', pump);
              return;
            }
          }
          if (sent >= max && !s.destroyed) s.end();
        };
        pump();
        return;
      }
    }
  };

  const server = net.createServer((s) => {
    stats.connections++;
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => {
      // the client resetting us is part of the game
    });
    let triggered = false;
    s.on('data', (d: Buffer) => {
      stats.bytesReceived = Math.min(Number.MAX_SAFE_INTEGER, stats.bytesReceived + d.length);
      if (!triggered && o.trigger === 'data') {
        triggered = true;
        behave(s);
      }
    });
    if (o.trigger !== 'data') {
      triggered = true;
      behave(s);
    }
    if (stats.connections >= maxConnections) server.close();
  });
  server.maxConnections = maxConnections;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e) => reject(new HarnessError(`hostile: cannot listen on ${o.address}:${o.port}: ${e.message}`)));
    server.listen({ host: o.address, port: o.port, exclusive: true }, () => resolve());
  });
  server.on('error', () => {});
  const port = (server.address() as net.AddressInfo).port;

  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    timers.clearAll();
    for (const s of sockets) s.destroy();
    await new Promise<void>((r) => server.close(() => r()));
  };
  timers.later(o.lifetimeMs ?? 120_000, () => void close());
  return { address: o.address, port, mode: o.mode, stats, close };
}

export type HostileUdpMode = 'garbage' | 'absurd-length' | 'silent';

export interface HostileUdpOptions {
  address: string;
  port: number;
  mode: HostileUdpMode;
  /** absurd-length: the reply. Or build it from each request (e.g. to echo a transaction id). */
  frame?: Buffer;
  respond?: (request: Buffer) => Buffer;
  garbageBytes?: number;
  /** Replies sent before the socket goes quiet (default 1000). */
  maxReplies?: number;
  lifetimeMs?: number;
}

export interface HostileUdpPeer {
  readonly address: string;
  readonly port: number;
  readonly mode: HostileUdpMode;
  readonly stats: Readonly<{ requests: number; replies: number }>;
  close(): Promise<void>;
}

/** Starts a hostile UDP responder: random datagrams, an absurd frame, or nothing, per request. */
export async function startHostileUdp(o: HostileUdpOptions): Promise<HostileUdpPeer> {
  assertPeerAddress(o.address);
  if (o.port !== 0) assertPort(o.port, 'hostile udp');
  if (!['garbage', 'absurd-length', 'silent'].includes(o.mode)) throw new HarnessError(`hostile udp: unknown mode ${JSON.stringify(o.mode)}`);
  checkCount('garbageBytes', o.garbageBytes, 1, 65_507);
  checkCount('maxReplies', o.maxReplies, 1, 1_000_000);
  checkCount('lifetimeMs', o.lifetimeMs, 1, 30 * 60_000);
  if (o.mode === 'absurd-length' && !o.frame && !o.respond) throw new HarnessError('hostile udp: absurd-length needs frame or respond');
  const stats = { requests: 0, replies: 0 };
  const maxReplies = o.maxReplies ?? 1000;
  const sock = dgram.createSocket('udp4');
  let closed = false;
  sock.on('message', (msg, rinfo) => {
    stats.requests++;
    if (o.mode === 'silent' || stats.replies >= maxReplies || closed) return;
    const reply = o.mode === 'garbage' ? randomBytes(o.garbageBytes ?? 1 + Math.floor(Math.random() * 512)) : o.respond ? o.respond(msg) : o.frame!;
    stats.replies++;
    sock.send(reply, rinfo.port, rinfo.address);
  });
  sock.on('error', () => {});
  await new Promise<void>((resolve, reject) => {
    sock.once('error', (e) => reject(new HarnessError(`hostile udp: cannot bind ${o.address}:${o.port}: ${e.message}`)));
    sock.bind({ address: o.address, port: o.port, exclusive: true }, () => resolve());
  });
  const port = sock.address().port;
  let timer: NodeJS.Timeout | undefined;
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    if (timer) clearTimeout(timer);
    await new Promise<void>((r) => sock.close(() => r()));
  };
  timer = setTimeout(() => void close(), o.lifetimeMs ?? 120_000);
  return { address: o.address, port, mode: o.mode, stats, close };
}
