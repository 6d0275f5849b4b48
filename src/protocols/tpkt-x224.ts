// RDP connection start (MS-RDPBCGR 2.2.1.1–2.2.1.4): TPKT (RFC 1006) framing, X.224 Connection
// Request/Confirm (ITU-T X.224 §13.3/§13.4, class 0) with RDP_NEG_REQ / RDP_NEG_RSP /
// RDP_NEG_FAILURE, and the MCS Connect-Initial (T.125, BER) carrying a GCC Conference Create
// Request (T.124, PER) with the client data blocks CS_CORE, CS_SECURITY and CS_NET; and the
// parse of the MCS Connect-Response's server data blocks SC_CORE and SC_SECURITY.
import type { Parsed } from './reader.js';
import { Reader, parseWith, wireFail } from './reader.js';

export const PROTOCOL_RDP = 0x0;
export const PROTOCOL_SSL = 0x1;
export const PROTOCOL_HYBRID = 0x2;
export const PROTOCOL_RDSTLS = 0x4;
export const PROTOCOL_HYBRID_EX = 0x8;
export const PROTOCOL_RDSAAD = 0x10;

export function protocolNames(p: number): string {
  if (p === 0) return 'PROTOCOL_RDP';
  const names: string[] = [];
  const bits: Array<[number, string]> = [
    [PROTOCOL_SSL, 'PROTOCOL_SSL'],
    [PROTOCOL_HYBRID, 'PROTOCOL_HYBRID'],
    [PROTOCOL_RDSTLS, 'PROTOCOL_RDSTLS'],
    [PROTOCOL_HYBRID_EX, 'PROTOCOL_HYBRID_EX'],
    [PROTOCOL_RDSAAD, 'PROTOCOL_RDSAAD'],
  ];
  for (const [bit, name] of bits) if (p & bit) names.push(name);
  const unknown = p & ~0x1f;
  if (unknown) names.push(`0x${unknown.toString(16)}`);
  return names.join('|');
}

/** RDP_NEG_FAILURE failureCode values (MS-RDPBCGR 2.2.1.2.2). */
export const NEG_FAILURES: Record<number, string> = {
  1: 'SSL_REQUIRED_BY_SERVER',
  2: 'SSL_NOT_ALLOWED_BY_SERVER',
  3: 'SSL_CERT_NOT_ON_SERVER',
  4: 'INCONSISTENT_FLAGS',
  5: 'HYBRID_REQUIRED_BY_SERVER',
  6: 'SSL_WITH_USER_AUTH_REQUIRED_BY_SERVER',
};

export function failureName(code: number): string {
  return NEG_FAILURES[code] ?? `failure code ${code}`;
}

/** Completeness test for `Stream.readMessage`: a TPKT's length, or everything when it is not TPKT. */
export function tpktLength(buf: Buffer): number {
  if (buf.length === 0) return 0;
  if (buf[0] !== 3) return buf.length;
  if (buf.length < 4) return 0;
  const len = buf.readUInt16BE(2);
  if (len < 7) return buf.length; // shorter than TPKT + the smallest X.224 header: the parser says why
  return len;
}

function tpkt(payload: Buffer): Buffer {
  const len = payload.length + 4;
  if (len > 0xffff) throw new RangeError('TPKT payload too large');
  const h = Buffer.from([3, 0, 0, 0]);
  h.writeUInt16BE(len, 2);
  return Buffer.concat([h, payload]);
}

export interface ConnectionRequestOptions {
  requestedProtocols: number;
  /** `Cookie: mstshash=<name>` routing token (2.2.1.1); optional. */
  cookie?: string;
  /** Omit RDP_NEG_REQ entirely (what a pre-5.2 client sends). */
  withoutNegotiation?: boolean;
}

/** TPKT + X.224 Connection Request (CR TPDU, code 0xE0) + optional cookie + RDP_NEG_REQ. */
export function encodeConnectionRequest(opts: ConnectionRequestOptions): Buffer {
  const parts: Buffer[] = [];
  if (opts.cookie !== undefined) {
    if (!/^[\x21-\x7e]{1,64}$/.test(opts.cookie)) throw new RangeError('RDP cookie must be 1–64 printable characters');
    parts.push(Buffer.from(`Cookie: mstshash=${opts.cookie}\r\n`, 'ascii'));
  }
  if (!opts.withoutNegotiation) {
    const neg = Buffer.alloc(8);
    neg.writeUInt8(0x01, 0); // TYPE_RDP_NEG_REQ
    neg.writeUInt8(0x00, 1); // flags
    neg.writeUInt16LE(8, 2);
    neg.writeUInt32LE(opts.requestedProtocols >>> 0, 4);
    parts.push(neg);
  }
  const variable = Buffer.concat(parts);
  // LI counts the header after itself: code, dst-ref (2), src-ref (2), class (1) = 6, plus variable part.
  const header = Buffer.from([6 + variable.length, 0xe0, 0, 0, 0, 0, 0]);
  return tpkt(Buffer.concat([header, variable]));
}

export type Negotiation =
  | { type: 'response'; flags: number; selectedProtocol: number }
  | { type: 'failure'; flags: number; failureCode: number }
  /** The Connection Confirm carried no negotiation structure: a server that only knows Standard RDP Security. */
  | { type: 'none' };

export interface ConnectionConfirm {
  negotiation: Negotiation;
}

/** Parse TPKT + X.224 Connection Confirm (CC TPDU, code 0xD0) and its RDP_NEG_RSP / RDP_NEG_FAILURE. */
export function parseConnectionConfirm(buf: Buffer): Parsed<ConnectionConfirm> {
  return parseWith(() => {
    const r = new Reader(buf, 0, buf.length, 'X.224 Connection Confirm');
    if (r.u8('TPKT version') !== 3) wireFail('not a TPKT frame (first byte is not 3)');
    r.u8('TPKT reserved');
    const len = r.u16be('TPKT length');
    if (len !== buf.length) wireFail(`TPKT announces ${len} bytes but the frame holds ${buf.length}`);
    const li = r.u8('X.224 length indicator');
    const x = r.sub(li, 'X.224 header');
    const code = x.u8('TPDU code');
    if ((code & 0xf0) !== 0xd0) wireFail(`X.224 TPDU code 0x${code.toString(16)} is not a Connection Confirm (0xD0)`);
    x.skip(5, 'dst-ref, src-ref, class');
    if (x.remaining === 0) return { negotiation: { type: 'none' } };
    if (x.remaining < 8) wireFail(`X.224 variable part of ${x.remaining} byte(s) is too short for RDP_NEG_RSP`);
    const type = x.u8('negotiation type');
    const flags = x.u8('negotiation flags');
    const nlen = x.u16le('negotiation length');
    if (nlen !== 8) wireFail(`RDP negotiation structure length ${nlen}, expected 8`);
    const value = x.u32le('negotiation value');
    if (type === 0x02) return { negotiation: { type: 'response', flags, selectedProtocol: value } };
    if (type === 0x03) return { negotiation: { type: 'failure', flags, failureCode: value } };
    return wireFail(`unknown RDP negotiation type 0x${type.toString(16)}`);
  });
}

// ---------------------------------------------------------------------------------------------
// MCS Connect-Initial / Connect-Response (T.125 §11.1–11.2, BER; MS-RDPBCGR 2.2.1.3 / 2.2.1.4)

export const ENCRYPTION_METHOD_40BIT = 0x01;
export const ENCRYPTION_METHOD_128BIT = 0x02;
export const ENCRYPTION_METHOD_56BIT = 0x08;
export const ENCRYPTION_METHOD_FIPS = 0x10;

export function encryptionMethodName(m: number): string {
  switch (m) {
    case 0:
      return 'ENCRYPTION_METHOD_NONE';
    case ENCRYPTION_METHOD_40BIT:
      return '40-bit RC4';
    case ENCRYPTION_METHOD_56BIT:
      return '56-bit RC4';
    case ENCRYPTION_METHOD_128BIT:
      return '128-bit RC4';
    case ENCRYPTION_METHOD_FIPS:
      return 'FIPS 140-1 (3DES)';
    default:
      return `method 0x${m.toString(16)}`;
  }
}

export const ENCRYPTION_LEVELS: Record<number, string> = {
  0: 'None (0)',
  1: 'Low (1)',
  2: 'Client Compatible (2)',
  3: 'High (3)',
  4: 'FIPS (4)',
};

function berLength(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  if (n <= 0xff) return Buffer.from([0x81, n]);
  if (n <= 0xffff) return Buffer.from([0x82, n >> 8, n & 0xff]);
  throw new RangeError('BER length too large');
}

function berTlv(tag: Buffer | number, content: Buffer): Buffer {
  const t = typeof tag === 'number' ? Buffer.from([tag]) : tag;
  return Buffer.concat([t, berLength(content.length), content]);
}

function berInt(n: number): Buffer {
  // Minimal two's-complement big-endian INTEGER (X.690 §8.3).
  const bytes: number[] = [];
  let v = n;
  do {
    bytes.unshift(v & 0xff);
    v = Math.floor(v / 256);
  } while (v > 0);
  if ((bytes[0] as number) & 0x80) bytes.unshift(0);
  return berTlv(0x02, Buffer.from(bytes));
}

function domainParameters(values: readonly number[]): Buffer {
  return berTlv(0x30, Buffer.concat(values.map(berInt)));
}

/** PER length determinant (X.691 §10.9), two-byte form for 128..16383. */
function perLength(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  if (n < 0x4000) return Buffer.from([0x80 | (n >> 8), n & 0xff]);
  throw new RangeError('PER length too large');
}

function block(type: number, body: Buffer): Buffer {
  const h = Buffer.alloc(4);
  h.writeUInt16LE(type, 0);
  h.writeUInt16LE(body.length + 4, 2);
  return Buffer.concat([h, body]);
}

export interface ConnectInitialOptions {
  /** CS_SECURITY.encryptionMethods: the methods this client supports. */
  encryptionMethods: number;
  /** The protocol the server selected in RDP_NEG_RSP (CS_CORE.serverSelectedProtocol). */
  selectedProtocol: number;
  clientName?: string;
}

/** X.224 Data TPDU + MCS Connect-Initial with GCC Conference Create Request and client data. */
export function encodeConnectInitial(opts: ConnectInitialOptions): Buffer {
  // CS_CORE (2.2.1.3.2): RDP 5.0+ client, 1024x768, 16-bit colour, US keyboard.
  const core = Buffer.alloc(212);
  let o = 0;
  o = core.writeUInt32LE(0x00080004, o); // version: RDP 4.0/5.0+ client
  o = core.writeUInt16LE(1024, o);
  o = core.writeUInt16LE(768, o);
  o = core.writeUInt16LE(0xca01, o); // colorDepth RNS_UD_COLOR_8BPP (superseded below)
  o = core.writeUInt16LE(0xaa03, o); // SASSequence RNS_UD_SAS_DEL
  o = core.writeUInt32LE(0x0409, o); // keyboardLayout en-US
  o = core.writeUInt32LE(2600, o); // clientBuild
  const name = Buffer.alloc(32);
  name.write((opts.clientName ?? 'PORTCULLIS').slice(0, 15), 'utf16le');
  name.copy(core, o);
  o += 32;
  o = core.writeUInt32LE(4, o); // keyboardType IBM enhanced
  o = core.writeUInt32LE(0, o); // keyboardSubType
  o = core.writeUInt32LE(12, o); // keyboardFunctionKey
  o += 64; // imeFileName
  o = core.writeUInt16LE(0xca01, o); // postBeta2ColorDepth
  o = core.writeUInt16LE(1, o); // clientProductId
  o = core.writeUInt32LE(0, o); // serialNumber
  o = core.writeUInt16LE(16, o); // highColorDepth
  o = core.writeUInt16LE(0x0007, o); // supportedColorDepths 24/16/15
  o = core.writeUInt16LE(0x0001, o); // earlyCapabilityFlags RNS_UD_CS_SUPPORT_ERRINFO_PDU
  o += 64; // clientDigProductId
  o = core.writeUInt8(0, o); // connectionType
  o = core.writeUInt8(0, o); // pad1octet
  o = core.writeUInt32LE(opts.selectedProtocol >>> 0, o);
  if (o !== core.length) throw new Error(`CS_CORE layout error (${o})`);
  const security = Buffer.alloc(8);
  security.writeUInt32LE(opts.encryptionMethods >>> 0, 0);
  security.writeUInt32LE(0, 4); // extEncryptionMethods (French locale only)
  const net = Buffer.alloc(4); // CS_NET with channelCount 0: no static virtual channels requested
  const userData = Buffer.concat([block(0xc001, core), block(0xc002, security), block(0xc003, net)]);

  // T.124 ConnectData → ConnectGCCPDU → ConferenceCreateRequest, PER-encoded (MS-RDPBCGR 4.1.3 layout).
  const ccr = Buffer.concat([
    Buffer.from([0x00, 0x08, 0x00, 0x10, 0x00, 0x01, 0xc0, 0x00]),
    Buffer.from('Duca', 'ascii'), // H.221 non-standard key of the client-to-server user data
    perLength(userData.length),
    userData,
  ]);
  const gcc = Buffer.concat([Buffer.from([0x00, 0x05, 0x00, 0x14, 0x7c, 0x00, 0x01]), perLength(ccr.length), ccr]);

  const ci = Buffer.concat([
    berTlv(0x04, Buffer.from([1])), // callingDomainSelector
    berTlv(0x04, Buffer.from([1])), // calledDomainSelector
    berTlv(0x01, Buffer.from([0xff])), // upwardFlag TRUE
    domainParameters([34, 2, 0, 1, 0, 1, 0xffff, 2]), // target
    domainParameters([1, 1, 1, 1, 0, 1, 0x420, 2]), // minimum
    domainParameters([0xffff, 0xfc17, 0xffff, 1, 0, 1, 0xffff, 2]), // maximum
    berTlv(0x04, gcc), // userData
  ]);
  const mcs = berTlv(Buffer.from([0x7f, 0x65]), ci); // [APPLICATION 101] Connect-Initial
  return tpkt(Buffer.concat([Buffer.from([0x02, 0xf0, 0x80]), mcs]));
}

export interface ServerCoreData {
  version: number;
  /** clientRequestedProtocols echoed by RDP 5.2+ servers, when present. */
  clientRequestedProtocols?: number;
}

export interface ServerSecurityData {
  encryptionMethod: number;
  encryptionLevel: number;
}

export interface ConnectResponse {
  result: number;
  core?: ServerCoreData;
  security?: ServerSecurityData;
  blocks: number[];
}

const MCS_RESULTS: Record<number, string> = {
  0: 'rt-successful',
  1: 'rt-domain-merging',
  2: 'rt-domain-not-hierarchical',
  3: 'rt-no-such-channel',
  4: 'rt-no-such-domain',
  5: 'rt-no-such-user',
  6: 'rt-not-admitted',
  7: 'rt-other-user-id',
  8: 'rt-parameters-unacceptable',
  9: 'rt-token-not-available',
  10: 'rt-token-not-possessed',
  11: 'rt-too-many-channels',
  12: 'rt-too-many-tokens',
  13: 'rt-too-many-users',
  14: 'rt-unspecified-failure',
  15: 'rt-user-rejected',
};

export function mcsResultName(n: number): string {
  return MCS_RESULTS[n] ?? `result ${n}`;
}

function readBerLength(r: Reader): number {
  const first = r.u8('BER length');
  if (first < 0x80) return first;
  const n = first & 0x7f;
  if (n === 0 || n > 3) wireFail(`unsupported BER length form 0x${first.toString(16)}`);
  let len = 0;
  for (let i = 0; i < n; i++) len = len * 256 + r.u8('BER length');
  return len;
}

function readBerTlv(r: Reader, expectTag: number, what: string): Reader {
  const tag = r.u8(`${what} tag`);
  if (tag !== expectTag) wireFail(`${what}: expected BER tag 0x${expectTag.toString(16)}, got 0x${tag.toString(16)}`);
  return r.sub(readBerLength(r), what);
}

/** Parse TPKT + X.224 Data + MCS Connect-Response (`7F 66`) and the server data blocks. */
export function parseConnectResponse(buf: Buffer): Parsed<ConnectResponse> {
  return parseWith(() => {
    const r = new Reader(buf, 0, buf.length, 'MCS Connect-Response');
    if (r.u8('TPKT version') !== 3) wireFail('not a TPKT frame (first byte is not 3)');
    r.u8('TPKT reserved');
    const len = r.u16be('TPKT length');
    if (len !== buf.length) wireFail(`TPKT announces ${len} bytes but the frame holds ${buf.length}`);
    const li = r.u8('X.224 length indicator');
    const code = r.u8('TPDU code');
    if (code !== 0xf0 || li !== 2) wireFail(`expected an X.224 Data TPDU, got code 0x${code.toString(16)}`);
    r.u8('EOT');
    const t1 = r.u8('MCS tag');
    const t2 = r.u8('MCS tag');
    if (t1 !== 0x7f || t2 !== 0x66) {
      // A Disconnect-Provider-Ultimatum (PER, 0x20/0x21) is how servers refuse; name it.
      if ((t1 & 0xfc) === 0x20) wireFail('the server sent an MCS Disconnect-Provider-Ultimatum instead of a Connect-Response');
      wireFail(`expected an MCS Connect-Response (7F 66), got ${t1.toString(16)} ${t2.toString(16)}`);
    }
    const body = r.sub(readBerLength(r), 'Connect-Response');
    const result = readBerTlv(body, 0x0a, 'result').u8('result value');
    readBerTlv(body, 0x02, 'calledConnectId');
    readBerTlv(body, 0x30, 'domainParameters');
    const userData = readBerTlv(body, 0x04, 'userData');
    const out: ConnectResponse = { result, blocks: [] };
    if (result !== 0) return out;
    // GCC ConferenceCreateResponse (PER): find the server's H.221 key "McDn", then the data length.
    const ud = userData.bytes(userData.remaining, 'GCC data');
    const key = ud.indexOf('McDn', 0, 'ascii');
    if (key < 0 || key > 64) wireFail('GCC Conference Create Response without the "McDn" key');
    const g = new Reader(ud, key + 4, ud.length, 'GCC server data');
    const first = g.u8('PER length');
    const dataLen = first & 0x80 ? ((first & 0x3f) << 8) | g.u8('PER length') : first;
    const data = g.sub(Math.min(dataLen, g.remaining), 'server data blocks');
    let guard = 0;
    while (data.remaining >= 4 && guard++ < 32) {
      const type = data.u16le('block type');
      const blen = data.u16le('block length');
      if (blen < 4) wireFail(`server data block 0x${type.toString(16)} with length ${blen}`);
      const b = data.sub(blen - 4, `server data block 0x${type.toString(16)}`);
      out.blocks.push(type);
      if (type === 0x0c01) {
        const version = b.u32le('SC_CORE version');
        out.core = b.remaining >= 4 ? { version, clientRequestedProtocols: b.u32le('clientRequestedProtocols') } : { version };
      } else if (type === 0x0c02) {
        out.security = { encryptionMethod: b.u32le('encryptionMethod'), encryptionLevel: b.u32le('encryptionLevel') };
      }
    }
    return out;
  });
}

/** SC_CORE version (2.2.1.4.2) as the RDP release it names. */
export function rdpVersionName(v: number): string {
  const known: Record<number, string> = {
    0x00080001: 'RDP 4.0',
    0x00080004: 'RDP 5.0–8.1',
    0x00080005: 'RDP 10.0',
    0x00080006: 'RDP 10.1',
    0x00080007: 'RDP 10.2',
    0x00080008: 'RDP 10.3',
    0x00080009: 'RDP 10.4',
    0x0008000a: 'RDP 10.5',
    0x0008000b: 'RDP 10.6',
    0x0008000c: 'RDP 10.7',
    0x0008000d: 'RDP 10.8',
    0x0008000e: 'RDP 10.9',
    0x0008000f: 'RDP 10.10',
    0x00080010: 'RDP 10.11',
    0x00080011: 'RDP 10.12',
  };
  return known[v] ?? `version 0x${v.toString(16).padStart(8, '0')}`;
}
