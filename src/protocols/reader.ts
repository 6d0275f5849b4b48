// A bounds-checked cursor over received bytes, shared by the Windows-protocol codecs (RDP, SMB,
// MSRPC, LDAP, TDS, TLS). Peers are untrusted: every length they announce is checked against
// what actually arrived before anything is sliced or allocated, and a short or absurd frame
// becomes a `Parsed` failure with a reason — codecs never throw at their callers.

/** The outcome of parsing untrusted bytes: a value, or a sentence saying what was wrong. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

/** Raised inside a codec when the bytes run out or a field is impossible; caught by `parseWith`. */
export class WireError extends Error {
  override readonly name = 'WireError';
}

export class Reader {
  private pos: number;

  constructor(
    readonly buf: Buffer,
    start = 0,
    private readonly end = buf.length,
    /** What is being read, for the error message ("SMB2 NEGOTIATE response"). */
    readonly what = 'frame',
  ) {
    this.pos = start;
  }

  get offset(): number {
    return this.pos;
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  private need(n: number, field: string): void {
    if (n < 0 || this.pos + n > this.end) {
      throw new WireError(`${this.what} is truncated: ${field} needs ${n} byte(s) at offset ${this.pos}, only ${Math.max(0, this.end - this.pos)} left`);
    }
  }

  u8(field = 'byte'): number {
    this.need(1, field);
    return this.buf[this.pos++] as number;
  }

  u16be(field = 'u16'): number {
    this.need(2, field);
    const v = this.buf.readUInt16BE(this.pos);
    this.pos += 2;
    return v;
  }

  u16le(field = 'u16'): number {
    this.need(2, field);
    const v = this.buf.readUInt16LE(this.pos);
    this.pos += 2;
    return v;
  }

  u24be(field = 'u24'): number {
    this.need(3, field);
    const v = this.buf.readUIntBE(this.pos, 3);
    this.pos += 3;
    return v;
  }

  u32le(field = 'u32'): number {
    this.need(4, field);
    const v = this.buf.readUInt32LE(this.pos);
    this.pos += 4;
    return v;
  }

  u32be(field = 'u32'): number {
    this.need(4, field);
    const v = this.buf.readUInt32BE(this.pos);
    this.pos += 4;
    return v;
  }

  u64le(field = 'u64'): bigint {
    this.need(8, field);
    const v = this.buf.readBigUInt64LE(this.pos);
    this.pos += 8;
    return v;
  }

  /** A view of the next `n` bytes (no copy; `n` was checked against what arrived). */
  bytes(n: number, field = 'bytes'): Buffer {
    this.need(n, field);
    const v = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return v;
  }

  skip(n: number, field = 'padding'): void {
    this.need(n, field);
    this.pos += n;
  }

  /** A reader over the next `n` bytes only; this reader moves past them. */
  sub(n: number, what: string): Reader {
    this.need(n, what);
    const r = new Reader(this.buf, this.pos, this.pos + n, what);
    this.pos += n;
    return r;
  }
}

/** Run a codec over untrusted bytes; a WireError (or RangeError from a Buffer read) becomes a failure. */
export function parseWith<T>(fn: () => T): Parsed<T> {
  try {
    return { ok: true, value: fn() };
  } catch (e) {
    if (e instanceof WireError) return { ok: false, error: e.message };
    if (e instanceof RangeError) return { ok: false, error: `malformed input: ${e.message}` };
    throw e;
  }
}

/** Fail the current parse with a reason. */
export function wireFail(message: string): never {
  throw new WireError(message);
}

/** UTF-16LE with a trailing NUL run removed (SMB names, RDP client name). */
export function utf16z(buf: Buffer): string {
  const s = buf.toString('utf16le');
  const i = s.indexOf('\0');
  return i >= 0 ? s.slice(0, i) : s;
}
