// Helpers shared by the engine benchmark and the engine's real-network tests: our own server
// processes (stopped by pid), the ports other processes already listen on (never probed), a
// network namespace of our own with a veth pair and nftables rules, nmap runs, and child-process
// resource measurement.
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ListenerConfig } from './listeners.js';

const LISTENERS_JS = fileURLToPath(new URL('./listeners.js', import.meta.url));

export interface RunningServers {
  pid: number;
  stop(): Promise<void>;
}

/** Start bench/listeners.js (optionally inside a namespace) and wait until it is bound. */
export async function startListeners(config: ListenerConfig, opts: { netns?: string; timeoutMs?: number } = {}): Promise<RunningServers> {
  const args = [LISTENERS_JS, JSON.stringify(config)];
  const child: ChildProcess = opts.netns ? spawn('ip', ['netns', 'exec', opts.netns, process.execPath, ...args], { stdio: ['pipe', 'pipe', 'pipe'] }) : spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const pid = await new Promise<number>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`listeners did not start within ${opts.timeoutMs ?? 10_000} ms: ${err}`)), opts.timeoutMs ?? 10_000);
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /ready (\d+)/.exec(out);
      if (m) {
        clearTimeout(t);
        resolve(Number(m[1]));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(t);
      reject(new Error(`listeners exited with code ${code}: ${err.trim()}`));
    });
  });
  return {
    pid,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const gone = new Promise<void>((r) => child.once('exit', () => r()));
      // `pid` is the node process itself (inside `ip netns exec` it is the grandchild's pid).
      try {
        process.kill(pid, 'SIGTERM');
      } catch {
        /* already gone */
      }
      child.stdin?.end();
      const t = setTimeout(() => {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          /* already gone */
        }
      }, 3000);
      await gone;
      clearTimeout(t);
    },
  };
}

/**
 * TCP ports on which some process listens in a way that covers `address` (a wildcard address or
 * that exact address). Scans leave them out: they belong to somebody else.
 */
export function foreignTcpListeners(address: string, netns?: string): Set<number> {
  const cmd = netns ? ['ip', ['netns', 'exec', netns, 'ss', '-ltnH']] : ['ss', ['-ltnH']];
  const r = spawnSync(cmd[0] as string, cmd[1] as string[], { encoding: 'utf8' });
  const ports = new Set<number>();
  if (r.status !== 0) throw new Error(`ss failed: ${r.stderr}`);
  for (const line of r.stdout.split('\n')) {
    const local = line.trim().split(/\s+/)[3];
    if (!local) continue;
    const i = local.lastIndexOf(':');
    const host = local.slice(0, i).replace(/^\[|\]$/g, '').replace(/%.*$/, '');
    const port = Number(local.slice(i + 1));
    if (!Number.isInteger(port)) continue;
    if (host === '0.0.0.0' || host === '*' || host === '::' || host === address || host === `::ffff:${address}`) ports.add(port);
  }
  return ports;
}

export function commandExists(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

function run(cmd: string, args: string[], input?: string): string {
  return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'], ...(input !== undefined ? { input } : {}) });
}

export interface Netns {
  name: string;
  /** Our side of the veth pair. */
  hostAddress: string;
  /** The namespace's address: the scan target. */
  nsAddress: string;
  exec(cmd: string, args: string[], input?: string): string;
  destroy(): void;
}

/** Whether this process may create namespaces (root, `ip netns` works). */
export function netnsAvailable(): { ok: true } | { ok: false; why: string } {
  if (typeof process.getuid === 'function' && process.getuid() !== 0) return { ok: false, why: 'not running as root' };
  if (!commandExists('ip')) return { ok: false, why: 'the ip command (iproute2) is missing' };
  const r = spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' });
  if (r.status !== 0) return { ok: false, why: `ip netns is unavailable: ${r.stderr.trim()}` };
  if (!commandExists('nft')) return { ok: false, why: 'the nft command (nftables) is missing' };
  return { ok: true };
}

function usedBenchSubnets(): Set<string> {
  const r = spawnSync('ip', ['-4', '-o', 'addr', 'show'], { encoding: 'utf8' });
  const used = new Set<string>();
  for (const m of (r.stdout ?? '').matchAll(/inet (198\.1[89]\.\d+)\.\d+/g)) used.add(m[1] as string);
  return used;
}

/**
 * A namespace `<prefix>-<random>` joined to us by a veth pair addressed from 198.18.0.0/15
 * (RFC 2544's benchmarking block), loopback up, ICMP rate limit off inside (so REJECT answers
 * every probe instead of one per second).
 */
export function createNetns(prefix: string): Netns {
  const tag = randomBytes(3).toString('hex');
  const name = `${prefix}-${tag}`;
  const vHost = `pce${tag}a`;
  const vNs = `pce${tag}b`;
  const used = usedBenchSubnets();
  let third = 0;
  for (let i = 0; i < 64; i++) {
    third = 100 + (randomBytes(1)[0] as number) % 150;
    if (!used.has(`198.18.${third}`)) break;
  }
  const hostAddress = `198.18.${third}.1`;
  const nsAddress = `198.18.${third}.2`;
  const ns: Netns = {
    name,
    hostAddress,
    nsAddress,
    exec: (cmd, args, input) => run('ip', ['netns', 'exec', name, cmd, ...args], input),
    destroy: () => {
      spawnSync('ip', ['netns', 'delete', name], { stdio: 'ignore' });
      spawnSync('ip', ['link', 'delete', vHost], { stdio: 'ignore' });
    },
  };
  try {
    run('ip', ['netns', 'add', name]);
    run('ip', ['link', 'add', vHost, 'type', 'veth', 'peer', 'name', vNs]);
    run('ip', ['link', 'set', vNs, 'netns', name]);
    run('ip', ['addr', 'add', `${hostAddress}/30`, 'dev', vHost]);
    run('ip', ['link', 'set', vHost, 'up']);
    ns.exec('ip', ['addr', 'add', `${nsAddress}/30`, 'dev', vNs]);
    ns.exec('ip', ['link', 'set', vNs, 'up']);
    ns.exec('ip', ['link', 'set', 'lo', 'up']);
    ns.exec('sysctl', ['-q', '-w', 'net.ipv4.icmp_ratelimit=0']);
  } catch (e) {
    ns.destroy();
    throw e;
  }
  return ns;
}

export interface FilterRules {
  /** Per-packet random loss in percent (numgen random mod 100 < N drop), applied first. */
  lossPercent?: number;
  dropTcp?: number[];
  /** REJECT with a TCP reset (a firewall pretending the port is closed). */
  resetTcp?: number[];
  /** REJECT with ICMP port-unreachable: Linux reports it to connect() as ECONNREFUSED. */
  portUnreachTcp?: number[];
  /** REJECT with ICMP administratively prohibited: connect() sees EHOSTUNREACH. */
  prohibitTcp?: number[];
  dropUdp?: number[];
  rejectUdp?: number[];
}

function set(ports: number[] | undefined): string | null {
  return ports && ports.length > 0 ? `{ ${ports.join(', ')} }` : null;
}

/** Load an nftables input filter into the namespace. */
export function applyFilter(ns: Netns, rules: FilterRules): string {
  const lines: string[] = [];
  if (rules.lossPercent) lines.push(`numgen random mod 100 < ${rules.lossPercent} drop`);
  const add = (ports: number[] | undefined, what: string): void => {
    const s = set(ports);
    if (s) lines.push(what.replace('SET', s));
  };
  add(rules.dropTcp, 'tcp dport SET drop');
  add(rules.resetTcp, 'tcp dport SET reject with tcp reset');
  add(rules.portUnreachTcp, 'tcp dport SET reject with icmp type port-unreachable');
  add(rules.prohibitTcp, 'tcp dport SET reject with icmp type admin-prohibited');
  add(rules.dropUdp, 'udp dport SET drop');
  add(rules.rejectUdp, 'udp dport SET reject with icmp type port-unreachable');
  const text = `table inet pcengine {\n  chain input {\n    type filter hook input priority 0; policy accept;\n${lines.map((l) => `    ${l}`).join('\n')}\n  }\n}\n`;
  ns.exec('nft', ['-f', '-'], text);
  return text;
}

export interface NmapResult {
  wallMs: number;
  /** Open TCP ports per address. */
  open: Map<string, Set<number>>;
  command: string;
}

/** `nmap -sT -T4 -Pn -n` over the given ports; exclusions passed as --exclude-ports. */
export function runNmap(targets: string[], ports: string, excludePorts: number[] = [], extra: string[] = []): NmapResult {
  const args = ['-sT', '-T4', '-Pn', '-n', '-p', ports, ...(excludePorts.length ? ['--exclude-ports', excludePorts.join(',')] : []), ...extra, '-oG', '-', ...targets];
  const t0 = performance.now();
  const r = spawnSync('nmap', args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const wallMs = performance.now() - t0;
  if (r.status !== 0) throw new Error(`nmap failed (${r.status}): ${r.stderr}`);
  const open = new Map<string, Set<number>>();
  for (const line of r.stdout.split('\n')) {
    const m = /^Host: (\S+) .*?\tPorts: ([^\t]*)/.exec(line);
    if (!m) continue;
    const set = open.get(m[1] as string) ?? new Set<number>();
    for (const entry of (m[2] as string).split(', ')) {
      const [port, state] = entry.split('/');
      if (state === 'open') set.add(Number(port));
    }
    open.set(m[1] as string, set);
  }
  for (const t of targets) if (!open.has(t)) open.set(t, new Set());
  return { wallMs, open, command: `nmap ${args.join(' ')}` };
}

export interface ChildMeasure {
  wallMs: number;
  maxRssKb: number;
  stdout: string;
}

/** Run `node <script> args` and report wall time and peak RSS (GNU time when present). */
export function measureNode(script: string, args: string[]): ChildMeasure {
  const t0 = performance.now();
  const useTime = existsSync('/usr/bin/time');
  const r = useTime
    ? spawnSync('/usr/bin/time', ['-v', process.execPath, script, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
    : spawnSync(process.execPath, [script, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const wallMs = performance.now() - t0;
  if (r.status !== 0) throw new Error(`child failed (${r.status}): ${r.stderr}`);
  let maxRssKb = 0;
  const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr ?? '');
  if (m) maxRssKb = Number(m[1]);
  const self = /maxRssKb=(\d+)/.exec(r.stdout);
  if (!m && self) maxRssKb = Number(self[1]);
  return { wallMs, maxRssKb, stdout: r.stdout };
}
