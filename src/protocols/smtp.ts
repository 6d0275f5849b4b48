// SMTP client side (RFC 5321): replies use the numeric grammar of ftp.ts with every line coded;
// EHLO capabilities (§4.1.1.1: first line is the server's domain, then one keyword per line);
// STARTTLS (RFC 3207: 220 then the TLS handshake on the same socket).
import type { Stream, TlsInfo } from '../io/transport.js';
import type { NumericReply, ReplyGrammar } from './ftp.js';
import { commandLine, readNumericReply } from './ftp.js';
import { MalformedReply } from './malformed.js';

export const SMTP: ReplyGrammar = { protocol: 'smtp', everyLineCoded: true };

export function readSmtpReply(stream: Stream, timeoutMs: number): Promise<NumericReply> {
  return readNumericReply(stream, SMTP, timeoutMs);
}

export async function smtpCommand(stream: Stream, line: string, timeoutMs: number): Promise<NumericReply> {
  await stream.write(commandLine(line));
  return readSmtpReply(stream, timeoutMs);
}

export interface EhloResult {
  reply: NumericReply;
  /** The domain the server named in the first line. */
  domain: string;
  /** Keywords upper-cased, with their parameters (`SIZE 10240000` → SIZE: ['10240000']). */
  capabilities: Map<string, string[]>;
}

export function parseEhlo(reply: NumericReply): EhloResult {
  const capabilities = new Map<string, string[]>();
  for (const line of reply.lines.slice(1)) {
    const [kw, ...params] = line.trim().split(/\s+/);
    if (kw) capabilities.set(kw.toUpperCase(), params);
  }
  return { reply, domain: (reply.lines[0] ?? '').trim().split(/\s+/)[0] ?? '', capabilities };
}

/** EHLO, falling back to HELO for servers that reject EHLO (RFC 5321 §4.1.4). */
export async function ehlo(stream: Stream, clientName: string, timeoutMs: number): Promise<EhloResult> {
  const deadline = Date.now() + timeoutMs;
  const r = await smtpCommand(stream, `EHLO ${clientName}`, timeoutMs);
  if (r.code === 250) return parseEhlo(r);
  if (r.code === 500 || r.code === 502) {
    const h = await smtpCommand(stream, `HELO ${clientName}`, Math.max(1, deadline - Date.now()));
    if (h.code === 250) return { reply: h, domain: (h.lines[0] ?? '').split(/\s+/)[0] ?? '', capabilities: new Map() };
    throw MalformedReply.of('smtp', `HELO refused with ${h.code}`);
  }
  throw MalformedReply.of('smtp', `EHLO refused with ${r.code} ${r.lines.join(' ')}`.slice(0, 200));
}

/**
 * Issue STARTTLS and upgrade the stream. Returns null (stream still plaintext and usable) when the
 * server refuses the command; throws IoError when the handshake itself fails.
 */
export async function smtpStartTls(stream: Stream, timeoutMs: number, servername?: string): Promise<{ reply: NumericReply; tls: TlsInfo | null }> {
  const deadline = Date.now() + timeoutMs;
  const reply = await smtpCommand(stream, 'STARTTLS', timeoutMs);
  if (reply.code !== 220) return { reply, tls: null };
  const tls = await stream.startTls({ timeoutMs: Math.max(1, deadline - Date.now()), ...(servername ? { servername } : {}) });
  return { reply, tls };
}

/** Product and version from a 220 greeting when it names them. */
export function smtpProduct(greeting: string): { product?: string; version?: string } {
  const patterns: [RegExp, string][] = [
    [/\bMicrosoft ESMTP MAIL Service(?:, Version: (\d[\d.]*))?/i, 'Microsoft ESMTP'],
    [/\bPostfix\b(?: \(?(\d[\w.]*)\)?)?/i, 'Postfix'],
    [/\bExim (\d[\w.]*)/i, 'Exim'],
    [/\bSendmail (\d[\w./]*)/i, 'Sendmail'],
    [/\bMicrosoft Exchange\b/i, 'Microsoft Exchange'],
    [/\bOpenSMTPD\b/i, 'OpenSMTPD'],
    [/\bhMailServer (\d[\w.]*)/i, 'hMailServer'],
  ];
  for (const [re, product] of patterns) {
    const m = re.exec(greeting);
    if (m) return m[1] ? { product, version: m[1] } : { product };
  }
  return {};
}
