// SNMPv1 / v2c messages in BER (RFC 1157, RFC 3416, X.690): GetRequest encoder and a parser for
// any v1/v2c PDU, built for untrusted bytes.
//
// Every announced length is checked against what arrived (long-form lengths are limited to four
// bytes, indefinite lengths are refused: SNMP uses definite lengths only), nesting is bounded, and
// every failure is returned as a `Parsed` error, never thrown.
import { type Parsed, Reader, parseWith, wireFail } from './reader.js';

export const SNMP_OIDS = {
  sysDescr: '1.3.6.1.2.1.1.1.0',
  sysObjectID: '1.3.6.1.2.1.1.2.0',
  sysUpTime: '1.3.6.1.2.1.1.3.0',
  sysContact: '1.3.6.1.2.1.1.4.0',
  sysName: '1.3.6.1.2.1.1.5.0',
  sysLocation: '1.3.6.1.2.1.1.6.0',
} as const;

export type SnmpVersion = 'v1' | 'v2c';
const VERSION_NUMBER: Record<SnmpVersion, number> = { v1: 0, v2c: 1 };

const TAG = {
  integer: 0x02,
  octetString: 0x04,
  null: 0x05,
  oid: 0x06,
  sequence: 0x30,
  ipAddress: 0x40,
  counter32: 0x41,
  gauge32: 0x42,
  timeTicks: 0x43,
  opaque: 0x44,
  counter64: 0x46,
  noSuchObject: 0x80,
  noSuchInstance: 0x81,
  endOfMibView: 0x82,
} as const;

const PDU_NAMES: Record<number, string> = {
  0xa0: 'get-request',
  0xa1: 'get-next-request',
  0xa2: 'response',
  0xa3: 'set-request',
  0xa4: 'trap-v1',
  0xa5: 'get-bulk-request',
  0xa6: 'inform-request',
  0xa7: 'trap-v2',
  0xa8: 'report',
};

/** RFC 3416 §3 error-status values. */
export const SNMP_ERROR_STATUS = [
  'noError',
  'tooBig',
  'noSuchName',
  'badValue',
  'readOnly',
  'genErr',
  'noAccess',
  'wrongType',
  'wrongLength',
  'wrongEncoding',
  'wrongValue',
  'noCreation',
  'inconsistentValue',
  'resourceUnavailable',
  'commitFailed',
  'undoFailed',
  'authorizationError',
  'notWritable',
  'inconsistentName',
] as const;

const MAX_MESSAGE = 65_535; // a UDP datagram cannot be larger
const MAX_VARBINDS = 512;
const MAX_OID_ARCS = 128;

// ---------------------------------------------------------------- encoding

function encodeLength(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

function tlv(tag: number, value: Buffer): Buffer {
  return Buffer.concat([Buffer.from([tag]), encodeLength(value.length), value]);
}

/** Minimal two's-complement INTEGER content (X.690 §8.3). */
function encodeIntegerContent(value: number): Buffer {
  if (!Number.isInteger(value) || value < -0x80000000 || value > 0xffffffff) throw new RangeError(`SNMP integer ${value} out of range`);
  const bytes: number[] = [];
  let v = BigInt(value);
  for (;;) {
    const b = Number(v & 0xffn);
    bytes.unshift(b);
    v >>= 8n;
    if ((v === 0n && (b & 0x80) === 0) || (v === -1n && (b & 0x80) !== 0)) break;
  }
  return Buffer.from(bytes);
}

export function encodeOid(oid: string): Buffer {
  const arcs = oid.split('.').map((a) => {
    if (!/^\d+$/.test(a)) throw new RangeError(`bad OID '${oid}'`);
    return Number(a);
  });
  if (arcs.length < 2 || (arcs[0] as number) > 2 || ((arcs[0] as number) < 2 && (arcs[1] as number) > 39)) throw new RangeError(`bad OID '${oid}'`);
  const out: number[] = [];
  const push = (n: number): void => {
    const groups: number[] = [n & 0x7f];
    for (let v = Math.floor(n / 128); v > 0; v = Math.floor(v / 128)) groups.unshift((v & 0x7f) | 0x80);
    out.push(...groups);
  };
  push((arcs[0] as number) * 40 + (arcs[1] as number));
  for (const a of arcs.slice(2)) {
    if (a > 0xffffffff) throw new RangeError(`OID arc ${a} too large in '${oid}'`);
    push(a);
  }
  return tlv(TAG.oid, Buffer.from(out));
}

export interface GetRequest {
  version: SnmpVersion;
  community: string;
  /** 31-bit request id; the answer must carry the same one. */
  requestId: number;
  oids: readonly string[];
}

/** A GetRequest PDU asking for `oids` (values NULL, RFC 3416 §4.2.1). */
export function encodeGetRequest(req: GetRequest): Buffer {
  if (req.oids.length === 0) throw new RangeError('an SNMP GetRequest needs at least one OID');
  const binds = req.oids.map((oid) => tlv(TAG.sequence, Buffer.concat([encodeOid(oid), Buffer.from([TAG.null, 0])])));
  const pdu = tlv(
    0xa0,
    Buffer.concat([
      tlv(TAG.integer, encodeIntegerContent(req.requestId & 0x7fffffff)),
      tlv(TAG.integer, encodeIntegerContent(0)),
      tlv(TAG.integer, encodeIntegerContent(0)),
      tlv(TAG.sequence, Buffer.concat(binds)),
    ]),
  );
  return tlv(
    TAG.sequence,
    Buffer.concat([tlv(TAG.integer, encodeIntegerContent(VERSION_NUMBER[req.version])), tlv(TAG.octetString, Buffer.from(req.community, 'latin1')), pdu]),
  );
}

// ---------------------------------------------------------------- decoding

interface Tlv {
  tag: number;
  value: Reader;
  raw: Buffer;
}

function readTlv(r: Reader, what: string): Tlv {
  const tag = r.u8(`${what} tag`);
  if ((tag & 0x1f) === 0x1f) wireFail(`${what}: multi-byte BER tags are not used by SNMP (tag 0x${tag.toString(16)})`);
  const first = r.u8(`${what} length`);
  let len: number;
  if (first < 0x80) len = first;
  else if (first === 0x80) wireFail(`${what}: indefinite BER length is not allowed in SNMP`);
  else {
    const n = first & 0x7f;
    if (n > 4) wireFail(`${what}: BER length of ${n} bytes is absurd`);
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + r.u8(`${what} length byte`);
  }
  if (len > r.remaining) wireFail(`${what} announces ${len} bytes but only ${r.remaining} remain`);
  const start = r.offset;
  const value = r.sub(len, what);
  return { tag, value, raw: r.buf.subarray(start, start + len) };
}

function expectTlv(r: Reader, tag: number, what: string): Tlv {
  const t = readTlv(r, what);
  if (t.tag !== tag) wireFail(`${what}: expected tag 0x${tag.toString(16)}, got 0x${t.tag.toString(16)}`);
  return t;
}

function decodeInteger(raw: Buffer, what: string): number {
  if (raw.length === 0) wireFail(`${what}: empty INTEGER`);
  if (raw.length > 5) wireFail(`${what}: INTEGER of ${raw.length} bytes is too large`);
  let v = (raw[0] as number) & 0x80 ? -1n : 0n;
  for (const b of raw) v = (v << 8n) | BigInt(b);
  return Number(BigInt.asIntN(40, v));
}

function decodeUnsigned(raw: Buffer, bytes: number, what: string): bigint {
  if (raw.length === 0 || raw.length > bytes + 1) wireFail(`${what}: ${raw.length}-byte value does not fit ${bytes * 8} bits`);
  let v = 0n;
  for (const b of raw) v = (v << 8n) | BigInt(b);
  return v & ((1n << BigInt(bytes * 8)) - 1n);
}

export function decodeOid(raw: Buffer): string {
  if (raw.length === 0) wireFail('empty OBJECT IDENTIFIER');
  const arcs: number[] = [];
  let v = 0;
  let bytesInArc = 0;
  for (const b of raw) {
    if (bytesInArc === 0 && b === 0x80) wireFail('OBJECT IDENTIFIER arc with a leading 0x80 pad');
    v = v * 128 + (b & 0x7f);
    bytesInArc++;
    if (bytesInArc > 5) wireFail('OBJECT IDENTIFIER arc longer than 32 bits');
    if ((b & 0x80) === 0) {
      if (arcs.length === 0) {
        if (v < 40) arcs.push(0, v);
        else if (v < 80) arcs.push(1, v - 40);
        else arcs.push(2, v - 80);
      } else arcs.push(v);
      if (arcs.length > MAX_OID_ARCS) wireFail('OBJECT IDENTIFIER with too many arcs');
      v = 0;
      bytesInArc = 0;
    }
  }
  if (bytesInArc !== 0) wireFail('OBJECT IDENTIFIER ends inside an arc');
  return arcs.join('.');
}

export type SnmpValueType =
  | 'integer'
  | 'octet-string'
  | 'null'
  | 'oid'
  | 'ip-address'
  | 'counter32'
  | 'gauge32'
  | 'time-ticks'
  | 'opaque'
  | 'counter64'
  | 'no-such-object'
  | 'no-such-instance'
  | 'end-of-mib-view'
  | 'unknown';

export interface VarBind {
  oid: string;
  type: SnmpValueType;
  /** Numbers for integer types (bigint for counter64), text for strings (hex `0x…` when not printable). */
  value: number | bigint | string | null;
  /** The value's content bytes. */
  raw: Buffer;
}

function printableText(b: Buffer): string | null {
  const s = b.toString('utf8');
  if (s.includes('\ufffd')) return null;
  return /^[\t\n\r\x20-\x7e\u00a0-\uffff]*$/.test(s) ? s : null;
}

function decodeValue(t: Tlv): Pick<VarBind, 'type' | 'value'> {
  const raw = t.raw;
  switch (t.tag) {
    case TAG.integer:
      return { type: 'integer', value: decodeInteger(raw, 'value') };
    case TAG.octetString:
      return { type: 'octet-string', value: printableText(raw) ?? `0x${raw.toString('hex')}` };
    case TAG.null:
      return { type: 'null', value: null };
    case TAG.oid:
      return { type: 'oid', value: decodeOid(raw) };
    case TAG.ipAddress:
      if (raw.length !== 4) wireFail(`IpAddress of ${raw.length} bytes`);
      return { type: 'ip-address', value: [...raw].join('.') };
    case TAG.counter32:
      return { type: 'counter32', value: Number(decodeUnsigned(raw, 4, 'Counter32')) };
    case TAG.gauge32:
      return { type: 'gauge32', value: Number(decodeUnsigned(raw, 4, 'Gauge32')) };
    case TAG.timeTicks:
      return { type: 'time-ticks', value: Number(decodeUnsigned(raw, 4, 'TimeTicks')) };
    case TAG.opaque:
      return { type: 'opaque', value: `0x${raw.toString('hex')}` };
    case TAG.counter64:
      return { type: 'counter64', value: decodeUnsigned(raw, 8, 'Counter64') };
    case TAG.noSuchObject:
      return { type: 'no-such-object', value: null };
    case TAG.noSuchInstance:
      return { type: 'no-such-instance', value: null };
    case TAG.endOfMibView:
      return { type: 'end-of-mib-view', value: null };
    default:
      return { type: 'unknown', value: `0x${raw.toString('hex')}` };
  }
}

export interface SnmpMessage {
  version: SnmpVersion;
  community: string;
  pdu: string;
  requestId: number;
  errorStatus: number;
  /** RFC name of errorStatus (`noError`, `noSuchName`, …) or `error-<n>`. */
  errorName: string;
  errorIndex: number;
  varbinds: VarBind[];
}

/**
 * Parse an SNMPv1/v2c message. With `expectRequestId` a different request-id is a failure (the
 * answer to some other request). Trap-v1 PDUs are refused (different layout; never an answer).
 */
export function parseSnmpMessage(buf: Buffer, expectRequestId?: number): Parsed<SnmpMessage> {
  return safe(() =>
    parseWith(() => {
      if (buf.length > MAX_MESSAGE) wireFail(`SNMP message of ${buf.length} bytes exceeds a datagram`);
      const top = new Reader(buf, 0, buf.length, 'SNMP message');
      const msg = expectTlv(top, TAG.sequence, 'SNMP message').value;
      const vnum = decodeInteger(expectTlv(msg, TAG.integer, 'version').raw, 'version');
      const version: SnmpVersion | undefined = vnum === 0 ? 'v1' : vnum === 1 ? 'v2c' : undefined;
      if (!version) wireFail(vnum === 3 ? 'SNMPv3 message (this codec speaks v1/v2c)' : `unknown SNMP version number ${vnum}`);
      const community = expectTlv(msg, TAG.octetString, 'community').raw.toString('latin1');
      const pduT = readTlv(msg, 'PDU');
      const pdu = PDU_NAMES[pduT.tag];
      if (!pdu) wireFail(`unknown PDU type 0x${pduT.tag.toString(16)}`);
      if (pdu === 'trap-v1') wireFail('SNMPv1 trap, not an answer');
      const p = pduT.value;
      const requestId = decodeInteger(expectTlv(p, TAG.integer, 'request-id').raw, 'request-id');
      if (expectRequestId !== undefined && requestId !== (expectRequestId & 0x7fffffff)) {
        wireFail(`response carries request-id ${requestId}, not ${expectRequestId & 0x7fffffff}`);
      }
      const errorStatus = decodeInteger(expectTlv(p, TAG.integer, 'error-status').raw, 'error-status');
      const errorIndex = decodeInteger(expectTlv(p, TAG.integer, 'error-index').raw, 'error-index');
      const list = expectTlv(p, TAG.sequence, 'variable-bindings').value;
      const varbinds: VarBind[] = [];
      while (list.remaining > 0) {
        if (varbinds.length >= MAX_VARBINDS) wireFail(`more than ${MAX_VARBINDS} variable bindings`);
        const vb = expectTlv(list, TAG.sequence, `varbind ${varbinds.length + 1}`).value;
        const oid = decodeOid(expectTlv(vb, TAG.oid, 'varbind name').raw);
        const valueT = readTlv(vb, 'varbind value');
        if (vb.remaining !== 0) wireFail(`varbind ${oid} has ${vb.remaining} trailing byte(s)`);
        varbinds.push({ oid, ...decodeValue(valueT), raw: Buffer.from(valueT.raw) });
      }
      return {
        version,
        community,
        pdu,
        requestId,
        errorStatus,
        errorName: SNMP_ERROR_STATUS[errorStatus] ?? `error-${errorStatus}`,
        errorIndex,
        varbinds,
      };
    }),
  );
}

/** A response PDU (tests and fake agents). */
export function encodeResponse(msg: {
  version: SnmpVersion;
  community: string;
  requestId: number;
  errorStatus?: number;
  errorIndex?: number;
  varbinds: ReadonlyArray<{ oid: string; string?: string; integer?: number }>;
}): Buffer {
  const binds = msg.varbinds.map((v) =>
    tlv(
      TAG.sequence,
      Buffer.concat([
        encodeOid(v.oid),
        v.string !== undefined
          ? tlv(TAG.octetString, Buffer.from(v.string, 'utf8'))
          : v.integer !== undefined
            ? tlv(TAG.integer, encodeIntegerContent(v.integer))
            : Buffer.from([TAG.null, 0]),
      ]),
    ),
  );
  const pdu = tlv(
    0xa2,
    Buffer.concat([
      tlv(TAG.integer, encodeIntegerContent(msg.requestId)),
      tlv(TAG.integer, encodeIntegerContent(msg.errorStatus ?? 0)),
      tlv(TAG.integer, encodeIntegerContent(msg.errorIndex ?? 0)),
      tlv(TAG.sequence, Buffer.concat(binds)),
    ]),
  );
  return tlv(
    TAG.sequence,
    Buffer.concat([tlv(TAG.integer, encodeIntegerContent(VERSION_NUMBER[msg.version])), tlv(TAG.octetString, Buffer.from(msg.community, 'latin1')), pdu]),
  );
}

/** Value of `oid` in a message as text, when present and a real value (not an exception). */
export function varbindText(m: SnmpMessage, oid: string): string | null {
  const v = m.varbinds.find((b) => b.oid === oid);
  if (!v || v.value === null) return null;
  return typeof v.value === 'string' ? v.value : String(v.value);
}

function safe<T>(fn: () => Parsed<T>): Parsed<T> {
  try {
    return fn();
  } catch (e) {
    return { ok: false, error: `malformed SNMP input: ${e instanceof Error ? e.message : String(e)}` };
  }
}
