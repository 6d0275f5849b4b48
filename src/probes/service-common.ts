// Small shared pieces of the service probes (DNS, HTTP, FTP, Telnet, SNMP, VNC, databases, SMTP):
// a deadline that every exchange draws from, one-connection helpers that always close, and the
// translation of a failed exchange into an `error` verdict that says why.
import type { Stream } from '../io/transport.js';
import { IoError } from '../io/transport.js';
import { MalformedReply } from '../protocols/malformed.js';
import type { ProbeContext, Verdict } from './define.js';
import { summarizeBytes } from './define.js';

/** The probe's time budget; exchanges take what is left, minus a margin to write the verdicts. */
export class Deadline {
  private readonly end: number;
  /** The margin keeps room to write verdicts before the runner's own timer fires (5 %, 200–1000 ms). */
  constructor(ms: number, marginMs = Math.min(1_000, Math.max(200, ms * 0.05))) {
    this.end = Date.now() + Math.max(1, ms - marginMs);
  }
  /** Milliseconds left, at least 1 (reads then time out at once, with a reason). */
  left(cap = Number.POSITIVE_INFINITY): number {
    return Math.max(1, Math.min(cap, this.end - Date.now()));
  }
  get expired(): boolean {
    return Date.now() >= this.end;
  }
}

/** Open a fresh connection to the probed port (or another), run `fn`, always close. */
export async function withConnection<T>(ctx: ProbeContext, d: Deadline, fn: (s: Stream) => Promise<T>, port = ctx.port, connectCapMs = 5_000): Promise<T> {
  if (ctx.signal.aborted) throw new IoError('other', 'probe aborted');
  // Once the budget is spent, later exchanges fail at once instead of each waiting a little more.
  if (d.expired) throw new IoError('timeout', "the probe's time budget was used up by earlier exchanges");
  const stream = await ctx.io.connect(ctx.address, port, { timeoutMs: d.left(connectCapMs), signal: ctx.signal });
  const onAbort = (): void => stream.close();
  ctx.signal.addEventListener('abort', onAbort, { once: true });
  try {
    return await fn(stream);
  } finally {
    ctx.signal.removeEventListener('abort', onAbort);
    stream.close();
  }
}

/** A sentence for an exchange that failed: the I/O kind or the protocol rule broken, plus bytes seen. */
export function describeFailure(e: unknown): string {
  if (e instanceof IoError) {
    const partial = e.partial && e.partial.length > 0 ? `; received before that: ${summarizeBytes(e.partial, 48)}` : '';
    return `${e.kind}: ${e.message}${partial}`;
  }
  if (e instanceof MalformedReply) return `malformed answer: ${e.message}`;
  if (e instanceof Error) return e.message;
  return String(e);
}

/** Expected failures of an exchange (network, protocol); anything else is a bug and is rethrown. */
export function isExchangeFailure(e: unknown): boolean {
  return e instanceof IoError || e instanceof MalformedReply;
}

export function errorVerdict(check: string, what: string, e: unknown, sent?: string): Verdict {
  if (!isExchangeFailure(e)) throw e;
  return {
    check,
    status: 'error',
    evidence: { summary: `${what}: ${describeFailure(e)}`, ...(sent ? { sent } : {}) },
  };
}

export function verdict(check: string, status: Verdict['status'], summary: string, extra: { sent?: string; received?: string; items?: NonNullable<Verdict['evidence']['items']> } = {}): Verdict {
  return {
    check,
    status,
    evidence: {
      summary,
      ...(extra.sent ? { sent: extra.sent } : {}),
      ...(extra.received ? { received: extra.received } : {}),
      ...(extra.items && extra.items.length ? { items: extra.items } : {}),
    },
  };
}

/** A random lower-case token for paths and markers nobody else uses. */
export function randomToken(bytes = 6): string {
  let s = '';
  for (let i = 0; i < bytes; i++) s += Math.floor(Math.random() * 256).toString(16).padStart(2, '0');
  return s;
}

/** Names for this host in the order a request should use them (first user-given name, else the address). */
export function primaryName(ctx: Pick<ProbeContext, 'hostNames' | 'address'>): string {
  return ctx.hostNames[0] ?? ctx.address;
}
