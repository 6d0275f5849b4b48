// RFB, the VNC protocol (RFC 6143 §7.1): the server opens with a 12-byte ProtocolVersion
// `RFB xxx.yyy\n`; the client answers with the version it will speak; then the security handshake
// (3.7/3.8: a count and a list of security types, count 0 = failure with a reason string;
// 3.3: the server alone picks one type as a u32).
import { MalformedReply } from './malformed.js';

export interface RfbVersion {
  major: number;
  minor: number;
  raw: string;
}

/** Security type numbers (IANA "RFB Security Types") for evidence. */
const SECURITY_NAMES: Record<number, string> = {
  0: 'Invalid', 1: 'None', 2: 'VNC Authentication', 5: 'RA2', 6: 'RA2ne', 16: 'Tight', 17: 'Ultra',
  18: 'TLS', 19: 'VeNCrypt', 20: 'GTK-VNC SASL', 21: 'MD5 hash', 22: 'Colin Dean xvp', 30: 'Apple (Diffie-Hellman)',
};

export function securityTypeName(t: number): string {
  return SECURITY_NAMES[t] ?? `type ${t}`;
}

export function parseRfbVersion(buf: Buffer): RfbVersion | null {
  if (buf.length < 12) {
    if (!'RFB '.startsWith(buf.subarray(0, 4).toString('latin1'))) throw MalformedReply.of('rfb', 'not an RFB ProtocolVersion', buf);
    return null;
  }
  const raw = buf.subarray(0, 12).toString('latin1');
  const m = /^RFB (\d{3})\.(\d{3})\n$/.exec(raw);
  if (!m) throw MalformedReply.of('rfb', 'malformed ProtocolVersion', buf.subarray(0, 12));
  return { major: Number(m[1]), minor: Number(m[2]), raw: raw.trim() };
}

/**
 * The version we answer with (§7.1.1): 3.8 for any 3.8-or-later server (Apple's 3.889 included),
 * 3.7 and 3.3 as offered; anything below 3.7 is treated as 3.3.
 */
export function clientVersion(v: RfbVersion): { major: 3; minor: 3 | 7 | 8 } {
  if (v.major > 3 || v.minor >= 8) return { major: 3, minor: 8 };
  if (v.minor === 7) return { major: 3, minor: 7 };
  return { major: 3, minor: 3 };
}

export function encodeVersion(v: { major: number; minor: number }): Buffer {
  return Buffer.from(`RFB ${String(v.major).padStart(3, '0')}.${String(v.minor).padStart(3, '0')}\n`, 'latin1');
}

export type SecurityOffer =
  | { kind: 'types'; types: number[] }
  | { kind: 'failure'; reason: string };

/** Longest failure reason we accept; a u32 length beyond it is an absurd frame, not a reason. */
const MAX_REASON = 4096;

/**
 * Parse the server's security message for the negotiated minor version. Returns the byte length
 * consumed with the result, or null when more bytes are needed.
 */
export function parseSecurity(buf: Buffer, minor: 3 | 7 | 8): { offer: SecurityOffer; length: number } | null {
  if (minor === 3) {
    if (buf.length < 4) return null;
    const t = buf.readUInt32BE(0);
    if (t !== 0) return { offer: { kind: 'types', types: [t] }, length: 4 };
    return reason(buf, 4);
  }
  if (buf.length < 1) return null;
  const n = buf[0] as number;
  if (n === 0) return reason(buf, 1);
  if (buf.length < 1 + n) return null;
  return { offer: { kind: 'types', types: [...buf.subarray(1, 1 + n)] }, length: 1 + n };
}

function reason(buf: Buffer, at: number): { offer: SecurityOffer; length: number } | null {
  if (buf.length < at + 4) return null;
  const len = buf.readUInt32BE(at);
  if (len > MAX_REASON) throw MalformedReply.of('rfb', `failure reason claims ${len} bytes (limit ${MAX_REASON})`);
  if (buf.length < at + 4 + len) return null;
  return { offer: { kind: 'failure', reason: buf.subarray(at + 4, at + 4 + len).toString('utf8') }, length: at + 4 + len };
}
