// The scan command end to end against our own listeners on 127.17.x.x: the pipeline, the
// renderers, the exit codes and Ctrl-C. (Real Debian servers are exercised in test/e2e/.)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import type { ScanDocument } from '../core/result.js';

const BIN = fileURLToPath(new URL('../../../bin/portcullis.js', import.meta.url));
const HOST = '127.17.0.1';
const servers: net.Server[] = [];
let httpPort = 0;
let silentPort = 0;
let closedPort = 0;

function listen(handler: (s: net.Socket) => void): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer(handler);
    srv.once('error', reject);
    srv.listen(0, HOST, () => {
      servers.push(srv);
      resolve((srv.address() as net.AddressInfo).port);
    });
  });
}

before(async () => {
  httpPort = await listen((s) => {
    s.once('data', () => s.end('HTTP/1.1 200 OK\r\nServer: TestHTTP/2.4\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok'));
    s.on('error', () => {});
  });
  silentPort = await listen((s) => {
    s.on('error', () => {});
    setTimeout(() => s.destroy(), 8000).unref();
  });
  // A port we held and released: nothing listens there now, so it is closed.
  const tmp = net.createServer();
  await new Promise<void>((r) => tmp.listen(0, HOST, () => r()));
  closedPort = (tmp.address() as net.AddressInfo).port;
  await new Promise<void>((r) => tmp.close(() => r()));
});

after(() => {
  for (const s of servers) s.close();
});

// Asynchronous on purpose: the listeners live in this process, and a synchronous spawn would
// block the event loop that has to answer the scanner.
function scan(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, 'scan', ...args], { stdio: ['ignore', 'pipe', 'pipe'], timeout: 90_000 });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

test('json output: open and closed ports, the service named from its answer', async () => {
  const r = await scan([HOST, '--ports', `${httpPort},${silentPort},${closedPort}`, '--format', 'json', '--quiet', '--probes', 'none']);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, '');
  const doc = JSON.parse(r.stdout) as ScanDocument;
  assert.equal(doc.command, 'scan');
  assert.equal(doc.hosts.length, 1);
  const host = doc.hosts[0]!;
  assert.equal(host.status, 'up');
  const byPort = new Map(host.ports.map((p) => [p.port, p]));
  assert.equal(byPort.get(httpPort)?.state, 'open');
  assert.equal(byPort.get(silentPort)?.state, 'open');
  const closed = byPort.get(closedPort);
  if (closed) assert.equal(closed.state, 'closed');
  else assert.ok(host.extraPorts?.some((t) => t.state === 'closed' && t.count === 1), 'the closed port is listed or counted');
  assert.equal(doc.summary.openPorts, 2);
});

test('the table names the host and summarises what was scanned', async () => {
  const r = await scan([HOST, '--ports', `${httpPort},${closedPort}`, '--quiet', '--no-color', '--probes', 'none']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, new RegExp(HOST.replace(/\./g, '\\.')));
  assert.match(r.stdout, new RegExp(`${httpPort}/tcp`));
});

test('jsonl streams begin, one line per host, end', async () => {
  const r = await scan([HOST, '--ports', `${httpPort}`, '--format', 'jsonl', '--quiet', '--probes', 'none']);
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string });
  assert.deepEqual(
    lines.map((l) => l.type),
    ['begin', 'host', 'end'],
  );
});

test('Ctrl-C writes what is known, marks it interrupted and exits 130', async () => {
  // Several loopback hosts over the whole port range take long enough to interrupt.
  const child = spawn(process.execPath, [BIN, 'scan', '127.17.1.1-40', '--ports', 'all', '--format', 'json', '--quiet', '--probes', 'none'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  setTimeout(() => child.kill('SIGINT'), 700);
  const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  assert.equal(code, 130, err);
  const doc = JSON.parse(out) as ScanDocument;
  assert.equal(doc.summary.interrupted, true);
  assert.match(err, /interrupted/);
});
