import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeCertificate, makeCertificateAuthority } from './tls.js';
import { startNginx } from './nginx.js';
import { stopAndProveGone, client, assertBoundOnlyToOwnAddress } from './testkit.js';

test('private CA: the issued certificate verifies against the CA and only against it', { timeout: 60_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'portcullis-tls-test-'));
  try {
    const ca = await makeCertificateAuthority(dir, { commonName: 'harness test CA' });
    const leaf = await makeCertificate(dir, { commonName: 'peer.portcullis.test', address: '127.20.16.9', issuer: ca });
    const other = await makeCertificateAuthority(dir, { commonName: 'unrelated CA', name: 'other' });
    const ok = await client('openssl', ['verify', '-CAfile', ca.cert, '-purpose', 'sslserver', '-verify_ip', '127.20.16.9', leaf.cert]);
    assert.equal(ok.code, 0, ok.stdout + ok.stderr);
    const wrong = await client('openssl', ['verify', '-CAfile', other.cert, leaf.cert]);
    assert.notEqual(wrong.code, 0, 'a certificate must not verify against a CA that did not issue it');
    const text = await client('openssl', ['x509', '-in', leaf.cert, '-noout', '-text']);
    assert.match(text.stdout, /DNS:peer\.portcullis\.test, IP Address:127\.20\.16\.9/);
    assert.match(text.stdout, /CA:FALSE/);
    assert.match(text.stdout, /Issuer: CN ?= ?harness test CA/);
    await assert.rejects(makeCertificate(dir, { commonName: 'x.test', address: '127.20.16.9', issuer: ca, expired: true }), /never made expired/);
    await assert.rejects(makeCertificateAuthority(dir, { commonName: 'bad/CN' }), /CA CN/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/**
 * A fresh Node process (NODE_EXTRA_CA_CERTS is read at start-up) that connects with full
 * verification and then asks the TLS probe's judgeTrust about the presented chain.
 */
const CHILD = `
import tls from 'node:tls';
import { X509Certificate } from 'node:crypto';
const { judgeTrust } = await import(process.env.PROBE_MODULE);
const [host, port] = [process.env.PEER_HOST, Number(process.env.PEER_PORT)];
const s = tls.connect({ host, port, rejectUnauthorized: false });
s.setTimeout(5000, () => { console.log(JSON.stringify({ error: 'timeout' })); process.exit(1); });
s.once('error', (e) => { console.log(JSON.stringify({ error: e.message })); process.exit(1); });
s.once('secureConnect', () => {
  const chain = [];
  for (let c = s.getPeerCertificate(true), n = 0; c && c.raw && n < 5; n++) {
    chain.push(new X509Certificate(c.raw));
    if (c.issuerCertificate === c) break;
    c = c.issuerCertificate;
  }
  const t = judgeTrust(chain);
  console.log(JSON.stringify({ authorized: s.authorized, authorizationError: s.authorizationError ?? null, trusted: t.trusted, reason: t.reason }));
  s.end();
  process.exit(0);
});
`;

async function askNode(host: string, port: number, extraCa: string | null): Promise<{ authorized: boolean; authorizationError: string | null; trusted: boolean; reason: string }> {
  const probeModule = new URL('../../src/probes/tls.js', import.meta.url).href;
  const env: NodeJS.ProcessEnv = { ...process.env, PROBE_MODULE: probeModule, PEER_HOST: host, PEER_PORT: String(port) };
  if (extraCa) env['NODE_EXTRA_CA_CERTS'] = extraCa;
  else delete env['NODE_EXTRA_CA_CERTS'];
  const { execFile } = await import('node:child_process');
  const out = await new Promise<string>((resolve, reject) => {
    execFile(process.execPath, ['--input-type=module', '-e', CHILD], { env, timeout: 15_000, cwd: fileURLToPath(new URL('.', import.meta.url)) }, (err, stdout, stderr) => {
      if (err && !stdout) reject(new Error(`${err.message}\n${stderr}`));
      else resolve(stdout);
    });
  });
  return JSON.parse(out.trim().split('\n').at(-1)!) as { authorized: boolean; authorizationError: string | null; trusted: boolean; reason: string };
}

test('nginx certificate: private-ca is anchored for Node (and judgeTrust) only with NODE_EXTRA_CA_CERTS', { timeout: 90_000 }, async () => {
  const peer = await startNginx({ address: '127.20.16.1', variant: 'hardened', certificate: 'private-ca' });
  try {
    const { http, https } = peer.ports;
    assertBoundOnlyToOwnAddress(peer, [http, https]);
    const caCert = peer.info['caCert']!;
    assert.ok(caCert.startsWith(peer.dir), `caCert ${caCert} should live in the peer dir`);
    const verified = await client('openssl', ['s_client', '-connect', `127.20.16.1:${https}`, '-CAfile', caCert, '-verify_return_error', '-verify_ip', '127.20.16.1'], 10_000);
    assert.match(verified.stdout, /Verify return code: 0 \(ok\)/);
    const withCa = await askNode('127.20.16.1', https, caCert);
    assert.equal(withCa.authorized, true, `Node's own TLS stack should anchor the chain: ${withCa.authorizationError}`);
    assert.equal(withCa.trusted, true, withCa.reason);
    assert.match(withCa.reason, /anchored at trusted root CN=portcullis hardened test CA/);
    const without = await askNode('127.20.16.1', https, null);
    assert.equal(without.authorized, false);
    assert.equal(without.trusted, false, without.reason);
    assert.match(without.reason, /neither presented nor a trusted root/);
  } finally {
    await stopAndProveGone(peer, [80, 443]);
  }
});

test('nginx certificate: the default stays self-signed, and a bad value is refused', { timeout: 60_000 }, async () => {
  await assert.rejects(startNginx({ address: '127.20.16.2', variant: 'hardened', certificate: 'public' as never }), /certificate must be/);
  const peer = await startNginx({ address: '127.20.16.2', variant: 'hardened' });
  try {
    assert.equal(peer.info['caCert'], '');
    const s = await client('openssl', ['s_client', '-connect', `127.20.16.2:${peer.ports.https}`], 10_000);
    assert.match(s.stdout, /self[- ]signed certificate/i);
  } finally {
    await stopAndProveGone(peer, [80, 443]);
  }
});
