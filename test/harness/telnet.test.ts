import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startTelnet } from './telnet.js';
import { tcpConnects } from './net.js';
import { stopAndProveGone, assertBoundOnlyToOwnAddress } from './testkit.js';

function firstBytes(host: string, port: number, timeoutMs = 5_000): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, host);
    const t = setTimeout(() => {
      s.destroy();
      reject(new Error('no bytes from telnetd'));
    }, timeoutMs);
    s.once('data', (d: Buffer) => {
      clearTimeout(t);
      s.destroy();
      resolve(d);
    });
    s.on('error', (e) => {
      clearTimeout(t);
      reject(e);
    });
  });
}

test('telnet careless: inetd hands connections to telnetd, which negotiates options (IAC)', { timeout: 60_000 }, async () => {
  const peer = await startTelnet({ address: '127.20.7.1', variant: 'careless' });
  try {
    assertBoundOnlyToOwnAddress(peer, [23]);
    const d = await firstBytes('127.20.7.1', 23);
    assert.equal(d[0], 0xff, 'first byte is IAC');
    assert.ok([0xfb, 0xfc, 0xfd, 0xfe].includes(d[1]!), 'followed by WILL/WONT/DO/DONT');
  } finally {
    await stopAndProveGone(peer, [23]);
  }
});

test('telnet hardened: nothing listens', { timeout: 20_000 }, async () => {
  const peer = await startTelnet({ address: '127.20.7.2', variant: 'hardened' });
  try {
    assert.deepEqual(peer.pids, []);
    assert.equal(await tcpConnects('127.20.7.2', 23, 1_000), false);
  } finally {
    await peer.stop();
  }
});
