// FTP control connection (RFC 959 §4.2): numeric replies, single- or multi-line. The same reply
// grammar serves SMTP (RFC 5321 §4.2 inherits it with a stricter continuation form), so the
// parser lives here once and smtp.ts reuses it.
import type { Stream } from '../io/transport.js';
import { MalformedReply } from './malformed.js';

export interface NumericReply {
  code: number;
  /** Text of each line without the code and separator. */
  lines: string[];
}

/** Whole reply (all lines) bigger than this is not a control-channel reply. */
const MAX_REPLY_BYTES = 64 * 1024;
const MAX_REPLY_LINES = 1000;

export interface ReplyGrammar {
  protocol: string;
  /**
   * SMTP: every line of a multi-line reply is `code-text` (RFC 5321 §4.2.1).
   * FTP: the lines between the first `code-` and the last `code ` may be free text (RFC 959 §4.2).
   */
  everyLineCoded: boolean;
}

/**
 * Length in bytes of the complete reply at the start of `buf`, or 0 if more is needed.
 * Throws MalformedReply when the bytes cannot be such a reply.
 */
export function numericReplyLength(buf: Buffer, g: ReplyGrammar): number {
  let pos = 0;
  let first: string | null = null;
  let lines = 0;
  for (;;) {
    const nl = buf.indexOf(0x0a, pos);
    const limit = Math.min(buf.length, MAX_REPLY_BYTES);
    if (nl < 0 || nl >= limit) {
      // Judge the partial first line early so a non-FTP/SMTP peer fails fast.
      if (first === null) checkFirst(buf.subarray(0, Math.min(buf.length, 4)), g, false);
      if (buf.length >= MAX_REPLY_BYTES) throw MalformedReply.of(g.protocol, `no end of reply within ${MAX_REPLY_BYTES} bytes`, buf.subarray(0, 48));
      return 0;
    }
    const line = buf.subarray(pos, nl).toString('latin1').replace(/\r$/, '');
    pos = nl + 1;
    if (++lines > MAX_REPLY_LINES) throw MalformedReply.of(g.protocol, `reply longer than ${MAX_REPLY_LINES} lines`);
    if (first === null) {
      checkFirst(Buffer.from(line, 'latin1'), g, true);
      first = line.slice(0, 3);
      if (line[3] !== '-') return pos;
      continue;
    }
    if (line.startsWith(first) && (line.length === 3 || line[3] === ' ')) return pos;
    if (g.everyLineCoded && !(line.startsWith(first) && line[3] === '-')) {
      throw MalformedReply.of(g.protocol, `continuation line does not carry the reply code ${first}`, Buffer.from(line, 'latin1'));
    }
  }
}

function checkFirst(bytes: Buffer, g: ReplyGrammar, wholeLine: boolean): void {
  const s = bytes.toString('latin1');
  let ok = true;
  for (let i = 0; i < Math.min(s.length, 4); i++) {
    const c = s[i] as string;
    if (i === 0) ok &&= c >= '1' && c <= '5';
    else if (i < 3) ok &&= c >= '0' && c <= '9';
    else ok &&= c === ' ' || c === '-';
  }
  if (wholeLine && s.length < 3) ok = false;
  if (!ok) throw MalformedReply.of(g.protocol, 'reply does not start with a 3-digit code', bytes);
}

/** Parse a complete reply (as delimited by numericReplyLength). */
export function parseNumericReply(buf: Buffer, g: ReplyGrammar): NumericReply {
  const text = buf.toString('latin1').replace(/\r?\n$/, '');
  const raw = text.split(/\r?\n/);
  const code = Number(raw[0]?.slice(0, 3));
  if (!Number.isInteger(code) || code < 100 || code > 599) throw MalformedReply.of(g.protocol, 'reply code out of range', buf.subarray(0, 16));
  const lines = raw.map((l, i) => {
    const coded = l.startsWith(String(code)) && (l.length === 3 || l[3] === ' ' || l[3] === '-');
    return coded || i === 0 ? l.slice(4) : l;
  });
  return { code, lines };
}

export async function readNumericReply(stream: Stream, g: ReplyGrammar, timeoutMs: number): Promise<NumericReply> {
  const buf = await stream.readMessage((b) => numericReplyLength(b, g), timeoutMs, MAX_REPLY_BYTES);
  return parseNumericReply(buf, g);
}

export const FTP: ReplyGrammar = { protocol: 'ftp', everyLineCoded: false };

export function readFtpReply(stream: Stream, timeoutMs: number): Promise<NumericReply> {
  return readNumericReply(stream, FTP, timeoutMs);
}

/** Send one command line (CR/LF inside refused: no command injection from a learned name). */
export async function ftpCommand(stream: Stream, line: string, timeoutMs: number): Promise<NumericReply> {
  await stream.write(commandLine(line));
  return readFtpReply(stream, timeoutMs);
}

export function commandLine(line: string): string {
  if (/[\r\n]/.test(line)) throw new RangeError('a control-channel command must be one line');
  return `${line}\r\n`;
}

/** FEAT (RFC 2389): the feature lines between the first and last line, upper-cased keyword first. */
export function parseFeatures(reply: NumericReply): string[] {
  if (reply.code !== 211) return [];
  return reply.lines.slice(1, -1).map((l) => l.trim()).filter((l) => l.length > 0);
}

/** Whether FEAT lists `AUTH` with TLS (RFC 4217 §6) — e.g. `AUTH TLS`, `AUTH SSL;TLS`. */
export function featuresOfferTls(features: readonly string[]): boolean {
  return features.some((f) => /^AUTH\b/i.test(f) && /\bTLS\b|\bSSL\b|TLS-C/i.test(f.slice(4)));
}

/** Product and version from a 220 greeting when it names them (vsftpd, ProFTPD, FileZilla, IIS …). */
export function ftpProduct(greeting: string): { product?: string; version?: string } {
  const patterns: [RegExp, string][] = [
    [/\bvsFTPd (\d[\w.]*)/i, 'vsftpd'],
    [/\bProFTPD (\d[\w.]*)/i, 'ProFTPD'],
    [/\bPure-FTPd\b/i, 'Pure-FTPd'],
    [/\bFileZilla Server(?: version)? (\d[\w.\- ]*?\d)\b/i, 'FileZilla Server'],
    [/\bMicrosoft FTP Service\b/i, 'Microsoft ftpd'],
    [/\bServ-U FTP Server v ?(\d[\w.]*)/i, 'Serv-U'],
    [/\bwu-(\d[\w.\-]*)/i, 'wu-ftpd'],
  ];
  for (const [re, product] of patterns) {
    const m = re.exec(greeting);
    if (m) return m[1] ? { product, version: m[1] } : { product };
  }
  return {};
}
