// The nmap importer against REAL nmap output: the test starts TCP listeners of its own on
// 127.14.0.1 (report/import's loopback block), runs the Debian nmap binary against exactly those
// ports, and imports what nmap wrote. Plus malformed, truncated, hostile and unreadable inputs.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createNetServer } from 'node:net';
import type { Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importNmapFile, parseNmapXml, serviceFromNmap } from './nmap.js';
import { PortcullisError } from '../core/errors.js';
import { countPortList } from '../report/common.js';
import { renderJson } from '../report/json.js';
import { schemaValidators } from '../report/fixtures/schemas.js';
import type { HostResult, ScanDocument } from '../core/result.js';

const HOST = '127.14.0.1';
const nmapFound = spawnSync('nmap', ['--version'], { timeout: 10_000 }).status === 0;
const opensslFound = spawnSync('openssl', ['version'], { timeout: 10_000 }).status === 0;
const work = mkdtempSync(join(tmpdir(), 'pc-import-'));
const servers: Server[] = [];

after(async () => {
  await Promise.all(servers.map((s) => new Promise<void>((res) => s.close(() => res()))));
  rmSync(work, { recursive: true, force: true });
});

function listen(server: Server, port: number): Promise<number | null> {
  return new Promise((resolve) => {
    server.once('error', () => resolve(null));
    server.listen(port, HOST, () => {
      servers.push(server);
      const a = server.address();
      resolve(typeof a === 'object' && a ? a.port : null);
    });
  });
}

/** A port that is closed because we held it and let it go (we probe only ports we own). */
async function releasedPort(): Promise<number> {
  const s = createNetServer();
  const port = await new Promise<number>((res, rej) => {
    s.once('error', rej);
    s.listen(0, HOST, () => res((s.address() as { port: number }).port));
  });
  await new Promise<void>((res) => s.close(() => res()));
  return port;
}

/** Runs nmap bounded in time and returns its XML (from -oX -). */
function runNmap(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('nmap', [...args, '-oX', '-'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(out);
      else reject(new Error(`nmap ${args.join(' ')} exited ${code}: ${err}`));
    });
  });
}

function host(doc: ScanDocument): HostResult {
  assert.equal(doc.hosts.length, 1);
  const h = doc.hosts[0]!;
  assert.equal(h.address, HOST);
  return h;
}

test('import: a real nmap connect scan (no -sV): states, reasons, table service names', { skip: !nmapFound && 'nmap not installed (Debian package nmap)', timeout: 150_000 }, async (t) => {
  const silent = await listen(createNetServer((s) => s.on('error', () => {})), 0);
  assert.ok(silent);
  const closed = await releasedPort();
  // Well-known ports show nmap's table names (ms-wbt-server, wsman, microsoft-ds); another
  // program may hold them on all addresses, so each is optional.
  const wellKnown: number[] = [];
  for (const p of [3389, 5985, 445]) {
    const got = await listen(createNetServer((s) => s.on('error', () => {})), p);
    if (got) wellKnown.push(got);
    else t.diagnostic(`could not listen on ${HOST}:${p}; its name mapping is not checked by this run`);
  }
  const ports = [silent, closed, ...wellKnown];
  const xml = await runNmap(['-sT', '-Pn', '-n', '--max-retries', '1', '--host-timeout', '60s', '-p', ports.join(','), HOST]);
  const file = join(work, 'connect.xml');
  writeFileSync(file, xml);
  const doc = await importNmapFile(file);

  assert.equal(doc.command, 'import-nmap');
  assert.equal(doc.options['input'], file);
  assert.match(String((doc.options['nmap'] as Record<string, string>)['args']), /^nmap -sT /);
  assert.equal(countPortList(doc.portsScanned?.tcp ?? ''), ports.length, 'scaninfo services kept');
  const h = host(doc);
  assert.equal(h.status, 'up');
  const byPort = new Map(h.ports.map((p) => [p.port, p]));
  assert.equal(byPort.get(silent)?.state, 'open');
  assert.equal(byPort.get(silent)?.reason, 'syn-ack');
  // A single closed port is listed by nmap (few closed ports are not folded).
  assert.equal(byPort.get(closed)?.state, 'closed');
  assert.equal(byPort.get(closed)?.reason, 'conn-refused');
  const expectName: Record<number, string> = { 3389: 'rdp', 5985: 'winrm', 445: 'smb' };
  for (const p of wellKnown) {
    assert.equal(byPort.get(p)?.service?.name, expectName[p], `nmap's name for ${p}`);
    assert.equal(byPort.get(p)?.service?.method, 'port', 'a table guess stays a guess');
  }
  assert.equal(doc.summary.openPorts, 1 + wellKnown.length);
  assert.deepEqual([doc.summary.hostsScanned, doc.summary.hostsUp], [1, 1]);
  const { doc: valid, errors } = schemaValidators();
  assert.equal(valid(JSON.parse(renderJson(doc))), true, errors(valid));
});

test('import: a real nmap -sV scan: products, versions, XML entities, TLS tunnel → https', { skip: (!nmapFound && 'nmap not installed') || (!opensslFound && 'openssl not installed'), timeout: 150_000 }, async () => {
  const ssh = await listen(
    createNetServer((s) => {
      s.on('error', () => {});
      s.end('SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n');
    }),
    0,
  );
  const http = await listen(
    createHttpServer((_q, r) => {
      r.setHeader('Server', 'Apache/2.4.57 (<Debian>&co)');
      r.end('hello');
    }) as unknown as Server,
    0,
  );
  const keyFile = join(work, 'key.pem');
  const certFile = join(work, 'cert.pem');
  const gen = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyFile, '-out', certFile, '-days', '2', '-subj', '/CN=import.test'], { timeout: 60_000 });
  assert.equal(gen.status, 0, String(gen.stderr));
  const tls = await listen(
    createHttpsServer({ key: readFileSync(keyFile), cert: readFileSync(certFile) }, (_q, r) => {
      r.setHeader('Server', 'Microsoft-IIS/10.0');
      r.end('hello');
    }) as unknown as Server,
    0,
  );
  assert.ok(ssh && http && tls);
  const xml = await runNmap(['-sT', '-sV', '-Pn', '-n', '--max-retries', '1', '--host-timeout', '100s', '-p', `${ssh},${http},${tls}`, HOST]);
  const doc = parseNmapXml(xml, 'nmap-sV.xml');
  const byPort = new Map(host(doc).ports.map((p) => [p.port, p]));

  const s = byPort.get(ssh)?.service;
  assert.equal(s?.name, 'ssh');
  assert.equal(s?.product, 'OpenSSH');
  assert.match(s?.version ?? '', /^9\.2p1/);
  assert.equal(s?.method, 'handshake');
  assert.equal(s?.tls, false);

  const h = byPort.get(http)?.service;
  assert.equal(h?.name, 'http');
  assert.equal(h?.tls, false);
  assert.equal(h?.version, '2.4.57');
  // nmap wrote "(&lt;Debian&gt;&amp;co)"; the entities come back as the characters.
  assert.equal(h?.extra?.['extrainfo'], '(<Debian>&co)');

  const x = byPort.get(tls)?.service;
  assert.equal(x?.name, 'https', 'http inside tunnel="ssl" is https');
  assert.equal(x?.tls, true);
  assert.equal(x?.version, '10.0');
  const { doc: valid, errors } = schemaValidators();
  assert.equal(valid(JSON.parse(renderJson(doc))), true, errors(valid));
});

test('service mapping: nmap names → ours', () => {
  const cases: [number, Record<string, string>, string, boolean][] = [
    [3389, { name: 'ms-wbt-server' }, 'rdp', false],
    [445, { name: 'microsoft-ds' }, 'smb', false],
    [139, { name: 'netbios-ssn' }, 'netbios-ssn', false],
    [135, { name: 'msrpc' }, 'msrpc', false],
    [1433, { name: 'ms-sql-s' }, 'ms-sql', false],
    [53, { name: 'domain' }, 'dns', false],
    [443, { name: 'https' }, 'https', true],
    [8443, { name: 'http', tunnel: 'ssl' }, 'https', true],
    [993, { name: 'imap', tunnel: 'ssl' }, 'imap', true],
    [636, { name: 'ldapssl' }, 'ldap', true],
    [5985, { name: 'wsman' }, 'winrm', false],
    [5986, { name: 'wsmans' }, 'winrm', true],
    [5985, { name: 'http', product: 'Microsoft HTTPAPI httpd', method: 'probed' }, 'winrm', false],
    [80, { name: 'http', product: 'Microsoft HTTPAPI httpd' }, 'http', false],
    [4443, { name: 'ssl' }, 'tls', true],
    [161, { name: 'snmp' }, 'snmp', false],
    [23, { name: 'telnet' }, 'telnet', false],
    [5900, { name: 'vnc' }, 'vnc', false],
    [6379, { name: 'redis' }, 'redis', false],
    [500, { name: 'isakmp' }, 'ike', false],
    [9, { name: '' }, 'unknown', false],
    [12345, { name: 'netbus' }, 'netbus', false],
  ];
  for (const [port, attrs, name, tls] of cases) {
    const s = serviceFromNmap(port, attrs);
    assert.equal(s.name, name, JSON.stringify(attrs));
    assert.equal(s.tls, tls, JSON.stringify(attrs));
  }
});

const HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE nmaprun>\n<nmaprun scanner="nmap" args="nmap x" start="1795289519" version="7.93" xmloutputversion="1.05">\n';

test('port state mapping, extraports, mac and duplicate hosts', () => {
  const doc = parseNmapXml(
    HEAD +
      '<scaninfo type="ack" protocol="tcp" numservices="5" services="1-5"/>\n' +
      '<host><status state="up" reason="reset" reason_ttl="0"/>\n<address addr="00:11:22:33:44:55" addrtype="mac"/><address addr="2001:db8::7" addrtype="ipv6"/>\n' +
      '<hostnames><hostname name="a.test" type="PTR"/><hostname name="a.test" type="user"/></hostnames>\n' +
      '<ports><extraports state="unfiltered" count="3"><extrareasons reason="reset" count="3"/></extraports>\n' +
      '<port protocol="tcp" portid="4"><state state="closed|filtered" reason="no-response" reason_ttl="0"/></port>\n' +
      '<port protocol="sctp" portid="5"><state state="open" reason="init-ack" reason_ttl="0"/></port>\n' +
      '</ports></host>\n' +
      '<host><status state="down" reason="no-response" reason_ttl="0"/><address addr="192.0.2.9" addrtype="ipv4"/></host>\n' +
      '<host><status state="up" reason="user-set" reason_ttl="0"/><address addr="2001:db8::7" addrtype="ipv6"/>\n' +
      '<ports><port protocol="tcp" portid="1"><state state="open" reason="syn-ack" reason_ttl="0"/></port></ports></host>\n' +
      '<runstats><finished time="1795289529" elapsed="10" exit="success"/><hosts up="2" down="1" total="3"/></runstats>\n</nmaprun>\n',
    'states.xml',
  );
  assert.equal(doc.startedAt, '2026-11-21T19:31:59.000Z');
  assert.equal(doc.finishedAt, '2026-11-21T19:32:09.000Z');
  assert.equal(doc.hosts.length, 2, 'the repeated address is merged');
  const v6 = doc.hosts.find((h) => h.address === '2001:db8::7');
  assert.ok(v6, 'the IPv6 address is used, the MAC ignored');
  assert.deepEqual(v6.names, ['a.test']);
  assert.deepEqual(v6.extraPorts, [{ protocol: 'tcp', state: 'closed', count: 3, reason: 'reset (nmap: unfiltered)' }]);
  assert.deepEqual(
    v6.ports.map((p) => [p.port, p.state, p.reason]),
    [
      [4, 'filtered', 'no-response (nmap: closed|filtered)'],
      [1, 'open', 'syn-ack'],
    ],
    'sctp left out',
  );
  assert.equal(doc.hosts.find((h) => h.address === '192.0.2.9')?.status, 'down');
  assert.deepEqual([doc.summary.hostsScanned, doc.summary.hostsUp, doc.summary.openPorts], [2, 1, 1]);
});

function inputError(fn: () => unknown, file: string, line: number, reason: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof PortcullisError, String(e));
    assert.equal(e.code, 'E_INPUT');
    assert.equal(e.where?.file, file);
    assert.equal(e.where?.line, line, e.describe());
    assert.match(e.message, reason);
    return true;
  });
}

test('malformed XML: E_INPUT naming file, line and what is wrong', () => {
  const bad = HEAD + '<host><status state="up" reason="x" reason_ttl="0"/>\n<address addr="192.0.2.1"/>\n<ports><port protocol="tcp" portid="80"><state state="open" reason="syn-ack"></port>\n</ports></host></nmaprun>\n';
  inputError(() => parseNmapXml(bad, 'bad.xml'), 'bad.xml', 6, /unexpected close tag \(inside <nmaprun> > <host> > <ports> > <port>\)/);
  // saxes reports stray text where the text run ends (here the end of line 1).
  inputError(() => parseNmapXml('port 80 is open', 'notes.txt'), 'notes.txt', 1, /text data outside of root node/);
  inputError(() => parseNmapXml('', 'empty.xml'), 'empty.xml', 1, /holds no XML element/);
  inputError(() => parseNmapXml('<?xml version="1.0"?>\n<html><body/></html>', 'page.xml'), 'page.xml', 2, /root element is <html>, not <nmaprun>/);
  inputError(
    () => parseNmapXml(HEAD + '<host><status state="up" reason="x" reason_ttl="0"/><address addr="192.0.2.1"/>\n<ports><port protocol="tcp" portid="99999"/></ports></host></nmaprun>', 'p.xml'),
    'p.xml',
    5,
    /portid="99999", not a whole number up to 65535/,
  );
  inputError(
    () => parseNmapXml(HEAD + '<host><status state="up" reason="x" reason_ttl="0"/><address addr="192.0.2.1"/>\n<ports><port protocol="tcp" portid="1"><state state="ajar" reason="x"/></port></ports></host></nmaprun>', 's.xml'),
    's.xml',
    5,
    /unknown port state "ajar"/,
  );
  inputError(() => parseNmapXml(HEAD + '\n<host><status state="up" reason="x" reason_ttl="0"/>\n</host></nmaprun>', 'h.xml'), 'h.xml', 5, /<host> has no IPv4 or IPv6 <address>/);
});

test('hostile XML: external and internal entities are never expanded', () => {
  // An external entity would read a local file; saxes refuses the undefined entity instead.
  inputError(
    () => parseNmapXml('<?xml version="1.0"?>\n<!DOCTYPE nmaprun [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<nmaprun scanner="nmap" version="1" xmloutputversion="1.05">&x;</nmaprun>', 'xxe.xml'),
    'xxe.xml',
    3,
    /undefined entity/,
  );
  inputError(
    () => parseNmapXml('<!DOCTYPE nmaprun [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]>\n<nmaprun><host comment="&b;"/></nmaprun>', 'laughs.xml'),
    'laughs.xml',
    2,
    /undefined entity/,
  );
});

test('truncated report (nmap killed mid-write): E_INPUT naming where it stops', async () => {
  const full = HEAD + '<host><status state="up" reason="x" reason_ttl="0"/>\n<address addr="192.0.2.1"/>\n<ports><port protocol="tcp" portid="80"><state state="open" reason="syn-ack" reason_ttl="0"/></port>\n</ports></host>\n<runstats><finished time="1" elapsed="1"/><hosts total="1"/></runstats>\n</nmaprun>\n';
  const file = join(work, 'truncated.xml');
  writeFileSync(file, full.slice(0, full.indexOf('</ports>')));
  await assert.rejects(importNmapFile(file), (e: unknown) => {
    assert.ok(e instanceof PortcullisError);
    assert.equal(e.code, 'E_INPUT');
    assert.equal(e.where?.file, file);
    // The cut falls after the newline that ends line 6: input stops on line 7.
    assert.equal(e.where?.line, 7);
    assert.match(e.message, /ends inside <nmaprun> > <host> > <ports> without closing it \(truncated/);
    return true;
  });
  // Cut in the middle of a tag.
  writeFileSync(file, full.slice(0, full.indexOf('portid=') + 4));
  await assert.rejects(importNmapFile(file), (e: unknown) => e instanceof PortcullisError && e.code === 'E_INPUT' && /truncated|unclosed|end/i.test(e.message));
});

test('unreadable input: E_INPUT with the operating system reason', async () => {
  const missing = join(work, 'no-such.xml');
  await assert.rejects(importNmapFile(missing), (e: unknown) => e instanceof PortcullisError && e.code === 'E_INPUT' && e.where?.file === missing && /no such file \(ENOENT\)/.test(e.message));
  await assert.rejects(importNmapFile(work), (e: unknown) => e instanceof PortcullisError && e.code === 'E_INPUT' && /is a directory/.test(e.message));
  if (process.getuid?.() !== 0) {
    const locked = join(work, 'locked.xml');
    writeFileSync(locked, HEAD + '</nmaprun>');
    chmodSync(locked, 0o000);
    await assert.rejects(importNmapFile(locked), (e: unknown) => e instanceof PortcullisError && /permission denied/.test(e.message));
  }
});

test('encodings: UTF-16LE with BOM (PowerShell redirection) is read; invalid UTF-8 is refused', async () => {
  const xml = HEAD + '<host><status state="up" reason="x" reason_ttl="0"/><address addr="192.0.2.1"/>\n<ports><port protocol="tcp" portid="80"><state state="open" reason="syn-ack" reason_ttl="0"/><service name="http" product="Café ✓" method="probed" conf="10"/></port></ports></host></nmaprun>\n';
  const utf16 = join(work, 'utf16.xml');
  writeFileSync(utf16, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(xml.replace('encoding="UTF-8"', 'encoding="UTF-16"'), 'utf16le')]));
  const doc = await importNmapFile(utf16);
  assert.equal(doc.hosts[0]?.ports[0]?.service?.product, 'Café ✓');
  const latin1 = join(work, 'latin1.xml');
  writeFileSync(latin1, Buffer.from(xml.replace('Café ✓', 'Caf\u00e9'), 'latin1'));
  await assert.rejects(importNmapFile(latin1), (e: unknown) => e instanceof PortcullisError && e.code === 'E_INPUT' && /not valid UTF-8/.test(e.message));
});

test('a large report streams through in chunks', async () => {
  // 3,000 hosts: far more than one read chunk (64 KiB), so tags straddle chunk boundaries.
  const parts = [HEAD, '<scaninfo type="connect" protocol="tcp" numservices="2" services="80,443"/>\n'];
  for (let i = 0; i < 3000; i++) {
    parts.push(`<host><status state="up" reason="syn-ack" reason_ttl="0"/>\n<address addr="10.1.${i >> 8}.${i & 255}" addrtype="ipv4"/>\n<hostnames>\n</hostnames>\n<ports><port protocol="tcp" portid="443"><state state="open" reason="syn-ack" reason_ttl="0"/><service name="https" product="é-ü &amp; ✓" method="probed" conf="10"/></port>\n</ports>\n</host>\n`);
  }
  parts.push('<runstats><finished time="1795289529" elapsed="10"/><hosts up="3000" down="0" total="3000"/></runstats>\n</nmaprun>\n');
  const file = join(work, 'large.xml');
  writeFileSync(file, parts.join(''));
  const doc = await importNmapFile(file);
  assert.equal(doc.hosts.length, 3000);
  assert.equal(doc.summary.openPorts, 3000);
  assert.ok(doc.hosts.every((h) => h.ports[0]?.service?.product === 'é-ü & ✓' && h.ports[0]?.service?.name === 'https'));
});
