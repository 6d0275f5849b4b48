import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startPostfix } from './postfix.js';
import { talk } from './linetalk.js';
import { stopAndProveGone, assertBoundOnlyToOwnAddress } from './testkit.js';

async function relayAttempt(host: string): Promise<string> {
  const c = await talk(host, 25, 10_000);
  try {
    assert.match(await c.reply(), /^220 /m);
    assert.match(await c.send('EHLO probe.example.net'), /^250 /m);
    assert.match(await c.send('MAIL FROM:<someone@outside.example.net>'), /^250 /m);
    const rcpt = await c.send('RCPT TO:<victim@elsewhere.example.org>');
    await c.send('RSET');
    await c.send('QUIT');
    return rcpt;
  } finally {
    c.close();
  }
}

test('postfix careless: open relay accepts RCPT to an outside domain', { timeout: 60_000 }, async () => {
  const peer = await startPostfix({ address: '127.20.11.1', variant: 'careless' });
  try {
    assertBoundOnlyToOwnAddress(peer, [25]);
    assert.match(await relayAttempt('127.20.11.1'), /^250 /m);
  } finally {
    await stopAndProveGone(peer, [25]);
  }
});

test('postfix hardened: relay to an outside domain refused', { timeout: 60_000 }, async () => {
  const peer = await startPostfix({ address: '127.20.11.2', variant: 'hardened' });
  try {
    assertBoundOnlyToOwnAddress(peer, [25]);
    assert.match(await relayAttempt('127.20.11.2'), /^4\d\d .*Relay access denied/m);
  } finally {
    await stopAndProveGone(peer, [25]);
  }
});
