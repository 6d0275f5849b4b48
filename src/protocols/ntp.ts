// NTP client request and server reply (RFC 5905 §7.3). The request carries a random nonce as its
// transmit timestamp; a genuine server copies it into the reply's origin timestamp, which is how a
// reply is matched to our request (and how a stray datagram is told apart from an answer).
import { randomBytes } from 'node:crypto';
import { type Parsed, Reader, parseWith, wireFail } from './reader.js';

export const NTP_PACKET_SIZE = 48;

export interface NtpRequest {
  packet: Buffer;
  /** The 8-byte transmit timestamp the server must echo as origin timestamp. */
  nonce: Buffer;
}

/** Mode 3 (client), version 4, LI 3 (clock not synchronised: we are not a time source). */
export function encodeNtpRequest(nonce: Buffer = randomBytes(8)): NtpRequest {
  if (nonce.length !== 8) throw new RangeError('the NTP nonce is 8 bytes');
  const packet = Buffer.alloc(NTP_PACKET_SIZE);
  packet[0] = (3 << 6) | (4 << 3) | 3;
  nonce.copy(packet, 40);
  return { packet, nonce };
}

export interface NtpReply {
  leap: number;
  version: number;
  mode: number;
  stratum: number;
  /** Reference id: a four-letter code at stratum 0-1 (kiss code / clock source), an IPv4 address above. */
  refId: string;
  /** Kiss-o'-death code when stratum is 0 (RATE, DENY, RSTR …). */
  kiss: string | null;
  precision: number;
  rootDelayMs: number;
  rootDispersionMs: number;
  /** Transmit time of the reply, ISO-8601, when plausible. */
  transmitTime: string | null;
}

const NTP_UNIX_OFFSET = 2_208_988_800;

function short(v: number): number {
  return Math.round(((v >>> 16) + (v & 0xffff) / 65536) * 1000 * 1000) / 1000;
}

/** Parse a server reply; with `nonce`, its origin timestamp must equal our request's. Never throws. */
export function parseNtpReply(buf: Buffer, nonce?: Buffer): Parsed<NtpReply> {
  try {
    return parseWith(() => {
      if (buf.length < NTP_PACKET_SIZE) wireFail(`NTP reply of ${buf.length} bytes is shorter than ${NTP_PACKET_SIZE}`);
      const r = new Reader(buf, 0, buf.length, 'NTP reply');
      const b0 = r.u8('LI/VN/mode');
      const leap = b0 >> 6;
      const version = (b0 >> 3) & 7;
      const mode = b0 & 7;
      if (version < 1 || version > 4) wireFail(`NTP version ${version} is not 1-4`);
      if (mode !== 4) wireFail(`NTP mode ${mode} is not 4 (server)`);
      const stratum = r.u8('stratum');
      r.u8('poll');
      const precision = (r.u8('precision') << 24) >> 24;
      const rootDelay = r.u32be('root delay');
      const rootDisp = r.u32be('root dispersion');
      const ref = r.bytes(4, 'reference id');
      r.skip(8, 'reference timestamp');
      const origin = r.bytes(8, 'origin timestamp');
      r.skip(8, 'receive timestamp');
      const txSec = r.u32be('transmit seconds');
      r.u32be('transmit fraction');
      if (nonce && !origin.equals(nonce)) wireFail('origin timestamp does not echo our request (not an answer to it)');
      const ascii = /^[\x20-\x7e]*$/.test(ref.toString('latin1').replace(/\0+$/, '')) ? ref.toString('latin1').replace(/\0+$/, '') : null;
      const refId = stratum <= 1 ? (ascii ?? ref.toString('hex')) : [...ref].join('.');
      const unix = txSec - NTP_UNIX_OFFSET;
      const transmitTime = txSec !== 0 && unix > 0 && unix < 4_102_444_800 ? new Date(unix * 1000).toISOString() : null;
      return {
        leap,
        version,
        mode,
        stratum,
        refId,
        kiss: stratum === 0 ? ascii : null,
        precision,
        rootDelayMs: short(rootDelay),
        rootDispersionMs: short(rootDisp),
        transmitTime,
      };
    });
  } catch (e) {
    return { ok: false, error: `malformed NTP input: ${e instanceof Error ? e.message : String(e)}` };
  }
}

/** A server reply to `request` (tests and fake servers). */
export function encodeNtpReply(request: Buffer, opts: { stratum?: number; refId?: string } = {}): Buffer {
  const out = Buffer.alloc(NTP_PACKET_SIZE);
  out[0] = (0 << 6) | (4 << 3) | 4;
  out[1] = opts.stratum ?? 2;
  out[2] = 6;
  out[3] = 0xe9;
  Buffer.from((opts.refId ?? '127.0.0.1').split('.').map(Number)).copy(out, 12);
  request.subarray(40, 48).copy(out, 24);
  const now = Math.floor(Date.now() / 1000) + NTP_UNIX_OFFSET;
  out.writeUInt32BE(now, 32);
  out.writeUInt32BE(now, 40);
  return out;
}
