// Small network and shell helpers the peers share: address checks, bounded readiness polls, and
// running setup commands (openssl, mariadb-install-db, postfix check) with a time limit.
import net from 'node:net';
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { execFile } from 'node:child_process';
import { HarnessError, type ServerProcess } from './process.js';

/**
 * Peers listen only on one loopback address of their own (docs/CONTRIBUTING.md network rule), never on
 * 0.0.0.0: the whole 127/8 answers on `lo`, so each peer can own an address without adding any.
 * 127.0.0.0 and 127.255.255.255 are refused because they are network/broadcast forms.
 */
export function assertPeerAddress(address: string): void {
  if (net.isIPv4(address)) {
    const o = address.split('.').map(Number);
    if (o[0] === 127 && !(o[1] === 0 && o[2] === 0 && o[3] === 0) && !(o[1] === 255 && o[2] === 255 && o[3] === 255)) return;
  }
  throw new HarnessError(`peer address ${JSON.stringify(address)} is not a single 127.x.y.z loopback address; peers never bind a wildcard or a routable address`);
}

export function assertPort(port: number, what: string): void {
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new HarnessError(`${what}: port ${port} is not an integer in 1..65535`);
  }
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** One TCP connect attempt: true when the handshake completes within `timeoutMs`. */
export function tcpConnects(address: string, port: number, timeoutMs = 1_000): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host: address, port });
    const done = (ok: boolean) => {
      clearTimeout(t);
      s.removeAllListeners();
      s.on('error', () => {});
      if (ok) s.resetAndDestroy();
      else s.destroy();
      resolve(ok);
    };
    const t = setTimeout(() => done(false), timeoutMs);
    s.once('connect', () => done(true));
    s.once('error', () => done(false));
  });
}

/**
 * Polls until `check()` is true, at most `timeoutMs` and a bounded number of rounds. Stops early
 * with the server's own output when one of `watch` exits, so a bad config fails in milliseconds
 * with its error message instead of after the full timeout.
 */
export async function waitUntil(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs: number,
  watch: readonly ServerProcess[] = [],
  intervalMs = 100,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const maxRounds = Math.ceil(timeoutMs / intervalMs) + 2;
  for (let round = 0; round < maxRounds; round++) {
    if (await check()) return;
    const dead = watch.find((p) => p.hasExited);
    if (dead) {
      throw new HarnessError(`${what}: ${dead.label} exited before it was ready; its output:\n${dead.log().slice(-3000)}`);
    }
    if (Date.now() >= deadline) break;
    await sleep(intervalMs);
  }
  const logs = watch.map((p) => `--- ${p.label} ---\n${p.log().slice(-2000)}`).join('\n');
  throw new HarnessError(`${what}: not ready within ${timeoutMs} ms\n${logs}`);
}

/** Waits until a TCP port accepts connections. */
export function waitForTcp(address: string, port: number, timeoutMs: number, watch: readonly ServerProcess[] = []): Promise<void> {
  return waitUntil(`tcp ${address}:${port}`, () => tcpConnects(address, port, 500), timeoutMs, watch);
}

/**
 * True when some socket is bound to UDP `address:port` (read from /proc/net/udp, so readiness of a
 * UDP service is known without sending it anything it would have to answer).
 */
export function udpBound(address: string, port: number): boolean {
  const hexAddr = address
    .split('.')
    .map((o) => Number(o).toString(16).padStart(2, '0'))
    .reverse()
    .join('')
    .toUpperCase();
  const want = `${hexAddr}:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  const table = readFileSync('/proc/net/udp', 'utf8').split('\n').slice(1);
  return table.some((line) => line.trim().split(/\s+/)[1] === want);
}

export function waitForUdp(address: string, port: number, timeoutMs: number, watch: readonly ServerProcess[] = []): Promise<void> {
  return waitUntil(`udp ${address}:${port}`, () => udpBound(address, port), timeoutMs, watch);
}

/** True when something listens on TCP address:port according to /proc/net/tcp (state 0A). */
export function tcpListening(address: string, port: number): boolean {
  const hexAddr = address
    .split('.')
    .map((o) => Number(o).toString(16).padStart(2, '0'))
    .reverse()
    .join('')
    .toUpperCase();
  const want = `${hexAddr}:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  const table = readFileSync('/proc/net/tcp', 'utf8').split('\n').slice(1);
  return table.some((line) => {
    const f = line.trim().split(/\s+/);
    return f[1] === want && f[3] === '0A';
  });
}

export interface RunResult {
  stdout: string;
  stderr: string;
}

/** Runs a setup command with a hard time limit; a failure names the command and shows its output. */
export function run(command: string, args: readonly string[], opts: { timeoutMs?: number; env?: NodeJS.ProcessEnv; cwd?: string; input?: string } = {}): Promise<RunResult> {
  const timeoutMs = opts.timeoutMs ?? 20_000;
  return new Promise((resolve, reject) => {
    const child = execFile(
      command,
      [...args],
      { timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 4 << 20, env: opts.env ?? process.env, cwd: opts.cwd },
      (err, stdout, stderr) => {
        if (err) {
          const why = (err as { killed?: boolean }).killed ? `timed out after ${timeoutMs} ms` : err.message.split('\n')[0];
          reject(new HarnessError(`${command} ${args.join(' ')}: ${why}\n${stderr.slice(-2000)}${stdout.slice(-1000)}`));
        } else resolve({ stdout, stderr });
      },
    );
    if (opts.input !== undefined) child.stdin?.end(opts.input);
    else child.stdin?.end();
  });
}

export interface BoundSocket {
  proto: 'tcp' | 'udp' | 'tcp6' | 'udp6';
  local: string;
  port: number;
  listening: boolean;
}

function decodeProcAddress(hex: string): string {
  if (hex.length === 8) {
    return [6, 4, 2, 0].map((i) => parseInt(hex.slice(i, i + 2), 16)).join('.');
  }
  // IPv6 in /proc is four little-endian 32-bit words; only "is it a wildcard" matters to us.
  return /^0+$/.test(hex) ? '::' : `ipv6:${hex}`;
}

/**
 * Listening TCP and bound UDP sockets held by the given pids (via /proc/PID/fd socket inodes),
 * so a test can prove a peer bound nothing but its own address.
 */
export function socketsOfPids(pids: readonly number[]): BoundSocket[] {
  const inodes = new Set<string>();
  for (const pid of pids) {
    let fds: string[] = [];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
        if (m) inodes.add(m[1]!);
      } catch {
        // fd closed meanwhile
      }
    }
  }
  const out: BoundSocket[] = [];
  for (const proto of ['tcp', 'udp', 'tcp6', 'udp6'] as const) {
    let lines: string[] = [];
    try {
      lines = readFileSync(`/proc/net/${proto}`, 'utf8').split('\n').slice(1);
    } catch {
      continue;
    }
    for (const line of lines) {
      const f = line.trim().split(/\s+/);
      if (f.length < 10 || !inodes.has(f[9]!)) continue;
      const [addrHex, portHex] = f[1]!.split(':');
      const listening = proto.startsWith('tcp') ? f[3] === '0A' : true;
      if (proto.startsWith('tcp') && !listening) continue;
      out.push({ proto, local: decodeProcAddress(addrHex!), port: parseInt(portHex!, 16), listening });
    }
  }
  return out;
}

/**
 * Some daemons (named, which binds only addresses it finds on an interface) ignore the fact that
 * Linux answers the whole 127/8 on `lo`: for them the exact address is added to `lo` as a /32.
 * Returns an undo function that removes it again — only when this call added it, so an address
 * someone else configured is left alone.
 */
export async function addLoopbackAlias(address: string): Promise<() => Promise<void>> {
  assertPeerAddress(address);
  const shown = await run('ip', ['-4', '-o', 'addr', 'show', 'dev', 'lo'], { timeoutMs: 5_000 });
  const present = shown.stdout.split('\n').some((l) => l.includes(` ${address}/`));
  if (present) return async () => {};
  await run('ip', ['addr', 'add', `${address}/32`, 'dev', 'lo'], { timeoutMs: 5_000 });
  let removed = false;
  return async () => {
    if (removed) return;
    removed = true;
    await run('ip', ['addr', 'del', `${address}/32`, 'dev', 'lo'], { timeoutMs: 5_000 }).catch(() => {});
  };
}

/** Timers a scripted peer schedules, so that closing it cancels every one still pending. */
export class PeerTimers {
  private readonly pending = new Set<NodeJS.Timeout>();

  /** Run `fn` after `ms` unless the peer closes first. */
  later(ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      this.pending.delete(t);
      fn();
    }, ms);
    this.pending.add(t);
  }

  clearAll(): void {
    for (const t of this.pending) clearTimeout(t);
    this.pending.clear();
  }
}
