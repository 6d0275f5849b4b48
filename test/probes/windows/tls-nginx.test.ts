// tls probe and TLS identification against the nginx peers (test/harness/nginx.ts):
// careless = TLS 1.0–1.2 with `ALL:eNULL:@SECLEVEL=0` (anonymous and NULL suites), plus a port with
// an RSA-1024 key and one with an expired certificate; hardened = TLS 1.2/1.3, ECDHE AEAD only.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startNginx, type NginxPorts } from '../../harness/nginx.js';
import type { Peer } from '../../harness/peer.js';
import { tlsProbe } from '../../../src/probes/tls.js';
import { TLS_IDENTIFIER } from '../../../src/scan/identifiers/catalog-windows.js';
import { netTransport } from '../../../src/io/transport.js';
import { makeCtx, byCheck } from './kit.js';

const C = '127.12.4.1';
const H = '127.12.4.2';
let careless: Peer<NginxPorts>, hardened: Peer<NginxPorts>;
const tlsSvc = { name: 'https', tls: true, method: 'handshake' as const };

before(async () => {
  [careless, hardened] = await Promise.all([startNginx({ address: C, variant: 'careless' }), startNginx({ address: H, variant: 'hardened' })]);
});
after(async () => {
  await careless?.stop();
  await hardened?.stop();
});

test('careless nginx: TLS 1.0/1.1 and anon/NULL suites accepted → legacy and weak-cipher fail', async () => {
  const { ctx } = makeCtx({ address: C, port: careless.ports.https, service: tlsSvc, hostNames: ['careless.portcullis.test'] });
  const v = byCheck(await tlsProbe.run(ctx));
  assert.equal(v['tls-legacy-protocol']?.status, 'fail', JSON.stringify(v['tls-legacy-protocol']));
  assert.match(v['tls-legacy-protocol']!.evidence.summary, /TLS 1\.0, TLS 1\.1 accepted/);
  assert.equal(v['tls-weak-cipher']?.status, 'fail');
  assert.match(v['tls-weak-cipher']!.evidence.summary, /\[anon\]/);
  assert.match(v['tls-weak-cipher']!.evidence.summary, /NULL/);
  assert.equal(v['tls-weak-key']?.status, 'pass', JSON.stringify(v['tls-weak-key']));
  assert.equal(v['tls-expired-certificate']?.status, 'pass');
  assert.equal(v['tls-hostname-mismatch']?.status, 'pass');
  assert.equal(v['tls-untrusted-certificate']?.status, 'fail');
});

test('careless nginx weak-key port → tls-weak-key fail (RSA 1024); expired port → tls-expired-certificate fail', async () => {
  const weak = byCheck(await tlsProbe.run(makeCtx({ address: C, port: careless.ports.httpsWeakKey, service: tlsSvc }).ctx));
  assert.equal(weak['tls-weak-key']?.status, 'fail', JSON.stringify(weak['tls-weak-key']));
  assert.match(weak['tls-weak-key']!.evidence.summary, /RSA 1024 bits/);
  const exp = byCheck(await tlsProbe.run(makeCtx({ address: C, port: careless.ports.httpsExpired, service: tlsSvc }).ctx));
  assert.equal(exp['tls-expired-certificate']?.status, 'fail');
  assert.match(exp['tls-expired-certificate']!.evidence.summary, /expired on .*2021/);
  // Checked against the address alone (no host name given): the certificate carries the IP SAN.
  assert.equal(exp['tls-hostname-mismatch']?.status, 'pass');
});

test('hardened nginx: TLS 1.2/1.3 AEAD only → legacy, weak-cipher, weak-key, expiry pass; the address SAN satisfies the name check', async () => {
  const { ctx } = makeCtx({ address: H, port: hardened.ports.https, service: tlsSvc, hostNames: ['www.elsewhere.test'] });
  const v = byCheck(await tlsProbe.run(ctx));
  assert.equal(v['tls-legacy-protocol']?.status, 'pass', JSON.stringify(v['tls-legacy-protocol']));
  assert.equal(v['tls-weak-cipher']?.status, 'pass', JSON.stringify(v['tls-weak-cipher']));
  assert.equal(v['tls-weak-key']?.status, 'pass');
  assert.equal(v['tls-expired-certificate']?.status, 'pass');
  // The certificate names hardened.portcullis.test and the address; the address matches.
  assert.equal(v['tls-hostname-mismatch']?.status, 'pass');
});

test('TLS identifier: both nginx HTTPS ports answer a ClientHello; the plain HTTP port does not', async () => {
  for (const [addr, port] of [
    [C, careless.ports.https],
    [H, hardened.ports.https],
  ] as const) {
    const s = await netTransport.connect(addr, port, { timeoutMs: 2000 });
    try {
      const info = await TLS_IDENTIFIER.identify(s, { address: addr, port, timeoutMs: 2000, insideTls: false });
      assert.equal(info?.name, 'tls');
      assert.equal(info?.tls, true);
    } finally {
      s.close();
    }
  }
  const s = await netTransport.connect(H, hardened.ports.http, { timeoutMs: 2000 });
  try {
    assert.equal(await TLS_IDENTIFIER.identify(s, { address: H, port: hardened.ports.http, timeoutMs: 2000, insideTls: false }), null);
  } finally {
    s.close();
  }
});
