// Every service probe and identifier against the hostile peer (test/harness/hostile.ts): garbage,
// a truncated frame of its protocol, one byte per 200 ms, a reset, an endless stream, a frame with
// an absurd length, silence. Each must end by itself inside its time limit with `error` (or a
// verdict that does not depend on the peer: not-applicable) and a reason — never pass/fail, never
// a crash, a hang or unbounded memory.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startHostile, startHostileUdp, HOSTILE_MODES, type HostileMode, type HostileUdpMode } from '../../harness/hostile.js';
import type { ProbeDefinition } from '../../../src/probes/define.js';
import type { ServiceInfo } from '../../../src/core/result.js';
import { identifyService } from '../../../src/scan/identify.js';
import { IDENTIFIERS } from '../../../src/scan/identifiers/index.js';
import { netTransport } from '../../../src/io/transport.js';
import { httpServer } from '../../../src/probes/http-server.js';
import { httpWriteMethods } from '../../../src/probes/http-write-methods.js';
import { ftpServer } from '../../../src/probes/ftp-server.js';
import { telnetServer } from '../../../src/probes/telnet-server.js';
import { vncAuth } from '../../../src/probes/vnc-auth.js';
import { databaseExposure } from '../../../src/probes/database-exposure.js';
import { smtpRelay } from '../../../src/probes/smtp-relay.js';
import { smtpStartTls } from '../../../src/probes/smtp-starttls.js';
import { dnsZoneTransfer } from '../../../src/probes/dns-zone-transfer.js';
import { dnsServerTcp } from '../../../src/probes/dns-server-tcp.js';
import { dnsServer } from '../../../src/probes/dns-server.js';
import { snmpCommunity } from '../../../src/probes/snmp-community.js';
import { freshAddress, runOne, svc } from './helpers.js';

const LIMIT_MS = 6_000;

interface Case {
  probe: ProbeDefinition;
  service: ServiceInfo;
  /** A frame of the probe's own protocol, cut or inflated by the hostile peer. */
  frame: Buffer;
  /** Client speaks first. */
  clientFirst: boolean;
}

const u32 = (n: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
};

const HTTP_FRAME = Buffer.from('HTTP/1.1 200 OK\r\nServer: x/1.0\r\nContent-Length: 99999999999\r\n\r\n<html>');
const CASES: Case[] = [
  { probe: httpServer, service: svc('http'), frame: HTTP_FRAME, clientFirst: true },
  { probe: httpWriteMethods, service: svc('http'), frame: HTTP_FRAME, clientFirst: true },
  { probe: ftpServer, service: svc('ftp', { method: 'banner' }), frame: Buffer.from('220-welcome\r\n 230 not the end\r\n'), clientFirst: false },
  // Not Telnet bytes: a real negotiation, even cut short, is Telnet and would rightly fail.
  { probe: telnetServer, service: svc('telnet', { method: 'banner' }), frame: Buffer.from('login: \x00\x01\x02'), clientFirst: false },
  { probe: vncAuth, service: svc('vnc', { method: 'banner' }), frame: Buffer.concat([Buffer.from('RFB 003.008\n'), Buffer.from([0]), u32(0x7fffffff)]), clientFirst: false },
  { probe: databaseExposure, service: svc('mysql', { method: 'banner' }), frame: Buffer.from([0xff, 0xff, 0xff, 0x00, 0x0a, 0x31, 0x30]), clientFirst: false },
  { probe: databaseExposure, service: svc('postgresql'), frame: Buffer.concat([Buffer.from('N'), Buffer.from('R'), u32(0x7fffffff)]), clientFirst: true },
  { probe: databaseExposure, service: svc('redis'), frame: Buffer.from('$999999999\r\nabc'), clientFirst: true },
  { probe: smtpRelay, service: svc('smtp', { method: 'banner' }), frame: Buffer.from('220-mail ESMTP\r\n220-more\r\n'), clientFirst: false },
  { probe: smtpStartTls, service: svc('smtp', { method: 'banner' }), frame: Buffer.from('220-mail ESMTP\r\n220-more\r\n'), clientFirst: false },
  { probe: dnsZoneTransfer, service: svc('dns'), frame: Buffer.from([0xff, 0xff, 0x12, 0x34, 0x84, 0x00, 0x00, 0x01]), clientFirst: true },
  { probe: dnsServerTcp, service: svc('dns'), frame: Buffer.from([0xff, 0xff, 0x12, 0x34, 0x84, 0x00, 0x00, 0x01]), clientFirst: true },
];

function label(c: Case, mode: string): string {
  return `${c.probe.id}/${c.service.name}/${mode}`;
}

test('hostile TCP peer: every service probe ends by itself with error and a reason', { timeout: 120_000 }, async () => {
  const rssBefore = process.memoryUsage().rss;
  const runs = CASES.flatMap((c) => HOSTILE_MODES.map((mode) => ({ c, mode })));
  const problems: string[] = [];
  await Promise.all(
    runs.map(async ({ c, mode }) => {
      const peer = await startHostile({
        address: freshAddress(),
        port: 0,
        mode: mode as HostileMode,
        // endless = random bytes without end (a repeated valid frame would be a real, judgeable answer).
        ...(mode === 'endless' ? {} : { frame: c.frame }),
        trigger: c.clientFirst ? 'data' : 'connect',
        trickleIntervalMs: 200,
        endlessMaxBytes: 64 << 20,
        lifetimeMs: 60_000,
      });
      try {
        const { findings, ms } = await runOne(c.probe, { address: peer.address, port: peer.port, service: c.service, maxProbeMs: LIMIT_MS });
        if (ms > LIMIT_MS + 1_000) problems.push(`${label(c, mode)}: took ${ms} ms`);
        if (findings.length === 0) problems.push(`${label(c, mode)}: no verdict at all`);
        for (const f of findings) {
          if (f.status === 'pass' || f.status === 'fail') problems.push(`${label(c, mode)}: ${f.id} = ${f.status} (${f.evidence.summary})`);
          if (!f.evidence.summary || f.evidence.summary.length < 10) problems.push(`${label(c, mode)}: ${f.id} without a reason`);
          if (/did not finish within/.test(f.evidence.summary)) problems.push(`${label(c, mode)}: ${f.id} was cut off by the runner instead of ending by itself`);
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

test('hostile UDP peer: DNS and SNMP probes end with error on garbage and absurd frames', { timeout: 60_000 }, async () => {
  const problems: string[] = [];
  const udpCases: { probe: ProbeDefinition; service: ServiceInfo; respond: (req: Buffer) => Buffer }[] = [
    // Echo the DNS id, then claim 65535 answers that never come.
    { probe: dnsServer, service: svc('dns', { method: 'port' }), respond: (r) => Buffer.concat([r.subarray(0, 2), Buffer.from([0x81, 0x80, 0x00, 0x01, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00])]) },
    // An SNMP SEQUENCE announcing 0x7fffffff bytes.
    { probe: snmpCommunity, service: svc('snmp', { method: 'port' }), respond: () => Buffer.from([0x30, 0x84, 0x7f, 0xff, 0xff, 0xff, 0x02, 0x01, 0x01]) },
  ];
  const modes: HostileUdpMode[] = ['garbage', 'absurd-length'];
  await Promise.all(
    udpCases.flatMap((c) =>
      modes.map(async (mode) => {
        const peer = await startHostileUdp({ address: freshAddress(), port: 0, mode, respond: c.respond, lifetimeMs: 60_000 });
        try {
          const { findings, ms } = await runOne(c.probe, { address: peer.address, port: peer.port, protocol: 'udp', service: c.service, maxProbeMs: LIMIT_MS });
          if (ms > LIMIT_MS + 1_000) problems.push(`${c.probe.id}/${mode}: took ${ms} ms`);
          for (const f of findings) {
            if (f.status !== 'error') problems.push(`${c.probe.id}/${mode}: ${f.id} = ${f.status} (${f.evidence.summary})`);
          }
          if (findings.length === 0) problems.push(`${c.probe.id}/${mode}: no verdict`);
        } finally {
          await peer.close();
        }
      }),
    ),
  );
  assert.deepEqual(problems, []);
});

test('hostile peer: identification ends as unknown (with the first bytes) for every mode', { timeout: 120_000 }, async () => {
  const problems: string[] = [];
  await Promise.all(
    HOSTILE_MODES.map(async (mode) => {
      const peer = await startHostile({ address: freshAddress(), port: 0, mode, frame: HTTP_FRAME, trickleIntervalMs: 200, endlessMaxBytes: 64 << 20, lifetimeMs: 60_000 });
      try {
        const started = Date.now();
        const info = await identifyService(peer.address, peer.port, { io: netTransport, catalog: IDENTIFIERS, timeoutMs: 1_500, greetingWaitMs: 500 });
        const ms = Date.now() - started;
        if (ms > 40_000) problems.push(`${mode}: ${ms} ms`);
        // truncated/trickle/absurd send the start of an HTTP response unprompted: that is not a greeting of any protocol.
        if (info.name !== 'unknown') problems.push(`${mode}: identified as ${info.name} (${info.evidence ?? ''})`);
        if (mode !== 'silent' && mode !== 'reset' && !info.evidence) problems.push(`${mode}: unknown without evidence`);
      } finally {
        await peer.close();
      }
    }),
  );
  assert.deepEqual(problems, []);
});
