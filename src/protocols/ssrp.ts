// SQL Server Resolution Protocol (MS-SQLR) on UDP 1434: the Browser service lists instances.
// CLNT_UCAST_EX (0x03) asks one server for all its instances; CLNT_UCAST_INST (0x04) for one.
// The answer SVR_RESP is 0x05, a little-endian 16-bit size, then `key;value;` pairs, one
// instance after another, each instance ending in an empty field (`;;`).
import { type Parsed, Reader, parseWith, wireFail } from './reader.js';

export const SSRP_CLNT_BCAST_EX = 0x02;
export const SSRP_CLNT_UCAST_EX = 0x03;
export const SSRP_CLNT_UCAST_INST = 0x04;
export const SSRP_SVR_RESP = 0x05;
const MAX_INSTANCES = 256;

export function encodeSsrpRequest(kind: 'unicast' | 'broadcast' = 'unicast'): Buffer {
  return Buffer.from([kind === 'unicast' ? SSRP_CLNT_UCAST_EX : SSRP_CLNT_BCAST_EX]);
}

/** CLNT_UCAST_INST: one instance by name (at most 32 bytes, MBCS, NUL-terminated). */
export function encodeSsrpInstanceRequest(instance: string): Buffer {
  const name = Buffer.from(instance, 'latin1');
  if (name.length > 32) throw new RangeError('an SQL Server instance name is at most 32 bytes');
  return Buffer.concat([Buffer.from([SSRP_CLNT_UCAST_INST]), name, Buffer.from([0])]);
}

export interface SqlInstance {
  serverName: string | null;
  instanceName: string | null;
  isClustered: string | null;
  version: string | null;
  tcpPort: number | null;
  /** Every key/value pair as sent (tcp, np, via, rpc, spx, adsp, bv …). */
  fields: Record<string, string>;
}

export interface SsrpResponse {
  instances: SqlInstance[];
  raw: string;
}

export function parseSsrpResponse(buf: Buffer): Parsed<SsrpResponse> {
  try {
    return parseWith(() => {
      const r = new Reader(buf, 0, buf.length, 'SSRP response');
      const kind = r.u8('response type');
      if (kind !== SSRP_SVR_RESP) wireFail(`response type 0x${kind.toString(16)} is not SVR_RESP (0x05)`);
      const size = r.u16le('RESP_SIZE');
      if (size === 0) wireFail('empty SVR_RESP');
      const text = r.bytes(size, 'RESP_DATA').toString('latin1');
      if (!/^[\x20-\x7e\t]*$/.test(text.replace(/\0+$/, ''))) wireFail('RESP_DATA is not text');
      const instances: SqlInstance[] = [];
      for (const chunk of text.replace(/\0+$/, '').split(';;')) {
        if (chunk.trim() === '') continue;
        const parts = chunk.split(';');
        if (parts.length < 2) wireFail(`instance record '${chunk.slice(0, 40)}' has no key;value pairs`);
        const fields: Record<string, string> = {};
        for (let i = 0; i + 1 < parts.length; i += 2) fields[parts[i] as string] = parts[i + 1] as string;
        if (!('ServerName' in fields) && !('InstanceName' in fields)) wireFail('instance record names neither ServerName nor InstanceName');
        const port = fields['tcp'] !== undefined && /^\d{1,5}$/.test(fields['tcp']) ? Number(fields['tcp']) : null;
        instances.push({
          serverName: fields['ServerName'] ?? null,
          instanceName: fields['InstanceName'] ?? null,
          isClustered: fields['IsClustered'] ?? null,
          version: fields['Version'] ?? null,
          tcpPort: port !== null && port >= 1 && port <= 65535 ? port : null,
          fields,
        });
        if (instances.length > MAX_INSTANCES) wireFail('more instances than any server holds');
      }
      if (instances.length === 0) wireFail('SVR_RESP lists no instance');
      return { instances, raw: text };
    });
  } catch (e) {
    return { ok: false, error: `malformed SSRP input: ${e instanceof Error ? e.message : String(e)}` };
  }
}

/** A SVR_RESP for the given instances (tests and fake browsers). */
export function encodeSsrpResponse(instances: ReadonlyArray<Record<string, string>>): Buffer {
  const text = instances.map((f) => Object.entries(f).map(([k, v]) => `${k};${v};`).join('') + ';').join('');
  const data = Buffer.from(text, 'latin1');
  const head = Buffer.alloc(3);
  head[0] = SSRP_SVR_RESP;
  head.writeUInt16LE(data.length, 1);
  return Buffer.concat([head, data]);
}
