import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startMariadb } from './mariadb.js';
import { tcpConnects } from './net.js';
import { stopAndProveGone, client, assertBoundOnlyToOwnAddress } from './testkit.js';

function greeting(host: string, port: number, timeoutMs = 5_000): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, host);
    let buf = Buffer.alloc(0);
    const t = setTimeout(() => {
      s.destroy();
      reject(new Error('no greeting'));
    }, timeoutMs);
    s.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      if (buf.length >= 4 && buf.length >= 4 + buf.readUIntLE(0, 3)) {
        clearTimeout(t);
        s.destroy();
        resolve(buf.subarray(4, 4 + buf.readUIntLE(0, 3)));
      }
    });
    s.on('error', (e) => {
      clearTimeout(t);
      reject(e);
    });
  });
}

test('mariadb careless: TCP greeting with version, root without password', { timeout: 90_000 }, async () => {
  const peer = await startMariadb({ address: '127.20.10.1', variant: 'careless' });
  try {
    assertBoundOnlyToOwnAddress(peer, [3306]);
    const g = await greeting('127.20.10.1', 3306);
    assert.equal(g[0], 10, 'protocol version 10');
    // MariaDB 10+ prefixes its version with "5.5.5-" for the sake of old MySQL clients.
    assert.match(g.subarray(1, g.indexOf(0, 1)).toString('latin1'), /^5\.5\.5-\d+\.\d+\.\d+-MariaDB/);
    const q = await client('mariadb', ['--no-defaults', '-h', '127.20.10.1', '-P', '3306', '-u', 'root', '--protocol=TCP', '-N', '-e', 'SELECT 41+1']);
    assert.equal(q.stdout.trim(), '42', q.stderr);
  } finally {
    await stopAndProveGone(peer, [3306]);
  }
});

test('mariadb hardened: no TCP listener, socket only', { timeout: 90_000 }, async () => {
  const peer = await startMariadb({ address: '127.20.10.2', variant: 'hardened' });
  try {
    assert.equal(peer.ports.mysql, 0);
    assertBoundOnlyToOwnAddress(peer, []);
    assert.equal(await tcpConnects('127.20.10.2', 3306, 1_000), false);
    const q = await client('mariadb', ['--no-defaults', `--socket=${peer.info['socket']}`, '-u', 'root', '-N', '-e', 'SELECT 41+1']);
    assert.equal(q.stdout.trim(), '42', q.stderr);
  } finally {
    await stopAndProveGone(peer, [3306]);
  }
});
