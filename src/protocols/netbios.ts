// NetBIOS name service NBSTAT (node status) query and response, RFC 1002 §4.2.17-18.
//
// The query asks for the wildcard name `*`; the answer lists every name the node has registered
// (computer, workgroup/domain, logged-on users via the messenger suffix 0x03, services) and the
// adapter's MAC address. The codec only decodes; judging disclosure is the probe's job.
import { type Parsed, Reader, parseWith, wireFail } from './reader.js';

export const NBSTAT_TYPE = 0x0021;
const CLASS_IN = 0x0001;
/** The node-status response carries at most 255 names, each 18 bytes. */
const MAX_NAMES = 255;

/** First-level encoding (RFC 1001 §14.1): 16 bytes → 32 letters, each nibble + 'A'. */
export function encodeNetbiosName(name: string, suffix = 0x00): Buffer {
  const raw = Buffer.alloc(16, name === '*' ? 0x00 : 0x20);
  const text = name === '*' ? '*' : name.toUpperCase();
  if (Buffer.byteLength(text, 'latin1') > 15) throw new RangeError(`NetBIOS name '${name}' is longer than 15 bytes`);
  raw.write(text, 0, 'latin1');
  raw[15] = suffix;
  const out = Buffer.alloc(34);
  out[0] = 0x20;
  for (let i = 0; i < 16; i++) {
    const b = raw[i] as number;
    out[1 + 2 * i] = 0x41 + (b >> 4);
    out[2 + 2 * i] = 0x41 + (b & 0x0f);
  }
  out[33] = 0x00;
  return out;
}

/** The NBSTAT query for `*` (12-byte header + encoded name + type + class). */
export function encodeNbstatQuery(txid: number): Buffer {
  const header = Buffer.alloc(12);
  header.writeUInt16BE(txid & 0xffff, 0);
  header.writeUInt16BE(0x0000, 2); // opcode QUERY, no flags: a unicast node-status request
  header.writeUInt16BE(1, 4); // QDCOUNT
  const tail = Buffer.alloc(4);
  tail.writeUInt16BE(NBSTAT_TYPE, 0);
  tail.writeUInt16BE(CLASS_IN, 2);
  return Buffer.concat([header, encodeNetbiosName('*'), tail]);
}

export interface NbName {
  /** The 15-byte name with trailing spaces removed. */
  name: string;
  suffix: number;
  group: boolean;
  /** Raw NAME_FLAGS (G, ONT, DRG, CNF, ACT, PRM). */
  flags: number;
  /** What the suffix means for this kind (unique/group) of name, when it is a well-known one. */
  role: string | null;
}

export interface NbstatResponse {
  txid: number;
  rcode: number;
  names: NbName[];
  /** Unit ID from the statistics block, `aa:bb:cc:dd:ee:ff`; null when absent or all zero. */
  mac: string | null;
}

/** Meaning of the common suffixes (RFC 1001 and Microsoft's registrations). */
export function nbRole(suffix: number, group: boolean, name = ''): string | null {
  if (name === '\u0001\u0002__MSBROWSE__\u0002' && suffix === 0x01) return 'master browser (network)';
  switch (suffix) {
    case 0x00:
      return group ? 'workgroup/domain name' : 'computer name (workstation service)';
    case 0x03:
      return group ? null : 'messenger service (computer or logged-on user name)';
    case 0x20:
      return group ? null : 'file server service';
    case 0x1b:
      return group ? null : 'domain master browser';
    case 0x1c:
      return group ? 'domain controllers' : null;
    case 0x1d:
      return group ? null : 'master browser';
    case 0x1e:
      return group ? 'browser election service' : null;
    default:
      return null;
  }
}

/** Skip an encoded name: labels or a compression pointer (RFC 1002 §4.1 allows pointers). */
function skipName(r: Reader): void {
  for (let labels = 0; labels < 64; labels++) {
    const len = r.u8('name label length');
    if (len === 0) return;
    if ((len & 0xc0) === 0xc0) {
      r.u8('name pointer');
      return;
    }
    if (len > 63) wireFail(`NBSTAT response has an invalid name label length ${len}`);
    r.skip(len, 'name label');
  }
  wireFail('NBSTAT response name has too many labels');
}

function decodeName(raw: Buffer): string {
  // Names are OEM-charset; latin1 keeps every byte visible, control bytes are escaped by callers.
  return raw.toString('latin1').replace(/[ \0]+$/, '');
}

/**
 * Parse a node-status response. With `expectTxid`, a different transaction id is a failure (it
 * answers someone else's query). Never throws.
 */
export function parseNbstatResponse(buf: Buffer, expectTxid?: number): Parsed<NbstatResponse> {
  return safe(() =>
    parseWith(() => {
      const r = new Reader(buf, 0, buf.length, 'NBSTAT response');
      const txid = r.u16be('transaction id');
      if (expectTxid !== undefined && txid !== (expectTxid & 0xffff)) wireFail(`NBSTAT response answers transaction ${txid}, not ${expectTxid & 0xffff}`);
      const flags = r.u16be('flags');
      if ((flags & 0x8000) === 0) wireFail('not a response (R bit clear)');
      const opcode = (flags >> 11) & 0x0f;
      if (opcode !== 0) wireFail(`unexpected opcode ${opcode} (expected 0, query)`);
      const rcode = flags & 0x0f;
      const qd = r.u16be('QDCOUNT');
      const an = r.u16be('ANCOUNT');
      r.skip(4, 'NSCOUNT/ARCOUNT');
      for (let i = 0; i < qd; i++) {
        skipName(r);
        r.skip(4, 'question type/class');
      }
      if (rcode !== 0 || an === 0) return { txid, rcode, names: [], mac: null };
      skipName(r);
      const type = r.u16be('answer type');
      if (type !== NBSTAT_TYPE) wireFail(`answer type 0x${type.toString(16)} is not NBSTAT (0x21)`);
      const cls = r.u16be('answer class');
      if (cls !== CLASS_IN) wireFail(`answer class ${cls} is not IN (1)`);
      r.skip(4, 'TTL');
      const rdlength = r.u16be('RDLENGTH');
      const rd = r.sub(rdlength, 'NBSTAT RDATA');
      const count = rd.u8('NUM_NAMES');
      if (count > MAX_NAMES) wireFail(`NUM_NAMES ${count} is impossible`);
      const names: NbName[] = [];
      for (let i = 0; i < count; i++) {
        const raw = rd.bytes(15, `name ${i + 1}`);
        const suffix = rd.u8(`suffix of name ${i + 1}`);
        const nflags = rd.u16be(`flags of name ${i + 1}`);
        const name = decodeName(raw);
        const group = (nflags & 0x8000) !== 0;
        names.push({ name, suffix, group, flags: nflags, role: nbRole(suffix, group, name) });
      }
      let mac: string | null = null;
      if (rd.remaining >= 6) {
        const unit = rd.bytes(6, 'unit id');
        if (unit.some((b) => b !== 0)) mac = [...unit].map((b) => b.toString(16).padStart(2, '0')).join(':');
      }
      return { txid, rcode, names, mac };
    }),
  );
}

export interface NbstatSummary {
  computer: string | null;
  /** Workgroup or domain the node belongs to. */
  domain: string | null;
  /** Names registered with the messenger suffix that are not the computer name: logged-on users. */
  users: string[];
  /** Every name as `NAME<xx>` with `(group)` marks, for evidence. */
  list: string[];
}

export function summariseNbstat(resp: NbstatResponse): NbstatSummary {
  const computer = resp.names.find((n) => !n.group && n.suffix === 0x00)?.name ?? resp.names.find((n) => !n.group && n.suffix === 0x20)?.name ?? null;
  const domain = resp.names.find((n) => n.group && n.suffix === 0x00)?.name ?? null;
  const users = [
    ...new Set(resp.names.filter((n) => !n.group && n.suffix === 0x03 && n.name !== computer && !n.name.endsWith('$')).map((n) => n.name)),
  ];
  const list = resp.names.map((n) => `${printable(n.name)}<${n.suffix.toString(16).padStart(2, '0')}>${n.group ? ' (group)' : ''}`);
  return { computer, domain, users, list };
}

function printable(s: string): string {
  return s.replace(/[\x00-\x1f\x7f-\x9f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** Build a node-status response (tests and the fake responder use it; real nodes build their own). */
export function encodeNbstatResponse(txid: number, names: ReadonlyArray<{ name: string; suffix: number; group?: boolean }>, mac = '00:00:00:00:00:00'): Buffer {
  const header = Buffer.alloc(12);
  header.writeUInt16BE(txid & 0xffff, 0);
  header.writeUInt16BE(0x8400, 2); // response, authoritative
  header.writeUInt16BE(1, 6); // ANCOUNT
  const rdata: Buffer[] = [Buffer.from([names.length])];
  for (const n of names) {
    const e = Buffer.alloc(18, 0x20);
    e.write(n.name.toUpperCase().slice(0, 15), 0, 'latin1');
    e[15] = n.suffix;
    e.writeUInt16BE((n.group ? 0x8000 : 0) | 0x0400, 16);
    rdata.push(e);
  }
  const stats = Buffer.alloc(46);
  Buffer.from(mac.split(':').map((h) => parseInt(h, 16))).copy(stats, 0);
  rdata.push(stats);
  const rd = Buffer.concat(rdata);
  const fixed = Buffer.alloc(10);
  fixed.writeUInt16BE(NBSTAT_TYPE, 0);
  fixed.writeUInt16BE(CLASS_IN, 2);
  fixed.writeUInt32BE(0, 4);
  fixed.writeUInt16BE(rd.length, 8);
  return Buffer.concat([header, encodeNetbiosName('*'), fixed, rd]);
}

/** Any unexpected exception from a codec becomes a failure: callers get a value, never a throw. */
export function safe<T>(fn: () => Parsed<T>): Parsed<T> {
  try {
    return fn();
  } catch (e) {
    return { ok: false, error: `malformed input: ${e instanceof Error ? e.message : String(e)}` };
  }
}
