// What every started peer looks like, and the bookkeeping shared by all of them: a fresh temp dir
// for generated configs and state, the processes started, the pid files daemons write, and a
// stop() that ends exactly those processes and removes the dir.
import { mkdtempSync, chmodSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ServerProcess, HarnessError, readPidFile, pidExists, registerEmergencyCleanup, type SpawnOptions } from './process.js';
import { assertPeerAddress, assertPort } from './net.js';

/** careless = the misconfiguration a probe must flag; hardened = the fix, which must not be flagged. */
export type Variant = 'careless' | 'hardened';

export interface Peer<P extends object = Record<string, number>> {
  /** Which server this is (nginx, bind9, …), for messages. */
  readonly kind: string;
  readonly variant: Variant;
  /** The one loopback address every listening socket of this peer is bound to. */
  readonly address: string;
  /** Ports in use, by role (e.g. `{ http: 80, https: 443 }`). */
  readonly ports: P;
  /** Every pid started for this peer (reaper, server, pid-file pids seen at start). */
  readonly pids: number[];
  /** The temp dir holding generated configs and state; removed by stop(). */
  readonly dir: string;
  /** Facts the tests may need (generated names, versions, users), variant-specific. */
  readonly info: Readonly<Record<string, string>>;
  /** Last output of each server process (diagnostics). */
  logs(): string;
  /** Ends every process of this peer (SIGTERM, then SIGKILL after a bounded wait) and removes `dir`. Idempotent. */
  stop(): Promise<void>;
}

export interface CommonOptions {
  /** 127.x.y.z address to bind; required, so parallel tests never collide by accident. */
  address: string;
  variant: Variant;
  /** Bound on the whole start (config generation + readiness), default 20 s. */
  startTimeoutMs?: number;
}

export function checkCommon(kind: string, o: CommonOptions): void {
  assertPeerAddress(o.address);
  if (o.variant !== 'careless' && o.variant !== 'hardened') {
    throw new HarnessError(`${kind}: variant must be 'careless' or 'hardened', got ${JSON.stringify(o.variant)}`);
  }
  if (o.startTimeoutMs !== undefined && !(o.startTimeoutMs > 0 && o.startTimeoutMs <= 120_000)) {
    throw new HarnessError(`${kind}: startTimeoutMs must be in (0, 120000], got ${o.startTimeoutMs}`);
  }
}

export function resolvePorts<P extends { [K in keyof P]: number }>(kind: string, defaults: P, given: Partial<P> | undefined): P {
  const out = { ...defaults, ...(given ?? {}) } as P;
  for (const [role, port] of Object.entries(out)) assertPort(port as number, `${kind} ${role}`);
  return out;
}

/** Collects what a peer starts so that a failed start, too, cleans up everything. */
export class PeerBuilder {
  readonly dir: string;
  readonly processes: ServerProcess[] = [];
  private readonly pidFiles: string[] = [];
  private stopped = false;
  private readonly cleanups: Array<() => Promise<void>> = [];
  private readonly unregisterEmergency: () => void;
  readonly deadline: number;

  constructor(readonly kind: string, readonly opts: CommonOptions) {
    checkCommon(kind, opts);
    this.deadline = Date.now() + (opts.startTimeoutMs ?? 20_000);
    this.dir = mkdtempSync(join(tmpdir(), `portcullis-${kind}-${opts.variant}-`));
    // Several daemons drop privileges (nginx workers, vsftpd, postfix, mariadb as root is fine)
    // and must traverse the dir; nothing secret is kept here.
    chmodSync(this.dir, 0o755);
    const dir = this.dir;
    this.unregisterEmergency = registerEmergencyCleanup(() => rmSync(dir, { recursive: true, force: true }));
  }

  /** Milliseconds left of the start budget (at least 1). */
  remaining(): number {
    return Math.max(1, this.deadline - Date.now());
  }

  path(...parts: string[]): string {
    return join(this.dir, ...parts);
  }

  mkdir(rel: string, mode = 0o755): string {
    const p = this.path(rel);
    mkdirSync(p, { recursive: true, mode });
    chmodSync(p, mode);
    return p;
  }

  write(rel: string, text: string, mode = 0o644): string {
    const p = this.path(rel);
    writeFileSync(p, text, { mode });
    chmodSync(p, mode);
    return p;
  }

  async spawn(label: string, command: string, args: readonly string[], opts: SpawnOptions = {}): Promise<ServerProcess> {
    const sp = await ServerProcess.start(`${this.kind}/${label}`, command, args, { cwd: this.dir, ...opts });
    this.processes.push(sp);
    return sp;
  }

  /** Work to undo after the processes are gone (loopback aliases, in-process sockets). */
  onStop(fn: () => Promise<void>): void {
    this.cleanups.push(fn);
  }

  /** A pid file the daemon writes; its pid is included in `pids` and signalled on stop. */
  watchPidFile(path: string): void {
    this.pidFiles.push(path);
  }

  private pidFilePids(): number[] {
    const out: number[] = [];
    for (const f of this.pidFiles) {
      const p = readPidFile(f);
      if (p !== null) out.push(p);
    }
    return out;
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    const fromFiles = this.pidFilePids();
    const errors: string[] = [];
    // Stop in reverse start order: a server goes before the X display or helper it depends on.
    for (const sp of [...this.processes].reverse()) {
      try {
        await sp.stop(5_000, fromFiles);
      } catch (e) {
        errors.push((e as Error).message);
      }
    }
    for (const fn of this.cleanups.reverse()) {
      try {
        await fn();
      } catch (e) {
        errors.push((e as Error).message);
      }
    }
    rmSync(this.dir, { recursive: true, force: true, maxRetries: 3 });
    this.unregisterEmergency();
    if (errors.length) throw new HarnessError(`${this.kind}: stop incomplete: ${errors.join('; ')}`);
  }

  /** Runs `start`, and on any failure stops whatever was started before rethrowing. */
  async guard<T>(start: () => Promise<T>): Promise<T> {
    try {
      return await start();
    } catch (e) {
      await this.stop().catch(() => {});
      throw e;
    }
  }

  finish<P extends object>(ports: P, info: Record<string, string> = {}): Peer<P> {
    const pids = new Set<number>();
    for (const sp of this.processes) {
      pids.add(sp.reaperPid);
      pids.add(sp.serverPid);
    }
    for (const p of this.pidFilePids()) if (pidExists(p)) pids.add(p);
    const self = this;
    return {
      kind: this.kind,
      variant: this.opts.variant,
      address: this.opts.address,
      ports,
      pids: [...pids],
      dir: this.dir,
      info,
      logs: () => self.processes.map((p) => `--- ${p.label} ---\n${p.log()}`).join('\n'),
      stop: () => self.stop(),
    };
  }
}
