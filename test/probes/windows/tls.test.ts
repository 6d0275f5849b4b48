// The TLS checks against real TLS servers on 127.12.1.x: openssl s_server (TLS 1.0 + 3DES/anon,
// careless) and Node's TLS server (TLS 1.2/1.3 only, strong suites, hardened), plus certificates
// made by openssl: self-signed, 1024-bit, expired (harness helper), name-mismatched.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import tls from 'node:tls';
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tlsChecks, tlsProbe, judgeTrust, domainSuffix } from '../../../src/probes/tls.js';
import { makeCtx, statusOf, byCheck, makeCert, opensslServer, runThroughRunner, type Child } from './kit.js';
import { makeCertificate } from '../../harness/tls.js';
import { X509Certificate } from 'node:crypto';

const A = '127.12.1.1';
/** openssl s_server needs a port up front: a random one in a range no other test of ours uses. */
const randomPort = (): number => 20_000 + Math.floor(Math.random() * 20_000);
const children: Child[] = [];
const servers: tls.Server[] = [];
const dirs: string[] = [];
after(async () => {
  for (const c of children) await c.stop();
  for (const s of servers) await new Promise<void>((r) => s.close(() => r()));
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A Node TLS server on an ephemeral port (concurrent test runs must not collide); resolves to the port. */
function nodeServer(cert: string, key: string, opts: tls.TlsOptions = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = tls.createServer({ cert: readFileSync(cert), key: readFileSync(key), minVersion: 'TLSv1.2', ...opts }, (sock) => sock.end());
    s.on('tlsClientError', () => undefined);
    s.once('error', reject);
    s.listen(0, A, () => {
      servers.push(s);
      resolve((s.address() as { port: number }).port);
    });
  });
}

function direct(ctx: ReturnType<typeof makeCtx>['ctx']) {
  return { via: 'direct TLS', open: () => ctx.io.connect(ctx.address, ctx.port, { timeoutMs: 3000 }) };
}

test('careless: openssl s_server with TLS 1.0 and an anonymous suite (this OpenSSL has no 3DES, RC4 or NULL), 1024-bit self-signed cert → fails', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pc-win-tls-'));
  dirs.push(dir);
  const c = await makeCertificate(dir, { commonName: 'legacy.corp.example.test', address: A, bits: 1024 });
  const p1 = randomPort();
  const srv = await opensslServer(A, p1, { dir, cert: c.cert, key: c.key }, ['-tls1', '-cipher', 'ADH-AES128-SHA:AES128-SHA:@SECLEVEL=0']);
  children.push(srv);
  const { ctx, learned } = makeCtx({ address: A, port: p1, hostNames: ['legacy.corp.example.test'] });
  const v = await tlsChecks(ctx, direct(ctx));
  const s = statusOf(v);
  const b = byCheck(v);
  assert.equal(s['tls-legacy-protocol'], 'fail', JSON.stringify(b['tls-legacy-protocol']));
  assert.match(b['tls-legacy-protocol']!.evidence.summary, /TLS 1\.0/);
  assert.equal(s['tls-weak-cipher'], 'fail', JSON.stringify(b['tls-weak-cipher']));
  assert.match(b['tls-weak-cipher']!.evidence.summary, /TLS_DH_anon_WITH_AES_128_CBC_SHA \[anon\]/);
  assert.equal(s['tls-weak-key'], 'fail', JSON.stringify(b['tls-weak-key']));
  assert.match(b['tls-weak-key']!.evidence.summary, /RSA 1024/);
  assert.equal(s['tls-untrusted-certificate'], 'fail');
  assert.match(b['tls-untrusted-certificate']!.evidence.summary, /self-signed/);
  assert.equal(s['tls-expired-certificate'], 'pass');
  assert.equal(s['tls-hostname-mismatch'], 'pass');
  assert.ok(learned.some((f) => f.kind === 'domain' && f.value === 'corp.example.test'), JSON.stringify(learned));
});

test('hardened: Node TLS 1.2/1.3 server, strong suites, 2048-bit cert naming the host → legacy/weak/key/expiry/name pass', async () => {
  const c = makeCert({ cn: 'web.example.test', san: `DNS:web.example.test,IP:${A}` });
  dirs.push(c.dir);
  const port = await nodeServer(c.cert, c.key);
  const { ctx } = makeCtx({ address: A, port, hostNames: ['web.example.test'] });
  const v = await tlsChecks(ctx, direct(ctx));
  const s = statusOf(v);
  const b = byCheck(v);
  assert.equal(s['tls-legacy-protocol'], 'pass', JSON.stringify(b['tls-legacy-protocol']));
  assert.match(b['tls-legacy-protocol']!.evidence.summary, /TLS 1\.2, TLS 1\.3/);
  assert.equal(s['tls-weak-cipher'], 'pass', JSON.stringify(b['tls-weak-cipher']));
  assert.equal(s['tls-weak-key'], 'pass', JSON.stringify(b['tls-weak-key']));
  assert.equal(s['tls-expired-certificate'], 'pass');
  assert.equal(s['tls-hostname-mismatch'], 'pass');
  // Self-signed stays untrusted: no test CA is in Node's root store.
  assert.equal(s['tls-untrusted-certificate'], 'fail');
});

test('expired certificate and a name that matches nothing → fail those two', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pc-win-tls-'));
  dirs.push(dir);
  const c = await makeCertificate(dir, { commonName: 'old.example.test', address: '127.12.99.99', expired: true });
  const port = await nodeServer(c.cert, c.key);
  const { ctx } = makeCtx({ address: A, port, hostNames: ['other.example.test'] });
  const s = statusOf(await tlsChecks(ctx, direct(ctx)));
  assert.equal(s['tls-expired-certificate'], 'fail');
  assert.equal(s['tls-hostname-mismatch'], 'fail');
});

test('TLS 1.1-only server is legacy; the probe through the runner reports it', async () => {
  const c = makeCert({ cn: 'v11.example.test' });
  dirs.push(c.dir);
  const p4 = randomPort();
  children.push(await opensslServer(A, p4, c, ['-tls1_1', '-cipher', 'DEFAULT:@SECLEVEL=0']));
  const findings = await runThroughRunner(tlsProbe, { address: A, port: p4, service: { name: 'tls', tls: true, method: 'handshake' } });
  const legacy = findings.find((f) => f.id === 'tls-legacy-protocol');
  assert.equal(legacy?.status, 'fail', JSON.stringify(legacy));
  assert.match(legacy!.evidence.summary, /TLS 1\.1/);
  assert.doesNotMatch(legacy!.evidence.summary, /TLS 1\.0/);
});

test('nothing speaks TLS (plain TCP echo of garbage) → every check is error, not pass', async () => {
  const net = await import('node:net');
  const srv = net.createServer((s) => {
    s.on('error', () => undefined);
    s.end('HTTP/1.0 400 Bad Request\r\n\r\n');
  });
  await new Promise<void>((r) => srv.listen(0, A, () => r()));
  try {
    const { ctx } = makeCtx({ address: A, port: (srv.address() as { port: number }).port, timeoutMs: 8000 });
    const v = await tlsChecks(ctx, direct(ctx));
    assert.equal(v.length, 6);
    for (const x of v) assert.equal(x.status, 'error', `${x.check}: ${x.evidence.summary}`);
  } finally {
    await new Promise<void>((r) => srv.close(() => r()));
  }
});

test('trust and name helpers', () => {
  const c = makeCert({ cn: 'a.b.example.test' });
  dirs.push(c.dir);
  const x = new X509Certificate(readFileSync(c.cert));
  const t = judgeTrust([x]);
  assert.equal(t.trusted, false);
  assert.equal(t.selfSigned, true);
  assert.equal(domainSuffix('*.corp.example.com'), 'corp.example.com');
  assert.equal(domainSuffix('web01.corp.example.com'), 'corp.example.com');
  assert.equal(domainSuffix('example'), null);
  assert.equal(domainSuffix('host.com'), null);
});
