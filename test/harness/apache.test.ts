import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startApache } from './apache.js';
import { stopAndProveGone, client, assertBoundOnlyToOwnAddress } from './testkit.js';

/** Status code of one curl request (`-X METHOD`), extra curl args allowed. */
async function status(method: string, url: string, extra: readonly string[] = []): Promise<string> {
  const r = await client('curl', ['-sS', '-o', '/dev/null', '-w', '%{http_code}', '-X', method, '--max-time', '5', ...extra, url]);
  return r.stdout;
}

test('apache careless: TRACE echoes, OPTIONS 200 with Allow, full banner and signature', { timeout: 60_000 }, async () => {
  const peer = await startApache({ address: '127.20.14.1', variant: 'careless' });
  try {
    const { http } = peer.ports;
    assertBoundOnlyToOwnAddress(peer, [http]);
    const base = `http://127.20.14.1:${http}`;
    const trace = await client('curl', ['-sS', '-i', '-X', 'TRACE', '-H', 'X-Harness-Marker: apache-careless-7f3', '--max-time', '5', `${base}/`]);
    assert.match(trace.stdout, /^HTTP\/1\.1 200/m);
    assert.match(trace.stdout, /^Content-Type: message\/http/im);
    // The request comes back in the body: the marker header is the proof, as in the probe.
    assert.match(trace.stdout, /^TRACE \/ HTTP\/1\.1\r?$/m);
    assert.match(trace.stdout, /^X-Harness-Marker: apache-careless-7f3\r?$/m);
    const options = await client('curl', ['-sS', '-i', '-X', 'OPTIONS', '--max-time', '5', `${base}/`]);
    assert.match(options.stdout, /^HTTP\/1\.1 200/m);
    assert.match(options.stdout, /^Allow: [^\r\n]*\bOPTIONS\b[^\r\n]*\bTRACE\b/im);
    // The baseline the probe compares OPTIONS with: an invented method is not simply accepted.
    assert.equal(await status('PORTCULLISX', `${base}/`), '501');
    const head = await client('curl', ['-sS', '-I', '--max-time', '5', `${base}/`]);
    assert.match(head.stdout, /^Server: Apache\/2\.4\.\d+/im);
    const missing = await client('curl', ['-sS', '--max-time', '5', `${base}/no-such-thing`]);
    assert.match(missing.stdout, /<address>Apache\/2\.4\.\d+[^<]* Server at /);
  } finally {
    await stopAndProveGone(peer, [80]);
  }
});

test('apache hardened: TRACE and OPTIONS 405, only GET/POST/HEAD, product-only banner', { timeout: 60_000 }, async () => {
  const peer = await startApache({ address: '127.20.14.2', variant: 'hardened' });
  try {
    const { http } = peer.ports;
    assertBoundOnlyToOwnAddress(peer, [http]);
    const base = `http://127.20.14.2:${http}`;
    const trace = await client('curl', ['-sS', '-i', '-X', 'TRACE', '-H', 'X-Harness-Marker: apache-hardened-7f3', '--max-time', '5', `${base}/`]);
    assert.match(trace.stdout, /^HTTP\/1\.1 405/m);
    assert.doesNotMatch(trace.stdout, /apache-hardened-7f3/);
    assert.equal(await status('OPTIONS', `${base}/`), '405');
    for (const m of ['PROPFIND', 'PUT', 'DELETE']) assert.equal(await status(m, `${base}/`), '405', m);
    for (const m of ['GET', 'POST']) assert.equal(await status(m, `${base}/`), '200', m);
    const head = await client('curl', ['-sS', '-I', '--max-time', '5', `${base}/`]);
    assert.match(head.stdout, /^HTTP\/1\.1 200/m);
    assert.match(head.stdout, /^Server: Apache\r?$/im);
    const missing = await client('curl', ['-sS', '-i', '--max-time', '5', `${base}/no-such-thing`]);
    assert.match(missing.stdout, /^HTTP\/1\.1 404/m);
    assert.doesNotMatch(missing.stdout, /<address>/);
  } finally {
    await stopAndProveGone(peer, [80]);
  }
});

test('apache: a bad option is refused before anything starts', async () => {
  await assert.rejects(startApache({ address: '0.0.0.0', variant: 'careless' }), /not a single 127\.x\.y\.z/);
  await assert.rejects(startApache({ address: '127.20.14.3', variant: 'sloppy' as never }), /variant must be/);
  await assert.rejects(startApache({ address: '127.20.14.3', variant: 'careless', ports: { http: 70000 } }), /port 70000/);
});
