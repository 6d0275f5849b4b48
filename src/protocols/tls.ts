// TLS wire codec (RFC 5246 §6.2 records, §7.4 handshake; RFC 8446 §4.1 for 1.3; RFC 6101 for
// SSL 3.0): a hand-built ClientHello for one chosen protocol version and suite list, and parsers for
// what comes back — ServerHello (with supported_versions and HelloRetryRequest), alerts,
// Certificate and the start of ServerKeyExchange (ephemeral DH size / EC curve).
// Node's TLS cannot offer SSL 3.0, TLS 1.0/1.1 or weak suites, which is why this exists.
import { randomBytes } from 'node:crypto';
import type { Stream } from '../io/transport.js';
import { IoError } from '../io/transport.js';
import type { Parsed } from './reader.js';
import { Reader, parseWith, wireFail } from './reader.js';
import { CIPHER_SUITES, TLS_EMPTY_RENEGOTIATION_INFO_SCSV, suiteName } from './tls-suites.js';

export const SSL3 = 0x0300;
export const TLS10 = 0x0301;
export const TLS11 = 0x0302;
export const TLS12 = 0x0303;
export const TLS13 = 0x0304;
export type TlsVersion = typeof SSL3 | typeof TLS10 | typeof TLS11 | typeof TLS12 | typeof TLS13;
export const ALL_VERSIONS: readonly TlsVersion[] = [SSL3, TLS10, TLS11, TLS12, TLS13];

export function versionName(v: number): string {
  switch (v) {
    case SSL3:
      return 'SSL 3.0';
    case TLS10:
      return 'TLS 1.0';
    case TLS11:
      return 'TLS 1.1';
    case TLS12:
      return 'TLS 1.2';
    case TLS13:
      return 'TLS 1.3';
    default:
      return `version 0x${v.toString(16).padStart(4, '0')}`;
  }
}

const CT_CHANGE_CIPHER_SPEC = 20;
const CT_ALERT = 21;
const CT_HANDSHAKE = 22;
const CT_APPLICATION_DATA = 23;

const HS_SERVER_HELLO = 2;
const HS_CERTIFICATE = 11;
const HS_SERVER_KEY_EXCHANGE = 12;
const HS_SERVER_HELLO_DONE = 14;

/** RFC 5246 §6.2.1: a record fragment is at most 2^14 bytes, 2^14+2048 when compressed/encrypted. */
const MAX_RECORD_FRAGMENT = (1 << 14) + 2048;
/** A certificate chain larger than this is absurd for our purpose; stop reading there. */
const MAX_HANDSHAKE_BYTES = 256 * 1024;

/** RFC 8446 §4.1.3: the ServerHello.random that marks a HelloRetryRequest. */
const HRR_RANDOM = Buffer.from('cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c', 'hex');

const ALERTS: Record<number, string> = {
  0: 'close_notify',
  10: 'unexpected_message',
  20: 'bad_record_mac',
  21: 'decryption_failed',
  22: 'record_overflow',
  30: 'decompression_failure',
  40: 'handshake_failure',
  41: 'no_certificate',
  42: 'bad_certificate',
  43: 'unsupported_certificate',
  44: 'certificate_revoked',
  45: 'certificate_expired',
  46: 'certificate_unknown',
  47: 'illegal_parameter',
  48: 'unknown_ca',
  49: 'access_denied',
  50: 'decode_error',
  51: 'decrypt_error',
  60: 'export_restriction',
  70: 'protocol_version',
  71: 'insufficient_security',
  80: 'internal_error',
  86: 'inappropriate_fallback',
  90: 'user_canceled',
  100: 'no_renegotiation',
  109: 'missing_extension',
  110: 'unsupported_extension',
  112: 'unrecognized_name',
  116: 'certificate_required',
  120: 'no_application_protocol',
};

export function alertName(code: number): string {
  return ALERTS[code] ?? `alert ${code}`;
}

// ---------------------------------------------------------------------------------------------
// ClientHello

export interface ClientHelloOptions {
  version: TlsVersion;
  suites: readonly number[];
  /** DNS name for server_name (RFC 6066 §3); IP addresses are never sent there. */
  serverName?: string;
}

// RFC 8422 / RFC 7919 / RFC 8446 named groups: x25519, secp256r1, secp384r1, secp521r1, ffdhe2048, ffdhe3072.
const GROUPS = [0x001d, 0x0017, 0x0018, 0x0019, 0x0100, 0x0101];
// RFC 8446 §4.2.3 SignatureScheme values, RSA-PSS/ECDSA/RSA PKCS#1, with SHA-1 last for old servers.
const SIG_ALGS = [0x0804, 0x0805, 0x0806, 0x0403, 0x0503, 0x0603, 0x0401, 0x0501, 0x0601, 0x0203, 0x0201, 0x0402, 0x0202];

function u16(n: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(n);
  return b;
}

function vec16(body: Buffer): Buffer {
  return Buffer.concat([u16(body.length), body]);
}

function ext(type: number, body: Buffer): Buffer {
  return Buffer.concat([u16(type), vec16(body)]);
}

function list16(values: readonly number[]): Buffer {
  return Buffer.concat(values.map(u16));
}

function isDnsName(name: string): boolean {
  return /^(?=.{1,253}$)([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9])?\.)*[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9])?\.?$/i.test(name) && !/^[0-9.]+$/.test(name);
}

/** Build one TLS record carrying a ClientHello that offers exactly `opts.version` and `opts.suites`. */
export function encodeClientHello(opts: ClientHelloOptions): Buffer {
  if (opts.suites.length === 0) throw new RangeError('a ClientHello needs at least one cipher suite');
  if (opts.suites.length > 0x7fff) throw new RangeError('too many cipher suites for one ClientHello');
  const v = opts.version;
  const exts: Buffer[] = [];
  if (v >= TLS10) {
    if (opts.serverName && isDnsName(opts.serverName)) {
      const host = Buffer.from(opts.serverName.replace(/\.$/, ''), 'ascii');
      exts.push(ext(0x0000, vec16(Buffer.concat([Buffer.from([0]), vec16(host)]))));
    }
    exts.push(ext(0x000a, vec16(list16(v === TLS13 ? GROUPS.slice(0, 3) : GROUPS))));
    exts.push(ext(0x000b, Buffer.from([1, 0]))); // ec_point_formats: uncompressed
    if (v >= TLS12) exts.push(ext(0x000d, vec16(list16(SIG_ALGS))));
    if (v === TLS13) {
      exts.push(ext(0x002b, Buffer.from([2, 0x03, 0x04]))); // supported_versions: TLS 1.3 only
      // key_share for x25519: any 32 bytes are a valid public value (RFC 7748 §5); we never finish the handshake.
      const share = Buffer.concat([u16(0x001d), vec16(randomBytes(32))]);
      exts.push(ext(0x0033, vec16(share)));
      exts.push(ext(0x002d, Buffer.from([1, 1]))); // psk_key_exchange_modes: psk_dhe_ke
    } else {
      exts.push(ext(0xff01, Buffer.from([0]))); // renegotiation_info, empty (RFC 5746)
    }
  }
  const suites = v === SSL3 ? [...opts.suites, TLS_EMPTY_RENEGOTIATION_INFO_SCSV] : [...opts.suites];
  // TLS 1.3 keeps legacy_version at 1.2 and a 32-byte session id for middlebox compatibility (RFC 8446 §4.1.2, D.4).
  const legacyVersion = v === TLS13 ? TLS12 : v;
  const sessionId = v === TLS13 ? randomBytes(32) : Buffer.alloc(0);
  const body = Buffer.concat([
    u16(legacyVersion),
    randomBytes(32),
    Buffer.from([sessionId.length]),
    sessionId,
    vec16(list16(suites)),
    Buffer.from([1, 0]), // compression: null only
    ...(exts.length ? [vec16(Buffer.concat(exts))] : []),
  ]);
  const hs = Buffer.concat([Buffer.from([1, (body.length >> 16) & 0xff, (body.length >> 8) & 0xff, body.length & 0xff]), body]);
  // The record version of the first flight: the probed version, except 1.3 which uses 1.0 (RFC 8446 §5.1).
  const recordVersion = v === TLS13 ? TLS10 : v;
  return Buffer.concat([Buffer.from([CT_HANDSHAKE]), u16(recordVersion), u16(hs.length), hs]);
}

// ---------------------------------------------------------------------------------------------
// Records and messages

export interface TlsRecord {
  type: number;
  version: number;
  fragment: Buffer;
}

/**
 * Completeness test for `Stream.readMessage`: the length of the first record, or the whole buffer
 * when the bytes cannot be a TLS record (so the parser rejects them instead of waiting forever).
 */
export function tlsRecordLength(buf: Buffer): number {
  const type = buf[0];
  if (type === undefined) return 0;
  if (type < CT_CHANGE_CIPHER_SPEC || type > CT_APPLICATION_DATA) return buf.length;
  if (buf.length >= 2 && buf[1] !== 3) return buf.length;
  if (buf.length < 5) return 0;
  const len = buf.readUInt16BE(3);
  if (len > MAX_RECORD_FRAGMENT) return buf.length; // parser reports the absurd length
  return 5 + len;
}

export function parseRecord(buf: Buffer): Parsed<TlsRecord> {
  return parseWith(() => {
    const r = new Reader(buf, 0, buf.length, 'TLS record');
    const type = r.u8('content type');
    const version = r.u16be('record version');
    if (type < CT_CHANGE_CIPHER_SPEC || type > CT_APPLICATION_DATA || version >> 8 !== 3) {
      wireFail(`not a TLS record (content type ${type}, version 0x${version.toString(16)})`);
    }
    const len = r.u16be('record length');
    if (len > MAX_RECORD_FRAGMENT) wireFail(`TLS record announces ${len} bytes, over the ${MAX_RECORD_FRAGMENT}-byte limit of RFC 5246 §6.2`);
    return { type, version, fragment: r.bytes(len, 'record fragment') };
  });
}

export interface TlsAlert {
  level: number;
  description: number;
  name: string;
}

export function parseAlert(fragment: Buffer): Parsed<TlsAlert> {
  return parseWith(() => {
    const r = new Reader(fragment, 0, fragment.length, 'TLS alert');
    const level = r.u8('alert level');
    const description = r.u8('alert description');
    return { level, description, name: alertName(description) };
  });
}

export interface ServerHello {
  /** The version the server chose (supported_versions for 1.3, else server_version). */
  version: number;
  legacyVersion: number;
  cipherSuite: number;
  cipherName: string;
  compression: number;
  sessionId: Buffer;
  helloRetryRequest: boolean;
  extensions: number[];
}

export function parseServerHello(body: Buffer): Parsed<ServerHello> {
  return parseWith(() => {
    const r = new Reader(body, 0, body.length, 'ServerHello');
    const legacyVersion = r.u16be('server_version');
    const random = r.bytes(32, 'random');
    const sidLen = r.u8('session id length');
    if (sidLen > 32) wireFail(`ServerHello session id of ${sidLen} bytes (at most 32)`);
    const sessionId = Buffer.from(r.bytes(sidLen, 'session id'));
    const cipherSuite = r.u16be('cipher suite');
    const compression = r.u8('compression method');
    let version = legacyVersion;
    const extensions: number[] = [];
    if (r.remaining > 0) {
      const extLen = r.u16be('extensions length');
      const er = r.sub(extLen, 'ServerHello extensions');
      while (er.remaining > 0) {
        const type = er.u16be('extension type');
        const data = er.bytes(er.u16be('extension length'), 'extension data');
        extensions.push(type);
        if (type === 0x002b) {
          if (data.length !== 2) wireFail('supported_versions in a ServerHello must hold one version');
          version = data.readUInt16BE(0);
        }
      }
    }
    if (legacyVersion >> 8 !== 3) wireFail(`ServerHello version 0x${legacyVersion.toString(16)} is not SSL 3.0 or TLS`);
    return {
      version,
      legacyVersion,
      cipherSuite,
      cipherName: suiteName(cipherSuite),
      compression,
      sessionId,
      helloRetryRequest: random.equals(HRR_RANDOM),
      extensions,
    };
  });
}

/** Split certificate_list (RFC 5246 §7.4.2) into DER certificates, leaf first. */
export function parseCertificateMessage(body: Buffer): Parsed<Buffer[]> {
  return parseWith(() => {
    const r = new Reader(body, 0, body.length, 'Certificate message');
    const total = r.u24be('certificate_list length');
    const lr = r.sub(total, 'certificate_list');
    const out: Buffer[] = [];
    while (lr.remaining > 0) {
      const len = lr.u24be('certificate length');
      if (len === 0) wireFail('empty certificate in the chain');
      out.push(Buffer.from(lr.bytes(len, 'certificate')));
      if (out.length > 32) wireFail('more than 32 certificates in one chain');
    }
    return out;
  });
}

export interface KeyExchangeParams {
  kind: 'DH' | 'ECDH';
  /** DH prime size in bits, or EC curve size in bits when the curve is known. */
  bits: number | null;
  /** Named curve (RFC 8422 §5.1.1 / RFC 7919 ids) for ECDH. */
  curve?: string;
}

const CURVES: Record<number, { name: string; bits: number }> = {
  0x0013: { name: 'secp192r1', bits: 192 },
  0x0015: { name: 'secp224r1', bits: 224 },
  0x0017: { name: 'secp256r1', bits: 256 },
  0x0018: { name: 'secp384r1', bits: 384 },
  0x0019: { name: 'secp521r1', bits: 521 },
  0x001a: { name: 'brainpoolP256r1', bits: 256 },
  0x001b: { name: 'brainpoolP384r1', bits: 384 },
  0x001c: { name: 'brainpoolP512r1', bits: 512 },
  0x001d: { name: 'x25519', bits: 253 },
  0x001e: { name: 'x448', bits: 448 },
};

/** Read the leading parameters of a ServerKeyExchange for a DHE or ECDHE suite. */
export function parseServerKeyExchange(body: Buffer, suite: number): Parsed<KeyExchangeParams | null> {
  return parseWith(() => {
    const kex = CIPHER_SUITES.get(suite)?.kex;
    const r = new Reader(body, 0, body.length, 'ServerKeyExchange');
    if (kex === 'DHE') {
      const p = r.bytes(r.u16be('dh_p length'), 'dh_p');
      let i = 0;
      while (i < p.length && p[i] === 0) i++;
      if (i === p.length) wireFail('DH prime is zero');
      const bits = (p.length - i) * 8 - Math.clz32(p[i] as number) + 24;
      return { kind: 'DH', bits };
    }
    if (kex === 'ECDHE') {
      const curveType = r.u8('curve type');
      if (curveType !== 3) return { kind: 'ECDH', bits: null, curve: `explicit curve type ${curveType}` };
      const id = r.u16be('named curve');
      const c = CURVES[id];
      return c ? { kind: 'ECDH', bits: c.bits, curve: c.name } : { kind: 'ECDH', bits: null, curve: `group 0x${id.toString(16)}` };
    }
    return null;
  });
}

// ---------------------------------------------------------------------------------------------
// One exchange: send a ClientHello, read until the server has said enough.

export type HelloOutcome =
  | {
      kind: 'server-hello';
      hello: ServerHello;
      /** DER chain, leaf first, when a cleartext Certificate message came (TLS ≤ 1.2). */
      certificates: Buffer[];
      keyExchange: KeyExchangeParams | null;
      /** Something after the ServerHello could not be read; the ServerHello itself stands. */
      note?: string;
    }
  | { kind: 'alert'; alert: TlsAlert }
  /** The peer closed or reset without a word: many servers answer an unacceptable hello this way. */
  | { kind: 'closed'; detail: string }
  /** Bytes that are not TLS, a broken record, or a timeout: the exchange cannot be judged. */
  | { kind: 'broken'; detail: string };

export interface HelloExchangeOptions {
  timeoutMs: number;
  /** Keep reading after the ServerHello for Certificate and ServerKeyExchange (TLS ≤ 1.2). */
  collect?: boolean;
}

/** Send `hello` on `stream` and classify the answer. Never throws for peer behaviour. */
export async function helloExchange(stream: Stream, hello: Buffer, opts: HelloExchangeOptions): Promise<HelloOutcome> {
  const deadline = Date.now() + opts.timeoutMs;
  try {
    await stream.write(hello);
  } catch (e) {
    return { kind: 'closed', detail: `could not send the ClientHello: ${(e as Error).message}` };
  }
  let hs = Buffer.alloc(0);
  let serverHello: ServerHello | null = null;
  const certificates: Buffer[] = [];
  let keyExchange: KeyExchangeParams | null = null;
  let total = 0;
  const withHello = (note?: string): HelloOutcome => ({
    kind: 'server-hello',
    hello: serverHello as ServerHello,
    certificates,
    keyExchange,
    ...(note ? { note } : {}),
  });

  for (;;) {
    const left = deadline - Date.now();
    if (left <= 0) return serverHello ? withHello('stopped reading: time limit') : { kind: 'broken', detail: 'no complete TLS answer within the time limit' };
    let raw: Buffer;
    try {
      raw = await stream.readMessage(tlsRecordLength, left, 5 + MAX_RECORD_FRAGMENT);
    } catch (e) {
      if (serverHello) return withHello(`stopped reading after the ServerHello: ${(e as Error).message}`);
      if (e instanceof IoError && (e.kind === 'closed' || e.kind === 'reset')) {
        const partial = e.partial && e.partial.length ? ` after ${e.partial.length} byte(s) of a record` : '';
        return { kind: e.partial && e.partial.length ? 'broken' : 'closed', detail: `${e.message}${partial}` };
      }
      return { kind: 'broken', detail: e instanceof Error ? e.message : String(e) };
    }
    total += raw.length;
    const rec = parseRecord(raw);
    if (!rec.ok) return serverHello ? withHello(rec.error) : { kind: 'broken', detail: rec.error };
    const { type, fragment } = rec.value;
    if (type === CT_ALERT) {
      if (serverHello) return withHello(`alert after the ServerHello`);
      const a = parseAlert(fragment);
      return a.ok ? { kind: 'alert', alert: a.value } : { kind: 'broken', detail: a.error };
    }
    if (type !== CT_HANDSHAKE) {
      if (serverHello) return withHello();
      return { kind: 'broken', detail: `expected a handshake record, got content type ${type}` };
    }
    if (hs.length + fragment.length > MAX_HANDSHAKE_BYTES || total > MAX_HANDSHAKE_BYTES * 2) {
      return serverHello ? withHello('handshake larger than the read limit') : { kind: 'broken', detail: `handshake exceeds ${MAX_HANDSHAKE_BYTES} bytes` };
    }
    hs = Buffer.concat([hs, fragment]);
    // Take every complete handshake message now buffered.
    while (hs.length >= 4) {
      const msgType = hs[0] as number;
      const len = hs.readUIntBE(1, 3);
      if (len > MAX_HANDSHAKE_BYTES) {
        return serverHello ? withHello(`handshake message of ${len} bytes`) : { kind: 'broken', detail: `handshake message announces ${len} bytes` };
      }
      if (hs.length < 4 + len) break;
      const body = hs.subarray(4, 4 + len);
      hs = hs.subarray(4 + len);
      if (!serverHello) {
        if (msgType !== HS_SERVER_HELLO) return { kind: 'broken', detail: `expected a ServerHello, got handshake type ${msgType}` };
        const sh = parseServerHello(body);
        if (!sh.ok) return { kind: 'broken', detail: sh.error };
        serverHello = sh.value;
        if (!opts.collect || serverHello.version === TLS13 || serverHello.helloRetryRequest) return withHello();
        continue;
      }
      if (msgType === HS_CERTIFICATE) {
        const c = parseCertificateMessage(body);
        if (!c.ok) return withHello(c.error);
        certificates.push(...c.value);
      } else if (msgType === HS_SERVER_KEY_EXCHANGE) {
        const k = parseServerKeyExchange(body, serverHello.cipherSuite);
        if (k.ok) keyExchange = k.value;
        else return withHello(k.error);
      } else if (msgType === HS_SERVER_HELLO_DONE) {
        return withHello();
      }
    }
  }
}
