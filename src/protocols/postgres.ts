// PostgreSQL frontend/backend protocol v3 (PostgreSQL docs, "Message Formats"): SSLRequest
// (length 8, code 80877103) is answered with one byte, 'S' or 'N'; a StartupMessage (length,
// protocol 3.0 = 196608, NUL-separated parameters) is answered with Authentication ('R') or
// ErrorResponse ('E'), each framed as type byte + Int32 length (length includes itself).
import { MalformedReply } from './malformed.js';

export const SSL_REQUEST = Buffer.from([0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f]);
const PROTOCOL_3_0 = 196608;
/** Far above any real startup answer; a larger length is an absurd frame. */
const MAX_MESSAGE = 64 * 1024;

export function startupMessage(params: Record<string, string>): Buffer {
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(params)) {
    if (k.includes('\0') || v.includes('\0')) throw new RangeError('startup parameters cannot contain NUL');
    parts.push(Buffer.from(`${k}\0${v}\0`, 'utf8'));
  }
  parts.push(Buffer.from([0]));
  const body = Buffer.concat(parts);
  const head = Buffer.alloc(8);
  head.writeInt32BE(8 + body.length, 0);
  head.writeInt32BE(PROTOCOL_3_0, 4);
  return Buffer.concat([head, body]);
}

/** Authentication request codes (message 'R') for evidence. */
const AUTH_NAMES: Record<number, string> = {
  0: 'AuthenticationOk (no password asked)', 2: 'KerberosV5', 3: 'CleartextPassword', 5: 'MD5Password',
  7: 'GSS', 9: 'SSPI', 10: 'SASL',
};

export type BackendMessage =
  | { type: 'R'; code: number; method: string; detail?: string }
  | { type: 'E'; fields: Record<string, string> }
  | { type: 'other'; tag: string; length: number };

/** Length of the first backend message at the start of `buf`, 0 when incomplete. */
export function backendMessageLength(buf: Buffer): number {
  if (buf.length < 1) return 0;
  const tag = String.fromCharCode(buf[0] as number);
  if (!/^[A-Za-z]$/.test(tag)) throw MalformedReply.of('postgres', 'message type is not a letter', buf.subarray(0, 16));
  if (buf.length < 5) return 0;
  const len = buf.readInt32BE(1);
  if (len < 4 || len > MAX_MESSAGE) throw MalformedReply.of('postgres', `message '${tag}' claims length ${len}`, buf.subarray(0, 16));
  return buf.length >= 1 + len ? 1 + len : 0;
}

export function parseBackendMessage(msg: Buffer): BackendMessage {
  const len = backendMessageLength(msg);
  if (len === 0) throw MalformedReply.of('postgres', 'truncated message', msg.subarray(0, 16));
  const tag = String.fromCharCode(msg[0] as number);
  const body = msg.subarray(5, len);
  if (tag === 'R') {
    if (body.length < 4) throw MalformedReply.of('postgres', 'Authentication message without a code', msg.subarray(0, 16));
    const code = body.readInt32BE(0);
    let detail: string | undefined;
    if (code === 10) detail = body.subarray(4).toString('latin1').split('\0').filter(Boolean).join(', ');
    return { type: 'R', code, method: AUTH_NAMES[code] ?? `auth code ${code}`, ...(detail ? { detail } : {}) };
  }
  if (tag === 'E' || tag === 'N') {
    // Fields: a type byte and a NUL-terminated string each, ended by a zero byte.
    const fields: Record<string, string> = {};
    let i = 0;
    for (let n = 0; n < 64 && i < body.length && body[i] !== 0; n++) {
      const key = String.fromCharCode(body[i] as number);
      const end = body.indexOf(0, i + 1);
      if (end < 0) throw MalformedReply.of('postgres', 'error field not NUL-terminated', body.subarray(i, i + 32));
      fields[key] = body.subarray(i + 1, end).toString('utf8');
      i = end + 1;
    }
    if (tag === 'E') {
      if (!fields['S'] && !fields['M']) throw MalformedReply.of('postgres', 'ErrorResponse without severity or message', msg.subarray(0, 32));
      return { type: 'E', fields };
    }
  }
  return { type: 'other', tag, length: len };
}

/** A one-line description of an answer to StartupMessage for evidence. */
export function describeBackend(m: BackendMessage): string {
  if (m.type === 'R') return `Authentication request: ${m.method}${m.detail ? ` (${m.detail})` : ''}`;
  if (m.type === 'E') return `ErrorResponse ${m.fields['C'] ?? ''} ${m.fields['S'] ?? ''}: ${m.fields['M'] ?? ''}`.replace(/\s+/g, ' ').trim();
  return `message '${m.tag}' (${m.length} bytes)`;
}
