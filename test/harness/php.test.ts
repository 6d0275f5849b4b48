import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startPhp } from './php.js';
import { stopAndProveGone, client, assertBoundOnlyToOwnAddress } from './testkit.js';

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

test('php careless: a missing page answers 404 with a PHP warning naming the script path', { timeout: 60_000 }, async () => {
  const peer = await startPhp({ address: '127.20.15.1', variant: 'careless' });
  try {
    const { http } = peer.ports;
    assertBoundOnlyToOwnAddress(peer, [http]);
    const base = `http://127.20.15.1:${http}`;
    const home = await client('curl', ['-sS', '-i', '--max-time', '5', `${base}/`]);
    assert.match(home.stdout, /^HTTP\/1\.1 200/m);
    assert.match(home.stdout, /^X-Powered-By: PHP\/\d+\.\d+/im);
    assert.match((await client('curl', ['-sS', '--max-time', '5', `${base}/about`])).stdout, /about this test application/);
    // A random path, as the probe invents one: PHP's own warning with the physical path is in the 404 body.
    const miss = await client('curl', ['-sS', '-i', '--max-time', '5', `${base}/portcullis-harness-91c2`]);
    assert.match(miss.stdout, /^HTTP\/1\.1 404/m);
    assert.match(miss.stdout, new RegExp(`<b>Warning</b>:.* in <b>${escape(peer.info['router']!)}</b> on line <b>\\d+</b>`));
    assert.match(miss.stdout, /pages\/portcullis-harness-91c2\.php/);
    const aspx = await client('curl', ['-sS', '-i', '--max-time', '5', `${base}/portcullis-harness-91c2.aspx`]);
    assert.match(aspx.stdout, /^HTTP\/1\.1 404/m);
    assert.match(aspx.stdout, /<b>Warning<\/b>:/);
    const options = await client('curl', ['-sS', '-o', '/dev/null', '-w', '%{http_code}', '-X', 'OPTIONS', '--max-time', '5', `${base}/`]);
    assert.equal(options.stdout, '405');
  } finally {
    await stopAndProveGone(peer, [80]);
  }
});

test('php hardened: the same 404 shows no warning and no path, no X-Powered-By', { timeout: 60_000 }, async () => {
  const peer = await startPhp({ address: '127.20.15.2', variant: 'hardened' });
  try {
    const { http } = peer.ports;
    assertBoundOnlyToOwnAddress(peer, [http]);
    const base = `http://127.20.15.2:${http}`;
    const miss = await client('curl', ['-sS', '-i', '--max-time', '5', `${base}/portcullis-harness-91c2`]);
    assert.match(miss.stdout, /^HTTP\/1\.1 404/m);
    assert.match(miss.stdout, /Page not found/);
    assert.doesNotMatch(miss.stdout, /Warning|router\.php|\/pages\//);
    assert.doesNotMatch(miss.stdout, /X-Powered-By/i);
    // The warning still happened — in the server's log, where it belongs.
    assert.match(peer.logs(), /PHP Warning: .*portcullis-harness-91c2\.php/);
    for (const m of ['OPTIONS', 'TRACE', 'PROPFIND']) {
      const r = await client('curl', ['-sS', '-o', '/dev/null', '-w', '%{http_code}', '-X', m, '--max-time', '5', `${base}/`]);
      assert.equal(r.stdout, '405', m);
    }
  } finally {
    await stopAndProveGone(peer, [80]);
  }
});
