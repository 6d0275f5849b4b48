// The connect-scan engine against real listeners on 127.10.x.x, and against injected connectors
// that simulate what loopback cannot: silence, loss, descriptor exhaustion, self-connects.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { foreignTcpListeners } from '../../bench/lib.js';
import type { ConnectDone, ConnectInfo, ConnectOutcome, Connector } from './engine-connector.js';
import { type HostScan, scanTcp, scanTcpAll, type ScanTarget } from './engine.js';

type Behaviour = (address: string, port: number, attempt: number) => { outcome: ConnectOutcome | 'silent'; delayMs?: number; info?: ConnectInfo; sync?: boolean };

/** A connector driven by a function; records attempts and the most connections in flight. */
class FakeConnector implements Connector {
  inflight = 0;
  maxInflight = 0;
  attempts = new Map<string, number>();
  starts: number[] = [];
  total = 0;
  constructor(private readonly behave: Behaviour) {}
  attempt(address: string, _family: 4 | 6, port: number, done: ConnectDone): () => void {
    const key = `${address}:${port}`;
    const n = (this.attempts.get(key) ?? 0) + 1;
    this.attempts.set(key, n);
    this.total++;
    this.starts.push(performance.now());
    const b = this.behave(address, port, n);
    if (b.outcome === 'resource' && b.sync) {
      done('resource', { code: 'EMFILE' });
      return () => {};
    }
    this.inflight++;
    this.maxInflight = Math.max(this.maxInflight, this.inflight);
    let live = true;
    const finish = (): void => {
      if (!live) return;
      live = false;
      this.inflight--;
      if (b.outcome !== 'silent') done(b.outcome, b.info);
    };
    const timer = b.outcome === 'silent' ? null : setTimeout(finish, b.delayMs ?? 0);
    return () => {
      if (!live) return;
      live = false;
      this.inflight--;
      if (timer) clearTimeout(timer);
    };
  }
}

const fast = { minTimeoutMs: 30, initialTimeoutMs: 60, timeoutMs: 200 };
const range = (a: number, b: number): number[] => Array.from({ length: b - a + 1 }, (_, i) => a + i);
const stateOf = (h: HostScan, port: number): string | undefined => h.ports.find((p) => p.port === port)?.state;
const reasonOf = (h: HostScan, port: number): string | undefined => h.ports.find((p) => p.port === port)?.reason;

describe('engine against real listeners on 127.10.0.x', () => {
  const servers: net.Server[] = [];
  const open: number[] = [];
  const closed: number[] = [];
  const A = '127.10.0.1';

  before(async () => {
    for (let i = 0; i < 3; i++) {
      const s = net.createServer((c) => c.destroy());
      await new Promise<void>((r) => s.listen(0, A, r));
      servers.push(s);
      open.push((s.address() as net.AddressInfo).port);
    }
    // A port is provably closed if we could bind it on this address a moment ago (nobody else
    // holds it, not even with a wildcard) and released it.
    for (let i = 0; i < 5; i++) {
      const s = net.createServer();
      await new Promise<void>((r) => s.listen(0, A, r));
      closed.push((s.address() as net.AddressInfo).port);
      await new Promise<void>((r) => s.close(() => r()));
    }
  });
  after(async () => {
    for (const s of servers) await new Promise<void>((r) => s.close(() => r()));
  });

  it('reports open (syn-ack) and closed (conn-refused) exactly, host up', async () => {
    const [h] = await scanTcpAll([{ address: A, names: ['loop'] }], { ports: [...open, ...closed], collapseAbove: Infinity, workers: 0 });
    assert.ok(h);
    assert.equal(h.status, 'up');
    assert.deepEqual(h.names, ['loop']);
    assert.equal(h.complete, true);
    for (const p of open) {
      assert.equal(stateOf(h, p), 'open', `port ${p}`);
      assert.equal(reasonOf(h, p), 'syn-ack');
    }
    for (const p of closed) {
      assert.equal(stateOf(h, p), 'closed', `port ${p}`);
      assert.equal(reasonOf(h, p), 'conn-refused');
    }
    assert.deepEqual(h.counts, { open: 3, closed: 5, filtered: 0, unscanned: 0 });
  });

  it('closes every connection with a reset: no TIME_WAIT on either side', async () => {
    // A server that keeps connections open, so only our side can close them.
    const held: net.Socket[] = [];
    const s = net.createServer((c) => {
      c.on('error', () => {});
      held.push(c);
    });
    await new Promise<void>((r) => s.listen(0, '127.10.0.4', r));
    const port = (s.address() as net.AddressInfo).port;
    try {
      for (const workers of [0, 1]) {
        for (let i = 0; i < 20; i++) {
          const [h] = await scanTcpAll([{ address: '127.10.0.4' }], { ports: [port], workers });
          assert.equal(h?.counts.open, 1);
        }
      }
      const r = spawnSync('ss', ['-tanH', 'state', 'time-wait', 'dst', `127.10.0.4:${port}`], { encoding: 'utf8' });
      const r2 = spawnSync('ss', ['-tanH', 'state', 'time-wait', 'src', `127.10.0.4:${port}`], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      assert.equal(r.stdout.trim(), '', 'no TIME_WAIT on the scanner side');
      assert.equal(r2.stdout.trim(), '', 'no TIME_WAIT on the server side');
    } finally {
      for (const c of held) c.destroy();
      await new Promise<void>((r) => s.close(() => r()));
    }
  });

  it('collapses a large closed set into extraPorts and still lists every open port', async () => {
    const foreign = foreignTcpListeners(A);
    const ports = [...range(20000, 20999), ...open].filter((p) => !foreign.has(p) || open.includes(p));
    const [h] = await scanTcpAll([{ address: A }], { ports, workers: 0 });
    assert.ok(h);
    const listed = h.ports.filter((p) => p.state === 'open').map((p) => p.port);
    for (const p of open) assert.ok(listed.includes(p), `open port ${p} listed`);
    const extra = h.extraPorts.find((e) => e.state === 'closed');
    assert.ok(extra, 'closed ports summarised');
    assert.equal(extra.count + h.counts.open, ports.length);
    assert.equal(extra.reasons['conn-refused'], extra.count);
  });

  it('finds the same ports with worker threads on a multi-host full-size port list', async () => {
    const hosts = ['127.10.0.1', '127.10.0.2', '127.10.0.3'];
    const foreign = new Set(hosts.flatMap((h) => [...foreignTcpListeners(h)]));
    const ports = range(1, 12000).filter((p) => !foreign.has(p) || open.includes(p));
    for (const p of open) if (!ports.includes(p)) ports.push(p);
    const scan = scanTcp(
      hosts.map((address) => ({ address })),
      { ports, workers: 2 },
    );
    const seen = new Map<string, HostScan>();
    for await (const h of scan) seen.set(h.address, h);
    assert.equal(scan.stats().workers, 2);
    assert.equal(seen.size, 3);
    const h1 = seen.get(A);
    assert.ok(h1);
    assert.deepEqual(
      h1.ports.filter((p) => p.state === 'open').map((p) => p.port),
      [...open].sort((a, b) => a - b),
    );
    for (const other of ['127.10.0.2', '127.10.0.3']) {
      const h = seen.get(other);
      assert.ok(h);
      assert.equal(h.counts.open, 0, `${other} has no listener`);
      assert.equal(h.counts.closed, ports.length);
      assert.equal(h.status, 'up');
    }
  });
});

describe('engine over IPv6 loopback', () => {
  it('scans ::1 (open and closed)', async (t) => {
    const s = net.createServer((c) => c.destroy());
    const ok = await new Promise<boolean>((r) => {
      s.once('error', () => r(false));
      s.listen(0, '::1', () => r(true));
    });
    if (!ok) return t.skip('IPv6 loopback is not available here');
    try {
      const port = (s.address() as net.AddressInfo).port;
      const probe = net.createServer();
      await new Promise<void>((r) => probe.listen(0, '::1', r));
      const closedPort = (probe.address() as net.AddressInfo).port;
      await new Promise<void>((r) => probe.close(() => r()));
      for (const workers of [0, 1]) {
        const [h] = await scanTcpAll([{ address: '::1' }], { ports: [port, closedPort], workers, collapseAbove: Infinity });
        assert.ok(h);
        assert.equal(stateOf(h, port), 'open', `workers ${workers}`);
        assert.equal(stateOf(h, closedPort), 'closed');
      }
    } finally {
      await new Promise<void>((r) => s.close(() => r()));
    }
  });
});

describe('engine with an injected connector', () => {
  it('marks silent ports filtered after exactly one retry and the host down', async () => {
    const c = new FakeConnector(() => ({ outcome: 'silent' }));
    const [h] = await scanTcpAll([{ address: '127.10.9.1' }], { ports: [1, 2, 3], connector: c, ...fast, collapseAbove: Infinity });
    assert.ok(h);
    assert.equal(h.status, 'down');
    for (const p of [1, 2, 3]) {
      assert.equal(stateOf(h, p), 'filtered');
      assert.equal(reasonOf(h, p), 'no-response');
      assert.equal(c.attempts.get(`127.10.9.1:${p}`), 2, `port ${p}: one try plus one retry`);
    }
  });

  it('classifies ICMP unreachable as filtered (host-unreach) without retrying', async () => {
    const c = new FakeConnector(() => ({ outcome: 'unreach' }));
    const [h] = await scanTcpAll([{ address: '127.10.9.2' }], { ports: [10], connector: c, ...fast });
    assert.ok(h);
    assert.equal(stateOf(h, 10), 'filtered');
    assert.equal(reasonOf(h, 10), 'host-unreach');
    assert.equal(c.attempts.get('127.10.9.2:10'), 1);
    assert.equal(h.status, 'down');
  });

  it('re-verifies an open port whose first attempt timed out (backlog-overflow guard)', async () => {
    // First SYN lost (overflowing accept queue), second answered, third must confirm.
    const c = new FakeConnector((_a, port, n) => {
      if (n === 1) return { outcome: 'silent' };
      if (port === 80) return { outcome: 'open' };
      return { outcome: n === 2 ? 'open' : 'refused' }; // port 81: the "open" was a fluke
    });
    const [h] = await scanTcpAll([{ address: '127.10.9.3' }], { ports: [80, 81], connector: c, ...fast, collapseAbove: Infinity });
    assert.ok(h);
    assert.equal(stateOf(h, 80), 'open');
    assert.equal(c.attempts.get('127.10.9.3:80'), 3, 'timeout, open, confirmation');
    assert.equal(stateOf(h, 81), 'closed', 'a confirmation refused: not open');
    assert.equal(c.attempts.get('127.10.9.3:81'), 3);
  });

  it('does not re-verify opens that answered cleanly the first time', async () => {
    const c = new FakeConnector(() => ({ outcome: 'open' }));
    const [h] = await scanTcpAll([{ address: '127.10.9.4' }], { ports: range(1, 50), connector: c, ...fast });
    assert.ok(h);
    assert.equal(h.counts.open, 50);
    assert.equal(c.total, 50);
  });

  it('treats a self-connect as no answer, and finds the real state on a new attempt', async () => {
    const c = new FakeConnector((address, port, n) =>
      n === 1 ? { outcome: 'open', info: { localAddress: address, localPort: port } } : { outcome: 'refused' },
    );
    const [h] = await scanTcpAll([{ address: '127.10.9.5' }], { ports: [45000], connector: c, ...fast, collapseAbove: Infinity });
    assert.ok(h);
    assert.equal(stateOf(h, 45000), 'closed');
    assert.equal(reasonOf(h, 45000), 'conn-refused');
    assert.equal(c.attempts.get('127.10.9.5:45000'), 2);
  });

  it('never reports a persistent self-connect as open', async () => {
    const c = new FakeConnector((address, port) => ({ outcome: 'open', info: { localAddress: address, localPort: port } }));
    const [h] = await scanTcpAll([{ address: '127.10.9.6' }], { ports: [45001], connector: c, ...fast, collapseAbove: Infinity });
    assert.ok(h);
    assert.equal(stateOf(h, 45001), 'closed');
    assert.equal(reasonOf(h, 45001), 'self-connect');
    assert.ok((c.attempts.get('127.10.9.6:45001') ?? 0) <= 3, 'bounded');
  });

  it('keeps connections in flight under the --concurrency cap, and grows the window on answers', async () => {
    const c = new FakeConnector(() => ({ outcome: 'refused', delayMs: 3 }));
    const [h] = await scanTcpAll([{ address: '127.10.9.7' }], { ports: range(1, 3000), connector: c, concurrency: 40, ...fast });
    assert.ok(h);
    assert.equal(h.counts.closed, 3000);
    assert.ok(c.maxInflight <= 40, `max in flight ${c.maxInflight}`);
    assert.ok(c.maxInflight >= 30, `window grew to ${c.maxInflight}`);
  });

  it('shrinks the window when probes time out', async () => {
    // Every port silent (a filtering firewall): the first window (64) goes out, then each round of
    // timeouts cuts it, down to the floor (10).
    const c = new FakeConnector(() => ({ outcome: 'silent' }));
    const samples: number[] = [];
    const poll = setInterval(() => samples.push(c.inflight), 5);
    await scanTcpAll([{ address: '127.10.9.8' }], { ports: range(1, 400), connector: c, concurrency: 200, ...fast, retries: 0, maxRetries: 0 });
    clearInterval(poll);
    assert.ok(Math.max(...samples.slice(0, 5)) >= 40, `first window: ${samples.slice(0, 5)}`);
    const tail = samples.slice(-10);
    assert.ok(Math.max(...tail) <= 12, `window at the end: ${tail}`);
  });

  it('honours the --rate cap', async () => {
    const c = new FakeConnector(() => ({ outcome: 'refused' }));
    const t0 = performance.now();
    await scanTcpAll([{ address: '127.10.9.9' }], { ports: range(1, 120), connector: c, rate: 400, ...fast });
    const wall = performance.now() - t0;
    // 120 connections at 400/s with a burst of 8: at least ~280 ms.
    assert.ok(wall >= 250, `took ${wall.toFixed(0)} ms`);
    const starts = c.starts;
    for (let i = 0; i < starts.length; i++) {
      let n = 0;
      for (let j = i; j < starts.length && (starts[j] as number) - (starts[i] as number) < 100; j++) n++;
      assert.ok(n <= 40 + 8 + 2, `${n} starts within 100 ms`);
    }
  });

  it('survives EMFILE: shrinks, retries later, never calls a port filtered for it', async () => {
    let limit = 25;
    const c = new FakeConnector(() => {
      // Descriptors run out above 25 connections in flight.
      if (c.inflight >= limit) return { outcome: 'resource', sync: true };
      return { outcome: 'refused', delayMs: 4 };
    });
    const scan = scanTcp([{ address: '127.10.9.10' }], { ports: range(1, 2000), connector: c, concurrency: 500, ...fast });
    const hosts: HostScan[] = [];
    for await (const h of scan) hosts.push(h);
    limit = 0;
    const [h] = hosts;
    assert.ok(h);
    assert.equal(h.counts.closed, 2000, 'every port decided as closed');
    assert.equal(h.counts.filtered, 0);
    assert.ok(c.maxInflight <= 25);
  });

  it('fails the scan with a clear message when sockets can never be opened', async () => {
    const c = new FakeConnector(() => ({ outcome: 'resource', sync: true }));
    await assert.rejects(
      scanTcpAll([{ address: '127.10.9.11' }], { ports: [1, 2], connector: c, ...fast }),
      (e: Error) => /cannot open sockets/.test(e.message) && /ulimit/.test(e.message),
    );
  });

  it('stops promptly on abort and hands back what is known', async () => {
    const c = new FakeConnector(() => ({ outcome: 'refused', delayMs: 40 }));
    const ac = new AbortController();
    const targets: ScanTarget[] = Array.from({ length: 20 }, (_, i) => ({ address: `127.10.8.${i + 1}` }));
    const t0 = performance.now();
    setTimeout(() => ac.abort(), 150);
    const scan = scanTcp(targets, { ports: range(1, 2000), connector: c, concurrency: 64, signal: ac.signal, ...fast });
    const got: HostScan[] = [];
    for await (const h of scan) got.push(h);
    const wall = performance.now() - t0;
    assert.ok(wall < 1000, `stopped after ${wall.toFixed(0)} ms`);
    assert.ok(got.length > 0, 'hosts in progress are reported');
    assert.ok(got.every((h) => !h.complete));
    assert.ok(got.some((h) => h.counts.closed > 0 && h.counts.unscanned > 0));
    assert.equal(scan.stats().interrupted, true);
    await new Promise((r) => setTimeout(r, 60));
    assert.equal(c.inflight, 0, 'every attempt cancelled');
  });

  it('streams targets: a bounded number of hosts is in flight at once', async () => {
    let pulled = 0;
    let emitted = 0;
    let maxGap = 0;
    function* targets(): Generator<ScanTarget> {
      for (let i = 0; i < 30000; i++) {
        pulled++;
        maxGap = Math.max(maxGap, pulled - emitted);
        yield { address: `127.11.${i >> 8}.${i & 255}` };
      }
    }
    const c = new FakeConnector(() => ({ outcome: 'refused' }));
    for await (const h of scanTcp(targets(), { ports: [80, 443], connector: c, ...fast })) {
      emitted++;
      assert.equal(h.counts.closed, 2);
    }
    assert.equal(emitted, 30000);
    assert.ok(maxGap < 10000, `at most ${maxGap} hosts held at once`);
  });

  it('interleaves hosts rather than finishing one before starting the next', async () => {
    const order: string[] = [];
    const c = new FakeConnector((address) => {
      order.push(address);
      return { outcome: 'refused', delayMs: 1 };
    });
    await scanTcpAll(
      ['127.10.7.1', '127.10.7.2', '127.10.7.3'].map((address) => ({ address })),
      { ports: range(1, 300), connector: c, ...fast },
    );
    const first100 = new Set(order.slice(0, 100));
    assert.equal(first100.size, 3, 'all three hosts among the first probes');
  });

  it('raises retries on a lossy host so loss does not turn closed ports into filtered', async () => {
    // Every port loses its first two SYNs: with only one retry they would all be filtered.
    const c = new FakeConnector((_a, port, n) => (n <= 2 && port % 7 === 0 ? { outcome: 'silent' } : n === 1 && port % 3 === 0 ? { outcome: 'silent' } : { outcome: 'refused' }));
    const [h] = await scanTcpAll([{ address: '127.10.9.12' }], { ports: range(1, 300), connector: c, ...fast, maxRetries: 4 });
    assert.ok(h);
    assert.equal(h.counts.filtered, 0, `filtered: ${h.counts.filtered}`);
  });

  it('refuses bad options with E_USAGE', () => {
    assert.throws(() => scanTcp([], { ports: [0] }), /port 0/);
    assert.throws(() => scanTcp([], { ports: [80], concurrency: 0 }), /concurrency/);
    assert.throws(() => scanTcp([], { ports: [80], timeoutMs: -5 }), /timeout/);
  });

  it('propagates a failing target stream as an error', async () => {
    async function* bad(): AsyncGenerator<ScanTarget> {
      yield { address: '127.10.9.13' };
      throw new Error('name did not resolve');
    }
    const c = new FakeConnector(() => ({ outcome: 'refused' }));
    await assert.rejects(scanTcpAll(bad(), { ports: [1], connector: c, ...fast }), /name did not resolve/);
  });
});
