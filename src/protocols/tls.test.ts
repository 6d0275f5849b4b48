import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { X509Certificate } from 'node:crypto';
import { SSL3, TLS10, TLS12, TLS13, encodeClientHello, helloExchange, parseAlert, parseCertificateMessage, parseRecord, parseServerHello, tlsRecordLength } from './tls.js';
import { CIPHER_SUITES, weaknessOf } from './tls-suites.js';
import { NGINX_SSL3_ALERT, NGINX_TLS10_ECDHE_FLIGHT, NGINX_TLS12_RSA_FLIGHT, NGINX_TLS13_ALERT } from './transcripts.test-data.js';
import { assertNeverThrows, assertPrefixesFail } from './fuzz.test-util.js';
import { netTransport } from '../io/transport.js';

const hex = (s: string): Buffer => Buffer.from(s, 'hex');

test('ClientHello: record version = probed version, supported_versions only for 1.3, SNI for names only', () => {
  for (const v of [SSL3, TLS10, TLS12] as const) {
    const h = encodeClientHello({ version: v, suites: [0x002f] });
    assert.equal(h[0], 22);
    assert.equal(h.readUInt16BE(1), v);
    assert.equal(h.readUInt16BE(3), h.length - 5);
    assert.equal(h[5], 1, 'client_hello');
    assert.equal(h.readUInt16BE(9), v, 'client_version');
    assert.equal(h.includes(Buffer.from([0x00, 0x2b, 0x00, 0x03, 0x02, 0x03, 0x04])), false);
  }
  const ssl3 = encodeClientHello({ version: SSL3, suites: [0x000a] });
  assert.ok(ssl3.includes(Buffer.from([0x00, 0x04, 0x00, 0x0a, 0x00, 0xff])), 'SSL 3.0 carries the SCSV instead of extensions');
  const t13 = encodeClientHello({ version: TLS13, suites: [0x1301], serverName: 'rdp.corp.example' });
  assert.equal(t13.readUInt16BE(1), TLS10);
  assert.equal(t13.readUInt16BE(9), TLS12);
  assert.ok(t13.includes(Buffer.from([0x00, 0x2b, 0x00, 0x03, 0x02, 0x03, 0x04])));
  assert.ok(t13.includes(Buffer.from('rdp.corp.example')));
  assert.equal(encodeClientHello({ version: TLS12, suites: [0x002f], serverName: '10.1.2.3' }).includes(Buffer.from('10.1.2.3')), false);
  assert.throws(() => encodeClientHello({ version: TLS12, suites: [] }), RangeError);
});

test('recorded nginx flights: ServerHello version and suite, certificate chain, alerts', () => {
  const rec = parseRecord(hex(NGINX_TLS12_RSA_FLIGHT).subarray(0, tlsRecordLength(hex(NGINX_TLS12_RSA_FLIGHT))));
  assert.ok(rec.ok);
  const body = rec.value.fragment.subarray(4);
  const sh = parseServerHello(body);
  assert.ok(sh.ok);
  assert.equal(sh.value.version, TLS12);
  assert.equal(sh.value.cipherName, 'TLS_RSA_WITH_AES_128_CBC_SHA');
  const a13 = parseRecord(hex(NGINX_TLS13_ALERT));
  assert.ok(a13.ok);
  assert.deepEqual(parseAlert(a13.value.fragment), { ok: true, value: { level: 2, description: 70, name: 'protocol_version' } });
  const a3 = parseRecord(hex(NGINX_SSL3_ALERT));
  assert.ok(a3.ok && parseAlert(a3.value.fragment).ok);
});

test('codec robustness: truncated and corrupted records and hellos give failures, never throws', () => {
  const first = hex(NGINX_TLS10_ECDHE_FLIGHT);
  const rec = first.subarray(0, tlsRecordLength(first));
  assertPrefixesFail(rec, parseRecord);
  assertNeverThrows(rec, parseRecord);
  const body = rec.subarray(9);
  assertPrefixesFail(body, parseServerHello, (n) => n === 35 + body[34]! + 3); // ends right before the extensions: a legal hello without any
  assertNeverThrows(body, parseServerHello, 800);
  const huge = hex('1603030000');
  huge.writeUInt16BE(0xffff, 3);
  assert.equal(tlsRecordLength(huge), huge.length, 'absurd length handed to the parser, no waiting for 64 KiB');
  assert.match((parseRecord(Buffer.concat([huge, Buffer.alloc(10)])) as { error: string }).error, /over the .* limit/);
  assert.match((parseCertificateMessage(hex('ffffff000001')) as { error: string }).error, /truncated/);
});

test('certificate chain from the recorded TLS 1.2 flight parses with X509Certificate', () => {
  // Reassemble handshake messages from the records of the flight.
  let buf = hex(NGINX_TLS12_RSA_FLIGHT);
  let hs = Buffer.alloc(0);
  while (buf.length) {
    const n = tlsRecordLength(buf);
    const r = parseRecord(buf.subarray(0, n));
    assert.ok(r.ok);
    hs = Buffer.concat([hs, r.value.fragment]);
    buf = buf.subarray(n);
  }
  let certs: Buffer[] = [];
  while (hs.length >= 4) {
    const len = hs.readUIntBE(1, 3);
    if (hs[0] === 11) {
      const c = parseCertificateMessage(hs.subarray(4, 4 + len));
      assert.ok(c.ok);
      certs = c.value;
    }
    hs = hs.subarray(4 + len);
  }
  assert.equal(certs.length, 1);
  const x = new X509Certificate(certs[0]!);
  assert.equal(x.publicKey.asymmetricKeyDetails?.modulusLength, 1024);
});

test('suite table: weakness classes follow the registered names', () => {
  assert.deepEqual(weaknessOf('TLS_RSA_EXPORT_WITH_RC4_40_MD5'), ['EXPORT', 'RC4']);
  assert.deepEqual(weaknessOf('TLS_DH_anon_WITH_3DES_EDE_CBC_SHA'), ['anon', '3DES']);
  assert.deepEqual(weaknessOf('TLS_RSA_WITH_DES_CBC_SHA'), ['DES']);
  assert.deepEqual(weaknessOf('TLS_ECDHE_RSA_WITH_NULL_SHA'), ['NULL']);
  assert.deepEqual(weaknessOf('TLS_NULL_WITH_NULL_NULL'), ['NULL', 'anon']);
  assert.deepEqual(weaknessOf('TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256'), []);
  assert.equal(CIPHER_SUITES.get(0xc02f)?.tls12Only, true);
  assert.equal(CIPHER_SUITES.get(0x002f)?.tls12Only, false);
  assert.equal(CIPHER_SUITES.get(0x1301)?.tls13, true);
  assert.equal(CIPHER_SUITES.get(0x0016)?.kex, 'DHE');
});

// helloExchange over a real socket that replays bytes: the answer, a close, garbage, a trickle.
const servers: net.Server[] = [];
const sockets = new Set<net.Socket>();
after(() => {
  for (const s of sockets) s.destroy();
  for (const s of servers) s.close();
});
/** A server on an ephemeral port that answers the first bytes with `behave`; resolves to the port. */
function replay(behave: (s: net.Socket) => void): Promise<number> {
  return new Promise((resolve) => {
    const srv = net.createServer((s) => {
      sockets.add(s);
      s.on('error', () => undefined);
      s.once('data', () => behave(s));
    });
    servers.push(srv);
    srv.listen(0, '127.12.9.1', () => resolve((srv.address() as net.AddressInfo).port));
  });
}

test('helloExchange classifies ServerHello, alert, close, garbage and silence', async () => {
  const flight = await replay((s) => s.end(hex(NGINX_TLS12_RSA_FLIGHT)));
  const alert = await replay((s) => s.end(hex(NGINX_TLS13_ALERT)));
  const closer = await replay((s) => s.destroy());
  const ssh = await replay((s) => s.write('SSH-2.0-OpenSSH_9.2\r\n'));
  const silent = await replay(() => undefined);
  const cut = await replay((s) => s.write(hex('16030300ff02')));
  const hello = encodeClientHello({ version: TLS12, suites: [0x002f] });
  const run = async (port: number) => {
    const st = await netTransport.connect('127.12.9.1', port, { timeoutMs: 1000 });
    try {
      return await helloExchange(st, hello, { timeoutMs: 400, collect: true });
    } finally {
      st.close();
    }
  };
  const ok = await run(flight);
  assert.equal(ok.kind, 'server-hello');
  assert.equal(ok.kind === 'server-hello' && ok.certificates.length, 1);
  assert.equal((await run(alert)).kind, 'alert');
  assert.equal((await run(closer)).kind, 'closed');
  const g = await run(ssh);
  assert.equal(g.kind, 'broken');
  assert.match(g.kind === 'broken' ? g.detail : '', /not a TLS record/);
  const quiet = await run(silent);
  assert.equal(quiet.kind, 'broken');
  assert.match(quiet.kind === 'broken' ? quiet.detail : '', /time limit/);
  assert.equal((await run(cut)).kind, 'broken', 'a record cut short stays broken, not "closed"');
});
