import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startNginx } from './nginx.js';
import { stopAndProveGone, client, assertBoundOnlyToOwnAddress } from './testkit.js';

test('nginx careless: version banner, listing, WebDAV PUT, legacy TLS, weak key, expired cert', { timeout: 60_000 }, async () => {
  const peer = await startNginx({ address: '127.20.1.1', variant: 'careless' });
  try {
    const { http, https, httpsWeakKey, httpsExpired } = peer.ports;
    assertBoundOnlyToOwnAddress(peer, [http, https, httpsWeakKey, httpsExpired]);
    const head = await client('curl', ['-sS', '-I', '--max-time', '5', `http://127.20.1.1:${http}/`]);
    assert.match(head.stdout, /^HTTP\/1\.1 200/m);
    assert.match(head.stdout, /^Server: nginx\/\d+\.\d+\.\d+/im);
    assert.match(head.stdout, /^X-Powered-By: ASP\.NET/im);
    const home = await client('curl', ['-sS', '--max-time', '5', `http://127.20.1.1:${http}/`]);
    assert.match(home.stdout, /<title>Welcome to nginx!<\/title>/);
    const listing = await client('curl', ['-sS', '--max-time', '5', `http://127.20.1.1:${http}/files/`]);
    assert.match(listing.stdout, /Index of \/files\//);
    const put = await client('curl', ['-sS', '-o', '/dev/null', '-w', '%{http_code}', '-X', 'PUT', '--data', 'x', '--max-time', '5', `http://127.20.1.1:${http}/dav/probe.txt`]);
    assert.equal(put.stdout, '201');
    const del = await client('curl', ['-sS', '-o', '/dev/null', '-w', '%{http_code}', '-X', 'DELETE', '--max-time', '5', `http://127.20.1.1:${http}/dav/probe.txt`]);
    assert.equal(del.stdout, '204');
    const propfind = await client('curl', ['-sS', '-o', '/dev/null', '-w', '%{http_code}', '-X', 'PROPFIND', '-H', 'Depth: 1', '--max-time', '5', `http://127.20.1.1:${http}/dav/`]);
    assert.equal(propfind.stdout, peer.info['propfind'] === 'yes' ? '207' : '405');
    const trace = await client('curl', ['-sS', '-o', '/dev/null', '-w', '%{http_code}', '-X', 'TRACE', '--max-time', '5', `http://127.20.1.1:${http}/`]);
    assert.equal(trace.stdout, '405', 'nginx never allows TRACE');
    // TLS 1.0 with an anonymous suite, and a NULL-encryption suite, are accepted (the client needs
    // SECLEVEL=0 on its side too). This OpenSSL build has no 3DES/RC4/DES at all.
    const tls10 = await client('openssl', ['s_client', '-connect', `127.20.1.1:${https}`, '-tls1', '-cipher', 'aNULL:@SECLEVEL=0'], 10_000);
    assert.match(tls10.stdout, /^\s*Protocol\s*:\s*TLSv1$/m);
    assert.match(tls10.stdout, /^\s*Cipher\s*:\s*AECDH-AES256-SHA$/m);
    const nul = await client('openssl', ['s_client', '-connect', `127.20.1.1:${https}`, '-tls1_2', '-cipher', 'eNULL:@SECLEVEL=0'], 10_000);
    assert.match(nul.stdout, /^\s*Protocol\s*:\s*TLSv1\.2$/m);
    assert.match(nul.stdout, /^\s*Cipher\s*:\s*\S*-NULL-\S*$/m);
    const hsts = await client('curl', ['-sS', '-k', '-I', '--max-time', '5', `https://127.20.1.1:${https}/`]);
    assert.match(hsts.stdout, /^HTTP\/1\.1 200/m);
    assert.doesNotMatch(hsts.stdout, /strict-transport-security/i);
    const weak = await client('openssl', ['s_client', '-connect', `127.20.1.1:${httpsWeakKey}`, '-cipher', 'ALL:@SECLEVEL=0'], 10_000);
    assert.match(weak.stdout, /Server public key is 1024 bit/);
    const dhe = await client('openssl', ['s_client', '-connect', `127.20.1.1:${httpsWeakKey}`, '-tls1_2', '-cipher', 'DHE-RSA-AES128-SHA:@SECLEVEL=0'], 10_000);
    assert.match(dhe.stdout, /Server Temp Key: DH, 1024 bits/);
    const exp = await client('openssl', ['s_client', '-connect', `127.20.1.1:${httpsExpired}`], 10_000);
    assert.match(exp.stdout, /NotAfter: Jan  1 00:00:00 2021 GMT/);
  } finally {
    await stopAndProveGone(peer, [80, 443, 8443, 9443]);
  }
});

test('nginx hardened: no version, redirect, no DAV, TLS 1.2+ only, HSTS', { timeout: 60_000 }, async () => {
  const peer = await startNginx({ address: '127.20.1.2', variant: 'hardened' });
  try {
    const { http, https } = peer.ports;
    assert.equal(peer.ports.httpsWeakKey, 0);
    assertBoundOnlyToOwnAddress(peer, [http, https]);
    const head = await client('curl', ['-sS', '-I', '--max-time', '5', `http://127.20.1.2:${http}/files/`]);
    assert.match(head.stdout, /^HTTP\/1\.1 301/m);
    assert.match(head.stdout, /^Location: https:\/\/127\.20\.1\.2\/files\//im);
    assert.match(head.stdout, /^Server: nginx\r?$/im);
    assert.doesNotMatch(head.stdout, /X-Powered-By/i);
    const s = await client('curl', ['-sS', '-k', '-D', '-', '-o', '/dev/null', '--max-time', '5', `https://127.20.1.2:${https}/`]);
    assert.match(s.stdout, /^strict-transport-security: max-age=/im);
    const listing = await client('curl', ['-sS', '-k', '-o', '/dev/null', '-w', '%{http_code}', '--max-time', '5', `https://127.20.1.2:${https}/files/`]);
    assert.equal(listing.stdout, '403');
    const put = await client('curl', ['-sS', '-k', '-o', '/dev/null', '-w', '%{http_code}', '-X', 'PUT', '--data', 'x', '--max-time', '5', `https://127.20.1.2:${https}/dav/probe.txt`]);
    assert.equal(put.stdout, '405');
    const tls10 = await client('openssl', ['s_client', '-connect', `127.20.1.2:${https}`, '-tls1', '-cipher', 'ALL:@SECLEVEL=0'], 10_000);
    assert.match(tls10.stdout, /^New, \(NONE\), Cipher is \(NONE\)/m);
    const tls12 = await client('openssl', ['s_client', '-connect', `127.20.1.2:${https}`, '-tls1_2'], 10_000);
    assert.match(tls12.stdout, /^New, TLSv1\.2, Cipher is ECDHE-RSA-AES\d+-GCM-SHA\d+/m);
  } finally {
    await stopAndProveGone(peer, [80, 443]);
  }
});
