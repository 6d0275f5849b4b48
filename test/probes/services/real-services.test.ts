// FTP, Telnet, SNMP, VNC, MariaDB and Postfix probes (and their identification) against the real
// Debian servers of test/harness, each in its careless and hardened configuration.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startVsftpd, startTelnet, startSnmpd, startVnc, startMariadb, startPostfix } from '../../harness/index.js';
import type { Peer } from '../../harness/peer.js';
import { identifyService } from '../../../src/scan/identify.js';
import { IDENTIFIERS } from '../../../src/scan/identifiers/index.js';
import { netTransport } from '../../../src/io/transport.js';
import { tcpConnects } from '../../harness/net.js';
import { ftpServer } from '../../../src/probes/ftp-server.js';
import { telnetServer } from '../../../src/probes/telnet-server.js';
import { snmpCommunity } from '../../../src/probes/snmp-community.js';
import { vncAuth } from '../../../src/probes/vnc-auth.js';
import { databaseExposure } from '../../../src/probes/database-exposure.js';
import { smtpRelay } from '../../../src/probes/smtp-relay.js';
import { smtpStartTls } from '../../../src/probes/smtp-starttls.js';
import { byId, freshAddress, runOne, svc } from './helpers.js';

async function both<P extends object>(start: (o: { address: string; variant: 'careless' | 'hardened' }) => Promise<Peer<P>>, fn: (careless: Peer<P>, hardened: Peer<P>) => Promise<void>): Promise<void> {
  const [c, h] = await Promise.all([start({ address: freshAddress(), variant: 'careless' }), start({ address: freshAddress(), variant: 'hardened' })]);
  try {
    await fn(c, h);
  } finally {
    await Promise.all([c.stop(), h.stop()]);
  }
}

function identify(address: string, port: number) {
  return identifyService(address, port, { io: netTransport, catalog: IDENTIFIERS, timeoutMs: 3000 });
}

test('vsftpd: identified (banner hides the version); anonymous + cleartext fail (careless), pass (hardened, with TLS checks after AUTH TLS)', { timeout: 120_000 }, async () => {
  await both(startVsftpd, async (c, h) => {
    const id = await identify(c.address, c.ports.ftp);
    assert.equal(id.name, 'ftp');
    // The harness sets ftpd_banner, which hides the product: we must not guess one.
    assert.equal(id.product, undefined, JSON.stringify(id));
    assert.match(id.evidence ?? '', /220 portcullis FTP peer ready/);
    const cr = await runOne(ftpServer, { address: c.address, port: c.ports.ftp, service: id });
    assert.equal(byId(cr.findings, 'ftp-anonymous-login').status, 'fail', JSON.stringify(cr.findings));
    assert.equal(byId(cr.findings, 'ftp-cleartext').status, 'fail');
    assert.ok(!cr.findings.some((f) => f.id.startsWith('tls-')), 'no TLS verdicts without AUTH TLS');
    const hr = await runOne(ftpServer, { address: h.address, port: h.ports.ftp, service: svc('ftp', { method: 'banner' }) });
    assert.equal(byId(hr.findings, 'ftp-anonymous-login').status, 'pass', JSON.stringify(hr.findings));
    assert.equal(byId(hr.findings, 'ftp-cleartext').status, 'pass');
    // The shared TLS checks ran after AUTH TLS (their verdicts are theirs to judge; they must be present and decided).
    const tls = hr.findings.filter((f) => f.id.startsWith('tls-'));
    assert.equal(tls.length, 6, JSON.stringify(hr.findings.map((f) => f.id)));
    assert.ok(tls.some((f) => f.status !== 'error'), JSON.stringify(tls.map((f) => [f.id, f.status, f.evidence.summary])));
  });
});

test('telnetd under inetd: identified by IAC negotiation, telnet-cleartext fails; hardened has no port', { timeout: 60_000 }, async () => {
  await both(startTelnet, async (c, h) => {
    const id = await identify(c.address, c.ports.telnet);
    assert.equal(id.name, 'telnet', JSON.stringify(id));
    const r = await runOne(telnetServer, { address: c.address, port: c.ports.telnet, service: id });
    const f = byId(r.findings, 'telnet-cleartext');
    assert.equal(f.status, 'fail', JSON.stringify(f.evidence));
    assert.match(f.evidence.received ?? '', /DO |WILL /);
    assert.doesNotMatch(f.evidence.sent ?? '', /PASS|password/i);
    assert.equal(await tcpConnects(h.address, h.ports.telnet, 1000), false, 'hardened: Telnet switched off, nothing to flag');
  });
});

test('snmpd: public/private answer (fail, sysName as evidence); SNMPv3-only agent drops them (pass)', { timeout: 60_000 }, async () => {
  await both(startSnmpd, async (c, h) => {
    const cr = await runOne(snmpCommunity, { address: c.address, port: c.ports.snmp, protocol: 'udp', service: svc('snmp', { method: 'port' }) });
    const cf = byId(cr.findings, 'snmp-default-community');
    assert.equal(cf.status, 'fail', JSON.stringify(cf.evidence));
    assert.match(JSON.stringify(cf.evidence.items), /public/);
    assert.match(JSON.stringify(cf.evidence.items), new RegExp(c.info['sysName'] ?? 'sysName'));
    const hr = await runOne(snmpCommunity, { address: h.address, port: h.ports.snmp, protocol: 'udp', service: svc('snmp', { method: 'port' }) });
    assert.equal(byId(hr.findings, 'snmp-default-community').status, 'pass', JSON.stringify(hr.findings));
  });
});

test('x11vnc: identified as RFB; security type None offered (fail) vs VNC password only (pass)', { timeout: 90_000 }, async () => {
  await both(startVnc, async (c, h) => {
    const id = await identify(c.address, c.ports.rfb);
    assert.equal(id.name, 'vnc');
    const cr = await runOne(vncAuth, { address: c.address, port: c.ports.rfb, service: id });
    assert.equal(byId(cr.findings, 'vnc-no-auth').status, 'fail', JSON.stringify(cr.findings));
    const hr = await runOne(vncAuth, { address: h.address, port: h.ports.rfb, service: svc('vnc', { method: 'banner' }) });
    const hf = byId(hr.findings, 'vnc-no-auth');
    assert.equal(hf.status, 'pass', JSON.stringify(hf.evidence));
    assert.match(hf.evidence.summary, /VNC Authentication/);
  });
});

test('MariaDB: identified with version from the greeting; database-exposed fails; hardened listens on no TCP port', { timeout: 120_000 }, async () => {
  await both(startMariadb, async (c, h) => {
    const id = await identify(c.address, c.ports.mysql);
    assert.equal(id.name, 'mysql');
    assert.equal(id.product, 'MariaDB');
    assert.match(id.version ?? '', /^\d+\.\d+\.\d+$/);
    const r = await runOne(databaseExposure, { address: c.address, port: c.ports.mysql, service: id });
    const f = byId(r.findings, 'database-exposed');
    assert.equal(f.status, 'fail', JSON.stringify(f.evidence));
    assert.match(f.evidence.summary, /MariaDB/);
    assert.equal(await tcpConnects(h.address, 3306, 1000), false);
  });
});

test('Postfix: identified; open relay accepted RCPT (fail) vs relay refused (pass); TLS checked after STARTTLS', { timeout: 120_000 }, async () => {
  await both(startPostfix, async (c, h) => {
    const id = await identify(c.address, c.ports.smtp);
    assert.equal(id.name, 'smtp', JSON.stringify(id));
    // smtpd_banner = $myhostname ESMTP: the product is not told, so none is reported.
    assert.equal(id.product, undefined, JSON.stringify(id));
    const cr = await runOne(smtpRelay, { address: c.address, port: c.ports.smtp, service: id });
    const cf = byId(cr.findings, 'smtp-open-relay');
    assert.equal(cf.status, 'fail', JSON.stringify(cf.evidence));
    assert.match(cf.evidence.sent ?? '', /no DATA/);
    const hr = await runOne(smtpRelay, { address: h.address, port: h.ports.smtp, service: svc('smtp', { method: 'banner' }) });
    const hf = byId(hr.findings, 'smtp-open-relay');
    assert.equal(hf.status, 'pass', JSON.stringify(hf.evidence));
    // Both variants offer STARTTLS: the shared TLS checks run after it (careless TLS 1.0+, hardened TLS 1.2+).
    const cs = await runOne(smtpStartTls, { address: c.address, port: c.ports.smtp, service: id });
    assert.equal(cs.findings.filter((f) => f.id.startsWith('tls-')).length, 6, JSON.stringify(cs.findings.map((f) => f.id)));
    assert.equal(byId(cs.findings, 'tls-legacy-protocol').status, 'fail');
    assert.match(byId(cs.findings, 'tls-legacy-protocol').evidence.sent ?? '', /after SMTP STARTTLS/);
    const hs = await runOne(smtpStartTls, { address: h.address, port: h.ports.smtp, service: svc('smtp', { method: 'banner' }) });
    assert.equal(byId(hs.findings, 'tls-legacy-protocol').status, 'pass', JSON.stringify(byId(hs.findings, 'tls-legacy-protocol').evidence));
  });
});
