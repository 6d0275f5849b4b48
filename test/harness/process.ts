// Starting and stopping real server processes for the test peers.
//
// Every server runs under a tiny Perl "reaper" that we spawn ourselves: it marks itself a child
// subreaper (prctl PR_SET_CHILD_SUBREAPER), forks, and execs the server. Daemons that fork or
// setsid (postfix master, smbd, xrdp per connection) therefore stay *descendants of a process we
// started*: orphans are re-parented to the reaper, not to PID 1. That matters here because PID 1 in
// this VM reaps orphans lazily, so without it a killed daemon's children linger as zombies and
// `kill -0` still succeeds on them. With it, "the reaper exited" means "every process of this
// server is gone and reaped", and stop() can kill exactly the processes that descend from it.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, readdirSync, existsSync } from 'node:fs';

export class HarnessError extends Error {
  override readonly name = 'HarnessError';
}

/** Bounded tail buffer so a chatty server cannot grow our memory. */
class TailBuffer {
  private chunks: Buffer[] = [];
  private size = 0;
  constructor(private readonly cap: number) {}
  push(b: Buffer): void {
    this.chunks.push(b);
    this.size += b.length;
    while (this.size > this.cap && this.chunks.length > 1) {
      this.size -= this.chunks.shift()!.length;
    }
  }
  text(): string {
    const all = Buffer.concat(this.chunks);
    return all.subarray(Math.max(0, all.length - this.cap)).toString('utf8');
  }
}

// Reaper: ignore TERM/INT/HUP itself (it must outlive the server to reap it), restore default
// dispositions in the child before exec (ignored signals survive exec), report the server pid on
// fd 3, then reap every descendant until none is left and exit with the server's status.
const REAPER_SCRIPT = String.raw`
use strict; use warnings; use POSIX ();
my $nr = eval { require 'syscall.ph'; &SYS_prctl() } // 157;
syscall($nr, 36, 1, 0, 0, 0) == 0 or die "reaper: prctl(PR_SET_CHILD_SUBREAPER) failed: $!\n";
$SIG{$_} = 'IGNORE' for qw(TERM INT HUP);
my $pid = fork();
die "reaper: fork failed: $!\n" unless defined $pid;
if ($pid == 0) {
  $SIG{$_} = 'DEFAULT' for qw(TERM INT HUP PIPE);
  close(STDIN); open(STDIN, '<', '/dev/null');
  POSIX::close(3);
  exec { $ARGV[0] } @ARGV or do { print STDERR "reaper: cannot exec $ARGV[0]: $!\n"; POSIX::_exit(127); };
}
open(my $info, '>&=', 3) or die "reaper: fd 3: $!\n";
$info->autoflush(1); print $info "$pid\n"; close($info);
my $status = 0;
while (1) {
  my $w = waitpid(-1, 0);
  last if $w <= 0;
  $status = $? if $w == $pid;
}
exit(($status & 127) ? 128 + ($status & 127) : ($status >> 8));
`;

export interface SpawnOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Bound for learning the server's pid from the reaper. */
  timeoutMs?: number;
}

/** One server process tree: the reaper we spawned and the server it forked. */
export class ServerProcess {
  readonly exited: Promise<number | null>;
  private exitCode: number | null | undefined;
  private readonly output: TailBuffer;

  private constructor(
    readonly label: string,
    readonly child: ChildProcess,
    readonly reaperPid: number,
    readonly serverPid: number,
    exited: Promise<number | null>,
    output: TailBuffer,
  ) {
    this.output = output;
    this.exited = exited.then((c) => {
      this.exitCode = c;
      return c;
    });
  }

  /** Starts `command args` under the reaper; resolves once the server pid is known. */
  static async start(label: string, command: string, args: readonly string[], opts: SpawnOptions = {}): Promise<ServerProcess> {
    const output = new TailBuffer(64 * 1024);
    const child = spawn('perl', ['-e', REAPER_SCRIPT, command, ...args], {
      cwd: opts.cwd,
      env: opts.env ?? process.env,
      // Own process group: a Ctrl-C aimed at the test runner is not what stops servers; stop() is.
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) => {
      child.once('exit', (code, signal) => resolve(code ?? (signal ? -1 : null)));
      child.once('error', () => resolve(null));
    });
    child.stdout!.on('data', (b: Buffer) => output.push(b));
    child.stderr!.on('data', (b: Buffer) => output.push(b));
    const reaperPid = child.pid;
    if (reaperPid === undefined) {
      const err = await new Promise<Error>((r) => child.once('error', r));
      throw new HarnessError(`${label}: cannot start perl reaper: ${err.message}`);
    }
    const info = child.stdio[3] as NodeJS.ReadableStream;
    const timeoutMs = opts.timeoutMs ?? 5_000;
    const serverPid = await new Promise<number>((resolve, reject) => {
      let text = '';
      const timer = setTimeout(() => done(new HarnessError(`${label}: reaper did not report a pid within ${timeoutMs} ms`)), timeoutMs);
      const done = (e: Error | null, pid?: number) => {
        clearTimeout(timer);
        info.removeAllListeners('data');
        if (e) reject(e);
        else resolve(pid!);
      };
      info.on('data', (b: Buffer) => {
        text += b.toString();
        const m = /^(\d+)\n/.exec(text);
        if (m) done(null, Number(m[1]));
        else if (text.length > 64) done(new HarnessError(`${label}: unexpected reaper output ${JSON.stringify(text)}`));
      });
      void exited.then(() => done(new HarnessError(`${label}: reaper exited before reporting a pid: ${output.text().slice(-2000)}`)));
    });
    const sp = new ServerProcess(label, child, reaperPid, serverPid, exited, output);
    registerLive(sp);
    void sp.exited.then(() => unregisterLive(sp));
    return sp;
  }

  get hasExited(): boolean {
    return this.exitCode !== undefined;
  }

  /** Last 64 KiB of the server's stdout+stderr, for failure messages. */
  log(): string {
    return this.output.text();
  }

  /** Every live process that descends from our reaper (the server, its workers, re-parented orphans). */
  descendants(): number[] {
    return descendantsOf(this.reaperPid);
  }

  /**
   * SIGTERM to every descendant, wait up to `graceMs` for the reaper to report that all are gone,
   * then SIGKILL what is left (re-enumerated a bounded number of times: a dying master may fork).
   */
  async stop(graceMs = 5_000, extraPids: readonly number[] = []): Promise<void> {
    if (this.hasExited) return;
    const mine = new Set(this.descendants());
    // Pid-file pids are honoured only when they really are our descendants: a stale pid file
    // must never make us signal someone else's process.
    const targets = [...mine, ...extraPids.filter((p) => mine.has(p))];
    for (const pid of new Set(targets)) signal(pid, 'SIGTERM');
    if (await this.waitExit(graceMs)) return;
    for (let round = 0; round < 5 && !this.hasExited; round++) {
      for (const pid of this.descendants()) signal(pid, 'SIGKILL');
      if (await this.waitExit(400)) return;
    }
    signal(this.reaperPid, 'SIGKILL');
    if (!(await this.waitExit(2_000))) {
      throw new HarnessError(`${this.label}: reaper ${this.reaperPid} survived SIGKILL`);
    }
  }

  private async waitExit(ms: number): Promise<boolean> {
    if (this.hasExited) return true;
    let timer: NodeJS.Timeout | undefined;
    const r = await Promise.race([
      this.exited.then(() => true),
      new Promise<boolean>((res) => (timer = setTimeout(() => res(false), ms))),
    ]);
    clearTimeout(timer);
    return r;
  }

  /** Synchronous last-resort kill used when the test process exits without stop(). */
  killNow(): void {
    for (const pid of this.descendants()) signal(pid, 'SIGKILL');
    signal(this.reaperPid, 'SIGKILL');
  }
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // already gone (ESRCH) — that is the goal
  }
}

/** Parent pid and state from /proc/PID/stat (the comm field may contain spaces and parentheses). */
function procStat(pid: number): { ppid: number; state: string } | null {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const rest = s.slice(s.lastIndexOf(')') + 2).split(' ');
    return { state: rest[0] ?? '?', ppid: Number(rest[1]) };
  } catch {
    return null;
  }
}

export function descendantsOf(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const st = procStat(Number(name));
    if (!st) continue;
    const list = children.get(st.ppid) ?? [];
    list.push(Number(name));
    children.set(st.ppid, list);
  }
  const out: number[] = [];
  const queue = [root];
  // Bounded walk: a process table has far fewer than 100k entries.
  for (let i = 0; i < queue.length && i < 100_000; i++) {
    for (const c of children.get(queue[i]!) ?? []) {
      out.push(c);
      queue.push(c);
    }
  }
  return out;
}

/** True while `kill(pid, 0)` succeeds — the same test a shell's `kill -0` makes. */
export function pidExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A pid from a daemon's pid file, or null when the file is absent or holds no number. */
export function readPidFile(path: string): number | null {
  if (!existsSync(path)) return null;
  const m = /^\s*(\d+)/.exec(readFileSync(path, 'utf8'));
  return m ? Number(m[1]) : null;
}

const live = new Set<ServerProcess>();
const emergency = new Set<() => void>();
let exitHookInstalled = false;

/**
 * A synchronous cleanup (e.g. removing a peer's temp dir) to run if the process exits or is
 * signalled before the peer is stopped. Returns the function that unregisters it.
 */
export function registerEmergencyCleanup(fn: () => void): () => void {
  installExitHook();
  emergency.add(fn);
  return () => emergency.delete(fn);
}

function emergencyStop(): void {
  for (const p of live) p.killNow();
  for (const fn of emergency) {
    try {
      fn();
    } catch {
      // best effort while exiting
    }
  }
}

function registerLive(sp: ServerProcess): void {
  live.add(sp);
  installExitHook();
}

function installExitHook(): void {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    // A test that throws before stop(), or a runner that is interrupted, must not leave servers
    // holding our addresses. On a signal: kill the peers, then die of the same signal as before.
    process.once('exit', emergencyStop);
    for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
      process.once(sig, () => {
        emergencyStop();
        process.kill(process.pid, sig);
      });
    }
  }
}
function unregisterLive(sp: ServerProcess): void {
  live.delete(sp);
}
