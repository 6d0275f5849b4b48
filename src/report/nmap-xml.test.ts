// nmap-compatible XML: validated against nmap's own DTD with xmllint, and read back with our
// importer (the round trip proves states, services, TLS and escaping survive).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { renderNmapXml, escapeAttr, escapeText } from './nmap-xml.js';
import { sampleDocument } from './fixtures/sample-doc.js';
import { parseNmapXml } from '../import/nmap.js';
import type { PortResult, ScanDocument } from '../core/result.js';

const DTD = '/usr/share/nmap/nmap.dtd';
const xmllintFound = spawnSync('xmllint', ['--version']).error === undefined;
const skip = !existsSync(DTD) ? `${DTD} not present (Debian package nmap)` : !xmllintFound ? 'xmllint not installed (Debian package libxml2-utils)' : false;

/** Runs xmllint against nmap's DTD; returns exit status and messages. */
function validate(xml: string): { status: number | null; stderr: string } {
  const dir = mkdtempSync(join(tmpdir(), 'pc-report-'));
  try {
    const file = join(dir, 'scan.xml');
    writeFileSync(file, xml);
    const r = spawnSync('xmllint', ['--noout', '--nonet', '--dtdvalid', DTD, file], { encoding: 'utf8', timeout: 30_000 });
    return { status: r.status, stderr: r.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A second document: a full closed range folded into <extraports>, UDP, TLS services, IPv6, a down host. */
function wideDocument(): ScanDocument {
  const closed: PortResult[] = [];
  for (let p = 1000; p < 1040; p++) closed.push({ port: p, protocol: 'tcp', state: 'closed', reason: 'conn-refused' });
  return {
    ...sampleDocument(),
    portsScanned: { tcp: '1000-1040,5986', udp: '137,1434' },
    hosts: [
      {
        address: '127.14.0.3',
        names: ['lab&co<1>'],
        status: 'up',
        ports: [
          ...closed,
          { port: 1040, protocol: 'tcp', state: 'open', reason: 'syn-ack', service: { name: 'tls', tls: true, method: 'handshake' } },
          { port: 5986, protocol: 'tcp', state: 'open', reason: 'syn-ack', service: { name: 'winrm', product: 'Microsoft-HTTPAPI', version: '2.0', tls: true, method: 'handshake' } },
          { port: 137, protocol: 'udp', state: 'open', reason: 'udp-response', service: { name: 'netbios-ns', tls: false, method: 'port' } },
          { port: 1434, protocol: 'udp', state: 'open|filtered', reason: 'no-response' },
        ],
        findings: [
          {
            id: 'tls-legacy-protocol',
            severity: 'medium',
            status: 'fail',
            target: '127.14.0.3:1040/tcp',
            title: 'TLS 1.0 accepted',
            evidence: { summary: 'ServerHello version 0x0301\ttab\r\n"quoted" & <angled>' },
            remediation: 'Disable TLS 1.0',
            references: [],
          },
          {
            id: 'closed-port-note',
            severity: 'info',
            status: 'pass',
            target: '127.14.0.3:1001/tcp',
            title: 'a finding about a port that is folded',
            evidence: { summary: '' },
            remediation: '',
            references: [],
          },
        ],
      },
      { address: 'fe80::1%lo', names: [], status: 'down', ports: [], findings: [] },
    ],
    summary: { hostsScanned: 2, hostsUp: 1, openPorts: 3, findings: { medium: 1 }, interrupted: true },
  };
}

test('nmap-xml: the sample document validates against nmap.dtd', { skip }, () => {
  const xml = renderNmapXml(sampleDocument(), { dtd: DTD });
  assert.match(xml, /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<!DOCTYPE nmaprun SYSTEM "\/usr\/share\/nmap\/nmap\.dtd">/);
  const r = validate(xml);
  assert.equal(r.status, 0, r.stderr);
});

test('nmap-xml: folded ports, UDP, TLS, IPv6, a down host and an interrupted run validate too', { skip }, () => {
  const xml = renderNmapXml(wideDocument(), { args: 'portcullis scan --ports "1000-1040" 127.14.0.3' });
  assert.match(xml, /<!DOCTYPE nmaprun>/, "nmap's own bare DOCTYPE by default");
  const r = validate(xml);
  assert.equal(r.status, 0, r.stderr);
  assert.match(xml, /<extraports state="closed" count="40">\n<extrareasons reason="conn-refused" count="40" proto="tcp" ports="1000-1039"\/>/);
  assert.match(xml, /<service name="ssl" method="probed" conf="10"\/>/);
  assert.match(xml, /<service name="wsmans" product="Microsoft-HTTPAPI" version="2\.0" tunnel="ssl" method="probed" conf="10"\/>/);
  assert.match(xml, /<service name="netbios-ns" method="table" conf="3"\/>/);
  assert.match(xml, /<address addr="fe80::1%lo" addrtype="ipv6"\/>/);
  assert.match(xml, /<hostname name="lab&amp;co&lt;1&gt;" type="user"\/>/);
  assert.match(xml, /args="portcullis scan --ports &quot;1000-1040&quot; 127\.14\.0\.3"/);
  assert.match(xml, /output="\[medium\/fail\] TLS 1\.0 accepted: ServerHello version 0x0301&#x9;tab&#xd;&#xa;&quot;quoted&quot; &amp; &lt;angled&gt;"/);
  // The finding about a folded port cannot sit under a <port>; it moves to <hostscript>.
  assert.match(xml, /<hostscript><script id="portcullis-closed-port-note"/);
  assert.match(xml, /exit="error" errormsg="interrupted/);
  assert.match(xml, /<hosts up="1" down="1" total="2"\/>/);
  assert.match(xml, /<scaninfo type="connect" protocol="tcp" numservices="42" services="1000-1040,5986"\/>/);
  assert.match(xml, /<scaninfo type="udp" protocol="udp" numservices="2" services="137,1434"\/>/);
});

test('nmap-xml: the DTD check is real — a broken element is rejected', { skip }, () => {
  // <service> without its required method/conf attributes.
  const broken = renderNmapXml(sampleDocument()).replace(/ method="probed" conf="10"/, '');
  const r = validate(broken);
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /method|conf/);
});

test('nmap-xml: bytes XML cannot carry become visible \\xNN escapes', () => {
  assert.equal(escapeText('a\u0000b\u001bc\ud800d'), 'a\\x00b\\x1bc\\xd800d');
  assert.equal(escapeAttr('<"&\'>\n'), '&lt;&quot;&amp;\'&gt;&#xa;');
  assert.equal(escapeText(']]> & <x>'), ']]&gt; &amp; &lt;x&gt;');
});

test('nmap-xml: reads back through the importer with the same ports, states and services', () => {
  for (const doc of [sampleDocument(), wideDocument()]) {
    const back = parseNmapXml(renderNmapXml(doc), 'round-trip.xml');
    assert.equal(back.hosts.length, doc.hosts.length);
    for (const h of doc.hosts) {
      const b = back.hosts.find((x) => x.address === h.address);
      assert.ok(b, h.address);
      assert.equal(b.status, h.status);
      assert.deepEqual(b.names, h.names);
      const listed = (ports: PortResult[]) =>
        ports
          .filter((p) => p.state === 'open')
          .map((p) => `${p.port}/${p.protocol} ${p.state} ${p.service?.name}|${p.service?.product ?? ''}|${p.service?.version ?? ''}|${p.service?.tls}`)
          .sort();
      assert.deepEqual(listed(b.ports), listed(h.ports), h.address);
      // Every port is accounted for, listed or counted.
      const total = (x: { ports: PortResult[]; extraPorts?: { count: number }[] }) => x.ports.length + (x.extraPorts ?? []).reduce((n, t) => n + t.count, 0);
      assert.equal(total(b), total(h), `port count for ${h.address}`);
    }
    assert.deepEqual(back.portsScanned, doc.portsScanned);
  }
});
