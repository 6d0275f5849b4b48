// IMAP4rev1/rev2 (RFC 9051 §7.1): the greeting is an untagged OK, PREAUTH or BYE, often with a
// [CAPABILITY …] response code; tagged commands end with `<tag> OK|NO|BAD`.
import type { Stream } from '../io/transport.js';
import { MalformedReply } from './malformed.js';

export interface ImapGreeting {
  status: 'OK' | 'PREAUTH' | 'BYE';
  /** Capabilities carried in a [CAPABILITY …] response code, upper-cased. */
  capabilities: string[];
  text: string;
}

const MAX_LINE = 8192;

export function parseImapGreeting(line: string): ImapGreeting {
  const m = /^\* (OK|PREAUTH|BYE)\b ?(.*)$/i.exec(line);
  if (!m) throw MalformedReply.of('imap', 'greeting is not "* OK", "* PREAUTH" or "* BYE"', Buffer.from(line.slice(0, 64), 'latin1'));
  const rest = m[2] ?? '';
  const code = /^\[CAPABILITY ([^\]]*)\]\s*(.*)$/i.exec(rest);
  return {
    status: (m[1] as string).toUpperCase() as ImapGreeting['status'],
    capabilities: code ? (code[1] as string).split(/\s+/).filter(Boolean).map((c) => c.toUpperCase()) : [],
    text: code ? (code[2] ?? '') : rest,
  };
}

export async function readImapGreeting(stream: Stream, timeoutMs: number): Promise<ImapGreeting> {
  return parseImapGreeting(await stream.readLine(timeoutMs, MAX_LINE));
}

export interface ImapTagged {
  status: 'OK' | 'NO' | 'BAD';
  untagged: string[];
  text: string;
}

/** Send `<tag> <command>` and collect untagged lines until the tagged completion (bounded). */
export async function imapCommand(stream: Stream, tag: string, command: string, timeoutMs: number): Promise<ImapTagged> {
  if (/[\r\n]/.test(command) || !/^[A-Za-z0-9]+$/.test(tag)) throw new RangeError('bad IMAP tag or command');
  const deadline = Date.now() + timeoutMs;
  await stream.write(`${tag} ${command}\r\n`);
  const untagged: string[] = [];
  for (let i = 0; i < 500; i++) {
    const line = await stream.readLine(Math.max(1, deadline - Date.now()), MAX_LINE);
    if (line.startsWith(`${tag} `)) {
      const m = /^\S+ (OK|NO|BAD)\b ?(.*)$/i.exec(line);
      if (!m) throw MalformedReply.of('imap', 'tagged completion without OK/NO/BAD', Buffer.from(line.slice(0, 64), 'latin1'));
      return { status: (m[1] as string).toUpperCase() as ImapTagged['status'], untagged, text: m[2] ?? '' };
    }
    untagged.push(line);
  }
  throw MalformedReply.of('imap', 'no tagged completion within 500 lines');
}
