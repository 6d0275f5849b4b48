// End to end against real Debian servers (issue 2, item 9): the harness starts each server on its
// own 127.16.1.x address, the REAL command line (`node bin/portcullis.js scan …`) scans exactly the
// ports those servers use (minus any port another process on this machine could answer on), and
// the output is checked in every format, against an inventory, and against nmap's own scan of the
// same servers imported with `portcullis import nmap`.
//
// Servers the harness cannot start are skipped with the harness's reason. Every started server is
// stopped in after(), whatever happened before.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync, readFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ScanDocument, HostResult } from '../../src/core/result.js';
import { schemaValidators } from '../../src/report/fixtures/schemas.js';
import { descendantsOf } from '../harness/process.js';
import { socketsOfPids } from '../harness/net.js';
import { planPorts, startPlan, stopAll, type PeerSpec, type Started, type StartFailure } from './peers.js';
import {
  NMAP_DTD,
  describeRun,
  excludeArg,
  findingsOf,
  foreignPorts,
  hostOf,
  hostSummary,
  parseDocument,
  portOf,
  runBounded,
  runCli,
  type ForeignPorts,
  type RunResult,
} from './support.js';

const PLAN: PeerSpec[] = [
  { label: 'nginx', kind: 'nginx', variant: 'careless', address: '127.16.1.1' },
  { label: 'bind9', kind: 'bind9', variant: 'careless', address: '127.16.1.2' },
  { label: 'samba', kind: 'samba', variant: 'careless', address: '127.16.1.3' },
  { label: 'xrdp', kind: 'xrdp', variant: 'careless', address: '127.16.1.4' },
  { label: 'vsftpd', kind: 'vsftpd', variant: 'careless', address: '127.16.1.5' },
  { label: 'snmpd', kind: 'snmpd', variant: 'careless', address: '127.16.1.6' },
  { label: 'telnetd', kind: 'telnetd', variant: 'careless', address: '127.16.1.7' },
  { label: 'x11vnc', kind: 'x11vnc', variant: 'careless', address: '127.16.1.8' },
  { label: 'mariadb', kind: 'mariadb', variant: 'careless', address: '127.16.1.9' },
  { label: 'postfix', kind: 'postfix', variant: 'careless', address: '127.16.1.10' },
  // An RDP server that enforces NLA answers the identification offer (SSL|HYBRID) with HYBRID.
  { label: 'freerdp-shadow', kind: 'freerdp-shadow', variant: 'hardened', address: '127.16.1.11' },
];

/** Bound for one CLI scan of these few ports (identification included, probes off). */
const SCAN_TIMEOUT_MS = 150_000;

let started = new Map<string, Started>();
let failed = new Map<string, StartFailure>();
let foreign: ForeignPorts = { tcp: new Set(), udp: new Set() };
let tcpPorts: number[] = [];
let udpPorts: number[] = [];
let work = '';
/** The main JSON scan (probes off), shared by the per-server checks. */
let main: { run: RunResult; doc: ScanDocument } | null = null;
/** Why the main scan gave no document (reported by every test that needs it). */
let mainError = '';

/** --exclude-ports applies to TCP and UDP alike, so a port busy in either protocol is out of both. */
const excluded = (port: number): boolean => foreign.tcp.has(port) || foreign.udp.has(port);
const addresses = (): string[] => [...started.values()].map((s) => s.spec.address);
/** --ports: every port of every started server, TCP and UDP in one list (--udp probes the UDP ones that have a payload). */
const portList = (): string => [...new Set([...tcpPorts, ...udpPorts])].sort((a, b) => a - b).join(',');
const baseArgs = (): string[] => ['scan', ...addresses(), '--ports', portList(), '--udp', ...excludeArg(foreign), '--quiet', '--timeout', '3000'];

function need(): string | false {
  if (started.size === 0) return `no server could be started: ${[...failed.values()].map((f) => `${f.spec.label}: ${f.reason}`).join('; ')}`;
  return false;
}

function skipReason(label: string): string | false {
  const f = failed.get(label);
  if (f) return f.reason;
  if (!started.has(label)) return `${label} not in the plan`;
  return false;
}

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'portcullis-e2e-scan-'));
  ({ started, failed } = await startPlan(PLAN));
  foreign = await foreignPorts();
  ({ tcp: tcpPorts, udp: udpPorts } = planPorts(started.values()));
  if (started.size > 0) {
    const run = await runCli([...baseArgs(), '--probes', 'none', '--format', 'json'], { timeoutMs: SCAN_TIMEOUT_MS });
    try {
      main = { run, doc: parseDocument(run, 'main json scan') };
    } catch (e) {
      mainError = (e as Error).message;
    }
  }
}, { timeout: 400_000 });

after(async () => {
  const errors = await stopAll(started.values());
  if (work) rmSync(work, { recursive: true, force: true });
  assert.deepEqual(errors, [], `servers did not stop cleanly: ${errors.join('; ')}`);
}, { timeout: 120_000 });

/** Listening TCP ports / bound UDP ports of a server's whole process tree, on its own address. */
function actualSockets(s: Started): { tcp: Set<number>; udp: Set<number> } {
  const pids = new Set<number>(s.peer.pids);
  for (const p of s.peer.pids) for (const d of descendantsOf(p)) pids.add(d);
  const tcp = new Set<number>();
  const udp = new Set<number>();
  for (const sock of socketsOfPids([...pids])) {
    if (sock.local !== s.spec.address) continue;
    if (sock.proto === 'tcp') tcp.add(sock.port);
    if (sock.proto === 'udp') udp.add(sock.port);
  }
  return { tcp, udp };
}

/** The first bytes a server volunteers (FTP/SMTP/Telnet greetings), for "does it tell its product?". */
function greeting(address: string, port: number, ms = 3_000): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const s = net.connect({ host: address, port });
    const done = (): void => {
      clearTimeout(t);
      s.destroy();
      resolve(Buffer.concat(chunks).toString('latin1'));
    };
    const t = setTimeout(done, ms);
    s.on('data', (b: Buffer) => {
      chunks.push(b);
      if (Buffer.concat(chunks).includes(0x0a)) done();
    });
    s.on('error', done);
    s.on('close', done);
  });
}

async function versionOf(cmd: string, args: string[], re: RegExp): Promise<string | null> {
  const r = await runBounded(cmd, args, { timeoutMs: 10_000 });
  const m = re.exec(`${r.stdout}\n${r.stderr}`);
  return m ? (m[1] as string) : null;
}

describe('scan of real servers (careless variants) through the CLI', () => {
  test('the JSON scan ends normally, validates against the schema and lists every server as up', (t) => {
    const why = need();
    if (why) return t.skip(why);
    assert.ok(main, mainError || 'main scan did not run');
    const { run, doc } = main;
    assert.equal(run.timedOut, false, describeRun('main scan', run));
    assert.ok(run.code === 0 || run.code === 1, describeRun('main scan', run));
    assert.equal(run.stderr, '', '--quiet must keep stderr empty');
    const v = schemaValidators();
    assert.equal(v.doc(doc), true, v.errors(v.doc));
    const high = doc.hosts.some((h) => h.findings.some((f) => f.status === 'fail' && (f.severity === 'high' || f.severity === 'critical')));
    assert.equal(run.code, high ? 1 : 0, `exit code must follow the findings (high present: ${high})`);
    for (const s of started.values()) {
      const h = hostOf(doc, s.spec.address);
      assert.ok(h, `${s.spec.label} (${s.spec.address}) missing from the document`);
      assert.equal(h.status, 'up');
    }
    for (const f of failed.values()) t.diagnostic(`not started: ${f.spec.label}: ${f.reason}`);
    for (const s of started.values()) if (s.unknownRoles.length) t.diagnostic(`${s.spec.label}: harness roles not scanned: ${s.unknownRoles.join(', ')}`);
    t.diagnostic(`scan of ${doc.hosts.length} hosts, tcp ${tcpPorts.join(',')} udp ${udpPorts.join(',')}, ${Math.round(run.ms)} ms`);
  });

  for (const spec of PLAN) {
    test(`${spec.label}: its ports open with the right service, every other port closed`, async (t) => {
      const skip = need() || skipReason(spec.label);
      if (skip) return t.skip(skip);
      assert.ok(main, mainError || 'main scan did not run');
      const s = started.get(spec.label)!;
      const h = hostOf(main.doc, spec.address);
      const ctx = hostSummary(h);
      // The harness's port table must agree with what the processes really bound.
      const real = actualSockets(s);
      for (const p of s.ports) {
        assert.ok((p.protocol === 'tcp' ? real.tcp : real.udp).has(p.port), `${spec.label}: harness says ${p.port}/${p.protocol} but no such socket is bound`);
        if (excluded(p.port)) {
          t.diagnostic(`${p.port}/${p.protocol} excluded: another process listens on it`);
          continue;
        }
        const r = portOf(h, p.port, p.protocol);
        assert.ok(r, `${spec.label}: ${p.port}/${p.protocol} not in the result — ${ctx}`);
        assert.equal(r.state, 'open', `${spec.label}: ${p.port}/${p.protocol} — ${ctx}`);
        assert.equal(r.service?.name, p.service, `${spec.label}: service on ${p.port}/${p.protocol} — ${ctx}`);
      }
      // Closed: every scanned TCP port this server does not listen on; every probed UDP port it does not bind.
      // --ports lists the UDP ports too, so TCP is scanned on them as well.
      for (const port of [...new Set([...tcpPorts, ...udpPorts])]) {
        if (real.tcp.has(port) || excluded(port)) continue;
        const r = portOf(h, port, 'tcp');
        // A folded tally (extraPorts) is allowed for closed ports; a listed one must say closed.
        if (r) assert.equal(r.state, 'closed', `${spec.label}: tcp ${port} should be closed — ${ctx}`);
        else assert.ok(h?.extraPorts?.some((e) => e.protocol === 'tcp' && e.state === 'closed'), `${spec.label}: tcp ${port} neither listed nor counted closed — ${ctx}`);
      }
      for (const port of udpPorts) {
        if (real.udp.has(port) || excluded(port)) continue;
        const r = portOf(h, port, 'udp');
        if (r) assert.equal(r.state, 'closed', `${spec.label}: udp ${port} should be closed (ICMP port unreachable on lo) — ${ctx}`);
        else assert.ok(h?.extraPorts?.some((e) => e.protocol === 'udp' && e.state === 'closed'), `${spec.label}: udp ${port} neither listed nor counted closed — ${ctx}`);
      }
      // Product and version where the server states them.
      if (spec.kind === 'nginx') {
        const v = await versionOf('nginx', ['-v'], /nginx\/(\d[\w.]*)/);
        assert.ok(v, 'cannot read `nginx -v`');
        const http = portOf(h, s.ports.find((p) => p.role === 'http')!.port);
        assert.match(http?.service?.product ?? '', /^nginx$/i, ctx);
        assert.equal(http?.service?.version, v, `Server: nginx/${v} should give version ${v} — ${ctx}`);
        const https = portOf(h, s.ports.find((p) => p.role === 'https')!.port);
        assert.equal(https?.service?.tls, true, `https port must be marked tls — ${ctx}`);
        assert.equal(https?.service?.version, v, ctx);
      }
      if (spec.kind === 'mariadb') {
        const p = s.ports[0]!;
        const v = await versionOf('mariadbd', ['--version'], /Ver\s+(\d+\.\d+\.\d+)/);
        const r = portOf(h, p.port);
        assert.match(`${r?.service?.product ?? ''} ${r?.service?.version ?? ''}`, /mariadb/i, `MariaDB says its name in the greeting — ${ctx}`);
        if (v) assert.ok((r?.service?.version ?? '').startsWith(v), `version ${r?.service?.version} should start with ${v} — ${ctx}`);
      }
      if (spec.kind === 'vsftpd' || spec.kind === 'postfix') {
        const p = s.ports[0]!;
        const banner = await greeting(spec.address, p.port);
        const product = spec.kind === 'vsftpd' ? /vsftpd/i : /postfix/i;
        const r = portOf(h, p.port);
        if (product.test(banner)) assert.match(r?.service?.product ?? '', product, `banner ${JSON.stringify(banner.trim())} names the product — ${ctx}`);
        else {
          t.diagnostic(`banner ${JSON.stringify(banner.trim())} does not name the product; the scan must not invent one`);
          assert.doesNotMatch(r?.service?.product ?? '', product, ctx);
        }
      }
    });
  }

  test('--format nmap-xml validates against nmap.dtd and lists the same open ports', async (t) => {
    const why = need() || (!existsSync(NMAP_DTD) ? `${NMAP_DTD} missing (Debian package nmap)` : false);
    if (why) return t.skip(why);
    const file = join(work, 'scan.xml');
    const run = await runCli([...baseArgs(), '--probes', 'none', '--format', 'nmap-xml', '-o', file], { timeoutMs: SCAN_TIMEOUT_MS });
    assert.ok(run.code === 0 || run.code === 1, describeRun('nmap-xml scan', run));
    assert.equal(run.stdout, '', 'with -o nothing goes to stdout');
    const lint = await runBounded('xmllint', ['--noout', '--nonet', '--dtdvalid', NMAP_DTD, file], { timeoutMs: 30_000 });
    assert.equal(lint.code, 0, `xmllint: ${lint.stderr}`);
    const xml = readFileSync(file, 'utf8');
    for (const s of started.values()) {
      assert.match(xml, new RegExp(`<address addr="${s.spec.address.replace(/\./g, '\\.')}" addrtype="ipv4"`), `${s.spec.label} address in the XML`);
      for (const p of s.ports) {
        if (excluded(p.port)) continue;
        assert.match(xml, new RegExp(`<port protocol="${p.protocol}" portid="${p.port}"><state state="open"`), `${s.spec.label} ${p.port}/${p.protocol} open in the XML`);
      }
    }
  });

  test('--format jsonl gives a begin line, one host line per host, an end line, each valid', async (t) => {
    const why = need();
    if (why) return t.skip(why);
    const run = await runCli([...baseArgs(), '--probes', 'none', '--format', 'jsonl'], { timeoutMs: SCAN_TIMEOUT_MS });
    assert.ok(run.code === 0 || run.code === 1, describeRun('jsonl scan', run));
    assert.ok(run.stdout.endsWith('\n'));
    const lines = run.stdout.slice(0, -1).split('\n');
    const recs = lines.map((l, i) => {
      try {
        return JSON.parse(l) as { type: string; address?: string };
      } catch (e) {
        throw new Error(`line ${i + 1} is not JSON: ${(e as Error).message}: ${l.slice(0, 200)}`);
      }
    });
    const v = schemaValidators();
    recs.forEach((r, i) => assert.equal(v.line(r), true, `line ${i + 1}: ${v.errors(v.line)}`));
    assert.equal(recs[0]?.type, 'begin');
    assert.equal(recs.at(-1)?.type, 'end');
    const hosts = recs.slice(1, -1);
    assert.ok(hosts.every((r) => r.type === 'host'), `middle lines must all be host records: ${hosts.map((r) => r.type).join(',')}`);
    assert.deepEqual(new Set(hosts.map((r) => r.address)), new Set(addresses()));
    assert.equal(hosts.length, addresses().length, 'one line per host');
  });

  test('the table names every host and every service found', async (t) => {
    const why = need();
    if (why) return t.skip(why);
    const run = await runCli([...baseArgs(), '--probes', 'none', '--format', 'table', '--no-color'], { timeoutMs: SCAN_TIMEOUT_MS });
    assert.ok(run.code === 0 || run.code === 1, describeRun('table scan', run));
    assert.doesNotMatch(run.stdout, /\x1b\[/, 'no colour codes with --no-color');
    for (const s of started.values()) {
      assert.ok(run.stdout.includes(s.spec.address), `${s.spec.address} missing from the table`);
      for (const p of s.ports) {
        if (excluded(p.port)) continue;
        assert.match(run.stdout, new RegExp(`\\b${p.port}\\b[^\\n]*\\b${p.service}\\b`), `${s.spec.label}: table line for ${p.port} should name ${p.service}`);
      }
    }
  });
});

// ---- Inventory judgement, exit codes, -o ---------------------------------------------------------

/** Roles approving only some of what runs; the rogue server is left out of the inventory. */
const APPROVED: Record<string, { tcp: number[]; udp: number[] }> = {
  nginx: { tcp: [80], udp: [] },
  bind9: { tcp: [53], udp: [53] },
  samba: { tcp: [445], udp: [] },
  xrdp: { tcp: [3389], udp: [] },
  vsftpd: { tcp: [21], udp: [] },
  snmpd: { tcp: [], udp: [161] },
  x11vnc: { tcp: [], udp: [] },
  mariadb: { tcp: [], udp: [] },
  postfix: { tcp: [25], udp: [] },
  telnetd: { tcp: [], udp: [] },
  'freerdp-shadow': { tcp: [3389], udp: [] },
};

/** The server left out of the inventory (a rogue host), preferring telnet (the classic forgotten box). */
function rogueLabel(): string | undefined {
  return ['telnetd', 'x11vnc', 'vsftpd', 'nginx'].find((l) => started.has(l));
}

function writeInventory(path: string): void {
  const rogue = rogueLabel();
  const lines = ['# e2e inventory: approves only some of the ports the servers open', 'roles:'];
  for (const [label, a] of Object.entries(APPROVED)) lines.push(`  r-${label}: { tcp: [${a.tcp.join(', ')}], udp: [${a.udp.join(', ')}] }`);
  lines.push('hosts:');
  for (const s of started.values()) {
    if (s.spec.label === rogue) continue;
    lines.push(`  - name: ${s.spec.label}01`, `    address: ${s.spec.address}`, `    roles: [r-${s.spec.label}]`);
  }
  writeFileSync(path, `${lines.join('\n')}\n`);
}

function expectPolicy(doc: ScanDocument, t: { diagnostic(s: string): void }): void {
  const rogue = rogueLabel();
  for (const s of started.values()) {
    const h = hostOf(doc, s.spec.address) as HostResult;
    const ctx = hostSummary(h);
    assert.ok(h, `${s.spec.label} missing`);
    const rogueFindings = findingsOf(h, 'rogue-host').filter((f) => f.status === 'fail');
    if (s.spec.label === rogue) {
      assert.equal(rogueFindings.length, 1, `${s.spec.label} is not in the inventory: one rogue-host — ${ctx}`);
      assert.equal(rogueFindings[0]!.severity, 'high');
      assert.equal(rogueFindings[0]!.target, s.spec.address);
      assert.equal(h.inventory, null, 'a rogue host matches no inventory entry');
      continue;
    }
    assert.equal(rogueFindings.length, 0, `${s.spec.label} is in the inventory — ${ctx}`);
    assert.equal(h.inventory?.name, `${s.spec.label}01`);
    const approved = APPROVED[s.spec.label]!;
    for (const p of h.ports.filter((x) => x.state === 'open')) {
      const ok = (p.protocol === 'tcp' ? approved.tcp : approved.udp).includes(p.port);
      const fs = findingsOf(h, 'unapproved-service', p.port, p.protocol).filter((f) => f.status === 'fail');
      if (ok) assert.equal(fs.length, 0, `${s.spec.label}: ${p.port}/${p.protocol} is approved — ${ctx}`);
      else {
        assert.equal(fs.length, 1, `${s.spec.label}: ${p.port}/${p.protocol} is approved by no role — ${ctx}`);
        assert.ok(fs[0]!.severity === 'medium' || fs[0]!.severity === 'high', `unapproved-service severity is medium–high, got ${fs[0]!.severity}`);
      }
    }
  }
  t.diagnostic(`rogue host: ${rogue} (${started.get(rogue ?? '')?.spec.address})`);
}

describe('inventory, exit codes and -o through the CLI', () => {
  test('an inventory approving only some ports: unapproved-service for the others, rogue-host for the unlisted server, exit 1; --fail-on critical exits 0', async (t) => {
    const why = need();
    if (why) return t.skip(why);
    const inv = join(work, 'inventory.yaml');
    writeInventory(inv);
    const run = await runCli([...baseArgs(), '--probes', 'none', '--format', 'json', '--inventory', inv], { timeoutMs: SCAN_TIMEOUT_MS });
    const doc = parseDocument(run, 'inventory scan');
    assert.equal(run.code, 1, `${describeRun('inventory scan', run)}: a rogue host (high) must give exit 1`);
    expectPolicy(doc, t);
    // With probes off nothing here is critical (the policy's severities stop at high) …
    assert.ok(!doc.hosts.some((h) => h.findings.some((f) => f.status === 'fail' && f.severity === 'critical')), 'no critical finding expected with --probes none');
    // … so raising the threshold to critical makes the same scan pass.
    const relaxed = await runCli([...baseArgs(), '--probes', 'none', '--format', 'json', '--inventory', inv, '--fail-on', 'critical'], { timeoutMs: SCAN_TIMEOUT_MS });
    assert.equal(relaxed.code, 0, describeRun('--fail-on critical', relaxed));
    expectPolicy(parseDocument(relaxed, '--fail-on critical scan'), t);
  });

  test('-o FILE: written (and stdout empty) when the scan completes; absent, with no temp file, when the run is refused', async (t) => {
    const why = need();
    if (why) return t.skip(why);
    const dir = mkdtempSync(join(work, 'out-'));
    const good = join(dir, 'result.json');
    const ok = await runCli([...baseArgs(), '--probes', 'none', '--format', 'json', '-o', good], { timeoutMs: SCAN_TIMEOUT_MS });
    assert.ok(ok.code === 0 || ok.code === 1, describeRun('-o scan', ok));
    assert.equal(ok.stdout, '');
    assert.ok(existsSync(good), 'the output file must exist after a completed scan');
    const doc = JSON.parse(readFileSync(good, 'utf8')) as ScanDocument;
    assert.equal(doc.hosts.length, addresses().length);

    // Refused runs: an invalid inventory, an unreadable one, a bad target — each exit 2, no file.
    const badInv = join(dir, 'bad.yaml');
    writeFileSync(badInv, 'roles:\n  web: { tcp: [80, "http"] }\nhosts:\n  - name: x\n    address: 127.16.1.1\n    roles: [nosuchrole]\n');
    const unreadable = join(dir, 'unreadable.yaml');
    writeFileSync(unreadable, 'roles: {}\nhosts: []\n');
    chmodSync(unreadable, 0o000);
    const cases: Array<[string, string[], RegExp]> = [
      ['invalid inventory', ['--inventory', badInv], /bad\.yaml/],
      ['missing inventory', ['--inventory', join(dir, 'nope.yaml')], /nope\.yaml/],
      ['bad target', ['127.16.1.0/33'], /127\.16\.1\.0\/33/],
    ];
    // root reads a 000 file anyway; only test unreadability where it holds.
    if (process.getuid?.() !== 0) cases.push(['unreadable inventory', ['--inventory', unreadable], /unreadable\.yaml/]);
    for (const [what, extra, names] of cases) {
      const out = join(dir, `${what.replace(/\W+/g, '-')}.json`);
      const r = await runCli([...baseArgs(), '--probes', 'none', '--format', 'json', '-o', out, ...extra], { timeoutMs: SCAN_TIMEOUT_MS });
      assert.equal(r.code, 2, describeRun(what, r));
      assert.match(r.stderr, names, `${what}: the message must name the problem`);
      assert.equal(existsSync(out), false, `${what}: no output file on a refused run`);
    }
    const leftovers = readdirSync(dir).filter((f) => f.endsWith('.tmp'));
    assert.deepEqual(leftovers, [], 'no temporary files left behind');
  });

  test('import nmap: nmap -sT of the same servers, judged with the same inventory, gives the same open ports and findings', async (t) => {
    const which = await runBounded('sh', ['-c', 'command -v nmap'], { timeoutMs: 5_000 });
    const why = need() || (which.code !== 0 ? 'nmap is not installed (Debian package nmap)' : false);
    if (why) return t.skip(why);
    const inv = join(work, 'inventory-import.yaml');
    writeInventory(inv);
    const tcp = tcpPorts.filter((p) => !excluded(p));
    const xml = join(work, 'nmap.xml');
    const nmap = await runBounded('nmap', ['-sT', '-Pn', '-n', '-p', tcp.join(','), ...addresses(), '-oX', xml], { timeoutMs: 120_000 });
    assert.equal(nmap.code, 0, describeRun('nmap', nmap));
    const imported = await runCli(['import', 'nmap', xml, '--format', 'json', '--inventory', inv], { timeoutMs: 60_000 });
    assert.ok(imported.code === 0 || imported.code === 1, describeRun('import nmap', imported));
    const ours = await runCli(['scan', ...addresses(), '--ports', tcp.join(','), '--no-udp', '--quiet', '--probes', 'none', '--format', 'json', '--inventory', inv], { timeoutMs: SCAN_TIMEOUT_MS });
    assert.ok(ours.code === 0 || ours.code === 1, describeRun('scan', ours));
    assert.equal(imported.code, ours.code, 'same judgement, same exit code');
    const a = parseDocument(imported, 'import');
    const b = parseDocument(ours, 'scan');
    const openSet = (d: ScanDocument): string[] => d.hosts.flatMap((h) => h.ports.filter((p) => p.state === 'open').map((p) => `${h.address}:${p.port}/${p.protocol}`)).sort();
    assert.deepEqual(openSet(a), openSet(b), 'open ports: nmap import vs our scan');
    const findingSet = (d: ScanDocument): string[] => d.hosts.flatMap((h) => h.findings.map((f) => `${f.id} ${f.target} ${f.status} ${f.severity}`)).sort();
    assert.deepEqual(findingSet(a), findingSet(b), 'findings: nmap import vs our scan');
    assert.ok(findingSet(a).some((f) => f.startsWith('rogue-host ')), 'the comparison must include the rogue host');
    assert.ok(findingSet(a).some((f) => f.startsWith('unapproved-service ')), 'and unapproved services');
  });
});
