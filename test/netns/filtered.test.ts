// Filtered ports, for real: a network namespace of our own (pc-engine-<random>) behind a veth
// pair addressed from 198.18.0.0/15, a real server inside, and nftables rules that drop some
// ports, reject others, and drop 3 % of all packets at random. The scan must classify every port
// exactly, loss notwithstanding.
//
// How the kernel reports each rule to connect() decides what a connect scan can know:
//   DROP                              silence           → filtered (no-response)
//   REJECT with tcp reset             RST               → closed (conn-refused)
//   REJECT with icmp admin-prohibited EHOSTUNREACH      → filtered (host-unreach)
//   REJECT with icmp port-unreachable ECONNREFUSED      → closed: Linux reports it exactly like a
//                                                          RST, so no connect scan can tell them apart
// and for UDP: DROP → open|filtered, REJECT (port-unreachable) → closed, nothing bound → closed.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { applyFilter, createNetns, netnsAvailable, type Netns, type RunningServers, startListeners } from '../../bench/lib.js';
import { scanTcpAll } from '../../src/scan/engine.js';
import { scanUdp, type UdpHostScan } from '../../src/scan/udp.js';

const OPEN = [80, 443, 445, 3389, 8080];
const DROPPED = [5985, 8443, 9000]; // 8443 has a listener behind the DROP rule
const RESET = [22, 1433]; // 1433 has a listener behind the reset rule
const PORT_UNREACH = [3306];
const PROHIBITED = [21, 5900];
const NOTHING = [23, 25, 110];

const avail = netnsAvailable();

describe('connect scan through a filtering, lossy firewall (network namespace)', { skip: avail.ok ? false : `netns test skipped: ${avail.ok ? '' : avail.why}` }, () => {
  let ns: Netns | undefined;
  let servers: RunningServers | undefined;
  const cleanup = (): void => ns?.destroy();

  before(async () => {
    process.once('exit', cleanup);
    ns = createNetns('pc-engine');
    servers = await startListeners(
      {
        tcp: [...OPEN, 8443, 1433].map((port) => ({ address: (ns as Netns).nsAddress, port })),
        udp: [
          { address: ns.nsAddress, port: 123, kind: 'ntp' },
          { address: ns.nsAddress, port: 161, kind: 'ntp' }, // behind DROP: never seen
          { address: ns.nsAddress, port: 53, kind: 'garbage' },
        ],
      },
      { netns: ns.name },
    );
    applyFilter(ns, {
      lossPercent: 3,
      dropTcp: DROPPED,
      resetTcp: RESET,
      portUnreachTcp: PORT_UNREACH,
      prohibitTcp: PROHIBITED,
      dropUdp: [161],
      rejectUdp: [1434],
    });
  });

  after(async () => {
    try {
      await servers?.stop();
    } finally {
      cleanup();
      process.removeListener('exit', cleanup);
    }
  });

  for (let round = 1; round <= 3; round++) {
    it(`classifies every TCP port exactly (run ${round})`, async () => {
      const target = (ns as Netns).nsAddress;
      const ports = [...OPEN, ...DROPPED, ...RESET, ...PORT_UNREACH, ...PROHIBITED, ...NOTHING];
      const [h] = await scanTcpAll([{ address: target }], { ports, retries: 3, timeoutMs: 1000, workers: 0, collapseAbove: Infinity });
      assert.ok(h);
      const got = new Map(h.ports.map((p) => [p.port, `${p.state}/${p.reason}`]));
      const want = new Map<number, string>();
      for (const p of OPEN) want.set(p, 'open/syn-ack');
      for (const p of DROPPED) want.set(p, 'filtered/no-response');
      for (const p of [...RESET, ...PORT_UNREACH, ...NOTHING]) want.set(p, 'closed/conn-refused');
      for (const p of PROHIBITED) want.set(p, 'filtered/host-unreach');
      assert.deepEqual(Object.fromEntries([...got].sort((a, b) => a[0] - b[0])), Object.fromEntries([...want].sort((a, b) => a[0] - b[0])));
      assert.equal(h.status, 'up');
      assert.equal(h.complete, true);
    });
  }

  it('classifies UDP: valid answer open, DROP open|filtered, REJECT and unbound closed, garbage not open', async () => {
    const target = (ns as Netns).nsAddress;
    const hosts: UdpHostScan[] = [];
    for await (const h of scanUdp([{ address: target }], { ports: [53, 123, 137, 161, 1434], attemptTimeoutMs: 300, retries: 3 })) hosts.push(h);
    const h = hosts[0];
    assert.ok(h);
    const got = Object.fromEntries(h.ports.map((p) => [p.port, p.state]));
    assert.deepEqual(got, { 53: 'open|filtered', 123: 'open', 137: 'closed', 161: 'open|filtered', 1434: 'closed' });
    assert.equal(h.ports.find((p) => p.port === 123)?.service?.name, 'ntp');
  });
});
