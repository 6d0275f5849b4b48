// Redis serialization protocol (RESP2): `+simple`, `-error`, `:integer`, `$len bulk` ($-1 null),
// `*count array`. We only ever read replies to PING and INFO, so sizes are capped well below
// what an endless or absurd peer might claim.
import { MalformedReply } from './malformed.js';

export type RespValue =
  | { type: 'simple'; value: string }
  | { type: 'error'; value: string }
  | { type: 'integer'; value: number }
  | { type: 'bulk'; value: string | null }
  | { type: 'array'; value: RespValue[] | null };

const MAX_BULK = 256 * 1024;
const MAX_ARRAY = 1024;
const MAX_DEPTH = 4;
const MAX_LINE = 64 * 1024;

export function command(...args: string[]): Buffer {
  const parts = [`*${args.length}\r\n`];
  for (const a of args) parts.push(`$${Buffer.byteLength(a)}\r\n${a}\r\n`);
  return Buffer.from(parts.join(''), 'utf8');
}

/** Parse one value at `at`; null when more bytes are needed. Throws MalformedReply on bad framing. */
export function parseResp(buf: Buffer, at = 0, depth = 0): { value: RespValue; end: number } | null {
  if (buf.length <= at) return null;
  const t = String.fromCharCode(buf[at] as number);
  if (!'+-:$*'.includes(t)) throw MalformedReply.of('redis', 'reply does not start with a RESP type byte', buf.subarray(at, at + 32));
  const nl = buf.indexOf('\r\n', at);
  if (nl < 0) {
    if (buf.length - at > MAX_LINE) throw MalformedReply.of('redis', `reply line longer than ${MAX_LINE} bytes`);
    return null;
  }
  const line = buf.subarray(at + 1, nl).toString('utf8');
  const next = nl + 2;
  switch (t) {
    case '+':
      return { value: { type: 'simple', value: line }, end: next };
    case '-':
      return { value: { type: 'error', value: line }, end: next };
    case ':': {
      if (!/^-?\d{1,19}$/.test(line)) throw MalformedReply.of('redis', 'integer reply is not a number', Buffer.from(line.slice(0, 32)));
      return { value: { type: 'integer', value: Number(line) }, end: next };
    }
    case '$': {
      const n = lengthField(line, MAX_BULK, 'bulk string');
      if (n < 0) return { value: { type: 'bulk', value: null }, end: next };
      if (buf.length < next + n + 2) return null;
      if (buf[next + n] !== 0x0d || buf[next + n + 1] !== 0x0a) throw MalformedReply.of('redis', 'bulk string not followed by CRLF');
      return { value: { type: 'bulk', value: buf.subarray(next, next + n).toString('utf8') }, end: next + n + 2 };
    }
    default: {
      if (depth >= MAX_DEPTH) throw MalformedReply.of('redis', `arrays nested deeper than ${MAX_DEPTH}`);
      const n = lengthField(line, MAX_ARRAY, 'array');
      if (n < 0) return { value: { type: 'array', value: null }, end: next };
      const items: RespValue[] = [];
      let pos = next;
      for (let i = 0; i < n; i++) {
        const r = parseResp(buf, pos, depth + 1);
        if (!r) return null;
        items.push(r.value);
        pos = r.end;
      }
      return { value: { type: 'array', value: items }, end: pos };
    }
  }
}

function lengthField(line: string, max: number, what: string): number {
  if (!/^-?\d{1,12}$/.test(line)) throw MalformedReply.of('redis', `${what} length is not a number`, Buffer.from(line.slice(0, 32)));
  const n = Number(line);
  if (n < -1) throw MalformedReply.of('redis', `${what} length ${n}`);
  if (n > max) throw MalformedReply.of('redis', `${what} claims ${n} (limit ${max})`);
  return n;
}

/** Byte length of the complete reply at the start of `buf`, 0 when incomplete (for Stream.readMessage). */
export function respLength(buf: Buffer): number {
  const r = parseResp(buf);
  return r ? r.end : 0;
}

/** `redis_version:7.0.11` and friends from an INFO reply. */
export function parseInfo(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split(/\r?\n/).slice(0, 500)) {
    const i = line.indexOf(':');
    if (i > 0 && !line.startsWith('#')) out.set(line.slice(0, i), line.slice(i + 1).trim());
  }
  return out;
}
