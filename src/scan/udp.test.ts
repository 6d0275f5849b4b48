// UDP probing against our own dgram responders on 127.10.2.x: a valid answer makes a port open
// (and names the service), garbage or an answer to someone else's request does not, and a port
// with nothing bound is closed through the kernel's ICMP port-unreachable.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import dgram from 'node:dgram';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import dnsPacket from 'dns-packet';
import type { Transport, UdpExchangeOptions, UdpResult } from '../io/transport.js';
import { encodeIkeV1Notify, MICROSOFT_VENDOR_ID_PREFIX } from '../protocols/ike.js';
import { encodeNbstatResponse } from '../protocols/netbios.js';
import { encodeNtpReply } from '../protocols/ntp.js';
import { encodeResponse, parseSnmpMessage, SNMP_OIDS } from '../protocols/snmp.js';
import { encodeSsrpResponse } from '../protocols/ssrp.js';
import { probeUdpPort, scanUdp, UDP_PAYLOAD_PORTS, UDP_PAYLOADS, type UdpHostScan } from './udp.js';

type Reply = (msg: Buffer) => Buffer | null;

function dnsReply(msg: Buffer, answers: dnsPacket.Answer[], idDelta = 0): Buffer {
  const q = dnsPacket.decode(msg);
  return dnsPacket.encode({ type: 'response', id: ((q.id ?? 0) + idDelta) & 0xffff, flags: dnsPacket.AUTHORITATIVE_ANSWER, questions: q.questions ?? [], answers });
}

/** Valid answers for each protocol, as a real server would build them. */
const VALID: Record<number, Reply> = {
  53: (m) => dnsReply(m, [{ type: 'NS', name: '.', data: 'a.root-servers.net' }]),
  123: (m) => encodeNtpReply(m, { stratum: 3 }),
  137: (m) =>
    encodeNbstatResponse(
      m.readUInt16BE(0),
      [
        { name: 'FILESRV01', suffix: 0x00 },
        { name: 'CORP', suffix: 0x00, group: true },
        { name: 'FILESRV01', suffix: 0x20 },
        { name: 'ALICE', suffix: 0x03 },
      ],
      '00:15:5d:01:02:03',
    ),
  161: (m) => {
    const r = parseSnmpMessage(m);
    if (!r.ok) return null;
    return encodeResponse({
      version: 'v2c',
      community: r.value.community,
      requestId: r.value.requestId,
      varbinds: [
        { oid: SNMP_OIDS.sysDescr, string: 'Hardware: Intel64 Family 6 - Software: Windows Version 6.3 (Build 17763 Multiprocessor Free)' },
        { oid: SNMP_OIDS.sysName, string: 'FILESRV01' },
      ],
    });
  },
  500: (m) => encodeIkeV1Notify(m, 14, [Buffer.from(`${MICROSOFT_VENDOR_ID_PREFIX}00000009`, 'hex')]),
  1434: () => encodeSsrpResponse([{ ServerName: 'SQL01', InstanceName: 'MSSQLSERVER', IsClustered: 'No', Version: '15.0.2000.5', tcp: '1433' }]),
  1900: () =>
    Buffer.from('HTTP/1.1 200 OK\r\nCACHE-CONTROL: max-age=1800\r\nST: upnp:rootdevice\r\nUSN: uuid:1234::upnp:rootdevice\r\nSERVER: Microsoft-Windows/10.0 UPnP/1.0 UPnP-Device-Host/1.0\r\n\r\n'),
  5353: (m) => dnsReply(m, [{ type: 'PTR', name: '_services._dns-sd._udp.local', data: '_smb._tcp.local' }]),
  5355: (m) => {
    const q = dnsPacket.decode(m);
    return dnsReply(m, [{ type: 'A', name: q.questions?.[0]?.name ?? 'x', data: '127.10.2.1' }]);
  },
};

const EXPECT: Record<number, { name: string; check?: (s: NonNullable<Awaited<ReturnType<typeof probeUdpPort>>['service']>) => void }> = {
  53: { name: 'dns' },
  123: { name: 'ntp', check: (s) => assert.equal(s.extra?.['stratum'], '3') },
  137: {
    name: 'netbios-ns',
    check: (s) => {
      assert.equal(s.extra?.['computer'], 'FILESRV01');
      assert.equal(s.extra?.['domain'], 'CORP');
      assert.equal(s.extra?.['users'], 'ALICE');
      assert.equal(s.extra?.['mac'], '00:15:5d:01:02:03');
      assert.match(s.evidence ?? '', /FILESRV01<20>/);
    },
  },
  161: {
    name: 'snmp',
    check: (s) => {
      assert.match(s.product ?? '', /Windows Version 6\.3/);
      assert.equal(s.version, '6.3 build 17763');
      assert.equal(s.extra?.['sysName'], 'FILESRV01');
    },
  },
  500: {
    name: 'ike',
    check: (s) => {
      assert.equal(s.product, 'Microsoft Windows IKE');
      assert.match(s.extra?.['notify'] ?? '', /NO-PROPOSAL-CHOSEN/);
    },
  },
  1434: {
    name: 'ms-sql-m',
    check: (s) => {
      assert.equal(s.version, '15.0.2000.5');
      assert.match(s.extra?.['instances'] ?? '', /MSSQLSERVER:1433/);
    },
  },
  1900: { name: 'ssdp', check: (s) => assert.match(s.product ?? '', /Microsoft-Windows\/10\.0/) },
  5353: { name: 'mdns' },
  5355: { name: 'llmnr' },
};

const HOST = '127.10.2.1';
const opts = { attemptTimeoutMs: 100, retries: 1 };

class Responder {
  readonly sock = dgram.createSocket('udp4');
  port = 0;
  constructor(private readonly reply: Reply) {
    this.sock.on('message', (msg, rinfo) => {
      const out = this.reply(msg);
      if (out) this.sock.send(out, rinfo.port, rinfo.address);
    });
  }
  async start(address: string): Promise<number> {
    await new Promise<void>((r) => this.sock.bind(0, address, () => r()));
    this.port = this.sock.address().port;
    return this.port;
  }
  close(): void {
    this.sock.close();
  }
}

describe('UDP probes against our own responders', () => {
  const valid = new Map<number, Responder>();
  const garbage = new Map<number, Responder>();
  const wrongId = new Map<number, Responder>();
  let freePort = 0;

  before(async () => {
    for (const p of UDP_PAYLOAD_PORTS) {
      const v = new Responder(VALID[p] as Reply);
      await v.start(HOST);
      valid.set(p, v);
      const g = new Responder(() => Buffer.from('\x00\x01garbage that no codec accepts\xff'));
      await g.start(HOST);
      garbage.set(p, g);
    }
    // Answers with a transaction id/cookie that is not ours: replies to someone else's request.
    const mismatched: Record<number, Reply> = {
      53: (m) => dnsReply(m, [], 1),
      123: (m) => {
        const r = encodeNtpReply(m);
        r[24] = (r[24] as number) ^ 0xff;
        return r;
      },
      137: (m) => encodeNbstatResponse((m.readUInt16BE(0) + 1) & 0xffff, [{ name: 'X', suffix: 0 }]),
      161: (m) => {
        const r = parseSnmpMessage(m);
        return r.ok ? encodeResponse({ version: 'v2c', community: 'public', requestId: (r.value.requestId + 1) & 0x7fffffff, varbinds: [] }) : null;
      },
      500: (m) => {
        const copy = Buffer.from(m);
        copy[0] = (copy[0] as number) ^ 0xff;
        return encodeIkeV1Notify(copy);
      },
    };
    for (const [p, f] of Object.entries(mismatched)) {
      const r = new Responder(f);
      await r.start(HOST);
      wrongId.set(Number(p), r);
    }
    // A port with nothing bound: bind, learn the number, release.
    const tmp = dgram.createSocket('udp4');
    await new Promise<void>((r) => tmp.bind(0, HOST, () => r()));
    freePort = tmp.address().port;
    await new Promise<void>((r) => tmp.close(() => r()));
  });
  after(() => {
    for (const m of [valid, garbage, wrongId]) for (const r of m.values()) r.close();
  });

  for (const p of UDP_PAYLOAD_PORTS) {
    it(`port ${p} (${UDP_PAYLOADS.get(p)?.service}): a valid answer is open and names the service`, async () => {
      const res = await probeUdpPort({ address: HOST, names: ['filesrv01.corp.example'] }, (valid.get(p) as Responder).port, opts, p);
      assert.equal(res.state, 'open', JSON.stringify(res));
      assert.equal(res.reason, 'udp-response');
      assert.equal(res.protocol, 'udp');
      const e = EXPECT[p];
      assert.ok(e && res.service);
      assert.equal(res.service.name, e.name);
      assert.equal(res.service.tls, false);
      e.check?.(res.service);
    });

    it(`port ${p}: garbage is not an answer (open|filtered)`, async () => {
      const res = await probeUdpPort({ address: HOST }, (garbage.get(p) as Responder).port, opts, p);
      assert.equal(res.state, 'open|filtered');
      assert.equal(res.reason, 'no-response');
      assert.equal(res.service, undefined);
    });
  }

  for (const p of [53, 123, 137, 161, 500]) {
    it(`port ${p}: an answer to another request (wrong id/nonce/cookie) is not open`, async () => {
      const res = await probeUdpPort({ address: HOST }, (wrongId.get(p) as Responder).port, opts, p);
      assert.equal(res.state, 'open|filtered');
    });
  }

  it('a port with nothing bound is closed (ICMP port-unreachable on loopback)', async () => {
    const res = await probeUdpPort({ address: HOST }, freePort, opts, 123);
    assert.equal(res.state, 'closed');
    assert.equal(res.reason, 'port-unreach');
  });

  it('refuses a port without a payload with E_USAGE', async () => {
    await assert.rejects(probeUdpPort({ address: HOST }, 9999, opts), /no UDP payload for port 9999/);
  });
});

/** A transport whose answers come from VALID, with per-host behaviour, to test scanUdp's flow. */
class FakeUdp implements Transport {
  inflight = 0;
  maxInflight = 0;
  calls = 0;
  constructor(private readonly mode: (host: string, port: number) => 'valid' | 'silent' | 'unreach') {}
  connect(): never {
    throw new Error('not used');
  }
  async udpExchange(host: string, port: number, payload: Buffer, o: UdpExchangeOptions): Promise<UdpResult> {
    this.calls++;
    this.inflight++;
    this.maxInflight = Math.max(this.maxInflight, this.inflight);
    try {
      const m = this.mode(host, port);
      await new Promise<void>((resolve) => {
        const onAbort = (): void => {
          clearTimeout(t);
          resolve();
        };
        const t = setTimeout(() => {
          o.signal?.removeEventListener('abort', onAbort);
          resolve();
        }, m === 'silent' ? o.timeoutMs : 5);
        o.signal?.addEventListener('abort', onAbort, { once: true });
      });
      if (o.signal?.aborted) return { kind: 'silence' };
      if (m === 'unreach') return { kind: 'unreachable' };
      if (m === 'silent') return { kind: 'silence' };
      const reply = (VALID[port] as Reply)(payload);
      return reply && (!o.accept || o.accept(reply)) ? { kind: 'answer', data: reply } : { kind: 'silence' };
    } finally {
      this.inflight--;
    }
  }
}

describe('scanUdp flow', () => {
  it('streams hosts with every payload port classified, within the concurrency cap', async () => {
    const t = new FakeUdp((host, port) => (host.endsWith('.1') ? 'valid' : host.endsWith('.2') ? 'unreach' : port === 161 ? 'valid' : 'silent'));
    const hosts: UdpHostScan[] = [];
    for await (const h of scanUdp(
      ['127.10.3.1', '127.10.3.2', '127.10.3.3'].map((address) => ({ address })),
      { transport: t, concurrency: 4, attemptTimeoutMs: 20, retries: 1 },
    )) {
      hosts.push(h);
    }
    assert.equal(hosts.length, 3);
    assert.ok(t.maxInflight <= 4);
    const by = new Map(hosts.map((h) => [h.address, h]));
    const h1 = by.get('127.10.3.1');
    assert.ok(h1);
    assert.deepEqual(
      h1.ports.map((p) => p.port),
      [...UDP_PAYLOAD_PORTS],
    );
    assert.ok(h1.ports.every((p) => p.state === 'open' && p.service));
    assert.ok(by.get('127.10.3.2')?.ports.every((p) => p.state === 'closed'));
    assert.equal(by.get('127.10.3.2')?.responded, true);
    const h3 = by.get('127.10.3.3');
    assert.ok(h3);
    assert.equal(h3.ports.find((p) => p.port === 161)?.state, 'open');
    assert.ok(h3.ports.filter((p) => p.port !== 161).every((p) => p.state === 'open|filtered'));
  });

  it('probes only ports that have a payload', async () => {
    const t = new FakeUdp(() => 'valid');
    const hosts: UdpHostScan[] = [];
    for await (const h of scanUdp([{ address: '127.10.3.4' }], { transport: t, ports: [22, 53, 9999, 161] })) hosts.push(h);
    assert.deepEqual(
      hosts[0]?.ports.map((p) => p.port),
      [53, 161],
    );
    assert.equal(t.calls, 2);
  });

  it('stops on abort and reports unfinished hosts as incomplete, without inventing silences', async () => {
    const t = new FakeUdp(() => 'silent');
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 50);
    const t0 = performance.now();
    const hosts: UdpHostScan[] = [];
    for await (const h of scanUdp(
      Array.from({ length: 10 }, (_, i) => ({ address: `127.10.3.${10 + i}` })),
      { transport: t, signal: ac.signal, attemptTimeoutMs: 1000, retries: 2 },
    )) {
      hosts.push(h);
    }
    assert.ok(performance.now() - t0 < 1000);
    assert.ok(hosts.length > 0);
    assert.ok(hosts.every((h) => !h.complete && h.ports.length === 0));
  });
});

describe('UDP probe against a real net-snmp agent (snmpd)', () => {
  const hasSnmpd = spawnSync('sh', ['-c', 'command -v snmpd'], { stdio: 'ignore' }).status === 0;
  const agents: ChildProcess[] = [];
  let dir = '';

  async function startAgent(port: number, community: string): Promise<void> {
    const conf = join(dir, `snmpd-${port}.conf`);
    writeFileSync(conf, `rocommunity ${community} 127.0.0.0/8\nsysDescr portcullis test agent ${port}\nsysName pc-snmp-${port}\n`);
    const child = spawn('snmpd', ['-f', '-Lf', join(dir, `snmpd-${port}.log`), '-C', '-c', conf, `udp:127.10.6.1:${port}`], {
      env: { ...process.env, MIBS: '', MIBDIRS: join(dir, 'no-mibs'), SNMP_PERSISTENT_DIR: dir },
      stdio: 'ignore',
    });
    agents.push(child);
    // Ready when its socket is bound: a bound UDP port stops answering ICMP port-unreachable.
    for (let i = 0; i < 50; i++) {
      const r = await probeUdpPort({ address: '127.10.6.1' }, port, { attemptTimeoutMs: 100, retries: 0 }, 161);
      if (r.state !== 'closed') return;
      await new Promise((res) => setTimeout(res, 100));
    }
    throw new Error(`snmpd on port ${port} did not start`);
  }

  before(async () => {
    if (!hasSnmpd) return;
    dir = mkdtempSync(join(tmpdir(), 'pc-engine-snmp-'));
    await startAgent(16161, 'public');
    await startAgent(16162, 'n0t-the-default');
  });
  after(async () => {
    for (const a of agents) {
      if (a.pid !== undefined && a.exitCode === null) {
        const gone = new Promise((r) => a.once('exit', r));
        process.kill(a.pid, 'SIGTERM');
        await gone;
      }
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('reads sysDescr and sysName with community public', async (t) => {
    if (!hasSnmpd) return t.skip('snmpd (Debian package snmpd) is not installed');
    const r = await probeUdpPort({ address: '127.10.6.1' }, 16161, { attemptTimeoutMs: 300, retries: 2 }, 161);
    assert.equal(r.state, 'open');
    assert.equal(r.service?.name, 'snmp');
    assert.equal(r.service?.product, 'portcullis test agent 16161');
    assert.equal(r.service?.extra?.['sysName'], 'pc-snmp-16161');
  });

  it('gets no answer (open|filtered) when the agent does not know community public', async (t) => {
    if (!hasSnmpd) return t.skip('snmpd (Debian package snmpd) is not installed');
    const r = await probeUdpPort({ address: '127.10.6.1' }, 16162, { attemptTimeoutMs: 200, retries: 1 }, 161);
    assert.equal(r.state, 'open|filtered');
  });
});
