// TDS PRELOGIN (MS-TDS 2.2.6.5; packet header 2.2.3.1): the first message a SQL Server client sends.
// The answer's VERSION option carries the server's build, ENCRYPTION what it will do about TLS.
import type { Parsed } from './reader.js';
import { Reader, parseWith, wireFail } from './reader.js';

const TYPE_PRELOGIN = 0x12;
const TYPE_TABULAR_RESULT = 0x04;

export const OPT_VERSION = 0x00;
export const OPT_ENCRYPTION = 0x01;
export const OPT_INSTOPT = 0x02;
export const OPT_THREADID = 0x03;
export const OPT_MARS = 0x04;
const OPT_TERMINATOR = 0xff;

export const ENCRYPTION_MODES: Record<number, string> = {
  0: 'ENCRYPT_OFF (login packet only)',
  1: 'ENCRYPT_ON',
  2: 'ENCRYPT_NOT_SUP (no TLS at all)',
  3: 'ENCRYPT_REQ',
};

/** Largest PRELOGIN answer we accept (the default packet size is 4096). */
export const MAX_TDS_PACKET = 32 * 1024;

/** PRELOGIN offering encryption (ENCRYPT_ON) so the answer tells what the server insists on. */
export function encodePrelogin(): Buffer {
  const options: Array<[number, Buffer]> = [
    [OPT_VERSION, Buffer.from([0, 0, 0, 0, 0, 0])],
    [OPT_ENCRYPTION, Buffer.from([1])],
    [OPT_INSTOPT, Buffer.from([0])],
    [OPT_THREADID, Buffer.alloc(4)],
    [OPT_MARS, Buffer.from([0])],
  ];
  const tableLen = options.length * 5 + 1;
  const table = Buffer.alloc(tableLen);
  let offset = tableLen;
  options.forEach(([token, data], i) => {
    table[i * 5] = token;
    table.writeUInt16BE(offset, i * 5 + 1);
    table.writeUInt16BE(data.length, i * 5 + 3);
    offset += data.length;
  });
  table[tableLen - 1] = OPT_TERMINATOR;
  const payload = Buffer.concat([table, ...options.map(([, d]) => d)]);
  const h = Buffer.alloc(8);
  h[0] = TYPE_PRELOGIN;
  h[1] = 0x01; // status: end of message
  h.writeUInt16BE(8 + payload.length, 2);
  h[6] = 1; // PacketID
  return Buffer.concat([h, payload]);
}

/** Completeness test for `Stream.readMessage`: one TDS packet, or everything when it is not TDS. */
export function tdsPacketLength(buf: Buffer): number {
  if (buf.length === 0) return 0;
  if (buf[0] !== TYPE_TABULAR_RESULT && buf[0] !== TYPE_PRELOGIN) return buf.length;
  if (buf.length < 4) return 0;
  const len = buf.readUInt16BE(2);
  return len < 8 ? buf.length : len;
}

export interface PreloginResponse {
  /** major.minor.build (MS-TDS: UL_VERSION major/minor bytes, build u16, big-endian). */
  version?: string;
  subBuild?: number;
  encryption?: number;
  instance?: string;
  options: number[];
}

export function parsePreloginResponse(buf: Buffer): Parsed<PreloginResponse> {
  return parseWith(() => {
    const r = new Reader(buf, 0, buf.length, 'TDS PRELOGIN response');
    const type = r.u8('packet type');
    if (type !== TYPE_TABULAR_RESULT) wireFail(`TDS packet type 0x${type.toString(16)} is not a response (0x04)`);
    const status = r.u8('status');
    const len = r.u16be('length');
    if (len !== buf.length) wireFail(`TDS header announces ${len} bytes but ${buf.length} arrived`);
    if (!(status & 0x01)) wireFail('PRELOGIN response split over several packets is not expected');
    r.skip(4, 'SPID, PacketID, Window');
    const payload = r.bytes(r.remaining, 'payload');
    const p = new Reader(payload, 0, payload.length, 'PRELOGIN option table');
    const out: PreloginResponse = { options: [] };
    for (let i = 0; i < 32; i++) {
      const token = p.u8('option token');
      if (token === OPT_TERMINATOR) break;
      const off = p.u16be('option offset');
      const olen = p.u16be('option length');
      if (off + olen > payload.length) wireFail(`PRELOGIN option 0x${token.toString(16)} points outside the packet`);
      const d = new Reader(payload, off, off + olen, `PRELOGIN option 0x${token.toString(16)}`);
      out.options.push(token);
      if (token === OPT_VERSION && olen >= 6) {
        const major = d.u8();
        const minor = d.u8();
        const build = d.u16be();
        out.version = `${major}.${minor}.${build}`;
        out.subBuild = d.u16be();
      } else if (token === OPT_ENCRYPTION && olen >= 1) {
        out.encryption = d.u8();
      } else if (token === OPT_INSTOPT && olen >= 1) {
        const s = d.bytes(olen).toString('latin1').replace(/\0.*$/s, '');
        if (s) out.instance = s;
      }
      if (i === 31) wireFail('PRELOGIN option table without a terminator');
    }
    if (out.version === undefined) wireFail('PRELOGIN response has no VERSION option');
    return out;
  });
}

/** The SQL Server release a major version number names (public build tables). */
export function sqlServerRelease(version: string): string | undefined {
  const major = Number(version.split('.')[0]);
  const names: Record<number, string> = { 8: '2000', 9: '2005', 10: '2008', 11: '2012', 12: '2014', 13: '2016', 14: '2017', 15: '2019', 16: '2022', 17: '2025' };
  return names[major];
}
