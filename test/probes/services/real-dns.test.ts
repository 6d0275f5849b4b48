// DNS probes against real BIND 9 (test/harness/bind.ts): careless = transfers to anyone, recursion
// for anyone (forwarding to a silent upstream, so the answer is a late SERVFAIL), version shown;
// hardened = transfers refused, recursion off, version hidden. Each verdict both ways.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startBind } from '../../harness/bind.js';
import type { Peer } from '../../harness/peer.js';
import type { BindPorts } from '../../harness/bind.js';
import { dnsServer } from '../../../src/probes/dns-server.js';
import { dnsServerTcp } from '../../../src/probes/dns-server-tcp.js';
import { dnsZoneTransfer } from '../../../src/probes/dns-zone-transfer.js';
import { byId, freshAddress, runOne, svc } from './helpers.js';

let careless: Peer<BindPorts>;
let hardened: Peer<BindPorts>;

before(async () => {
  [careless, hardened] = await Promise.all([startBind({ address: freshAddress(), variant: 'careless' }), startBind({ address: freshAddress(), variant: 'hardened' })]);
});
after(async () => {
  await Promise.all([careless?.stop(), hardened?.stop()]);
});

test('bind9 careless: open recursion found by waiting for the late SERVFAIL; version disclosed', async () => {
  const { findings, ms } = await runOne(dnsServer, { address: careless.address, port: careless.ports.dns, protocol: 'udp', service: svc('dns', { method: 'port' }), domains: ['corp.test'] });
  const rec = byId(findings, 'dns-open-recursion');
  assert.equal(rec.status, 'fail', JSON.stringify(rec.evidence));
  assert.match(rec.evidence.received ?? '', /SERVFAIL|NOERROR|NXDOMAIN/);
  const ver = byId(findings, 'dns-version-disclosed');
  assert.equal(ver.status, 'fail', JSON.stringify(ver.evidence));
  assert.match(ver.evidence.summary, /\d+\.\d+/);
  assert.ok(ms < dnsServer.timeoutMs, `took ${ms} ms`);
});

test('bind9 hardened: recursion refused, version hidden', async () => {
  const { findings } = await runOne(dnsServer, { address: hardened.address, port: hardened.ports.dns, protocol: 'udp', service: svc('dns', { method: 'port' }), domains: ['corp.test'] });
  assert.equal(byId(findings, 'dns-open-recursion').status, 'pass', JSON.stringify(findings));
  assert.equal(byId(findings, 'dns-version-disclosed').status, 'pass', JSON.stringify(findings));
});

test('bind9: zone transfer allowed (careless) and refused (hardened), zone found from --domain', async () => {
  const c = await runOne(dnsZoneTransfer, { address: careless.address, port: careless.ports.dns, service: svc('dns'), domains: ['corp.test'] });
  const cf = byId(c.findings, 'dns-zone-transfer-allowed');
  assert.equal(cf.status, 'fail', JSON.stringify(cf.evidence));
  assert.match(cf.evidence.received ?? '', /dc01\.corp\.test|fileserver\.corp\.test|ns1\.corp\.test/);
  const h = await runOne(dnsZoneTransfer, { address: hardened.address, port: hardened.ports.dns, service: svc('dns'), domains: ['corp.test'] });
  const hf = byId(h.findings, 'dns-zone-transfer-allowed');
  assert.equal(hf.status, 'pass', JSON.stringify(hf.evidence));
  assert.match(JSON.stringify(hf.evidence.items), /REFUSED|closed/);
});

test('bind9: zone learned from a host name (a name inside the zone leads to the zone)', async () => {
  const c = await runOne(dnsZoneTransfer, { address: careless.address, port: careless.ports.dns, service: svc('dns'), hostNames: ['dc01.corp.test'] });
  assert.equal(byId(c.findings, 'dns-zone-transfer-allowed').status, 'fail');
});

test('bind9: no candidate zone → manual, never a guessed pass', async () => {
  const c = await runOne(dnsZoneTransfer, { address: careless.address, port: careless.ports.dns, service: svc('dns') });
  const f = byId(c.findings, 'dns-zone-transfer-allowed');
  assert.equal(f.status, 'manual', JSON.stringify(f.evidence));
});

test('bind9 over TCP when UDP 53 was not scanned: same verdicts both ways', async () => {
  const c = await runOne(dnsServerTcp, { address: careless.address, port: careless.ports.dns, service: svc('dns') });
  assert.equal(byId(c.findings, 'dns-open-recursion').status, 'fail', JSON.stringify(c.findings));
  assert.equal(byId(c.findings, 'dns-version-disclosed').status, 'fail');
  const h = await runOne(dnsServerTcp, { address: hardened.address, port: hardened.ports.dns, service: svc('dns') });
  assert.equal(byId(h.findings, 'dns-open-recursion').status, 'pass', JSON.stringify(h.findings));
  assert.equal(byId(h.findings, 'dns-version-disclosed').status, 'pass');
  // With UDP 53 open on the host, the TCP probe stays silent (dns-server judges it).
  const quiet = await runOne(dnsServerTcp, {
    address: hardened.address,
    port: hardened.ports.dns,
    service: svc('dns'),
    hostPorts: [{ port: hardened.ports.dns, protocol: 'udp', state: 'open', reason: 'udp-response' }],
  });
  assert.equal(quiet.findings.length, 0);
});
