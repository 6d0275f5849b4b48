// DCE/RPC connection-oriented bind to the endpoint mapper (DCE 1.1 RPC §12.6, MS-RPCE 2.2.2):
// enough to recognise an RPC endpoint on 135 from its bind_ack / bind_nak.
import type { Parsed } from './reader.js';
import { Reader, parseWith, wireFail } from './reader.js';

const PTYPE_BIND = 11;
export const PTYPE_BIND_ACK = 12;
export const PTYPE_BIND_NAK = 13;

/** Interface UUID of the endpoint mapper (epmp), version 3.0. */
export const EPM_UUID = 'e1af8308-5d1f-11c9-91a4-08002b14a0fa';
/** NDR transfer syntax, version 2. */
export const NDR_UUID = '8a885d04-1ceb-11c9-9fe8-08002b104860';

/** A UUID in NDR little-endian order (first three fields byte-swapped). */
export function encodeUuid(uuid: string): Buffer {
  const hex = uuid.replace(/-/g, '');
  if (!/^[0-9a-f]{32}$/i.test(hex)) throw new RangeError(`not a UUID: ${uuid}`);
  const b = Buffer.from(hex, 'hex');
  return Buffer.concat([Buffer.from(b.subarray(0, 4)).reverse(), Buffer.from(b.subarray(4, 6)).reverse(), Buffer.from(b.subarray(6, 8)).reverse(), b.subarray(8)]);
}

/** The 16-byte common header with little-endian data representation. */
function header(ptype: number, fragLength: number, callId: number): Buffer {
  const h = Buffer.alloc(16);
  h[0] = 5; // rpc_vers
  h[1] = 0; // rpc_vers_minor
  h[2] = ptype;
  h[3] = 0x03; // PFC_FIRST_FRAG | PFC_LAST_FRAG
  h.writeUInt32BE(0x10000000, 4); // drep: little-endian, ASCII, IEEE float
  h.writeUInt16LE(fragLength, 8);
  h.writeUInt16LE(0, 10); // auth_length
  h.writeUInt32LE(callId, 12);
  return h;
}

/** bind PDU proposing the endpoint mapper interface with NDR. */
export function encodeEpmBind(callId = 1): Buffer {
  const body = Buffer.alloc(12 + 44);
  body.writeUInt16LE(4280, 0); // max_xmit_frag
  body.writeUInt16LE(4280, 2); // max_recv_frag
  body.writeUInt32LE(0, 4); // assoc_group_id
  body[8] = 1; // n_context_elem
  body.writeUInt16LE(0, 12); // p_cont_id
  body[14] = 1; // n_transfer_syn
  encodeUuid(EPM_UUID).copy(body, 16);
  body.writeUInt16LE(3, 32); // interface version major
  body.writeUInt16LE(0, 34); // minor
  encodeUuid(NDR_UUID).copy(body, 36);
  body.writeUInt32LE(2, 52); // NDR version 2
  return Buffer.concat([header(PTYPE_BIND, 16 + body.length, callId), body]);
}

/** Completeness test for `Stream.readMessage`: frag_length of a DCE/RPC PDU, or everything if it is not one. */
export function rpcPduLength(buf: Buffer): number {
  if (buf.length === 0) return 0;
  if (buf[0] !== 5) return buf.length;
  if (buf.length < 10) return 0;
  const le = ((buf[4] as number) & 0xf0) === 0x10;
  const len = le ? buf.readUInt16LE(8) : buf.readUInt16BE(8);
  return len < 16 ? buf.length : len;
}

export interface BindAnswer {
  ptype: typeof PTYPE_BIND_ACK | typeof PTYPE_BIND_NAK;
  callId: number;
  /** bind_ack: the secondary address (the port string, e.g. "135"). */
  secondaryAddress?: string;
  /** bind_ack: result of the first presentation context (0 acceptance, 1 user rejection, 2 provider rejection). */
  contextResult?: number;
  /** bind_nak: provider_reject_reason. */
  rejectReason?: number;
  maxXmitFrag?: number;
}

export function parseBindAnswer(buf: Buffer): Parsed<BindAnswer> {
  return parseWith(() => {
    const r = new Reader(buf, 0, buf.length, 'DCE/RPC bind answer');
    const vers = r.u8('rpc_vers');
    const minor = r.u8('rpc_vers_minor');
    if (vers !== 5 || minor > 1) wireFail(`DCE/RPC version ${vers}.${minor} is not 5.0/5.1`);
    const ptype = r.u8('PTYPE');
    r.u8('pfc_flags');
    const drep = r.bytes(4, 'drep');
    const le = ((drep[0] as number) & 0xf0) === 0x10;
    const fragLength = le ? r.u16le('frag_length') : r.u16be('frag_length');
    if (fragLength !== buf.length) wireFail(`frag_length ${fragLength} does not match the ${buf.length} bytes received`);
    r.skip(2, 'auth_length');
    const callId = le ? r.u32le('call_id') : r.u32be('call_id');
    if (ptype === PTYPE_BIND_NAK) {
      return { ptype, callId, rejectReason: le ? r.u16le('reject reason') : r.u16be('reject reason') };
    }
    if (ptype !== PTYPE_BIND_ACK) wireFail(`PTYPE ${ptype} is neither bind_ack (12) nor bind_nak (13)`);
    const maxXmitFrag = le ? r.u16le('max_xmit_frag') : r.u16be('max_xmit_frag');
    r.skip(2 + 4, 'max_recv_frag, assoc_group_id');
    const secLen = le ? r.u16le('sec_addr length') : r.u16be('sec_addr length');
    const sec = r.bytes(secLen, 'sec_addr');
    const secondaryAddress = sec.toString('latin1').replace(/\0+$/, '');
    // Pad to a 4-byte boundary after the secondary address (§12.6.3.4).
    const pad = (4 - (r.offset % 4)) % 4;
    r.skip(pad, 'alignment');
    const n = r.u8('n_results');
    r.skip(3, 'reserved');
    const out: BindAnswer = { ptype, callId, secondaryAddress, maxXmitFrag };
    if (n > 0) out.contextResult = le ? r.u16le('result') : r.u16be('result');
    return out;
  });
}
