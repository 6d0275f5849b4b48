import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PeerBuilder } from './peer.js';
import { pidExists, descendantsOf } from './process.js';
import { waitUntil } from './net.js';
import { existsSync } from 'node:fs';

test('stop() ends a daemon that double-forks and ignores SIGTERM, and reaps it (kill -0 fails)', { timeout: 30_000 }, async () => {
  const b = new PeerBuilder('selftest', { address: '127.20.13.1', variant: 'careless' });
  // A shell that ignores TERM and leaves a setsid'd grandchild behind that ignores TERM too —
  // the worst case of a daemon: only SIGKILL ends them, and the grandchild is an orphan.
  const sp = await b.spawn('stubborn', 'sh', ['-c', 'trap "" TERM; setsid sh -c \'trap "" TERM; echo $$ > grandchild.pid; while :; do sleep 1; done\' & while :; do sleep 1; done']);
  await waitUntil('grandchild pid file', () => existsSync(b.path('grandchild.pid')), 5_000, [sp]);
  const peer = b.finish({});
  const all = [sp.reaperPid, sp.serverPid, ...descendantsOf(sp.reaperPid)];
  assert.ok(all.length >= 4, `expected reaper, shell, grandchild and sleeps; got ${all.join(',')}`);
  const t0 = Date.now();
  await peer.stop();
  assert.ok(Date.now() - t0 >= 4_500, 'SIGKILL only after the grace period');
  for (const pid of all) assert.equal(pidExists(pid), false, `pid ${pid} survived`);
  assert.equal(existsSync(peer.dir), false);
  await peer.stop(); // idempotent
});

test('a server that dies at start fails fast with its own output', { timeout: 30_000 }, async () => {
  const b = new PeerBuilder('selftest', { address: '127.20.13.2', variant: 'hardened' });
  const sp = await b.spawn('dying', 'sh', ['-c', 'echo "config line 3: nonsense" >&2; exit 3']);
  const t0 = Date.now();
  await assert.rejects(waitUntil('port', () => false, 10_000, [sp]), /dying exited before it was ready[\s\S]*config line 3: nonsense/);
  assert.ok(Date.now() - t0 < 3_000);
  await b.stop();
  assert.equal(pidExists(sp.reaperPid), false);
});

test('peer options are checked: address, variant, start timeout', () => {
  assert.throws(() => new PeerBuilder('x', { address: '0.0.0.0', variant: 'careless' }), /not a single 127/);
  assert.throws(() => new PeerBuilder('x', { address: '10.0.0.1', variant: 'careless' }), /not a single 127/);
  assert.throws(() => new PeerBuilder('x', { address: '127.20.13.3', variant: 'sloppy' as never }), /variant must be/);
  assert.throws(() => new PeerBuilder('x', { address: '127.20.13.3', variant: 'careless', startTimeoutMs: 0 }), /startTimeoutMs/);
});
