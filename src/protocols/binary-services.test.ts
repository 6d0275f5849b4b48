// Byte transcripts for the binary service codecs: RFB, MySQL, PostgreSQL, Redis, DNS.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import dnsPacket from 'dns-packet';
import { clientVersion, encodeVersion, parseRfbVersion, parseSecurity } from './rfb.js';
import { mysqlPacketLength, parseMysqlFirstPacket } from './mysql.js';
import { backendMessageLength, parseBackendMessage, startupMessage, SSL_REQUEST } from './postgres.js';
import { command, parseInfo, parseResp, respLength } from './redis.js';
import { axfr, decodeMessage, encodeQuery, frameTcp, reverseName, tcpFrameLength, txtStrings } from './dns.js';
import { MalformedReply } from './malformed.js';
import { netTransport } from '../io/transport.js';
import { scriptedServer } from '../../test/probes/services/helpers.js';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');

test('rfb: version, client answer, security lists for 3.3 / 3.7+, failure reason bounds', () => {
  const v = parseRfbVersion(Buffer.from('RFB 003.008\n'));
  assert.deepEqual(v, { major: 3, minor: 8, raw: 'RFB 003.008' });
  assert.deepEqual(clientVersion({ major: 3, minor: 889, raw: '' }), { major: 3, minor: 8 });
  assert.deepEqual(clientVersion({ major: 3, minor: 5, raw: '' }), { major: 3, minor: 3 });
  assert.equal(encodeVersion({ major: 3, minor: 7 }).toString(), 'RFB 003.007\n');
  assert.equal(parseRfbVersion(Buffer.from('RFB 00')), null);
  assert.throws(() => parseRfbVersion(Buffer.from('SSH-2.0-x\r\n')), MalformedReply);
  assert.throws(() => parseRfbVersion(Buffer.from('RFB 3.8\n....')), MalformedReply);
  assert.deepEqual(parseSecurity(Buffer.from([2, 1, 2]), 8), { offer: { kind: 'types', types: [1, 2] }, length: 3 });
  assert.equal(parseSecurity(Buffer.from([3, 1]), 8), null);
  assert.deepEqual(parseSecurity(hex('00000002'), 3), { offer: { kind: 'types', types: [2] }, length: 4 });
  const fail = Buffer.concat([Buffer.from([0]), hex('00000004'), Buffer.from('nope')]);
  assert.deepEqual(parseSecurity(fail, 8)?.offer, { kind: 'failure', reason: 'nope' });
  assert.throws(() => parseSecurity(Buffer.concat([Buffer.from([0]), hex('7fffffff')]), 8), /failure reason claims/);
});

// A MariaDB 10.11 greeting as Debian 12's server sends it (auth data bytes replaced).
const MARIADB_GREETING = Buffer.concat([
  hex('6d0000 00 0a'),
  Buffer.from('5.5.5-10.11.6-MariaDB-0+deb12u1\0'),
  hex('03000000'), // thread id
  Buffer.from('abcdefgh'),
  hex('00'),
  hex('feff'), // capabilities lower (CLIENT_SSL 0x0800 set)
  hex('2d'),
  hex('0200'),
  hex('ff81'), // capabilities upper (PLUGIN_AUTH 0x80000 set)
  hex('15'),
  hex('00000000000000000000'),
  Buffer.from('ijklmnopqrst\0'),
  Buffer.from('mysql_native_password\0'),
]);
MARIADB_GREETING.writeUIntLE(MARIADB_GREETING.length - 4, 0, 3);

test('mysql: MariaDB greeting, host-refused ERR, malformed packets', () => {
  assert.equal(mysqlPacketLength(MARIADB_GREETING), MARIADB_GREETING.length);
  const g = parseMysqlFirstPacket(MARIADB_GREETING);
  assert.equal(g.kind, 'greeting');
  if (g.kind !== 'greeting') return;
  assert.equal(g.product, 'MariaDB');
  assert.equal(g.version, '10.11.6');
  assert.equal(g.connectionId, 3);
  assert.ok(g.capabilities & 0x0800);
  assert.equal(g.authPlugin, 'mysql_native_password');
  const errBody = Buffer.concat([hex('ff6a04'), Buffer.from("Host '127.13.0.9' is not allowed to connect to this MariaDB server")]);
  const err = Buffer.concat([Buffer.from([errBody.length, 0, 0, 0]), errBody]);
  assert.deepEqual(parseMysqlFirstPacket(err), { kind: 'error', code: 1130, message: "Host '127.13.0.9' is not allowed to connect to this MariaDB server" });
  assert.equal(mysqlPacketLength(MARIADB_GREETING.subarray(0, 20)), 0);
  assert.throws(() => mysqlPacketLength(hex('ffffff00')), /packet claims/);
  assert.throws(() => mysqlPacketLength(hex('050000 07 0a')), /sequence id/);
  assert.throws(() => parseMysqlFirstPacket(Buffer.concat([hex('05000000 0a'), Buffer.from('5.7')])), /NUL-terminated|truncated/);
  assert.throws(() => parseMysqlFirstPacket(Buffer.concat([hex('04000000'), Buffer.from('HTTP')])), MalformedReply);
});

test('postgres: startup framing, authentication and error messages, absurd lengths', () => {
  assert.deepEqual([...SSL_REQUEST], [0, 0, 0, 8, 4, 210, 22, 47]);
  const st = startupMessage({ user: 'u' });
  assert.equal(st.readInt32BE(0), st.length);
  assert.equal(st.readInt32BE(4), 196608);
  const md5 = hex('52 0000000c 00000005 01020304');
  assert.equal(backendMessageLength(md5), 13);
  assert.deepEqual(parseBackendMessage(md5), { type: 'R', code: 5, method: 'MD5Password' });
  const scram = Buffer.concat([hex('52 00000017 0000000a'), Buffer.from('SCRAM-SHA-256\0\0')]);
  assert.equal(parseBackendMessage(scram).type, 'R');
  const fields = Buffer.from('SFATAL\0VFATAL\0C28000\0Mno pg_hba.conf entry for host "127.13.0.5"\0\0');
  const e = Buffer.concat([Buffer.from('E'), Buffer.alloc(4), fields]);
  e.writeInt32BE(4 + fields.length, 1);
  const pe = parseBackendMessage(e);
  assert.equal(pe.type, 'E');
  if (pe.type === 'E') assert.equal(pe.fields['C'], '28000');
  assert.equal(backendMessageLength(md5.subarray(0, 7)), 0);
  assert.throws(() => backendMessageLength(hex('52 7fffffff')), /claims length/);
  assert.throws(() => backendMessageLength(hex('00 00000008')), /not a letter/);
});

test('redis: RESP values, nesting and size limits', () => {
  assert.equal(command('PING').toString(), '*1\r\n$4\r\nPING\r\n');
  assert.deepEqual(parseResp(Buffer.from('+PONG\r\n'))?.value, { type: 'simple', value: 'PONG' });
  assert.deepEqual(parseResp(Buffer.from('-NOAUTH Authentication required.\r\n'))?.value, { type: 'error', value: 'NOAUTH Authentication required.' });
  const infoText = '# Server\r\nredis_version:7.0.15\r\nx:y\r\n';
  const info = Buffer.from(`$${infoText.length}\r\n${infoText}\r\n`);
  assert.equal(respLength(info), info.length);
  const iv = parseResp(info)?.value;
  assert.equal(iv?.type === 'bulk' && iv.value ? parseInfo(iv.value).get('redis_version') : null, '7.0.15');
  assert.equal(respLength(Buffer.from('$10\r\nabc')), 0);
  assert.deepEqual(parseResp(Buffer.from('*2\r\n:1\r\n$-1\r\n'))?.value, { type: 'array', value: [{ type: 'integer', value: 1 }, { type: 'bulk', value: null }] });
  assert.throws(() => parseResp(Buffer.from('$999999999\r\n')), /claims/);
  assert.throws(() => parseResp(Buffer.from('*99999\r\n')), /claims/);
  assert.throws(() => parseResp(Buffer.from('*1\r\n*1\r\n*1\r\n*1\r\n*1\r\n:1\r\n')), /nested/);
  assert.throws(() => parseResp(Buffer.from('HTTP/1.1 400\r\n')), /RESP type/);
});

test('dns: queries, CHAOS class, TCP framing, undecodable messages', () => {
  const q = encodeQuery({ id: 0x1234, name: 'version.bind', type: 'TXT', class: 'CH', rd: false });
  const d = decodeMessage(q);
  assert.equal(d.id, 0x1234);
  assert.equal(d.rd, false);
  assert.deepEqual(d.questions[0], { name: 'version.bind', type: 'TXT', class: 'CH' });
  assert.equal(decodeMessage(encodeQuery({ id: 1, name: 'x.example', type: 'A', rd: true })).rd, true);
  const framed = frameTcp(q);
  assert.equal(tcpFrameLength(framed), framed.length);
  assert.equal(tcpFrameLength(framed.subarray(0, 5)), 0);
  assert.throws(() => tcpFrameLength(hex('0003')), /less than a DNS header/);
  assert.throws(() => decodeMessage(hex('0102')), MalformedReply);
  // A compression pointer that points forward (a loop in disguise) is refused, not followed.
  assert.throws(() => decodeMessage(hex('1234 8180 0001 0000 0000 0000 c00c 0001 0001')), MalformedReply);
  // Header claims 65535 answers with no bytes behind it.
  assert.throws(() => decodeMessage(hex('1234 8180 0000 ffff 0000 0000')), MalformedReply);
  const txt = dnsPacket.encode({ type: 'response', id: 7, flags: 0, questions: [{ name: 'version.bind', type: 'TXT', class: 'CH' }], answers: [{ name: 'version.bind', type: 'TXT', class: 'CH', data: ['9.18.28-1~deb12u2-Debian'] }] });
  assert.deepEqual(txtStrings(decodeMessage(txt)), ['9.18.28-1~deb12u2-Debian']);
  assert.equal(reverseName('192.0.2.1'), '1.2.0.192.in-addr.arpa');
  assert.equal(reverseName('2001:db8::1'), '1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa');
  assert.equal(reverseName('not-an-address'), null);
});

test('dns: AXFR over TCP across several messages, and a refusal', async () => {
  const soa = { name: 'corp.test', type: 'SOA' as const, ttl: 300, data: { mname: 'ns1.corp.test', rname: 'hostmaster.corp.test', serial: 1, refresh: 1, retry: 1, expire: 1, minimum: 1 } };
  const srv = await scriptedServer(async (c, i) => {
    const frame = await c.until(2);
    const len = frame.readUInt16BE(0);
    const msg = await c.until(len);
    const id = msg.readUInt16BE(0);
    const resp = (answers: dnsPacket.Answer[], rcode = 0): Buffer =>
      frameTcp(dnsPacket.encode({ type: 'response', id, flags: dnsPacket.AUTHORITATIVE_ANSWER | rcode, questions: [{ name: 'corp.test', type: 'AXFR' }], answers }));
    if (i === 0) {
      c.write(resp([soa, { name: 'a.corp.test', type: 'A', ttl: 300, data: '192.0.2.1' }]));
      c.write(resp([{ name: 'b.corp.test', type: 'A', ttl: 300, data: '192.0.2.2' }, soa]));
    } else c.write(resp([], 5));
  });
  try {
    const s = await netTransport.connect(srv.address, srv.port, { timeoutMs: 2000 });
    const r = await axfr(s, 'corp.test', { timeoutMs: 3000 });
    s.close();
    assert.equal(r.rcode, 'NOERROR');
    assert.equal(r.messages, 2);
    assert.equal(r.recordCount, 4);
    assert.equal(r.complete, true);
    const s2 = await netTransport.connect(srv.address, srv.port, { timeoutMs: 2000 });
    const r2 = await axfr(s2, 'corp.test', { timeoutMs: 3000 });
    s2.close();
    assert.equal(r2.rcode, 'REFUSED');
    assert.equal(r2.recordCount, 0);
  } finally {
    await srv.close();
  }
});
