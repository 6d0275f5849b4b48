// smb probe against real Samba (test/harness/samba.ts): careless = SMB1 allowed + signing disabled,
// reached on 445 and through the NetBIOS session service on 139; hardened = SMB2.02+ with
// mandatory signing. Both verdicts must flip between the two.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSamba, type SambaPorts } from '../../harness/samba.js';
import type { Peer } from '../../harness/peer.js';
import { smbProbe } from '../../../src/probes/smb.js';
import { netbiosProbe } from '../../../src/probes/netbios.js';
import { identifyService } from '../../../src/scan/identify.js';
import { WINDOWS_ACTIVE, WINDOWS_GREETINGS } from '../../../src/scan/identifiers/catalog-windows.js';
import { netTransport } from '../../../src/io/transport.js';
import { makeCtx, byCheck } from './kit.js';

const catalog = { greetings: WINDOWS_GREETINGS, active: WINDOWS_ACTIVE };

const CARELESS = '127.12.3.1';
const HARDENED = '127.12.3.2';
let careless: Peer<SambaPorts> | undefined;
let hardened: Peer<SambaPorts> | undefined;

before(async () => {
  [careless, hardened] = await Promise.all([
    startSamba({ address: CARELESS, variant: 'careless', workgroup: 'PCWINTEST' }),
    startSamba({ address: HARDENED, variant: 'hardened' }),
  ]);
});
after(async () => {
  await careless?.stop();
  await hardened?.stop();
});

test('careless samba on 445: SMB1 accepted and signing not required → both fail, workgroup learned', async () => {
  const { ctx, learned } = makeCtx({ address: CARELESS, port: careless!.ports.smb, service: { name: 'smb', tls: false, method: 'handshake' } });
  const v = byCheck(await smbProbe.run(ctx));
  assert.equal(v['smb-v1-enabled']?.status, 'fail', JSON.stringify(v['smb-v1-enabled']));
  assert.match(v['smb-v1-enabled']!.evidence.summary, /DialectIndex 0/);
  assert.equal(v['smb-signing-not-required']?.status, 'fail', JSON.stringify(v['smb-signing-not-required']));
  // Judged from SMB2 (the trap): the server speaks SMB2 as well.
  assert.match(v['smb-signing-not-required']!.evidence.summary, /SMB2 NEGOTIATE response \(dialect 3\.1\.1\)/);
  const items = Object.fromEntries((v['smb-signing-not-required']!.evidence.items ?? []).map((i) => [i.label, i.value]));
  assert.ok(items['3.1.1 cipher'], 'cipher from the 3.1.1 ENCRYPTION context');
  assert.ok(learned.some((f) => f.kind === 'domain' && f.value === 'pcwintest'), JSON.stringify(learned));
});

test('careless samba through the NetBIOS session service on 139 → same verdicts', async () => {
  const { ctx } = makeCtx({ address: CARELESS, port: careless!.ports.netbiosSession, service: { name: 'netbios-ssn', tls: false, method: 'handshake' } });
  const v = byCheck(await smbProbe.run(ctx));
  assert.equal(v['smb-v1-enabled']?.status, 'fail', JSON.stringify(v['smb-v1-enabled']));
  assert.equal(v['smb-signing-not-required']?.status, 'fail', JSON.stringify(v['smb-signing-not-required']));
  assert.match(v['smb-v1-enabled']!.evidence.sent ?? '', /NetBIOS session request/);
});

test('hardened samba: SMB1 refused, signing required → both pass', async () => {
  const { ctx } = makeCtx({ address: HARDENED, port: hardened!.ports.smb, service: { name: 'smb', tls: false, method: 'handshake' } });
  const v = byCheck(await smbProbe.run(ctx));
  assert.equal(v['smb-v1-enabled']?.status, 'pass', JSON.stringify(v['smb-v1-enabled']));
  assert.equal(v['smb-signing-not-required']?.status, 'pass', JSON.stringify(v['smb-signing-not-required']));
  assert.match(v['smb-signing-not-required']!.evidence.summary, /signing required/);
});

test('netbios: careless nmbd answers NBSTAT → fail with names and workgroup learned; hardened (no nmbd) → pass', async () => {
  const c = makeCtx({ address: CARELESS, port: careless!.ports.netbiosName, protocol: 'udp', timeoutMs: 5000 });
  const v = await netbiosProbe.run(c.ctx);
  assert.equal(v[0]?.status, 'fail', JSON.stringify(v));
  assert.match(v[0]!.evidence.summary, /workgroup\/domain PCWINTEST/);
  assert.ok(c.learned.some((f) => f.kind === 'domain' && f.value === 'pcwintest'));
  const h = makeCtx({ address: HARDENED, port: 137, protocol: 'udp', timeoutMs: 5000 });
  const hv = await netbiosProbe.run(h.ctx);
  assert.equal(hv[0]?.status, 'pass', JSON.stringify(hv));
  assert.match(hv[0]!.evidence.summary, /unreachable|no answer/);
});

test('identification: SMB on 445 names the highest dialect; 139 is netbios-ssn carrying SMB', async () => {
  const s445 = await identifyService(CARELESS, careless!.ports.smb, { io: netTransport, catalog, timeoutMs: 3000 });
  assert.equal(s445.name, 'smb');
  assert.equal(s445.product, 'SMB 3.1.1');
  assert.equal(s445.extra?.signing, 'enabled');
  const s139 = await identifyService(CARELESS, careless!.ports.netbiosSession, { io: netTransport, catalog, timeoutMs: 3000 });
  assert.equal(s139.name, 'netbios-ssn');
  assert.equal(s139.product, 'SMB 3.1.1');
  const hard = await identifyService(HARDENED, hardened!.ports.smb, { io: netTransport, catalog, timeoutMs: 3000 });
  assert.equal(hard.name, 'smb');
  assert.equal(hard.extra?.signing, 'required');
});
