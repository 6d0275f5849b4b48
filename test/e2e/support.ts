// Shared pieces of the end-to-end tests and of bench/probes.ts: running the real CLI (and nmap) as
// child processes with hard time and output bounds, finding the ports other processes on this
// machine listen on (so we never scan them), and reading the result document.
//
// Everything here talks only to 127.16.0.0/16 (the e2e address block of docs/CONTRIBUTING.md) — the callers
// pass addresses from that block and `assertE2eAddress` refuses anything else.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Finding } from '../../src/core/finding.js';
import type { HostResult, PortResult, Protocol, ScanDocument } from '../../src/core/result.js';

/** Repository root, found from this file's place in dist/test/e2e/ (or bench's import of it). */
export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const CLI = fileURLToPath(new URL('../../../bin/portcullis.js', import.meta.url));
export const NMAP_DTD = '/usr/share/nmap/nmap.dtd';

export function assertE2eAddress(address: string): void {
  const m = /^127\.16\.(\d{1,3})\.(\d{1,3})$/.exec(address);
  if (!m || Number(m[1]) > 255 || Number(m[2]) < 1 || Number(m[2]) > 254) {
    throw new Error(`e2e: address ${JSON.stringify(address)} is outside the e2e block 127.16.0.0/16 (or is a network/broadcast form)`);
  }
}

export interface RunResult {
  /** Exit code, or null when the process was killed (timeout) or died of a signal. */
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Wall time in milliseconds. */
  ms: number;
  timedOut: boolean;
  /** Peak resident memory of the process itself (VmHWM, KiB), when sampled; null otherwise. */
  peakRssKb: number | null;
}

export interface RunOptions {
  timeoutMs: number;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Cap on captured stdout/stderr each (bytes); beyond it the run is killed as broken. */
  maxOutput?: number;
  /** Sample /proc/PID/status VmHWM every 100 ms (the high-water mark only grows, so the last sample is the peak so far). */
  sampleRss?: boolean;
}

function readHwmKb(pid: number): number | null {
  try {
    const m = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

/**
 * Runs a program with a hard time bound (SIGKILL to its process group when exceeded) and a bound
 * on captured output. Never rejects for a non-zero exit: the caller judges the code.
 */
export function runBounded(command: string, args: readonly string[], o: RunOptions): Promise<RunResult> {
  const maxOutput = o.maxOutput ?? 64 * 1024 * 1024;
  const started = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const child = spawn(command, [...args], {
      cwd: o.cwd ?? ROOT,
      env: o.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      // Own process group, so a timeout kills anything the program started as well.
      detached: true,
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let outLen = 0;
    let errLen = 0;
    let timedOut = false;
    let overflow = false;
    const kill = (): void => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      kill();
    }, o.timeoutMs);
    let peakRssKb: number | null = null;
    const sampler = o.sampleRss && child.pid !== undefined
      ? setInterval(() => {
          const v = readHwmKb(child.pid as number);
          if (v !== null) peakRssKb = Math.max(peakRssKb ?? 0, v);
        }, 100)
      : undefined;
    child.stdout.on('data', (b: Buffer) => {
      outLen += b.length;
      if (outLen > maxOutput) {
        overflow = true;
        kill();
      } else out.push(b);
    });
    child.stderr.on('data', (b: Buffer) => {
      errLen += b.length;
      if (errLen > maxOutput) {
        overflow = true;
        kill();
      } else err.push(b);
    });
    child.once('error', (e) => {
      clearTimeout(timer);
      clearInterval(sampler);
      reject(new Error(`cannot run ${command}: ${e.message}`));
    });
    // By 'exit' the process is usually reaped already, so the 100 ms samples carry the peak; this
    // last read only helps when it is not.
    child.once('exit', () => {
      if (o.sampleRss && child.pid !== undefined) {
        const v = readHwmKb(child.pid);
        if (v !== null) peakRssKb = Math.max(peakRssKb ?? 0, v);
      }
      clearInterval(sampler);
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      clearInterval(sampler);
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const stderr = Buffer.concat(err).toString('utf8') + (overflow ? `\n[e2e: output exceeded ${maxOutput} bytes; process killed]` : '');
      resolve({ code, signal, stdout: Buffer.concat(out).toString('utf8'), stderr, ms, timedOut, peakRssKb });
    });
  });
}

/** `node bin/portcullis.js ARGS` — the real launcher, as a user runs it. */
export function runCli(args: readonly string[], o: Partial<RunOptions> = {}): Promise<RunResult> {
  return runBounded(process.execPath, [CLI, ...args], { timeoutMs: 180_000, ...o });
}

/** A one-line account of a run for assertion messages. */
export function describeRun(what: string, r: RunResult): string {
  const tail = (s: string): string => (s.length > 3000 ? `…${s.slice(-3000)}` : s);
  return `${what}: exit ${r.code}${r.signal ? ` (signal ${r.signal})` : ''}${r.timedOut ? ' (timed out)' : ''} after ${Math.round(r.ms)} ms\nstderr: ${tail(r.stderr)}`;
}

export function parseDocument(r: RunResult, what: string): ScanDocument {
  try {
    return JSON.parse(r.stdout) as ScanDocument;
  } catch (e) {
    throw new Error(`${describeRun(what, r)}\nstdout is not JSON (${(e as Error).message}): ${r.stdout.slice(0, 500)}`);
  }
}

// ---- Ports other processes listen on -------------------------------------------------------------

export interface ForeignPorts {
  tcp: Set<number>;
  udp: Set<number>;
}

const WILDCARD = new Set(['0.0.0.0', '*', '[::]', '::', '[::ffff:0.0.0.0]']);

function parseSs(text: string, into: Set<number>): void {
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/);
    // State Recv-Q Send-Q Local:Port Peer:Port [Process]
    const local = f[3];
    if (!local) continue;
    const cut = local.lastIndexOf(':');
    if (cut < 0) continue;
    let addr = local.slice(0, cut);
    const port = Number(local.slice(cut + 1));
    if (!Number.isInteger(port)) continue;
    const pct = addr.indexOf('%');
    if (pct >= 0) addr = addr.slice(0, pct);
    // A wildcard listener answers on every loopback address, ours included. A listener bound to one
    // specific address answers only there, and we never scan anyone else's address.
    if (WILDCARD.has(addr)) into.add(port);
  }
}

/**
 * TCP/UDP ports that a process other than our own servers could answer on our 127.16.x.x
 * addresses: wildcard listeners (0.0.0.0, ::). Read with `ss -ltnH` / `ss -lunH` right before a
 * scan and passed to --exclude-ports.
 */
export async function foreignPorts(): Promise<ForeignPorts> {
  const tcp = await runBounded('ss', ['-ltnH'], { timeoutMs: 10_000 });
  const udp = await runBounded('ss', ['-lunH'], { timeoutMs: 10_000 });
  if (tcp.code !== 0 || udp.code !== 0) throw new Error(`ss failed: ${tcp.stderr}${udp.stderr}`);
  const out: ForeignPorts = { tcp: new Set(), udp: new Set() };
  parseSs(tcp.stdout, out.tcp);
  parseSs(udp.stdout, out.udp);
  return out;
}

/** `--exclude-ports` applies to both protocols, so the union of both sets goes there. */
export function excludeArg(f: ForeignPorts): string[] {
  const all = [...new Set([...f.tcp, ...f.udp])].sort((a, b) => a - b);
  return all.length ? ['--exclude-ports', all.join(',')] : [];
}

// ---- Reading the document ---------------------------------------------------------------------------

export function hostOf(doc: ScanDocument, address: string): HostResult | undefined {
  return doc.hosts.find((h) => h.address === address);
}

export function portOf(host: HostResult | undefined, port: number, protocol: Protocol = 'tcp'): PortResult | undefined {
  return host?.ports.find((p) => p.port === port && p.protocol === protocol);
}

/** Findings with this id, optionally on one port. */
export function findingsOf(host: HostResult | undefined, id: string, port?: number, protocol: Protocol = 'tcp'): Finding[] {
  if (!host) return [];
  const suffix = port === undefined ? undefined : `:${port}/${protocol}`;
  return host.findings.filter((f) => f.id === id && (suffix === undefined || f.target.endsWith(suffix)));
}

/** Compact one-line view of a host for failure messages. */
export function hostSummary(host: HostResult | undefined): string {
  if (!host) return '(host absent from the document)';
  const ports = host.ports.map((p) => `${p.port}/${p.protocol} ${p.state} (${p.reason})${p.service ? ` ${p.service.name}${p.service.product ? ` ${p.service.product}` : ''}${p.service.version ? ` ${p.service.version}` : ''}` : ''}`);
  const findings = host.findings.map((f) => `${f.id}@${f.target}=${f.status}`);
  return `${host.address} [${host.status}] ports: ${ports.join('; ')} | findings: ${findings.join(', ')}`;
}

export function findingSummary(fs: readonly Finding[]): string {
  return fs.length ? fs.map((f) => `${f.target} ${f.status}: ${f.evidence.summary}`).join(' | ') : '(none)';
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
