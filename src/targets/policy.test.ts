import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Finding, Severity } from '../core/finding.js';
import type { HostResult, PortResult, PortState, Protocol } from '../core/result.js';
import { parseInventory } from './inventory.js';
import { applyPolicy, assessRisk, judgeHost, riskTableProblems, RISKY_SERVICES } from './policy.js';

function port(p: number, name: string | undefined, protocol: Protocol = 'tcp', state: PortState = 'open'): PortResult {
  const r: PortResult = { port: p, protocol, state, reason: state === 'open' ? (protocol === 'tcp' ? 'syn-ack' : 'udp-response') : 'no-response' };
  if (name !== undefined) r.service = { name, tls: false, method: name === 'unknown' ? 'none' : 'handshake' };
  return r;
}
function host(address: string, ports: PortResult[], extra: Partial<HostResult> = {}): HostResult {
  return { address, names: [], status: 'up', ports, findings: [], ...extra };
}

const INVENTORY = parseInventory(
  `domains: [corp.example]
roles:
  web: { tcp: [80, 443] }
  admin: { tcp: [3389, 5985] }
  dns: { tcp: [53], udp: [53] }
hosts:
  - name: web01
    address: 127.15.20.1
    roles: [web]
  - name: dc01
    address: 127.15.20.2
    names: [dc01.corp.example]
    roles: [dns, admin]
`,
  'lab-inventory.yaml',
);

/** Checks every finding honours the contract the renderers and users rely on. */
function wellFormed(f: Finding): void {
  assert.ok(['rogue-host', 'unapproved-service'].includes(f.id), f.id);
  assert.equal(f.status, 'fail');
  assert.ok(f.title.length > 10);
  assert.ok(f.evidence.summary.endsWith('.'), f.evidence.summary);
  assert.ok(f.remediation.length > 40, f.remediation);
  assert.ok(f.references.length > 0 && f.references.every((u) => u.startsWith('https://')), f.references.join());
}

type Expect = { target: string; severity: Severity; summary?: RegExp } | null;

test('no inventory: only services the built-in table calls risky produce unapproved-service', () => {
  const cases: Array<[string, PortResult, Expect]> = [
    ['telnet', port(23, 'telnet'), { target: '127.15.20.9:23/tcp', severity: 'high', summary: /answers as telnet.*no inventory was given/ }],
    ['telnet elsewhere', port(2323, 'telnet'), { target: '127.15.20.9:2323/tcp', severity: 'high' }],
    ['ftp', port(21, 'ftp'), { target: '127.15.20.9:21/tcp', severity: 'high' }],
    ['smb', port(445, 'smb'), { target: '127.15.20.9:445/tcp', severity: 'high' }],
    ['smb by nmap name', port(445, 'microsoft-ds'), { target: '127.15.20.9:445/tcp', severity: 'high' }],
    ['netbios-ssn', port(139, 'netbios-ssn'), { target: '127.15.20.9:139/tcp', severity: 'high' }],
    ['netbios-ns', port(137, 'netbios-ns', 'udp'), { target: '127.15.20.9:137/udp', severity: 'medium' }],
    ['rdp default', port(3389, 'rdp'), { target: '127.15.20.9:3389/tcp', severity: 'medium' }],
    ['rdp moved', port(13389, 'rdp'), null],
    ['snmp', port(161, 'snmp', 'udp'), { target: '127.15.20.9:161/udp', severity: 'high' }],
    ['snmp silent', port(161, undefined, 'udp', 'open|filtered'), null],
    ['vnc', port(5900, 'vnc'), { target: '127.15.20.9:5900/tcp', severity: 'high' }],
    ['sql server', port(1433, 'ms-sql'), { target: '127.15.20.9:1433/tcp', severity: 'high' }],
    ['sql browser', port(1434, 'ms-sql-m', 'udp'), { target: '127.15.20.9:1434/udp', severity: 'medium' }],
    ['mysql', port(3306, 'mysql'), { target: '127.15.20.9:3306/tcp', severity: 'high' }],
    ['postgresql', port(5432, 'postgresql'), { target: '127.15.20.9:5432/tcp', severity: 'high' }],
    ['redis', port(6379, 'redis'), { target: '127.15.20.9:6379/tcp', severity: 'high' }],
    ['llmnr', port(5355, 'llmnr', 'udp'), { target: '127.15.20.9:5355/udp', severity: 'medium' }],
    ['winrm', port(5985, 'winrm'), { target: '127.15.20.9:5985/tcp', severity: 'low' }],
    ['http', port(80, 'http'), null],
    ['https', port(443, 'https'), null],
    ['ssh', port(22, 'ssh'), null],
    ['dns', port(53, 'dns', 'udp'), null],
    ['http on the telnet port', port(23, 'http'), null], // the handshake wins over the port number
    ['unknown on 445', port(445, 'unknown'), { target: '127.15.20.9:445/tcp', severity: 'high', summary: /did not identify itself/ }],
    ['unidentified on 23', port(23, undefined), { target: '127.15.20.9:23/tcp', severity: 'high' }],
    ['unknown on 8080', port(8080, 'unknown'), null],
    ['closed telnet', port(23, 'telnet', 'tcp', 'closed'), null],
    ['filtered smb', port(445, undefined, 'tcp', 'filtered'), null],
  ];
  for (const [label, p, want] of cases) {
    const findings = judgeHost(host('127.15.20.9', [p]));
    if (want === null) {
      assert.deepEqual(findings, [], label);
      continue;
    }
    assert.equal(findings.length, 1, label);
    const f = findings[0] as Finding;
    wellFormed(f);
    assert.equal(f.id, 'unapproved-service', label);
    assert.equal(f.target, want.target, label);
    assert.equal(f.severity, want.severity, label);
    assert.match(f.evidence.summary, want.summary ?? /no inventory was given/, label);
    assert.ok(f.evidence.items?.some((i) => i.label === 'inventory' && i.value === 'none given'), label);
  }
});

test('port-only verdicts say their confidence is lower', () => {
  const [byPort] = judgeHost(host('127.15.20.9', [port(3306, 'unknown')]));
  assert.ok(byPort);
  const confidence = byPort.evidence.items?.find((i) => i.label === 'confidence');
  assert.match(String(confidence?.value), /^lower: the service did not identify itself, so 3306\/tcp was judged by its usual use \(MySQL\/MariaDB\)/);
  const [byHandshake] = judgeHost(host('127.15.20.9', [port(3306, 'mysql')]));
  assert.equal(byHandshake?.evidence.items?.some((i) => i.label === 'confidence'), false);
  assert.equal(assessRisk(port(3306, 'unknown'))?.basis, 'port');
  assert.equal(assessRisk(port(3306, 'mysql'))?.basis, 'service');
});

test('with an inventory: unapproved ports of a managed host, severity from the service risk', () => {
  const cases: Array<[string, string, PortResult, Expect]> = [
    ['approved http', '127.15.20.1', port(80, 'http'), null],
    ['approved https', '127.15.20.1', port(443, 'https'), null],
    ['approved port, other protocol', '127.15.20.2', port(53, 'dns', 'udp'), null],
    ['unapproved ordinary service', '127.15.20.1', port(8080, 'http'), { target: '127.15.20.1:8080/tcp', severity: 'medium', summary: /8080\/tcp is open on web01 and runs http, but none of its roles \(web\) approves 8080\/tcp/ }],
    ['unapproved telnet', '127.15.20.1', port(23, 'telnet'), { target: '127.15.20.1:23/tcp', severity: 'high' }],
    ['unapproved rdp (medium)', '127.15.20.1', port(3389, 'rdp'), { target: '127.15.20.1:3389/tcp', severity: 'medium' }],
    ['unapproved winrm (low risk floors to medium)', '127.15.20.1', port(5985, 'winrm'), { target: '127.15.20.1:5985/tcp', severity: 'medium' }],
    ['unapproved mdns (low risk floors to medium)', '127.15.20.1', port(5353, 'mdns', 'udp'), { target: '127.15.20.1:5353/udp', severity: 'medium' }],
    ['approved rdp on the admin host', '127.15.20.2', port(3389, 'rdp'), null],
    ['unknown service, unapproved', '127.15.20.2', port(9999, 'unknown'), { target: '127.15.20.2:9999/tcp', severity: 'medium', summary: /runs an unidentified service/ }],
    ['open|filtered is not judged', '127.15.20.1', port(161, undefined, 'udp', 'open|filtered'), null],
  ];
  for (const [label, address, p, want] of cases) {
    const findings = judgeHost(host(address, [p]), INVENTORY);
    if (want === null) {
      assert.deepEqual(findings, [], label);
      continue;
    }
    assert.equal(findings.length, 1, label);
    const f = findings[0] as Finding;
    wellFormed(f);
    assert.equal(f.id, 'unapproved-service', label);
    assert.equal(f.target, want.target, label);
    assert.equal(f.severity, want.severity, label);
    if (want.summary) assert.match(f.evidence.summary, want.summary, label);
    const hostItem = f.evidence.items?.find((i) => i.label === 'inventory host');
    assert.deepEqual(hostItem?.source, { artifact: 'lab-inventory.yaml', line: address === '127.15.20.1' ? 7 : 10 }, label);
    assert.match(f.remediation, /inventory/, label);
  }
  const [web8080] = judgeHost(host('127.15.20.1', [port(8080, 'http')]), INVENTORY);
  assert.equal(web8080?.evidence.items?.find((i) => i.label === 'approved tcp ports')?.value, '80,443');
  assert.match(web8080?.remediation ?? '', /New-NetFirewallRule .*-LocalPort 8080 -Action Block/);
});

test('with an inventory: a live unlisted host is a rogue-host, its risky services judged by the table', () => {
  const rogue = host('127.15.20.50', [port(80, 'http'), port(23, 'telnet'), port(22, 'ssh', 'tcp', 'closed')], { names: ['lab-pc'] });
  const findings = judgeHost(rogue, INVENTORY);
  assert.deepEqual(
    findings.map((f) => [f.id, f.severity, f.target]),
    [
      ['rogue-host', 'high', '127.15.20.50'],
      ['unapproved-service', 'high', '127.15.20.50:23/tcp'],
    ],
  );
  findings.forEach(wellFormed);
  const [r, t] = findings as [Finding, Finding];
  assert.equal(r.title, 'Host not in the inventory: 127.15.20.50 (lab-pc)');
  assert.match(r.evidence.summary, /answered the scan with 2 open ports but matches no inventory host/);
  assert.equal(r.evidence.items?.find((i) => i.label === 'services')?.value, '80/tcp http; 23/tcp telnet');
  assert.match(r.remediation, /join it to the domain/);
  assert.match(t.evidence.summary, /the host is not in the inventory/);
  // Down hosts are never rogue; a live host with no open ports still is.
  assert.deepEqual(judgeHost({ ...rogue, status: 'down' }, INVENTORY), []);
  const quiet = judgeHost(host('127.15.20.51', [port(80, 'http', 'tcp', 'closed')]), INVENTORY);
  assert.deepEqual(quiet.map((f) => f.id), ['rogue-host']);
  assert.match(quiet[0]?.evidence.summary ?? '', /^127\.15\.20\.51 answered the scan but matches/);
});

test('with an inventory: hosts are matched by name when the address differs', () => {
  const byName = host('127.15.20.77', [port(3389, 'rdp')], { names: ['DC01.corp.example'] });
  assert.deepEqual(judgeHost(byName, INVENTORY), []);
  const byShortName = host('127.15.20.78', [port(3389, 'rdp'), port(445, 'smb')], { names: ['web01'] });
  assert.deepEqual(judgeHost(byShortName, INVENTORY).map((f) => [f.id, f.target]), [
    ['unapproved-service', '127.15.20.78:3389/tcp'],
    ['unapproved-service', '127.15.20.78:445/tcp'],
  ]);
});

test('applyPolicy records the inventory match and appends findings without mutating the input', () => {
  const earlier: Finding = {
    id: 'telnet-cleartext',
    title: 'Telnet answers',
    severity: 'high',
    status: 'fail',
    target: '127.15.20.1:23/tcp',
    evidence: { summary: 'seen.' },
    remediation: 'x',
    references: [],
  };
  const input = host('127.15.20.1', [port(23, 'telnet')], { findings: [earlier] });
  const snapshot = structuredClone(input);
  const out = applyPolicy(input, INVENTORY);
  assert.deepEqual(input, snapshot);
  assert.deepEqual(out.inventory, { name: 'web01', roles: ['web'] });
  assert.deepEqual(out.findings.map((f) => f.id), ['telnet-cleartext', 'unapproved-service']);
  assert.equal(applyPolicy(host('127.15.20.99', []), INVENTORY).inventory, null);
  const without = applyPolicy(host('127.15.20.99', [port(23, 'telnet')]));
  assert.equal('inventory' in without, false);
  assert.equal(without.findings.length, 1);
});

test('the built-in risk table is complete and in order', () => {
  assert.deepEqual(riskTableProblems(), []);
  // The services PRODUCT.md names as risky without an inventory are all there.
  for (const s of ['telnet', 'ftp', 'smb', 'netbios-ssn', 'netbios-ns', 'rdp', 'snmp', 'vnc', 'ms-sql', 'mysql', 'postgresql', 'redis']) {
    assert.ok(RISKY_SERVICES.some((r) => r.service === s), s);
  }
});
