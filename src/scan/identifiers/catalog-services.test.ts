// Service identification against small scripted peers that speak each protocol's opening exactly
// as the real servers do (the real-server runs are in test/probes/services/real-*.test.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import dnsPacket from 'dns-packet';
import { identifyService, type IdentifierCatalog } from '../identify.js';
import { SERVICE_ACTIVE, SERVICE_GREETINGS, serverProduct } from './catalog-services.js';
import { netTransport } from '../../io/transport.js';
import { scriptedServer, sleep, type Conn } from '../../../test/probes/services/helpers.js';
import { frameTcp } from '../../protocols/dns.js';

const CATALOG: IdentifierCatalog = { greetings: SERVICE_GREETINGS, active: SERVICE_ACTIVE };

async function identifyWith(script: (c: Conn, i: number) => Promise<void> | void, port = 0) {
  const srv = await scriptedServer(script, undefined, port);
  try {
    return await identifyService(srv.address, srv.port, { io: netTransport, catalog: CATALOG, timeoutMs: 1500, greetingWaitMs: 300 });
  } finally {
    await srv.close();
  }
}

test('identify: greetings name the service, product and version', async () => {
  const cases: [string, string | Buffer, Partial<{ name: string; product: string; version: string }>][] = [
    ['ssh', 'SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n', { name: 'ssh', product: 'OpenSSH', version: '9.2p1' }],
    ['vsftpd', '220 (vsFTPd 3.0.3)\r\n', { name: 'ftp', product: 'vsftpd', version: '3.0.3' }],
    ['iis ftp', '220 Microsoft FTP Service\r\n', { name: 'ftp', product: 'Microsoft ftpd' }],
    ['postfix', '220 mail.corp.test ESMTP Postfix (Debian/GNU)\r\n', { name: 'smtp', product: 'Postfix' }],
    ['iis smtp', '220 web01 Microsoft ESMTP MAIL Service, Version: 10.0.17763.1 ready at Sat\r\n', { name: 'smtp', product: 'Microsoft ESMTP', version: '10.0.17763.1' }],
    ['pop3', '+OK Dovecot (Debian) ready.\r\n', { name: 'pop3', product: 'Dovecot' }],
    ['imap', '* OK [CAPABILITY IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE LITERAL+ STARTTLS AUTH=PLAIN] Dovecot (Debian) ready.\r\n', { name: 'imap', product: 'Dovecot' }],
    ['telnet', Buffer.from([0xff, 0xfd, 0x18, 0xff, 0xfd, 0x20, 0xff, 0xfd, 0x23, 0xff, 0xfd, 0x27]), { name: 'telnet' }],
    ['vnc', 'RFB 003.008\n', { name: 'vnc', version: '3.8' }],
  ];
  for (const [label, greeting, want] of cases) {
    const info = await identifyWith((c) => c.write(greeting));
    for (const [k, v] of Object.entries(want)) assert.equal((info as unknown as Record<string, string>)[k], v, `${label}: ${k} (got ${JSON.stringify(info)})`);
    assert.equal(info.method, 'banner', label);
  }
});

test('identify: MariaDB greeting and host-refused error packet', async () => {
  const body = Buffer.concat([Buffer.from([0x0a]), Buffer.from('5.5.5-10.11.6-MariaDB-0+deb12u1\0'), Buffer.from('03000000', 'hex'), Buffer.from('abcdefgh\0'), Buffer.from('feff2d0200ff8115', 'hex'), Buffer.alloc(10), Buffer.from('ijklmnopqrst\0mysql_native_password\0')]);
  const pkt = Buffer.concat([Buffer.from([body.length & 0xff, body.length >> 8, 0, 0]), body]);
  const info = await identifyWith((c) => c.write(pkt));
  assert.equal(info.name, 'mysql');
  assert.equal(info.product, 'MariaDB');
  assert.equal(info.version, '10.11.6');
  const err = Buffer.concat([Buffer.from('ff6a04', 'hex'), Buffer.from("Host '127.13.0.1' is not allowed to connect to this MariaDB server")]);
  const refused = await identifyWith((c) => c.write(Buffer.concat([Buffer.from([err.length, 0, 0, 0]), err])));
  assert.equal(refused.name, 'mysql');
  assert.match(refused.evidence ?? '', /1130/);
});

test('identify: an ambiguous 220 greeting on an unconventional port stays unknown with the bytes', async () => {
  const info = await identifyWith((c) => c.write('220 ready\r\n'));
  assert.equal(info.name, 'unknown');
  assert.match(info.evidence ?? '', /220 ready/);
});

function nginxLike(c: Conn): Promise<void> {
  return c.until('\r\n\r\n').then((req) => {
    if (!req.toString().startsWith('GET ')) return c.end();
    c.write('HTTP/1.1 200 OK\r\nServer: nginx/1.22.1\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok');
    c.end();
  });
}

test('identify: HTTP by a GET with Host; product/version from Server', async () => {
  const info = await identifyWith(nginxLike);
  assert.equal(info.name, 'http');
  assert.equal(info.product, 'nginx');
  assert.equal(info.version, '1.22.1');
  assert.deepEqual(serverProduct('Microsoft-IIS/10.0'), { product: 'Microsoft-IIS', version: '10.0' });
  assert.deepEqual(serverProduct('Apache/2.4.57 (Debian)'), { product: 'Apache', version: '2.4.57' });
  assert.deepEqual(serverProduct('nginx'), { product: 'nginx' });
});

test('identify: WinRM on 5985 (HTTP.sys answering /wsman)', async () => {
  const info = await identifyWith(async (c) => {
    const req = (await c.until('\r\n\r\n')).toString();
    if (req.startsWith('POST /wsman ')) c.write('HTTP/1.1 401 \r\nServer: Microsoft-HTTPAPI/2.0\r\nWWW-Authenticate: Negotiate\r\nWWW-Authenticate: Kerberos\r\nContent-Length: 0\r\n\r\n');
    else c.write('HTTP/1.1 404 Not Found\r\nServer: Microsoft-HTTPAPI/2.0\r\nContent-Length: 0\r\n\r\n');
    c.end();
  }, 5985);
  assert.equal(info.name, 'winrm');
  assert.match(info.evidence ?? '', /401/);
});

test('identify: PostgreSQL (SSLRequest N, then authentication request)', async () => {
  const info = await identifyWith(async (c) => {
    const first = await c.until(8);
    if (first.readInt32BE(4) !== 80877103) return c.end();
    c.write('N');
    const head = await c.until(8);
    await c.until(head.readInt32BE(0) - 8);
    c.write(Buffer.from('520000000c0000000501020304', 'hex'));
  }, 5432);
  assert.equal(info.name, 'postgresql');
  assert.match(info.evidence ?? '', /MD5Password/);
});

test('identify: Redis open (PONG + version) and with a password', async () => {
  const open = await identifyWith(async (c) => {
    await c.until('PING\r\n');
    c.write('+PONG\r\n');
    await c.until('server\r\n');
    const text = '# Server\r\nredis_version:7.0.15\r\n';
    c.write(`$${text.length}\r\n${text}\r\n`);
  }, 6379);
  assert.equal(open.name, 'redis');
  assert.equal(open.version, '7.0.15');
  const locked = await identifyWith(async (c) => {
    await c.until('PING\r\n');
    c.write('-NOAUTH Authentication required.\r\n');
  }, 6379);
  assert.equal(locked.name, 'redis');
  assert.match(locked.evidence ?? '', /NOAUTH/);
});

test('identify: DNS over TCP (a query answered with our id)', async () => {
  const info = await identifyWith(async (c) => {
    const len = (await c.until(2)).readUInt16BE(0);
    const q = dnsPacket.decode(await c.until(len));
    c.write(frameTcp(dnsPacket.encode({ type: 'response', id: q.id ?? 0, flags: 5, questions: q.questions ?? [] })));
  }, 53);
  assert.equal(info.name, 'dns');
  assert.match(info.evidence ?? '', /REFUSED/);
});

test('identify: silent, garbage and resetting peers end as unknown within the time limit', async () => {
  const t0 = Date.now();
  const silent = await identifyWith(async () => sleep(10_000));
  assert.equal(silent.name, 'unknown');
  const garbage = await identifyWith((c) => c.write(Buffer.from('8f3a00ff17c2', 'hex')));
  assert.equal(garbage.name, 'unknown');
  assert.match(garbage.evidence ?? '', /\\x8f/);
  const reset = await identifyWith((c) => c.reset());
  assert.equal(reset.name, 'unknown');
  // 5 active identifiers × 1.5 s at most, plus the greeting waits.
  assert.ok(Date.now() - t0 < 30_000, `took ${Date.now() - t0} ms`);
});
