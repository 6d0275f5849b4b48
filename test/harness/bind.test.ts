import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startBind } from './bind.js';
import { stopAndProveGone, client, assertBoundOnlyToOwnAddress } from './testkit.js';

test('bind9 careless: AXFR to anyone, open recursion (SERVFAIL after a delay), version shown', { timeout: 90_000 }, async () => {
  const peer = await startBind({ address: '127.20.2.1', variant: 'careless' });
  try {
    assertBoundOnlyToOwnAddress(peer, [53], [53]);
    const axfr = await client('dig', ['+tcp', '+time=5', '+tries=1', '-p', '53', '@127.20.2.1', 'corp.test', 'AXFR']);
    assert.match(axfr.stdout, /^dc01\.corp\.test\.\s+300\s+IN\s+A\s+127\.20\.2\.1$/m);
    assert.doesNotMatch(axfr.stdout, /Transfer failed/);
    const ver = await client('dig', ['+short', '+time=5', '+tries=1', '@127.20.2.1', 'version.bind', 'TXT', 'CH']);
    assert.match(ver.stdout, /^"9\.\d+\.\d+/m);
    const t0 = Date.now();
    const rec = await client('dig', ['+time=20', '+tries=1', '@127.20.2.1', 'www.example.org', 'A'], 30_000);
    const took = Date.now() - t0;
    assert.match(rec.stdout, /status: SERVFAIL/);
    assert.match(rec.stdout, /flags: qr rd ra;/);
    assert.ok(took >= 1_500, `recursive SERVFAIL should come after a delay, came after ${took} ms`);
  } finally {
    await stopAndProveGone(peer, [53, 10053], [53, 10053]);
  }
});

test('bind9 hardened: AXFR refused, no recursion, version hidden', { timeout: 60_000 }, async () => {
  const peer = await startBind({ address: '127.20.2.2', variant: 'hardened' });
  try {
    assertBoundOnlyToOwnAddress(peer, [53], [53]);
    const soa = await client('dig', ['+short', '+time=5', '+tries=1', '@127.20.2.2', 'corp.test', 'SOA']);
    assert.match(soa.stdout, /^ns1\.corp\.test\. hostmaster\.corp\.test\. 2024010101 /m);
    const axfr = await client('dig', ['+tcp', '+time=5', '+tries=1', '@127.20.2.2', 'corp.test', 'AXFR']);
    assert.match(axfr.stdout, /Transfer failed/);
    const ver = await client('dig', ['+time=5', '+tries=1', '@127.20.2.2', 'version.bind', 'TXT', 'CH']);
    // `version none` answers NOERROR with an empty answer section (and a version.bind SOA).
    assert.doesNotMatch(ver.stdout, /"9\.\d+/);
    assert.match(ver.stdout, /status: NOERROR/);
    assert.match(ver.stdout, /ANSWER: 0,/);
    const rec = await client('dig', ['+time=5', '+tries=1', '@127.20.2.2', 'www.example.org', 'A']);
    assert.match(rec.stdout, /status: REFUSED/);
    assert.doesNotMatch(rec.stdout, /flags: [^;]*\bra\b/);
  } finally {
    await stopAndProveGone(peer, [53], [53]);
  }
});
