// The Windows-protocol probes and identifiers against the hostile peer (test/harness/hostile.ts):
// garbage, a truncated frame of the protocol, one byte per 200 ms, a reset, an endless stream, a
// frame announcing an absurd length, silence. Each must end by itself within its time limit with
// `error` or `not-applicable` and a reason (never pass/fail), and identifiers must say "not mine".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startHostile, startHostileUdp, HOSTILE_MODES, ABSURD_FRAMES, type HostileMode, type HostileUdpMode } from '../../harness/hostile.js';
import type { ProbeDefinition } from '../../../src/probes/define.js';
import type { ServiceInfo } from '../../../src/core/result.js';
import type { ActiveIdentifier } from '../../../src/scan/identify.js';
import { netTransport } from '../../../src/io/transport.js';
import { rdpProbe } from '../../../src/probes/rdp.js';
import { smbProbe } from '../../../src/probes/smb.js';
import { tlsProbe } from '../../../src/probes/tls.js';
import { mssqlProbe } from '../../../src/probes/mssql.js';
import { netbiosProbe } from '../../../src/probes/netbios.js';
import { WINDOWS_ACTIVE } from '../../../src/scan/identifiers/catalog-windows.js';
import { runThroughRunner } from './kit.js';

const LIMIT_MS = 6_000;
let host = 0;
const fresh = (): string => `127.12.${200 + Math.floor(++host / 250)}.${(host % 250) + 1}`;
const svc = (name: string, tls = false): ServiceInfo => ({ name, tls, method: 'handshake' });

// A TDS response header announcing 0xFFFF bytes.
const TDS_ABSURD = Buffer.from([0x04, 0x01, 0xff, 0xff, 0x00, 0x00, 0x01, 0x00, 0x00]);
// An LDAP-looking reply: SEQUENCE with a 4-byte length of 0x7FFFFFFF.
const CASES: Array<{ probe: ProbeDefinition; service: ServiceInfo; frame: Buffer }> = [
  { probe: rdpProbe, service: svc('rdp'), frame: ABSURD_FRAMES.rdpTpkt },
  { probe: smbProbe, service: svc('smb'), frame: ABSURD_FRAMES.smbDirect },
  { probe: smbProbe, service: svc('netbios-ssn'), frame: ABSURD_FRAMES.netbiosSession },
  { probe: tlsProbe, service: svc('https', true), frame: ABSURD_FRAMES.tlsRecord },
  { probe: tlsProbe, service: svc('tls', true), frame: ABSURD_FRAMES.tlsHandshake },
  { probe: mssqlProbe, service: svc('ms-sql'), frame: TDS_ABSURD },
];

test('hostile TCP peer: rdp, smb, tls and mssql probes end by themselves with error and a reason', { timeout: 180_000 }, async () => {
  const rssBefore = process.memoryUsage().rss;
  const problems: string[] = [];
  const runs = CASES.flatMap((c) => HOSTILE_MODES.map((mode) => ({ c, mode })));
  await Promise.all(
    runs.map(async ({ c, mode }) => {
      const peer = await startHostile({
        address: fresh(),
        port: 0,
        mode: mode as HostileMode,
        ...(mode === 'endless' ? {} : { frame: c.frame }),
        trigger: 'data',
        trickleIntervalMs: 200,
        endlessMaxBytes: 64 << 20,
        lifetimeMs: 120_000,
      });
      const label = `${c.probe.id}/${c.service.name}/${mode}`;
      try {
        const t0 = Date.now();
        const findings = await runThroughRunner(c.probe, { address: peer.address, port: peer.port, service: c.service, maxProbeMs: LIMIT_MS });
        const ms = Date.now() - t0;
        if (ms > LIMIT_MS + 500) problems.push(`${label}: took ${ms} ms`);
        if (findings.length !== c.probe.checks.length) problems.push(`${label}: ${findings.length} verdicts for ${c.probe.checks.length} checks`);
        for (const f of findings) {
          if (f.status === 'pass' || f.status === 'fail') problems.push(`${label}: ${f.id} = ${f.status} (${f.evidence.summary})`);
          if (f.evidence.summary.length < 10) problems.push(`${label}: ${f.id} without a reason`);
          if (/did not finish within/.test(f.evidence.summary)) problems.push(`${label}: ${f.id} cut off by the runner instead of ending by itself`);
        }
      } finally {
        await peer.close();
      }
    }),
  );
  assert.deepEqual(problems, []);
  const grown = process.memoryUsage().rss - rssBefore;
  assert.ok(grown < 300 * 1024 * 1024, `RSS grew by ${Math.round(grown / 1048576)} MB`);
});

test('hostile UDP peer: netbios ends with error on garbage, absurd answers and silence of an open port', { timeout: 60_000 }, async () => {
  const problems: string[] = [];
  // Echo the transaction id, then claim an NBSTAT answer with 255 names that never come.
  const absurd = (req: Buffer): Buffer => Buffer.concat([req.subarray(0, 2), Buffer.from('840000000001000020434b4141414141414141414141414141414141414141414141414141414141410000210001000000000fffff', 'hex')]);
  for (const mode of ['garbage', 'absurd-length', 'silent'] as HostileUdpMode[]) {
    const peer = await startHostileUdp({ address: fresh(), port: 0, mode, respond: absurd, lifetimeMs: 60_000 });
    try {
      const t0 = Date.now();
      const f = await runThroughRunner(netbiosProbe, { address: peer.address, port: peer.port, protocol: 'udp', service: svc('netbios-ns'), maxProbeMs: LIMIT_MS });
      if (Date.now() - t0 > LIMIT_MS + 500) problems.push(`${mode}: too slow`);
      if (f.length !== 1 || f[0]!.status !== 'error') problems.push(`${mode}: ${JSON.stringify(f.map((x) => [x.status, x.evidence.summary]))}`);
    } finally {
      await peer.close();
    }
  }
  assert.deepEqual(problems, []);
});

const ID_FRAMES: Record<string, Buffer> = {
  tls: ABSURD_FRAMES.tlsHandshake,
  rdp: ABSURD_FRAMES.rdpTpkt,
  smb: ABSURD_FRAMES.smbDirect,
  'netbios-ssn': ABSURD_FRAMES.netbiosSession,
  msrpc: Buffer.from([0x05, 0x00, 0x0c, 0x03, 0x10, 0x00, 0x00, 0x00, 0xff, 0xff, 0x00, 0x00]),
  ldap: ABSURD_FRAMES.berSequence,
  'ms-sql': TDS_ABSURD,
};

test('hostile peer: every Windows identifier answers "not mine" (null) within its time limit', { timeout: 120_000 }, async () => {
  const problems: string[] = [];
  const runs = WINDOWS_ACTIVE.flatMap((ident: ActiveIdentifier) => HOSTILE_MODES.map((mode) => ({ ident, mode })));
  await Promise.all(
    runs.map(async ({ ident, mode }) => {
      const frame = ID_FRAMES[ident.name] ?? Buffer.from('x');
      const peer = await startHostile({ address: fresh(), port: 0, mode, ...(mode === 'endless' ? {} : { frame }), trigger: 'data', trickleIntervalMs: 200, endlessMaxBytes: 64 << 20, lifetimeMs: 60_000 });
      const label = `${ident.name}/${mode}`;
      try {
        const t0 = Date.now();
        let info: ServiceInfo | null = null;
        try {
          const s = await netTransport.connect(peer.address, peer.port, { timeoutMs: 1000 });
          try {
            info = await ident.identify(s, { address: peer.address, port: peer.port, timeoutMs: 1500, insideTls: false });
          } finally {
            s.close();
          }
        } catch (e) {
          // The orchestrator treats an IoError as "not this protocol"; anything else is a bug.
          if ((e as Error).name !== 'IoError') problems.push(`${label}: threw ${(e as Error).message}`);
        }
        const ms = Date.now() - t0;
        if (ms > 3_500) problems.push(`${label}: took ${ms} ms`);
        if (info) problems.push(`${label}: identified as ${info.name} (${info.evidence ?? ''})`);
      } finally {
        await peer.close();
      }
    }),
  );
  assert.deepEqual(problems, []);
});
