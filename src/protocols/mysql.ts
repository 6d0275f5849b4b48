// MySQL / MariaDB client/server protocol: the server speaks first with one packet (3-byte LE
// payload length, 1-byte sequence id). Payload 0x0A = HandshakeV10 (version string, thread id,
// capabilities); 0xFF = ERR_Packet (e.g. 1130 "Host … is not allowed to connect") sent instead of a
// greeting when the server refuses the client's address before authentication.
import { MalformedReply } from './malformed.js';

export interface MysqlGreeting {
  kind: 'greeting';
  protocolVersion: number;
  serverVersion: string;
  product: 'MariaDB' | 'MySQL';
  /** Version without MariaDB's `5.5.5-` replication prefix and without the distribution suffix. */
  version: string;
  connectionId: number;
  capabilities: number;
  authPlugin?: string;
}

export interface MysqlError {
  kind: 'error';
  code: number;
  message: string;
}

export type MysqlFirstPacket = MysqlGreeting | MysqlError;

/** A real greeting is ~100 bytes; 16 MiB (the format's maximum) would be an absurd frame here. */
const MAX_PACKET = 16 * 1024;
export const CLIENT_SSL = 0x0800;

/** Total length of the first packet at the start of `buf`, 0 when incomplete; throws if absurd. */
export function mysqlPacketLength(buf: Buffer): number {
  if (buf.length < 4) return 0;
  const len = buf.readUIntLE(0, 3);
  if (len === 0 || len > MAX_PACKET) throw MalformedReply.of('mysql', `packet claims ${len} bytes`, buf.subarray(0, 16));
  if (buf[3] !== 0) throw MalformedReply.of('mysql', `first packet has sequence id ${buf[3]}, expected 0`, buf.subarray(0, 16));
  return buf.length >= 4 + len ? 4 + len : 0;
}

function cstring(buf: Buffer, at: number, what: string): [string, number] {
  const end = buf.indexOf(0, at);
  if (end < 0) throw MalformedReply.of('mysql', `${what} is not NUL-terminated`, buf.subarray(at, at + 32));
  return [buf.subarray(at, end).toString('utf8'), end + 1];
}

/** Parse the server's first packet (header included). */
export function parseMysqlFirstPacket(packet: Buffer): MysqlFirstPacket {
  const len = mysqlPacketLength(packet);
  if (len === 0) throw MalformedReply.of('mysql', 'truncated packet', packet.subarray(0, 16));
  const p = packet.subarray(4, len);
  const kind = p[0];
  if (kind === 0xff) {
    if (p.length < 3) throw MalformedReply.of('mysql', 'ERR packet too short', p);
    const code = p.readUInt16LE(1);
    let msg = p.subarray(3);
    if (msg[0] === 0x23 && msg.length >= 6) msg = msg.subarray(6); // '#' + 5-char SQLSTATE
    return { kind: 'error', code, message: msg.toString('utf8') };
  }
  if (kind !== 0x0a && kind !== 0x09) throw MalformedReply.of('mysql', `unknown protocol version ${kind}`, p.subarray(0, 16));
  const [serverVersion, afterVersion] = cstring(p, 1, 'server version');
  if (!/^[\x20-\x7e]{1,100}$/.test(serverVersion)) throw MalformedReply.of('mysql', 'server version is not printable text', Buffer.from(serverVersion.slice(0, 32)));
  if (p.length < afterVersion + 4) throw MalformedReply.of('mysql', 'greeting ends after the version');
  const connectionId = p.readUInt32LE(afterVersion);
  let capabilities = 0;
  let authPlugin: string | undefined;
  if (kind === 0x0a) {
    // thread id (4) + auth-plugin-data part 1 (8) + filler (1) + capability flags lower (2)
    const capAt = afterVersion + 4 + 8 + 1;
    if (p.length >= capAt + 2) capabilities = p.readUInt16LE(capAt);
    // charset (1) + status (2) + capability flags upper (2)
    if (p.length >= capAt + 2 + 3 + 2) capabilities |= p.readUInt16LE(capAt + 5) << 16;
    capabilities >>>= 0;
    const pluginDataLen = p.length > capAt + 7 ? (p[capAt + 7] as number) : 0;
    const part2At = capAt + 7 + 1 + 10;
    const part2Len = Math.max(13, pluginDataLen - 8);
    if (capabilities & 0x80000 && p.length > part2At + part2Len) {
      const end = p.indexOf(0, part2At + part2Len);
      authPlugin = p.subarray(part2At + part2Len, end < 0 ? p.length : end).toString('latin1');
    }
  }
  const isMaria = /mariadb/i.test(serverVersion);
  const bare = serverVersion.replace(/^5\.5\.5-(?=\d+\.\d+\.\d+-MariaDB)/i, '');
  const vm = /^(\d+\.\d+(?:\.\d+)?)/.exec(bare);
  return {
    kind: 'greeting',
    protocolVersion: kind,
    serverVersion,
    product: isMaria ? 'MariaDB' : 'MySQL',
    version: vm ? (vm[1] as string) : bare,
    connectionId,
    capabilities,
    ...(authPlugin ? { authPlugin } : {}),
  };
}
