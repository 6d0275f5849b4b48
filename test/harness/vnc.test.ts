import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startVnc } from './vnc.js';
import { stopAndProveGone, assertBoundOnlyToOwnAddress } from './testkit.js';

/** RFB 3.8 handshake up to the server's list of security types. */
function securityTypes(host: string, port: number, timeoutMs = 5_000): Promise<{ version: string; types: number[] }> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, host);
    let buf = Buffer.alloc(0);
    let version = '';
    const t = setTimeout(() => {
      s.destroy();
      reject(new Error('RFB handshake timed out'));
    }, timeoutMs);
    s.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      if (!version && buf.length >= 12) {
        version = buf.subarray(0, 12).toString('latin1');
        buf = buf.subarray(12);
        s.write('RFB 003.008\n');
      }
      if (version && buf.length >= 1 && buf.length >= 1 + buf[0]!) {
        clearTimeout(t);
        s.destroy();
        resolve({ version: version.trim(), types: [...buf.subarray(1, 1 + buf[0]!)] });
      }
    });
    s.on('error', (e) => {
      clearTimeout(t);
      reject(e);
    });
  });
}

test('x11vnc careless: security type None offered', { timeout: 60_000 }, async () => {
  const peer = await startVnc({ address: '127.20.9.1', variant: 'careless' });
  try {
    assertBoundOnlyToOwnAddress(peer, [5900]);
    const r = await securityTypes('127.20.9.1', 5900);
    assert.match(r.version, /^RFB 003\.00\d$/);
    assert.ok(r.types.includes(1), `types ${r.types.join(',')}`);
  } finally {
    await stopAndProveGone(peer, [5900]);
  }
});

test('x11vnc hardened: only VNC authentication offered', { timeout: 60_000 }, async () => {
  const peer = await startVnc({ address: '127.20.9.2', variant: 'hardened' });
  try {
    assertBoundOnlyToOwnAddress(peer, [5900]);
    const r = await securityTypes('127.20.9.2', 5900);
    assert.deepEqual(r.types, [2]);
  } finally {
    await stopAndProveGone(peer, [5900]);
  }
});
