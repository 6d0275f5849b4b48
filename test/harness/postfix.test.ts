import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startPostfix } from './postfix.js';
import { talk } from './linetalk.js';
import { stopAndProveGone, assertBoundOnlyToOwnAddress, client } from './testkit.js';

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
    const tls = await client('openssl', ['s_client', '-connect', '127.20.11.1:25', '-starttls', 'smtp', '-tls1', '-cipher', 'ALL:@SECLEVEL=0'], 15_000);
    assert.match(tls.stdout, /^\s*Protocol\s*:\s*TLSv1$/m);
    assert.match(tls.stdout, /Server public key is 1024 bit/);
  } finally {
    await stopAndProveGone(peer, [25]);
  }
});

test('postfix hardened: relay to an outside domain refused', { timeout: 60_000 }, async () => {
  const peer = await startPostfix({ address: '127.20.11.2', variant: 'hardened' });
  try {
    assertBoundOnlyToOwnAddress(peer, [25]);
    assert.match(await relayAttempt('127.20.11.2'), /^4\d\d .*Relay access denied/m);
    const old = await client('openssl', ['s_client', '-connect', '127.20.11.2:25', '-starttls', 'smtp', '-tls1', '-cipher', 'ALL:@SECLEVEL=0'], 15_000);
    assert.match(old.stdout, /Cipher is \(NONE\)/);
    const tls = await client('openssl', ['s_client', '-connect', '127.20.11.2:25', '-starttls', 'smtp'], 15_000);
    assert.match(tls.stdout, /^New, TLSv1\.[23], Cipher is (TLS_AES|TLS_CHACHA20|ECDHE-RSA-AES\d+-GCM|ECDHE-RSA-CHACHA20)/m);
  } finally {
    await stopAndProveGone(peer, [25]);
  }
});
