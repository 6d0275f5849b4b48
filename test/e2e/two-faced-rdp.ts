// A hostile RDP listener that passes identification and then misbehaves, so the hostile e2e test
// reaches the RDP and TLS probes themselves (the harness's hostile peer misbehaves from the first
// byte, which stops a scan at identification: `unknown`, and no probe runs).
//
// It answers an X.224 Connection Request offering exactly PROTOCOL_SSL|PROTOCOL_HYBRID (what an
// identifier sends) with a valid Connection Confirm selecting PROTOCOL_SSL (MS-RDPBCGR 2.2.1.2.1),
// and then misbehaves on the TLS that follows. Any other offer (PROTOCOL_RDP alone, PROTOCOL_SSL
// alone — the probe's separate offers) gets the misbehaviour at once.
//
// Bounded like the harness peer: a lifetime, a cap on connections, bytes and trickle duration.
import net from 'node:net';
import { randomBytes } from 'node:crypto';
import { assertE2eAddress } from './support.js';
import { PeerTimers } from '../harness/net.js';

export type TwoFacedMode = 'garbage' | 'absurd-length' | 'truncated' | 'trickle' | 'reset' | 'silent';
export const TWO_FACED_MODES: readonly TwoFacedMode[] = ['garbage', 'absurd-length', 'truncated', 'trickle', 'reset', 'silent'];

const PROTOCOL_SSL = 1;
const PROTOCOL_HYBRID = 2;

/** TPKT(19) + X.224 CC (dst-ref 0, src-ref 0x1234, class 0) + RDP_NEG_RSP selecting PROTOCOL_SSL. */
const CONNECTION_CONFIRM_SSL = Buffer.from([0x03, 0x00, 0x00, 0x13, 0x0e, 0xd0, 0x00, 0x00, 0x12, 0x34, 0x00, 0x02, 0x00, 0x08, 0x00, 0x01, 0x00, 0x00, 0x00]);
/** TPKT announcing 65535 bytes, then the start of a Connection Confirm that never completes. */
const ABSURD_TPKT = Buffer.from([0x03, 0x00, 0xff, 0xff, 0x0e, 0xd0, 0x00, 0x00, 0x12, 0x34, 0x00]);
/** A TLS handshake record of 0x4001 bytes (over the 2^14 limit, RFC 8446 §5.1) starting a ServerHello. */
const ABSURD_TLS = Buffer.from([0x16, 0x03, 0x03, 0x40, 0x01, 0x02, 0x00, 0x3f, 0xfd, 0x03, 0x03]);

export interface TwoFacedServer {
  readonly address: string;
  readonly mode: TwoFacedMode;
  readonly stats: Readonly<{ connections: number; confirmed: number }>;
  close(): Promise<void>;
}

/** The requestedProtocols of a complete X.224 CR TPKT, or null when it carries no RDP_NEG_REQ. */
function requestedProtocols(tpkt: Buffer): number | null {
  // RDP_NEG_REQ is the last 8 bytes: type 0x01, flags, length 0x0008 (LE), requestedProtocols (u32 LE).
  if (tpkt.length < 4 + 7 + 8) return null;
  const neg = tpkt.subarray(tpkt.length - 8);
  if (neg[0] !== 0x01 || neg.readUInt16LE(2) !== 8) return null;
  return neg.readUInt32LE(4);
}

export async function startTwoFacedRdp(o: { address: string; port: number; mode: TwoFacedMode; lifetimeMs?: number }): Promise<TwoFacedServer> {
  assertE2eAddress(o.address);
  const sockets = new Set<net.Socket>();
  const timers = new PeerTimers();
  const stats = { connections: 0, confirmed: 0 };
  let closed = false;

  /** The misbehaviour, with the frame of the stage the client is in (X.224 or TLS). */
  const misbehave = (s: net.Socket, frame: Buffer): void => {
    switch (o.mode) {
      case 'garbage':
        s.end(randomBytes(512));
        return;
      case 'absurd-length':
        s.write(frame);
        return;
      case 'truncated':
        s.write(frame.subarray(0, 3));
        return;
      case 'trickle': {
        let i = 0;
        const step = (): void => {
          if (s.destroyed || closed || i >= 60) return void s.end();
          s.write(frame.subarray(i % frame.length, (i % frame.length) + 1));
          i++;
          timers.later(1_000, step);
        };
        step();
        return;
      }
      case 'reset':
        s.resetAndDestroy();
        return;
      case 'silent':
        return;
    }
  };

  const server = net.createServer((s) => {
    stats.connections++;
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => {});
    let buf = Buffer.alloc(0);
    let stage: 'x224' | 'tls' | 'done' = 'x224';
    s.on('data', (d: Buffer) => {
      if (stage === 'done') return;
      if (stage === 'tls') {
        stage = 'done';
        misbehave(s, ABSURD_TLS);
        return;
      }
      buf = Buffer.concat([buf, d]).subarray(0, 4096);
      if (buf.length < 4) return;
      const len = buf.readUInt16BE(2);
      if (buf[0] !== 0x03 || len < 11) {
        stage = 'done';
        misbehave(s, ABSURD_TPKT);
        return;
      }
      if (buf.length < len) return;
      const req = requestedProtocols(buf.subarray(0, len));
      if (req === (PROTOCOL_SSL | PROTOCOL_HYBRID)) {
        stats.confirmed++;
        stage = 'tls';
        s.write(CONNECTION_CONFIRM_SSL);
      } else {
        stage = 'done';
        misbehave(s, o.mode === 'trickle' ? CONNECTION_CONFIRM_SSL : ABSURD_TPKT);
      }
    });
    if (stats.connections >= 2_000) server.close();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e) => reject(new Error(`two-faced rdp: cannot listen on ${o.address}:${o.port}: ${e.message}`)));
    server.listen({ host: o.address, port: o.port, exclusive: true }, () => resolve());
  });
  server.on('error', () => {});
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    timers.clearAll();
    for (const s of sockets) s.destroy();
    await new Promise<void>((r) => server.close(() => r()));
  };
  timers.later(o.lifetimeMs ?? 10 * 60_000, () => void close());
  return { address: o.address, mode: o.mode, stats, close };
}
