import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { describe, it } from 'node:test';
import { PortcullisError } from '../core/errors.js';
import { COMMON_GROUP_OF, COMMON_TCP, portReason, resolvePorts, WINDOWS_TCP, WINDOWS_UDP } from './profiles.js';
import { UDP_PAYLOAD_PORTS } from './udp.js';

function usage(fn: () => unknown, text: RegExp): void {
  assert.throws(fn, (e: unknown) => e instanceof PortcullisError && e.code === 'E_USAGE' && text.test(e.message));
}

describe('port profiles', () => {
  it('windows covers the Windows server roles with a reason for every port', () => {
    const ports = new Set(WINDOWS_TCP.map((e) => e.port));
    for (const p of [53, 80, 88, 135, 139, 389, 443, 445, 636, 1433, 3268, 3389, 5985, 5986, 21, 23, 25]) assert.ok(ports.has(p), `windows lacks ${p}`);
    for (const e of [...WINDOWS_TCP, ...WINDOWS_UDP]) {
      assert.ok(e.reason.length >= 10 && e.reason.length <= 120, `reason for ${e.port}: '${e.reason}'`);
      assert.match(e.service, /^[a-z0-9-]+$/);
    }
  });

  it("windows includes every TCP port of seed 003's port list", () => {
    const dir = new URL('../../../../shared/seeds/', import.meta.url);
    let seed: string | undefined;
    try {
      const f = readdirSync(dir).find((n) => n.startsWith('003_'));
      if (f) seed = readFileSync(new URL(f, dir), 'utf8');
    } catch {
      /* seeds are not shipped with the package */
    }
    // The seed's UDP-only entries have no TCP meaning (DHCP, streaming, discovery).
    const udpOnly = new Set([67, 137, 161, 123, 1900, 2409, 5632, 19430]);
    const listed = seed ? [...new Set([...seed.matchAll(/Port (\d+)/g)].map((m) => Number(m[1])))] : [];
    const tcp = new Set(WINDOWS_TCP.map((e) => e.port));
    for (const p of listed) if (!udpOnly.has(p)) assert.ok(tcp.has(p), `seed 003 port ${p} missing from windows`);
    if (seed) assert.ok(listed.length > 40);
  });

  it('windows UDP is exactly the ports we have payloads for', () => {
    assert.deepEqual(
      WINDOWS_UDP.map((e) => e.port),
      [...UDP_PAYLOAD_PORTS],
    );
  });

  it('common is a superset of windows, ~300+ ports, grouped, no port listed twice in the groups', () => {
    const common = new Set(COMMON_TCP.map((e) => e.port));
    for (const e of WINDOWS_TCP) assert.ok(common.has(e.port));
    assert.ok(COMMON_TCP.length >= 300 && COMMON_TCP.length <= 1000, `${COMMON_TCP.length} ports`);
    assert.ok(new Set(COMMON_GROUP_OF.values()).size >= 10);
    assert.equal(new Set(COMMON_TCP.map((e) => e.port)).size, COMMON_TCP.length);
    for (const e of COMMON_TCP) assert.ok(e.port >= 1 && e.port <= 65535);
  });

  it('resolves profiles, lists, ranges and mixtures', () => {
    const w = resolvePorts('windows');
    assert.equal(w.tcp.length, WINDOWS_TCP.length);
    assert.deepEqual(w.udp, [...UDP_PAYLOAD_PORTS]);
    assert.equal(w.udpByDefault, true);
    const all = resolvePorts('all');
    assert.equal(all.tcp.length, 65535);
    assert.equal(all.tcp[0], 1);
    assert.equal(all.tcp[65534], 65535);
    const list = resolvePorts('22,80,8000-8100');
    assert.equal(list.tcp.length, 2 + 101);
    assert.deepEqual(list.udp, []);
    assert.equal(list.udpByDefault, false);
    const mixed = resolvePorts('windows, 8000-8002,53');
    assert.ok(mixed.tcp.includes(8001) && mixed.tcp.includes(3389));
    assert.deepEqual(resolvePorts('53,161,22').udp, [53, 161]);
    assert.equal(resolvePorts('top').tcp.length, COMMON_TCP.length);
  });

  it('applies --exclude-ports to TCP and UDP, also on all', () => {
    const r = resolvePorts('all', { excludePorts: '1-1000,2024' });
    assert.equal(r.tcp.length, 65535 - 1001);
    assert.ok(!r.tcp.includes(2024));
    const w = resolvePorts('windows', { excludePorts: '53,3389' });
    assert.ok(!w.tcp.includes(53) && !w.tcp.includes(3389) && !w.udp.includes(53));
  });

  it('refuses bad items with E_USAGE naming the token', () => {
    usage(() => resolvePorts('22,abc'), /'abc'.*profiles: windows/);
    usage(() => resolvePorts('windoes'), /'windoes'/);
    usage(() => resolvePorts('0'), /port 0/);
    usage(() => resolvePorts('70000'), /70000/);
    usage(() => resolvePorts('100-50'), /reversed/);
    usage(() => resolvePorts('22,,23'), /empty entry/);
    usage(() => resolvePorts(''), /empty/);
    usage(() => resolvePorts('22', { excludePorts: 'x' }), /--exclude-ports/);
    usage(() => resolvePorts('22,23', { excludePorts: '20-30' }), /no ports left/);
  });

  it('explains a port', () => {
    assert.match(portReason(3389)?.reason ?? '', /Remote Desktop/);
    assert.match(portReason(6379)?.reason ?? '', /Redis/);
    assert.equal(portReason(161, 'udp')?.service, 'snmp');
    assert.equal(portReason(40000), undefined);
  });
});
