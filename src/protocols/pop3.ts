// POP3 (RFC 1939): single-line status replies `+OK` / `-ERR`, multi-line answers ended by a line
// holding one dot (byte-stuffed); CAPA (RFC 2449) and STLS (RFC 2595).
import type { Stream } from '../io/transport.js';
import { MalformedReply } from './malformed.js';

export interface Pop3Status {
  ok: boolean;
  text: string;
}

const MAX_LINE = 4096;
const MAX_MULTILINE_BYTES = 64 * 1024;

export function parsePop3Status(line: string): Pop3Status {
  if (line.startsWith('+OK')) return { ok: true, text: line.slice(3).trim() };
  if (line.startsWith('-ERR')) return { ok: false, text: line.slice(4).trim() };
  throw MalformedReply.of('pop3', 'status line is neither +OK nor -ERR', Buffer.from(line.slice(0, 64), 'latin1'));
}

/** Whether the first bytes could start a POP3 status line (for failing fast on other protocols). */
export function looksLikePop3(buf: Buffer): boolean {
  const s = buf.subarray(0, 4).toString('latin1');
  return '+OK '.startsWith(s.slice(0, 3)) || '-ERR'.startsWith(s);
}

export async function readPop3Status(stream: Stream, timeoutMs: number): Promise<Pop3Status> {
  const line = await stream.readLine(timeoutMs, MAX_LINE);
  return parsePop3Status(line);
}

/** Length of a complete dot-terminated block at the start of `buf`, 0 when incomplete. */
export function multilineLength(buf: Buffer): number {
  if (buf.length >= 3 && buf.subarray(0, 3).toString('latin1') === '.\r\n') return 3;
  const end = buf.indexOf('\r\n.\r\n');
  if (end >= 0) return end + 5;
  if (buf.length > MAX_MULTILINE_BYTES) throw MalformedReply.of('pop3', `multi-line answer longer than ${MAX_MULTILINE_BYTES} bytes`);
  return 0;
}

/** Lines of a dot-terminated block with byte-stuffing removed (RFC 1939 §3). */
export function parseMultiline(block: Buffer): string[] {
  const lines = block.toString('latin1').split('\r\n');
  const out: string[] = [];
  for (const l of lines) {
    if (l === '.') break;
    out.push(l.startsWith('..') ? l.slice(1) : l);
  }
  return out;
}

export async function pop3Capabilities(stream: Stream, timeoutMs: number): Promise<{ status: Pop3Status; capabilities: string[] }> {
  const deadline = Date.now() + timeoutMs;
  await stream.write('CAPA\r\n');
  const status = await readPop3Status(stream, timeoutMs);
  if (!status.ok) return { status, capabilities: [] };
  const block = await stream.readMessage(multilineLength, Math.max(1, deadline - Date.now()), MAX_MULTILINE_BYTES);
  return { status, capabilities: parseMultiline(block).map((l) => l.trim()).filter(Boolean) };
}
