// A small, strict HTTP/1.1 client codec (RFC 9112 message syntax, RFC 9110 semantics) for probes
// and identification: one request per connection (`Connection: close`), the response parsed from a
// Stream with hard caps on the head and the body. Strict means a peer that is not speaking HTTP is
// told apart from one that is: a bad status line, a header line without a colon, conflicting
// Content-Length values or an unreadable chunk size are MalformedReply, not a guess.
import type { Stream } from '../io/transport.js';
import { IoError } from '../io/transport.js';
import { MalformedReply } from './malformed.js';

export type HttpHeader = readonly [name: string, value: string];

export interface HttpRequest {
  method: string;
  /** Request target in origin form (`/path?q`). */
  path: string;
  /** Host header value; omit (undefined or null) to send an HTTP/1.1 request without Host on purpose. */
  host?: string | null;
  headers?: readonly HttpHeader[];
  body?: Buffer | string;
}

export interface HttpResponse {
  version: string;
  status: number;
  reason: string;
  /** In arrival order, names as sent; obs-folded continuations joined with one space. */
  headers: HttpHeader[];
  body: Buffer;
  /** The body went past the cap (or the connection ended early): `body` holds only the start. */
  bodyTruncated: boolean;
  /** How the body length was decided. */
  framing: 'none' | 'length' | 'chunked' | 'close';
}

export interface ResponseLimits {
  /** Method of the request this answers (HEAD responses carry no body). */
  requestMethod: string;
  /** Keep at most this many body bytes (default 256 KiB). */
  maxBody?: number;
  /** Refuse a head larger than this (default 32 KiB). */
  maxHead?: number;
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const DEFAULT_MAX_BODY = 256 * 1024;
const DEFAULT_MAX_HEAD = 32 * 1024;
/** More header lines than any real server sends; a flood of tiny headers stops here. */
const MAX_HEADER_LINES = 200;
/** Informational (1xx) responses we skip before the final one. */
const MAX_INTERIM = 5;

/** Serialise a request. Refuses values that would split the request (CR/LF, spaces in the target). */
export function encodeRequest(req: HttpRequest): Buffer {
  if (!TOKEN.test(req.method)) throw new RangeError(`HTTP method ${JSON.stringify(req.method)} is not a token`);
  if (!/^[\x21-\x7e]+$/.test(req.path) || !(req.path.startsWith('/') || req.path === '*')) {
    throw new RangeError(`HTTP request target ${JSON.stringify(req.path)} must be an origin-form path without spaces or controls`);
  }
  const lines = [`${req.method} ${req.path} HTTP/1.1`];
  if (req.host !== undefined && req.host !== null) lines.push(`Host: ${checkValue('Host', req.host)}`);
  const body = req.body === undefined ? undefined : Buffer.isBuffer(req.body) ? req.body : Buffer.from(req.body, 'utf8');
  const names = new Set<string>();
  for (const [name, value] of req.headers ?? []) {
    if (!TOKEN.test(name)) throw new RangeError(`HTTP header name ${JSON.stringify(name)} is not a token`);
    names.add(name.toLowerCase());
    lines.push(`${name}: ${checkValue(name, value)}`);
  }
  if (!names.has('user-agent')) lines.push('User-Agent: portcullis');
  if (!names.has('accept')) lines.push('Accept: */*');
  if (!names.has('connection')) lines.push('Connection: close');
  if (body !== undefined && !names.has('content-length')) lines.push(`Content-Length: ${body.length}`);
  const head = Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1');
  return body ? Buffer.concat([head, body]) : head;
}

function checkValue(name: string, value: string): string {
  if (/[\r\n\0]/.test(value)) throw new RangeError(`HTTP header ${name} value contains CR, LF or NUL`);
  return value;
}

/** First value of a header (case-insensitive); repeated headers joined with ", " as RFC 9110 §5.3 allows. */
export function headerValue(res: Pick<HttpResponse, 'headers'>, name: string): string | undefined {
  const all = headerValues(res, name);
  return all.length ? all.join(', ') : undefined;
}

export function headerValues(res: Pick<HttpResponse, 'headers'>, name: string): string[] {
  const n = name.toLowerCase();
  return res.headers.filter(([k]) => k.toLowerCase() === n).map(([, v]) => v);
}

interface Head {
  version: string;
  status: number;
  reason: string;
  headers: HttpHeader[];
  length: number;
}

/**
 * Parse a response head at the start of `buf`. Returns null when more bytes are needed.
 * Throws MalformedReply when the bytes cannot be an HTTP/1.x response head.
 */
export function parseHead(buf: Buffer, maxHead = DEFAULT_MAX_HEAD): Head | null {
  // Reject non-HTTP as soon as the first bytes disagree, instead of waiting for a blank line
  // that will never come (an SSH banner, a TLS alert, random bytes).
  const prefix = buf.subarray(0, 5).toString('latin1');
  if (!'HTTP/'.startsWith(prefix) && !prefix.startsWith('HTTP/')) throw MalformedReply.of('http', 'response does not start with "HTTP/"', buf);
  let end = buf.indexOf('\r\n\r\n');
  let sep = 4;
  const lf = buf.indexOf('\n\n');
  if (lf >= 0 && (end < 0 || lf < end)) {
    end = lf;
    sep = 2;
  }
  if (end < 0) {
    if (buf.length > maxHead) throw MalformedReply.of('http', `no end of the response head within ${maxHead} bytes`, buf.subarray(0, 64));
    return null;
  }
  if (end > maxHead) throw MalformedReply.of('http', `response head longer than ${maxHead} bytes`, buf.subarray(0, 64));
  const lines = buf.subarray(0, end).toString('latin1').split(/\r?\n/);
  const statusLine = lines.shift() ?? '';
  const m = /^HTTP\/(\d)\.(\d) (\d{3})(?: ([^\r\n]*))?$/.exec(statusLine);
  if (!m) throw MalformedReply.of('http', 'malformed status line', Buffer.from(statusLine, 'latin1'));
  if (lines.length > MAX_HEADER_LINES) throw MalformedReply.of('http', `more than ${MAX_HEADER_LINES} header lines`);
  const headers: [string, string][] = [];
  for (const line of lines) {
    if (/^[ \t]/.test(line)) {
      // obs-fold (RFC 9112 §5.2): a continuation of the previous field value.
      const last = headers[headers.length - 1];
      if (!last) throw MalformedReply.of('http', 'header continuation line before any header', Buffer.from(line, 'latin1'));
      last[1] = `${last[1]} ${line.trim()}`.trim();
      continue;
    }
    const colon = line.indexOf(':');
    const name = colon > 0 ? line.slice(0, colon) : '';
    if (!TOKEN.test(name)) throw MalformedReply.of('http', 'header line without a valid field name', Buffer.from(line, 'latin1'));
    headers.push([name, line.slice(colon + 1).trim()]);
  }
  return { version: `${m[1]}.${m[2]}`, status: Number(m[3]), reason: m[4] ?? '', headers, length: end + sep };
}

type BodyState =
  | { kind: 'need-more' }
  | { kind: 'done'; body: Buffer; consumed: number; truncated: boolean };

function bodyFraming(head: Head, method: string): HttpResponse['framing'] {
  if (method.toUpperCase() === 'HEAD' || head.status === 204 || head.status === 304 || head.status < 200) return 'none';
  const te = headerValue(head, 'transfer-encoding');
  if (te !== undefined) {
    const codings = te.toLowerCase().split(',').map((s) => s.trim());
    // RFC 9112 §6.3: chunked must be the final coding; otherwise the body runs to close.
    return codings[codings.length - 1] === 'chunked' ? 'chunked' : 'close';
  }
  if (headerValues(head, 'content-length').length > 0) return 'length';
  return 'close';
}

function contentLength(head: Head): number {
  const values = headerValues(head, 'content-length').flatMap((v) => v.split(',').map((s) => s.trim()));
  const distinct = new Set(values);
  if (distinct.size !== 1) throw MalformedReply.of('http', `conflicting Content-Length values: ${[...distinct].join(' / ')}`);
  const v = values[0] ?? '';
  if (!/^\d{1,15}$/.test(v)) throw MalformedReply.of('http', `Content-Length is not a number: ${JSON.stringify(v.slice(0, 40))}`);
  return Number(v);
}

/** Decode a chunked body (RFC 9112 §7.1) from `buf`; trailers are skipped. */
function decodeChunked(buf: Buffer, maxBody: number, eof: boolean): BodyState {
  const parts: Buffer[] = [];
  let kept = 0;
  let pos = 0;
  for (let guard = 0; guard < 100_000; guard++) {
    const nl = buf.indexOf('\n', pos);
    if (nl < 0) {
      if (buf.length - pos > 1024) throw MalformedReply.of('http', 'chunk-size line longer than 1024 bytes', buf.subarray(pos, pos + 48));
      if (eof) return { kind: 'done', body: Buffer.concat(parts), consumed: buf.length, truncated: true };
      return { kind: 'need-more' };
    }
    const sizeLine = buf.subarray(pos, nl).toString('latin1').replace(/\r$/, '');
    const sm = /^([0-9A-Fa-f]{1,16})(?:[ \t]*;.*)?[ \t]*$/.exec(sizeLine);
    if (!sm) throw MalformedReply.of('http', 'malformed chunk size', Buffer.from(sizeLine, 'latin1'));
    const size = parseInt(sm[1] as string, 16);
    pos = nl + 1;
    if (size === 0) {
      // Trailer section: lines up to an empty one.
      for (;;) {
        const tl = buf.indexOf('\n', pos);
        if (tl < 0) {
          if (eof) return { kind: 'done', body: Buffer.concat(parts), consumed: buf.length, truncated: false };
          return { kind: 'need-more' };
        }
        const line = buf.subarray(pos, tl).toString('latin1').replace(/\r$/, '');
        pos = tl + 1;
        if (line === '') return { kind: 'done', body: Buffer.concat(parts), consumed: pos, truncated: false };
        if (pos > buf.length || buf.length - pos > 16 * 1024) throw MalformedReply.of('http', 'trailer section too long');
      }
    }
    const available = Math.min(size, buf.length - pos);
    const keep = Math.min(available, maxBody - kept);
    if (keep > 0) parts.push(buf.subarray(pos, pos + keep));
    kept += keep;
    // Past the cap with more of this chunk still coming or unread: stop here, body truncated.
    if (kept >= maxBody && (available > keep || size > available)) {
      return { kind: 'done', body: Buffer.concat(parts), consumed: buf.length, truncated: true };
    }
    if (available < size) {
      if (eof) return { kind: 'done', body: Buffer.concat(parts), consumed: buf.length, truncated: true };
      return { kind: 'need-more' };
    }
    pos += size;
    // CRLF after the chunk data.
    if (buf.length - pos < 2) {
      if (eof) return { kind: 'done', body: Buffer.concat(parts), consumed: buf.length, truncated: true };
      return { kind: 'need-more' };
    }
    if (buf[pos] === 0x0d && buf[pos + 1] === 0x0a) pos += 2;
    else if (buf[pos] === 0x0a) pos += 1;
    else throw MalformedReply.of('http', 'chunk data not followed by CRLF', buf.subarray(pos, pos + 16));
  }
  throw MalformedReply.of('http', 'too many chunks');
}

export type ParseResult =
  | { kind: 'need-more' }
  | { kind: 'interim'; consumed: number; status: number }
  | { kind: 'complete'; response: HttpResponse; consumed: number };

/**
 * Parse one response from the start of `buf`. `eof` says the peer closed the connection, which
 * completes a read-to-close body (and truncates any other). Pure: the byte-transcript tests drive it.
 */
export function parseResponse(buf: Buffer, limits: ResponseLimits, eof: boolean): ParseResult {
  const maxBody = limits.maxBody ?? DEFAULT_MAX_BODY;
  if (buf.length === 0) {
    if (eof) throw MalformedReply.of('http', 'connection closed before any response');
    return { kind: 'need-more' };
  }
  const head = parseHead(buf, limits.maxHead ?? DEFAULT_MAX_HEAD);
  if (!head) {
    if (eof) throw MalformedReply.of('http', 'connection closed inside the response head', buf.subarray(0, 64));
    return { kind: 'need-more' };
  }
  if (head.status >= 100 && head.status < 200 && head.status !== 101) return { kind: 'interim', consumed: head.length, status: head.status };
  const framing = bodyFraming(head, limits.requestMethod);
  const rest = buf.subarray(head.length);
  const base = { version: head.version, status: head.status, reason: head.reason, headers: head.headers, framing };
  switch (framing) {
    case 'none':
      return { kind: 'complete', response: { ...base, body: Buffer.alloc(0), bodyTruncated: false }, consumed: head.length };
    case 'length': {
      const len = contentLength(head);
      if (rest.length >= len) {
        return { kind: 'complete', response: { ...base, body: Buffer.from(rest.subarray(0, len)), bodyTruncated: false }, consumed: head.length + len };
      }
      if (rest.length >= maxBody || eof) {
        return { kind: 'complete', response: { ...base, body: Buffer.from(rest.subarray(0, maxBody)), bodyTruncated: true }, consumed: buf.length };
      }
      return { kind: 'need-more' };
    }
    case 'chunked': {
      const st = decodeChunked(rest, maxBody, eof);
      if (st.kind === 'need-more') return st;
      return { kind: 'complete', response: { ...base, body: st.body, bodyTruncated: st.truncated }, consumed: head.length + st.consumed };
    }
    case 'close': {
      if (rest.length > maxBody) return { kind: 'complete', response: { ...base, body: Buffer.from(rest.subarray(0, maxBody)), bodyTruncated: true }, consumed: buf.length };
      if (!eof) return { kind: 'need-more' };
      return { kind: 'complete', response: { ...base, body: Buffer.from(rest), bodyTruncated: false }, consumed: buf.length };
    }
  }
}

/**
 * Read one final response from `stream` within `timeoutMs` (1xx interim answers are skipped).
 * IoError for network trouble (a timeout keeps what arrived as `partial`), MalformedReply for bytes
 * that are not HTTP.
 */
export async function readResponse(stream: Stream, limits: ResponseLimits, timeoutMs: number): Promise<HttpResponse> {
  const deadline = Date.now() + timeoutMs;
  const maxBody = limits.maxBody ?? DEFAULT_MAX_BODY;
  const hardCap = (limits.maxHead ?? DEFAULT_MAX_HEAD) + maxBody + 64 * 1024;
  let buf: Buffer = Buffer.alloc(0);
  let eof = false;
  let interim = 0;
  for (;;) {
    const r = parseResponse(buf, limits, eof);
    if (r.kind === 'complete') return r.response;
    if (r.kind === 'interim') {
      if (++interim > MAX_INTERIM) throw MalformedReply.of('http', `more than ${MAX_INTERIM} interim (1xx) responses`);
      buf = buf.subarray(r.consumed);
      continue;
    }
    if (eof) throw MalformedReply.of('http', 'connection closed before the response was complete', buf.subarray(0, 64));
    const left = deadline - Date.now();
    if (left <= 0) throw new IoError('timeout', 'HTTP response not complete within the time limit', buf);
    try {
      const chunk = await stream.read(left);
      buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
      if (buf.length > hardCap) buf = buf.subarray(0, hardCap);
    } catch (e) {
      if (e instanceof IoError && (e.kind === 'closed' || (e.kind === 'reset' && buf.length > 0))) {
        eof = true;
        continue;
      }
      if (e instanceof IoError && e.kind === 'timeout') throw new IoError('timeout', e.message, buf);
      throw e;
    }
  }
}

/** Send one request and read its response on an already connected stream. */
export async function httpExchange(stream: Stream, req: HttpRequest, timeoutMs: number, maxBody?: number): Promise<HttpResponse> {
  const deadline = Date.now() + timeoutMs;
  await stream.write(encodeRequest(req));
  return readResponse(stream, { requestMethod: req.method, ...(maxBody !== undefined ? { maxBody } : {}) }, Math.max(1, deadline - Date.now()));
}

/** One-line summary of a request for evidence (`GET / (Host: x)`). */
export function describeRequest(req: HttpRequest): string {
  const host = req.host === undefined || req.host === null ? 'no Host header' : `Host: ${req.host}`;
  return `${req.method} ${req.path} (${host})`;
}

/** One-line summary of a response for evidence: status line and the headers named. */
export function describeResponse(res: HttpResponse, headers: readonly string[] = []): string {
  const parts = [`HTTP/${res.version} ${res.status}${res.reason ? ` ${res.reason}` : ''}`];
  for (const h of headers) {
    const v = headerValue(res, h);
    if (v !== undefined) parts.push(`${h}: ${v.length > 120 ? `${v.slice(0, 120)}…` : v}`);
  }
  return parts.join('; ');
}
