// SSH identification string (RFC 4253 §4.2): `SSH-protoversion-softwareversion SP comments CRLF`,
// at most 255 bytes; a server may send other lines before it.
import { MalformedReply } from './malformed.js';

export interface SshIdentification {
  protoVersion: string;
  softwareVersion: string;
  comments: string;
  product?: string;
  version?: string;
  /** The identification line as received. */
  line: string;
}

const MAX_PRELUDE_LINES = 20;

/** Parse the first SSH- line in `buf`; null when none has arrived yet, MalformedReply when absurd. */
export function parseSshIdentification(buf: Buffer): SshIdentification | null {
  let pos = 0;
  for (let n = 0; n <= MAX_PRELUDE_LINES; n++) {
    const nl = buf.indexOf(0x0a, pos);
    const end = nl < 0 ? buf.length : nl;
    const line = buf.subarray(pos, end).toString('latin1').replace(/\r$/, '');
    if (line.startsWith('SSH-')) {
      if (nl < 0) return null;
      if (line.length > 253) throw MalformedReply.of('ssh', 'identification string longer than 255 bytes', Buffer.from(line.slice(0, 64), 'latin1'));
      const m = /^SSH-([\x21-\x2c\x2e-\x7e]+)-([\x21-\x7e]+)(?: (.*))?$/.exec(line);
      if (!m) throw MalformedReply.of('ssh', 'malformed identification string', Buffer.from(line.slice(0, 64), 'latin1'));
      const softwareVersion = m[2] as string;
      return { protoVersion: m[1] as string, softwareVersion, comments: m[3] ?? '', line, ...softwareProduct(softwareVersion) };
    }
    if (nl < 0) return null;
    pos = nl + 1;
  }
  throw MalformedReply.of('ssh', `no identification string within ${MAX_PRELUDE_LINES} lines`);
}

/** `OpenSSH_9.2p1` → OpenSSH 9.2p1; `OpenSSH_for_Windows_8.1` → OpenSSH for Windows 8.1. */
export function softwareProduct(sw: string): { product?: string; version?: string } {
  const m = /^(.*?[A-Za-z].*?)[_-]v?(\d[\w.+~]*)$/.exec(sw);
  if (!m) return { product: sw };
  return { product: (m[1] as string).replace(/_/g, ' '), version: m[2] as string };
}
