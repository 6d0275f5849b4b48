import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startVsftpd } from './vsftpd.js';
import { talk } from './linetalk.js';
import { stopAndProveGone, assertBoundOnlyToOwnAddress, client } from './testkit.js';

test('vsftpd careless: anonymous login accepted, no AUTH TLS', { timeout: 60_000 }, async () => {
  const peer = await startVsftpd({ address: '127.20.6.1', variant: 'careless' });
  try {
    assertBoundOnlyToOwnAddress(peer, [21]);
    const c = await talk('127.20.6.1', 21);
    try {
      assert.match(await c.reply(), /^220 /m);
      assert.doesNotMatch(await c.send('FEAT'), /AUTH TLS/);
      assert.match(await c.send('USER anonymous'), /^331 /m);
      assert.match(await c.send('PASS probe@example.org'), /^230 /m);
      assert.match(await c.send('QUIT'), /^221 /m);
    } finally {
      c.close();
    }
    // AUTH TLS really is refused: no TLS handshake after it.
    const tls = await client('openssl', ['s_client', '-connect', '127.20.6.1:21', '-starttls', 'ftp'], 15_000);
    assert.doesNotMatch(tls.stdout, /^New, TLSv1/m);
  } finally {
    await stopAndProveGone(peer, [21]);
  }
});

test('vsftpd hardened: anonymous refused, AUTH TLS offered', { timeout: 60_000 }, async () => {
  const peer = await startVsftpd({ address: '127.20.6.2', variant: 'hardened' });
  try {
    assertBoundOnlyToOwnAddress(peer, [21]);
    const c = await talk('127.20.6.2', 21);
    try {
      assert.match(await c.reply(), /^220 /m);
      assert.match(await c.send('FEAT'), /AUTH TLS/);
      const user = await c.send('USER anonymous');
      if (/^331 /m.test(user)) assert.doesNotMatch(await c.send('PASS probe@example.org'), /^2\d\d /m);
      else assert.match(user, /^5\d\d /m);
    } finally {
      c.close();
    }
    const tls = await client('openssl', ['s_client', '-connect', '127.20.6.2:21', '-starttls', 'ftp'], 15_000);
    assert.match(tls.stdout, /^New, TLSv1\.[23], Cipher is /m);
    const old = await client('openssl', ['s_client', '-connect', '127.20.6.2:21', '-starttls', 'ftp', '-tls1', '-cipher', 'ALL:@SECLEVEL=0'], 15_000);
    assert.match(old.stdout, /Cipher is \(NONE\)/, 'TLS 1.0 refused by the server side security level');
  } finally {
    await stopAndProveGone(peer, [21]);
  }
});
