// rdp probe and RDP identification against real servers (test/harness/rdp.ts):
//   xrdp careless  (security_layer=rdp, crypt_level=low: selects PROTOCOL_RDP for every offer)
//   xrdp hardened  (security_layer=tls, crypt_level=high, TLS 1.2+, cert naming its address)
//   FreeRDP shadow hardened (/sec:nla: HYBRID_REQUIRED_BY_SERVER to RDP and SSL offers)
//   FreeRDP shadow careless (rdp, tls and nla all allowed)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startXrdp, startFreerdpShadow, type RdpPorts } from '../../harness/rdp.js';
import type { Peer } from '../../harness/peer.js';
import { rdpProbe } from '../../../src/probes/rdp.js';
import { rdpIdentifier, WINDOWS_ACTIVE, WINDOWS_GREETINGS } from '../../../src/scan/identifiers/catalog-windows.js';
import { identifyService } from '../../../src/scan/identify.js';
import { netTransport } from '../../../src/io/transport.js';
import { makeCtx, byCheck, statusOf, Child, waitListening } from './kit.js';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const XC = '127.12.2.11';
const XH = '127.12.2.12';
const FH = '127.12.2.13';
const FC = '127.12.2.14';
const peers: Array<Peer<RdpPorts>> = [];
let xc: Peer<RdpPorts>, xh: Peer<RdpPorts>, fh: Peer<RdpPorts>, fc: Peer<RdpPorts>;
const rdp = { name: 'rdp', tls: false, method: 'handshake' as const };

before(async () => {
  [xc, xh, fh, fc] = await Promise.all([
    startXrdp({ address: XC, variant: 'careless' }),
    startXrdp({ address: XH, variant: 'hardened' }),
    startFreerdpShadow({ address: FH, variant: 'hardened', startTimeoutMs: 40_000 }),
    startFreerdpShadow({ address: FC, variant: 'careless', startTimeoutMs: 40_000 }),
  ]);
  peers.push(xc, xh, fh, fc);
});
after(async () => {
  for (const p of peers) await p.stop();
});

test('xrdp careless: standard security, no NLA, low encryption, default port → fail; no TLS → not-applicable', async () => {
  const { ctx } = makeCtx({ address: XC, port: xc.ports.rdp, service: rdp });
  const v = byCheck(await rdpProbe.run(ctx));
  assert.equal(v['rdp-standard-security-allowed']?.status, 'fail');
  assert.match(v['rdp-standard-security-allowed']!.evidence.summary, /selectedProtocol=PROTOCOL_RDP \(0\)/);
  assert.equal(v['rdp-nla-not-required']?.status, 'fail');
  // The trap: a NEG_RSP to the SSL offer that selects PROTOCOL_RDP is read as RDP, not as TLS/CredSSP support.
  assert.match(v['rdp-nla-not-required']!.evidence.summary, /PROTOCOL_SSL → RDP_NEG_RSP selectedProtocol=PROTOCOL_RDP/);
  assert.equal(v['rdp-encryption-level-low']?.status, 'fail', JSON.stringify(v['rdp-encryption-level-low']));
  assert.match(v['rdp-encryption-level-low']!.evidence.summary, /Low \(1\)/);
  assert.equal(v['rdp-default-port']?.status, 'fail');
  for (const id of ['tls-legacy-protocol', 'tls-weak-cipher', 'tls-untrusted-certificate']) assert.equal(v[id]?.status, 'not-applicable', id);
});

test('xrdp hardened: TLS required → standard security pass, encryption n/a, TLS checks judged after negotiation', async () => {
  const { ctx, learned } = makeCtx({ address: XH, port: xh.ports.rdp, service: rdp });
  const v = byCheck(await rdpProbe.run(ctx));
  assert.equal(v['rdp-standard-security-allowed']?.status, 'pass');
  assert.match(v['rdp-standard-security-allowed']!.evidence.summary, /SSL_REQUIRED_BY_SERVER/);
  assert.equal(v['rdp-encryption-level-low']?.status, 'not-applicable');
  // xrdp never does CredSSP: a TLS-only client still gets a session start.
  assert.equal(v['rdp-nla-not-required']?.status, 'fail');
  assert.equal(v['tls-legacy-protocol']?.status, 'pass', JSON.stringify(v['tls-legacy-protocol']));
  assert.equal(v['tls-weak-cipher']?.status, 'pass');
  assert.equal(v['tls-weak-key']?.status, 'pass');
  assert.equal(v['tls-expired-certificate']?.status, 'pass');
  assert.equal(v['tls-hostname-mismatch']?.status, 'pass', JSON.stringify(v['tls-hostname-mismatch']));
  assert.equal(v['tls-untrusted-certificate']?.status, 'fail');
  assert.match(v['tls-legacy-protocol']!.evidence.sent ?? '', /after RDP negotiation \(PROTOCOL_SSL\)/);
  assert.ok(learned.some((f) => f.kind === 'domain' && f.value === 'portcullis.test'), JSON.stringify(learned));
});

test('FreeRDP shadow with /sec:nla: NLA enforced → nla and standard-security pass; TLS reached through HYBRID', async () => {
  const { ctx } = makeCtx({ address: FH, port: fh.ports.rdp, service: rdp });
  const v = byCheck(await rdpProbe.run(ctx));
  assert.equal(v['rdp-nla-not-required']?.status, 'pass', JSON.stringify(v['rdp-nla-not-required']));
  assert.match(v['rdp-nla-not-required']!.evidence.summary, /HYBRID_REQUIRED_BY_SERVER/);
  assert.equal(v['rdp-standard-security-allowed']?.status, 'pass');
  assert.equal(v['tls-legacy-protocol']?.status, 'pass', JSON.stringify(v['tls-legacy-protocol']));
  assert.match(v['tls-legacy-protocol']!.evidence.sent ?? '', /PROTOCOL_SSL\|PROTOCOL_HYBRID/);
});

test('FreeRDP shadow careless: every layer allowed → standard security and NLA fail', async () => {
  const { ctx } = makeCtx({ address: FC, port: fc.ports.rdp, service: rdp });
  const s = statusOf(await rdpProbe.run(ctx));
  assert.equal(s['rdp-standard-security-allowed'], 'fail');
  assert.equal(s['rdp-nla-not-required'], 'fail');
});

test('identification: all four answer the X.224 request as rdp, including through the orchestrator', async () => {
  for (const [addr, peer] of [[XC, xc], [XH, xh], [FH, fh], [FC, fc]] as const) {
    const stream = await netTransport.connect(addr, peer.ports.rdp, { timeoutMs: 2000 });
    try {
      const info = await rdpIdentifier.identify(stream, { address: addr, port: peer.ports.rdp, timeoutMs: 2000, insideTls: false });
      assert.equal(info?.name, 'rdp', addr);
    } finally {
      stream.close();
    }
  }
  const viaOrchestrator = await identifyService(XH, xh.ports.rdp, { io: netTransport, catalog: { greetings: WINDOWS_GREETINGS, active: WINDOWS_ACTIVE }, timeoutMs: 3000 });
  assert.equal(viaOrchestrator.name, 'rdp');
  assert.equal(viaOrchestrator.tls, false);
});

test('xrdp with Standard RDP Security at crypt_level=high (a variant the harness lacks) → encryption-level passes', async () => {
  // Started here as a child process (stopped by pid in finally): security_layer=rdp, crypt_level=high.
  const dir = mkdtempSync(join(tmpdir(), 'pc-win-xrdp-high-'));
  const addr = '127.12.2.15';
  const ini = join(dir, 'xrdp.ini');
  writeFileSync(
    ini,
    ['[Globals]', 'ini_version=1', 'fork=true', `port=tcp://${addr}:3389`, 'use_vsock=false', 'security_layer=rdp', 'crypt_level=high', 'certificate=', 'key_file=',
      '[Logging]', `LogFile=${join(dir, 'xrdp.log')}`, 'LogLevel=INFO', 'EnableSyslog=false',
      '[Xorg]', 'name=Xorg', 'lib=libxup.so', 'username=ask', 'password=ask', 'ip=127.0.0.1', 'port=-1', 'code=20', ''].join('\n'),
  );
  const xrdp = Child.start('xrdp', ['--nodaemon', '--config', ini], [dir]);
  try {
    await waitListening(addr, 3389);
    const v = byCheck(await rdpProbe.run(makeCtx({ address: addr, port: 3389, service: rdp }).ctx));
    assert.equal(v['rdp-standard-security-allowed']?.status, 'fail');
    assert.equal(v['rdp-encryption-level-low']?.status, 'pass', JSON.stringify(v['rdp-encryption-level-low']));
    assert.match(v['rdp-encryption-level-low']!.evidence.summary, /High \(3\) with 128-bit RC4/);
  } finally {
    await xrdp.stop();
  }
});
