// Shared checks for the harness self-tests: a stopped peer has no process left and no port open.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { pidExists, descendantsOf } from './process.js';
import { tcpConnects, tcpListening, udpBound, socketsOfPids } from './net.js';
import type { Peer } from './peer.js';

/** Stops the peer, then proves every recorded pid is gone (kill -0 fails) and nothing listens. */
export async function stopAndProveGone(peer: Peer<object>, tcpPorts: readonly number[], udpPorts: readonly number[] = []): Promise<void> {
  const dir = peer.dir;
  assert.ok(peer.pids.length >= 2, `${peer.kind}: expected reaper + server pids, got ${peer.pids.join(',')}`);
  for (const pid of peer.pids) assert.ok(pidExists(pid), `${peer.kind}: pid ${pid} should be alive before stop`);
  await peer.stop();
  for (const pid of peer.pids) assert.equal(pidExists(pid), false, `${peer.kind}: pid ${pid} still exists after stop`);
  for (const port of tcpPorts) {
    assert.equal(tcpListening(peer.address, port), false, `${peer.kind}: tcp ${peer.address}:${port} still listening`);
    assert.equal(await tcpConnects(peer.address, port, 1_000), false, `${peer.kind}: tcp ${peer.address}:${port} still accepts`);
  }
  for (const port of udpPorts) assert.equal(udpBound(peer.address, port), false, `${peer.kind}: udp ${peer.address}:${port} still bound`);
  const { existsSync } = await import('node:fs');
  assert.equal(existsSync(dir), false, `${peer.kind}: temp dir ${dir} not removed`);
}

/** Runs a standard client (curl, dig, snmpget …) with a time bound; resolves even on non-zero exit. */
export function client(cmd: string, args: readonly string[], timeoutMs = 15_000): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(cmd, [...args], { timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 4 << 20 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
    // Tools such as `openssl s_client` read stdin until EOF; an open pipe would hold them.
    child.stdin?.end();
  });
}

/**
 * Proves every listening TCP / bound UDP socket of the peer's process tree is on the peer's own
 * address (never 0.0.0.0, never ::), and that at least the expected ports are among them.
 * `allowLocal` lists extra addresses a helper may use internally (none by default).
 */
export function assertBoundOnlyToOwnAddress(peer: Peer<object>, expectTcp: readonly number[], expectUdp: readonly number[] = [], allowLocal: readonly string[] = []): void {
  const pids = new Set<number>(peer.pids);
  for (const p of peer.pids) for (const d of descendantsOf(p)) pids.add(d);
  const socks = socketsOfPids([...pids]);
  for (const s of socks) {
    assert.ok(
      s.local === peer.address || allowLocal.includes(s.local),
      `${peer.kind}: ${s.proto} socket bound to ${s.local}:${s.port}, not only ${peer.address}`,
    );
  }
  for (const p of expectTcp) assert.ok(socks.some((s) => s.proto === 'tcp' && s.port === p), `${peer.kind}: no tcp listener on ${p}`);
  for (const p of expectUdp) assert.ok(socks.some((s) => s.proto === 'udp' && s.port === p), `${peer.kind}: no udp socket on ${p}`);
}
