// Test kit for the Windows-protocol probes: a ProbeContext over the real network transport, a
// runner that applies the probe's own time limit like the real runner, and small local servers
// (openssl s_server, node TLS) started as child processes and stopped by pid.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import net from 'node:net';
import type { LearnedFact, ProbeContext, ProbeDefinition, Verdict } from '../../../src/probes/define.js';
import type { ServiceInfo } from '../../../src/core/result.js';
import { netTransport } from '../../../src/io/transport.js';
import type { Transport } from '../../../src/io/transport.js';
import { runProbes } from '../../../src/probes/runner.js';
import type { Finding } from '../../../src/core/finding.js';

export interface CtxOptions {
  address: string;
  port: number;
  service?: ServiceInfo;
  hostNames?: string[];
  timeoutMs?: number;
  io?: Transport;
  protocol?: 'tcp' | 'udp';
}

export function makeCtx(o: CtxOptions): { ctx: ProbeContext; learned: LearnedFact[]; abort: AbortController } {
  const learned: LearnedFact[] = [];
  const abort = new AbortController();
  const ctx: ProbeContext = {
    address: o.address,
    hostNames: o.hostNames ?? [],
    port: o.port,
    protocol: o.protocol ?? 'tcp',
    service: o.service,
    hostPorts: [],
    domains: [],
    io: o.io ?? netTransport,
    timeoutMs: o.timeoutMs ?? 20_000,
    signal: abort.signal,
    learn: (f) => learned.push(f),
  };
  return { ctx, learned, abort };
}

/** Run one probe through the real runner (its time limit, error conversion) against one port. */
export async function runThroughRunner(probe: ProbeDefinition, o: CtxOptions & { maxProbeMs?: number }): Promise<Finding[]> {
  const service = o.service ?? { name: 'unknown', tls: false, method: 'none' as const };
  return runProbes(
    { address: o.address, names: o.hostNames ?? [], status: 'up', ports: [{ port: o.port, protocol: o.protocol ?? 'tcp', state: 'open', reason: 'syn-ack', service }], findings: [] },
    [probe],
    { selection: 'all', io: o.io ?? netTransport, domains: new Set(), ...(o.maxProbeMs ? { maxProbeMs: o.maxProbeMs } : {}) },
  );
}

export function byCheck(verdicts: readonly Verdict[]): Record<string, Verdict> {
  const out: Record<string, Verdict> = {};
  for (const v of verdicts) out[v.check] = v;
  return out;
}

export function statusOf(verdicts: readonly Verdict[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const v of verdicts) out[v.check] = v.status;
  return out;
}

/** Wait until something accepts TCP connections on address:port (bounded). */
export async function waitListening(address: string, port: number, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect({ host: address, port });
      const t = setTimeout(() => {
        s.destroy();
        resolve(false);
      }, 500);
      s.once('connect', () => {
        clearTimeout(t);
        s.destroy();
        resolve(true);
      });
      s.once('error', () => {
        clearTimeout(t);
        resolve(false);
      });
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`nothing listens on ${address}:${port} after ${timeoutMs} ms`);
}

export interface Cert {
  dir: string;
  cert: string;
  key: string;
}

/** A self-signed certificate made with the openssl CLI in a fresh temp dir. */
export function makeCert(o: { cn: string; san?: string; bits?: number; days?: number; ec?: boolean }): Cert {
  const dir = mkdtempSync(join(tmpdir(), 'pc-win-cert-'));
  const cert = join(dir, 'c.pem');
  const key = join(dir, 'k.pem');
  const newkey = o.ec ? ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1'] : ['-newkey', `rsa:${o.bits ?? 2048}`];
  const san = o.san ? ['-addext', `subjectAltName=${o.san}`] : [];
  execFileSync('openssl', ['req', '-x509', ...newkey, '-nodes', '-sha256', '-days', String(o.days ?? 30), '-subj', `/CN=${o.cn}`, ...san, '-keyout', key, '-out', cert], { stdio: 'ignore', timeout: 30_000 });
  return { dir, cert, key };
}

export class Child {
  constructor(
    readonly proc: ChildProcess,
    private readonly cleanup: string[] = [],
  ) {}
  output = '';
  static start(cmd: string, args: string[], cleanup: string[] = []): Child {
    const proc = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const c = new Child(proc, cleanup);
    proc.stdout?.on('data', (d: Buffer) => (c.output = (c.output + d.toString()).slice(-4000)));
    proc.stderr?.on('data', (d: Buffer) => (c.output = (c.output + d.toString()).slice(-4000)));
    return c;
  }
  async stop(): Promise<void> {
    const p = this.proc;
    if (p.exitCode === null && p.signalCode === null && p.pid !== undefined) {
      const done = new Promise<void>((r) => p.once('exit', () => r()));
      process.kill(p.pid, 'SIGTERM');
      const t = setTimeout(() => {
        if (p.exitCode === null && p.pid !== undefined) process.kill(p.pid, 'SIGKILL');
      }, 2_000);
      await done;
      clearTimeout(t);
    }
    for (const d of this.cleanup) rmSync(d, { recursive: true, force: true });
  }
}

/** `openssl s_server` with the given extra arguments (e.g. ['-tls1', '-cipher', 'DEFAULT:@SECLEVEL=0']). */
export async function opensslServer(address: string, port: number, cert: Cert, extra: string[]): Promise<Child> {
  const c = Child.start('openssl', ['s_server', '-accept', `${address}:${port}`, '-cert', cert.cert, '-key', cert.key, '-quiet', ...extra]);
  await waitListening(address, port);
  return c;
}
