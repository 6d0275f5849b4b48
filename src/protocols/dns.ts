// Thin helpers over the dns-packet library (RFC 1035 message format): building queries (CHAOS
// TXT included), DNS over TCP with its 2-byte length prefix (RFC 1035 §4.2.2, RFC 7766), and
// zone transfers (RFC 5936: AXFR answered by one or more messages, the first and last record the
// zone's SOA). Decoding never throws anything but MalformedReply, and every loop is bounded.
import dnsPacket from 'dns-packet';
import type { Answer, DecodedPacket, RecordClass, RecordType } from 'dns-packet';
import type { Stream } from '../io/transport.js';
import { IoError } from '../io/transport.js';
import { MalformedReply } from './malformed.js';

export interface QuerySpec {
  id: number;
  name: string;
  type: RecordType;
  class?: RecordClass;
  /** Recursion Desired (RFC 1035 §4.1.1). */
  rd: boolean;
}

export interface DnsMessage {
  id: number;
  qr: boolean;
  aa: boolean;
  tc: boolean;
  rd: boolean;
  ra: boolean;
  opcode: string;
  rcode: string;
  questions: { name: string; type: string; class: string }[];
  answers: Answer[];
  authorities: Answer[];
  additionals: Answer[];
}

export function randomId(): number {
  return Math.floor(Math.random() * 0x10000);
}

export function encodeQuery(q: QuerySpec): Buffer {
  if (!/^[A-Za-z0-9_.\-*]{0,253}$/.test(q.name)) throw new RangeError(`not a query name: ${JSON.stringify(q.name.slice(0, 80))}`);
  return dnsPacket.encode({
    type: 'query',
    id: q.id,
    flags: q.rd ? dnsPacket.RECURSION_DESIRED : 0,
    questions: [{ name: q.name, type: q.type, class: q.class ?? 'IN' }],
  });
}

/** Frame a message for TCP: 2-byte big-endian length, then the message. */
export function frameTcp(msg: Buffer): Buffer {
  if (msg.length > 0xffff) throw new RangeError('DNS message longer than 65535 bytes');
  const len = Buffer.alloc(2);
  len.writeUInt16BE(msg.length);
  return Buffer.concat([len, msg]);
}

/** Decode one message; MalformedReply for anything dns-packet cannot read. */
export function decodeMessage(buf: Buffer): DnsMessage {
  if (buf.length < 12) throw MalformedReply.of('dns', `message of ${buf.length} bytes is shorter than the 12-byte header`, buf);
  let p: DecodedPacket & { opcode?: string; rcode?: string };
  try {
    p = dnsPacket.decode(buf) as DecodedPacket & { opcode?: string; rcode?: string };
  } catch (e) {
    throw MalformedReply.of('dns', `undecodable message: ${e instanceof Error ? e.message : String(e)}`, buf.subarray(0, 32));
  }
  return {
    id: p.id ?? 0,
    qr: p.flag_qr,
    aa: p.flag_aa,
    tc: p.flag_tc,
    rd: p.flag_rd,
    ra: p.flag_ra,
    opcode: p.opcode ?? 'QUERY',
    rcode: p.rcode ?? 'NOERROR',
    questions: (p.questions ?? []).map((q) => ({ name: q.name, type: String(q.type), class: String(q.class ?? 'IN') })),
    answers: p.answers ?? [],
    authorities: p.authorities ?? [],
    additionals: p.additionals ?? [],
  };
}

/** A response that answers our query: same id, QR set, and (when present) the same question. */
export function answersQuery(msg: DnsMessage, q: QuerySpec): boolean {
  if (!msg.qr || msg.id !== q.id) return false;
  const first = msg.questions[0];
  if (!first) return true; // some servers drop the question section on errors (RFC 1035 allows it)
  return sameName(first.name, q.name) && first.type === q.type;
}

/** Case-insensitive name comparison; the root may be written '' or '.'. */
export function sameName(a: string, b: string): boolean {
  const n = (s: string): string => s.toLowerCase().replace(/\.$/, '');
  return n(a) === n(b);
}

/** Length of one TCP-framed message at the start of `buf` (prefix included), 0 when incomplete. */
export function tcpFrameLength(buf: Buffer): number {
  if (buf.length < 2) return 0;
  const len = buf.readUInt16BE(0);
  if (len < 12) throw MalformedReply.of('dns', `TCP frame announces ${len} bytes, less than a DNS header`, buf.subarray(0, 16));
  return buf.length >= 2 + len ? 2 + len : 0;
}

export async function readTcpMessage(stream: Stream, timeoutMs: number): Promise<DnsMessage> {
  const frame = await stream.readMessage(tcpFrameLength, timeoutMs, 2 + 0xffff);
  return decodeMessage(frame.subarray(2));
}

/** Send one query over TCP and read the matching answer (messages with other ids are skipped, bounded). */
export async function tcpQuery(stream: Stream, q: QuerySpec, timeoutMs: number): Promise<DnsMessage> {
  const deadline = Date.now() + timeoutMs;
  await stream.write(frameTcp(encodeQuery(q)));
  for (let i = 0; i < 8; i++) {
    const msg = await readTcpMessage(stream, Math.max(1, deadline - Date.now()));
    if (answersQuery(msg, q)) return msg;
  }
  throw MalformedReply.of('dns', 'no answer with our query id among 8 messages');
}

export interface AxfrLimits {
  timeoutMs: number;
  /** Stop after this many messages (a zone transfer of a test zone needs a handful). */
  maxMessages?: number;
  /** Keep at most this many records as evidence/count (counting continues up to maxMessages). */
  maxRecords?: number;
}

export interface AxfrResult {
  /** RCODE of the first message (REFUSED/NOTAUTH = transfer denied). */
  rcode: string;
  aa: boolean;
  messages: number;
  recordCount: number;
  /** The records kept (at most maxRecords). */
  records: Answer[];
  /** The transfer ended with the closing SOA (RFC 5936 §2.2). */
  complete: boolean;
  /** Why the transfer stopped early, when it did. */
  stoppedBecause?: string;
}

/**
 * Ask for a zone transfer on `stream` and read the answer messages until the closing SOA, an error
 * RCODE, the limits, or the peer closes. Network errors after at least one message are reported in
 * `stoppedBecause` (records already received are the evidence); before it they are thrown.
 */
export async function axfr(stream: Stream, zone: string, limits: AxfrLimits): Promise<AxfrResult> {
  const deadline = Date.now() + limits.timeoutMs;
  const maxMessages = limits.maxMessages ?? 200;
  const maxRecords = limits.maxRecords ?? 50;
  const q: QuerySpec = { id: randomId(), name: zone.replace(/\.$/, ''), type: 'AXFR', rd: false };
  await stream.write(frameTcp(encodeQuery(q)));
  const result: AxfrResult = { rcode: 'NOERROR', aa: false, messages: 0, recordCount: 0, records: [], complete: false };
  let soaSeen = 0;
  while (result.messages < maxMessages) {
    let msg: DnsMessage;
    try {
      msg = await readTcpMessage(stream, Math.max(1, deadline - Date.now()));
    } catch (e) {
      if (result.messages === 0) throw e;
      result.stoppedBecause = e instanceof IoError || e instanceof MalformedReply ? e.message : String(e);
      return result;
    }
    if (msg.id !== q.id || !msg.qr) {
      if (result.messages === 0) throw MalformedReply.of('dns', `AXFR answer with id ${msg.id}, expected ${q.id}`);
      result.stoppedBecause = 'a message with another id arrived mid-transfer';
      return result;
    }
    result.messages++;
    if (result.messages === 1) {
      result.rcode = msg.rcode;
      result.aa = msg.aa;
    }
    if (msg.rcode !== 'NOERROR') {
      result.rcode = msg.rcode;
      return result;
    }
    for (const rr of msg.answers) {
      result.recordCount++;
      if (result.records.length < maxRecords) result.records.push(rr);
      if (rr.type === 'SOA') soaSeen++;
      if (soaSeen >= 2) {
        result.complete = true;
        return result;
      }
    }
    if (result.messages === 1 && msg.answers.length === 0) return result; // NOERROR with nothing: no transfer
  }
  result.stoppedBecause = `stopped after ${maxMessages} messages`;
  return result;
}

/** Text of TXT answers (CHAOS version.bind and friends), joined per record. */
export function txtStrings(msg: DnsMessage): string[] {
  const out: string[] = [];
  for (const a of msg.answers) {
    if (a.type !== 'TXT') continue;
    const d = a.data;
    const parts = Array.isArray(d) ? d : [d];
    out.push(parts.map((x) => (Buffer.isBuffer(x) ? x.toString('utf8') : String(x))).join(''));
  }
  return out;
}

/** Short description of a record for evidence (`ns1.example.com. A 192.0.2.1`). */
export function describeRecord(rr: Answer): string {
  const d = (rr as { data?: unknown }).data;
  let v: string;
  if (typeof d === 'string') v = d;
  else if (Buffer.isBuffer(d)) v = `${d.length} bytes`;
  else if (rr.type === 'SOA' && d && typeof d === 'object') v = `${(d as { mname: string }).mname} ${(d as { rname: string }).rname}`;
  else if (rr.type === 'MX' && d && typeof d === 'object') v = `${(d as { preference?: number }).preference ?? ''} ${(d as { exchange: string }).exchange}`;
  else if (rr.type === 'TXT') v = (Array.isArray(d) ? d : [d]).map((x) => (Buffer.isBuffer(x) ? x.toString('utf8') : String(x))).join('');
  else v = JSON.stringify(d)?.slice(0, 80) ?? '';
  return `${rr.name}. ${rr.type} ${v}`.slice(0, 160);
}

/** `192.0.2.1` → `1.2.0.192.in-addr.arpa`; IPv6 nibbles under ip6.arpa (RFC 3596 §2.5). */
export function reverseName(address: string): string | null {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(address);
  if (v4) return `${v4[4]}.${v4[3]}.${v4[2]}.${v4[1]}.in-addr.arpa`;
  if (!address.includes(':')) return null;
  const [head = '', tail = ''] = address.split('::');
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  if (address.includes('::') ? h.length + t.length > 7 : h.length !== 8) return null;
  const groups = [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
  if (!groups.every((g) => /^[0-9a-fA-F]{1,4}$/.test(g))) return null;
  return `${groups.map((g) => g.padStart(4, '0')).join('').split('').reverse().join('.')}.ip6.arpa`;
}
