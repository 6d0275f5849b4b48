// The error every service codec (HTTP, FTP, SMTP, POP3, IMAP, Telnet, SSH, RFB, MySQL, PostgreSQL,
// Redis, DNS) raises when the peer's bytes break the protocol: a status line that is not one, a
// length that exceeds our cap, a frame cut short. Probes turn it into an `error` verdict with the
// message; identifiers turn it into "not this protocol". The peer's first bytes ride along as evidence.
import { summarizeBytes } from '../probes/define.js';

export class MalformedReply extends Error {
  override readonly name = 'MalformedReply';
  /** Stable code, like PortcullisError's, for callers that branch on it. */
  readonly code = 'E_PROTOCOL';
  constructor(
    /** Which protocol's rules were broken (e.g. `http`, `smtp`). */
    readonly protocol: string,
    message: string,
    /** The offending bytes, summarised for evidence (never the whole buffer). */
    readonly excerpt?: string,
  ) {
    super(`${protocol}: ${message}${excerpt ? ` (got: ${excerpt})` : ''}`);
  }

  static of(protocol: string, message: string, bytes?: Buffer): MalformedReply {
    return new MalformedReply(protocol, message, bytes && bytes.length > 0 ? summarizeBytes(bytes, 48) : undefined);
  }
}
