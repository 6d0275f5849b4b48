// The single-threaded heart of the connect scan: decides which probe goes out next, how many may be
// in flight, when a silent probe has waited long enough, and what each answer means.
//
// Work arrives as *units*: a small cross product of hosts × ports (one host × up to a few thousand
// ports for a full-range scan, or many hosts × the same few ports for a sweep). A unit's state is
// three byte arrays, so a scheduler holding a dozen units uses kilobytes, not objects per port.
// Several units are active at once and served round-robin, and inside a unit consecutive probes go
// to different hosts, so hosts are interleaved rather than hammered one after another.
//
// Flow control follows TCP's congestion control (RFC 5681): the window starts small, grows by one
// per answer up to the threshold and then by about one per window, and shrinks multiplicatively on a
// timeout — at most once per window of probes, so one burst of silent (filtered) ports counts as a
// single signal. Timeouts come from measured round trips (RFC 6298: srtt + 4·rttvar, Karn's rule:
// no samples from retries), kept per host and clamped to [minTimeoutMs, timeoutMs].
import type { ConnectInfo, ConnectOutcome, Connector } from './engine-connector.js';

/** One byte per (host, port): the final state and why. 0 = not decided (the scan was stopped). */
export const CODE = {
  pending: 0,
  open: 1,
  closed: 2,
  filtered: 3,
  unreach: 4,
  selfConnect: 5,
  denied: 6,
  error: 7,
} as const;
export type Code = (typeof CODE)[keyof typeof CODE];

export interface SchedulerOptions {
  /** Most connections in flight (this scheduler's share of --concurrency). */
  maxWindow: number;
  minWindow: number;
  initialWindow: number;
  /** New connections per second (this scheduler's share of --rate); 0 = unlimited. */
  rate: number;
  /** Upper bound for one attempt (--timeout). */
  timeoutMs: number;
  minTimeoutMs: number;
  /** Used until a host has answered once. */
  initialTimeoutMs: number;
  /** Retries for a silent port before `filtered` (the spec's one retry). */
  retries: number;
  /** Where retries may rise when a host shows packet loss (a port that answered only on a retry). */
  maxRetries: number;
}

export interface UnitSpec {
  id: number;
  hosts: readonly string[];
  ports: ArrayLike<number>;
}

export interface UnitDone {
  id: number;
  /** codes[portIndex * hosts.length + hostIndex] */
  codes: Uint8Array;
  aborted: boolean;
  /** Probes sent, including retries and confirmations (for statistics). */
  probes: number;
}

export class SchedulerFatal extends Error {
  override readonly name = 'SchedulerFatal';
}

const F_TIMED_OUT = 1; // an attempt for this port went unanswered (a later open is doubtful)
const F_CONFIRM = 2; // the next probe is the confirmation of a doubtful open
const SELF_SHIFT = 2; // bits 2-3: self-connects seen
const MAX_SELF_CONNECTS = 3;
/** How long sockets may fail to open with nothing in flight before the scan gives up. */
const STARVED_LIMIT_MS = 3000;

interface HostCtl {
  srtt: number;
  rttvar: number;
  sampled: boolean;
  retryLimit: number;
  refs: number;
  family: 4 | 6;
}

class Unit {
  readonly n: number;
  readonly h: number;
  readonly codes: Uint8Array;
  readonly tries: Uint8Array;
  readonly flags: Uint8Array;
  cursor = 0;
  pending: number;
  inflight = 0;
  probes = 0;
  done = false;
  constructor(
    readonly spec: UnitSpec,
    readonly hosts: HostCtl[],
  ) {
    this.h = spec.hosts.length;
    this.n = this.h * spec.ports.length;
    this.codes = new Uint8Array(this.n);
    this.tries = new Uint8Array(this.n);
    this.flags = new Uint8Array(this.n);
    this.pending = this.n;
  }
}

interface Probe {
  unit: Unit;
  idx: number;
  start: number;
  deadline: number;
  seq: number;
  confirm: boolean;
  slot: number;
  cancel: () => void;
}

export class Scheduler {
  private readonly o: SchedulerOptions;
  private cwnd: number;
  private ssthresh: number;
  private resourceCap: number;
  private inflight = 0;
  private readonly slots: (Probe | null)[] = [];
  private readonly freeSlots: number[] = [];
  private readonly feeding: Unit[] = [];
  private rr = 0;
  private retryQ: Array<{ unit: Unit; idx: number }> = [];
  private retryHead = 0;
  private readonly hosts = new Map<string, HostCtl>();
  private globalSrtt = 0;
  private globalRttvar = 0;
  private globalSampled = false;
  private launchSeq = 0;
  private lastDecreaseSeq = -1;
  private tokens: number;
  private lastRefill = performance.now();
  private blockedUntil = 0;
  private resourceBackoff = 10;
  private starvedSince = 0;
  private wakeTimer: NodeJS.Timeout | null = null;
  private sweepTimer: NodeJS.Timeout | null = null;
  private sweepPending = false;
  private pumping = false;
  private pumpAgain = false;
  private stopped = false;
  private fatal: Error | null = null;

  constructor(
    private readonly connector: Connector,
    options: SchedulerOptions,
    private readonly onUnitDone: (d: UnitDone) => void,
    private readonly onFatal: (e: Error) => void = () => {},
  ) {
    this.o = { ...options };
    this.o.maxWindow = Math.max(1, Math.floor(options.maxWindow));
    this.o.minWindow = Math.max(1, Math.min(this.o.maxWindow, Math.floor(options.minWindow)));
    this.cwnd = Math.max(this.o.minWindow, Math.min(this.o.maxWindow, options.initialWindow));
    this.ssthresh = this.o.maxWindow;
    this.resourceCap = this.o.maxWindow;
    this.tokens = options.rate > 0 ? Math.max(1, options.rate / 50) : 0;
  }

  /** Live numbers, for tests and progress. */
  stats(): { inflight: number; window: number; resourceCap: number; activeUnits: number } {
    return { inflight: this.inflight, window: this.cwnd, resourceCap: this.resourceCap, activeUnits: this.feeding.length };
  }

  submit(spec: UnitSpec): void {
    if (this.stopped) {
      this.onUnitDone({ id: spec.id, codes: new Uint8Array(spec.hosts.length * spec.ports.length), aborted: true, probes: 0 });
      return;
    }
    const ctls = spec.hosts.map((a) => this.hostCtl(a));
    const unit = new Unit(spec, ctls);
    if (unit.n === 0) {
      this.finishUnit(unit, false);
      return;
    }
    this.feeding.push(unit);
    this.pump();
  }

  /** Stop now: cancel what is in flight and hand back every unit with what is known. */
  abort(): void {
    if (this.stopped) return;
    this.stopped = true;
    const units = new Set<Unit>();
    for (let i = 0; i < this.slots.length; i++) {
      const p = this.slots[i];
      if (!p) continue;
      p.cancel();
      this.slots[i] = null;
      units.add(p.unit);
    }
    this.inflight = 0;
    for (const u of this.feeding) units.add(u);
    for (let i = this.retryHead; i < this.retryQ.length; i++) units.add((this.retryQ[i] as { unit: Unit }).unit);
    this.feeding.length = 0;
    this.retryQ = [];
    this.retryHead = 0;
    this.clearTimers();
    for (const u of units) if (!u.done) this.finishUnit(u, true);
  }

  private clearTimers(): void {
    if (this.wakeTimer) clearTimeout(this.wakeTimer);
    if (this.sweepTimer) clearTimeout(this.sweepTimer);
    this.wakeTimer = null;
    this.sweepTimer = null;
  }

  private hostCtl(address: string): HostCtl {
    let c = this.hosts.get(address);
    if (!c) {
      c = { srtt: 0, rttvar: 0, sampled: false, retryLimit: this.o.retries, refs: 0, family: address.includes(':') ? 6 : 4 };
      this.hosts.set(address, c);
    }
    c.refs++;
    return c;
  }

  private rto(h: HostCtl): number {
    let t: number;
    if (h.sampled) t = h.srtt + 4 * h.rttvar;
    else if (this.globalSampled) t = this.globalSrtt + 4 * this.globalRttvar;
    else t = this.o.initialTimeoutMs;
    return Math.min(this.o.timeoutMs, Math.max(this.o.minTimeoutMs, t));
  }

  private sample(h: HostCtl, r: number): void {
    if (!h.sampled) {
      h.srtt = r;
      h.rttvar = r / 2;
      h.sampled = true;
    } else {
      h.rttvar = 0.75 * h.rttvar + 0.25 * Math.abs(h.srtt - r);
      h.srtt = 0.875 * h.srtt + 0.125 * r;
    }
    if (!this.globalSampled) {
      this.globalSrtt = r;
      this.globalRttvar = r / 2;
      this.globalSampled = true;
    } else {
      this.globalRttvar = 0.75 * this.globalRttvar + 0.25 * Math.abs(this.globalSrtt - r);
      this.globalSrtt = 0.875 * this.globalSrtt + 0.125 * r;
    }
  }

  private grow(): void {
    if (this.cwnd < this.ssthresh) this.cwnd += 1;
    else this.cwnd += 1 / this.cwnd;
    if (this.cwnd > this.o.maxWindow) this.cwnd = this.o.maxWindow;
    if (this.resourceCap < this.o.maxWindow) this.resourceCap = Math.min(this.o.maxWindow, this.resourceCap + 0.05);
    this.starvedSince = 0;
    this.resourceBackoff = 10;
  }

  private shrink(seq: number): void {
    // Probes launched before the last decrease were sent under the old window: their timeouts are
    // the same congestion event, not new ones.
    if (seq <= this.lastDecreaseSeq) return;
    this.lastDecreaseSeq = this.launchSeq;
    this.cwnd = Math.max(this.o.minWindow, this.cwnd * 0.7);
    this.ssthresh = Math.max(this.o.minWindow, this.cwnd);
  }

  private nextProbe(): { unit: Unit; idx: number } | null {
    while (this.retryHead < this.retryQ.length) {
      const r = this.retryQ[this.retryHead++] as { unit: Unit; idx: number };
      if (this.retryHead > 1024 && this.retryHead * 2 > this.retryQ.length) {
        this.retryQ = this.retryQ.slice(this.retryHead);
        this.retryHead = 0;
      }
      if (!r.unit.done && r.unit.codes[r.idx] === CODE.pending) return r;
    }
    while (this.feeding.length > 0) {
      if (this.rr >= this.feeding.length) this.rr = 0;
      const u = this.feeding[this.rr] as Unit;
      if (u.cursor >= u.n) {
        this.feeding[this.rr] = this.feeding[this.feeding.length - 1] as Unit;
        this.feeding.pop();
        continue;
      }
      const idx = u.cursor++;
      this.rr++;
      return { unit: u, idx };
    }
    return null;
  }

  private takeToken(now: number): boolean {
    if (this.o.rate <= 0) return true;
    const burst = Math.max(1, this.o.rate / 50);
    this.tokens = Math.min(burst, this.tokens + ((now - this.lastRefill) * this.o.rate) / 1000);
    this.lastRefill = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return true;
    }
    return false;
  }

  private wakeIn(ms: number): void {
    if (this.wakeTimer) return;
    this.wakeTimer = setTimeout(
      () => {
        this.wakeTimer = null;
        this.pump();
      },
      Math.max(1, Math.ceil(ms)),
    );
  }

  private pump(): void {
    if (this.pumping) {
      this.pumpAgain = true;
      return;
    }
    this.pumping = true;
    try {
      do {
        this.pumpAgain = false;
        while (!this.stopped) {
          const limit = Math.min(Math.floor(this.cwnd), Math.floor(this.resourceCap));
          if (this.inflight >= Math.max(1, limit)) break;
          const now = performance.now();
          if (now < this.blockedUntil) {
            this.wakeIn(this.blockedUntil - now);
            break;
          }
          if (this.o.rate > 0 && this.retryHead >= this.retryQ.length && this.feeding.length === 0) break;
          if (!this.takeToken(now)) {
            this.wakeIn(((1 - this.tokens) * 1000) / this.o.rate);
            break;
          }
          const next = this.nextProbe();
          if (!next) {
            if (this.o.rate > 0) this.tokens += 1; // the token was not used
            break;
          }
          this.launch(next.unit, next.idx, now);
        }
      } while (this.pumpAgain && !this.stopped);
    } finally {
      this.pumping = false;
    }
    if (this.fatal) {
      const e = this.fatal;
      this.fatal = null;
      this.abort();
      this.onFatal(e);
    }
  }

  private launch(unit: Unit, idx: number, now: number): void {
    const confirm = ((unit.flags[idx] as number) & F_CONFIRM) !== 0;
    if (confirm) unit.flags[idx] = (unit.flags[idx] as number) & ~F_CONFIRM;
    const hostIdx = idx % unit.h;
    const host = unit.hosts[hostIdx] as HostCtl;
    const address = unit.spec.hosts[hostIdx] as string;
    const port = unit.spec.ports[(idx - hostIdx) / unit.h] as number;
    const slot = this.freeSlots.length > 0 ? (this.freeSlots.pop() as number) : this.slots.length;
    const probe: Probe = { unit, idx, start: now, deadline: now + this.rto(host), seq: ++this.launchSeq, confirm, slot, cancel: noop };
    if (slot === this.slots.length) this.slots.push(probe);
    else this.slots[slot] = probe;
    this.inflight++;
    unit.inflight++;
    unit.probes++;
    if (!confirm) unit.tries[idx] = (unit.tries[idx] as number) + 1;
    let settled = false;
    const cancel = this.connector.attempt(address, host.family, port, (outcome, info) => {
      if (settled) return;
      settled = true;
      if (this.slots[slot] !== probe) return; // timed out or aborted meanwhile
      this.release(probe);
      this.onAnswer(probe, host, address, port, outcome, info);
    });
    probe.cancel = cancel;
    this.armSweep();
  }

  private release(p: Probe): void {
    this.slots[p.slot] = null;
    this.freeSlots.push(p.slot);
    this.inflight--;
    p.unit.inflight--;
  }

  private requeue(unit: Unit, idx: number): void {
    this.retryQ.push({ unit, idx });
  }

  private onAnswer(p: Probe, host: HostCtl, address: string, port: number, outcome: ConnectOutcome, info: ConnectInfo | undefined): void {
    const { unit, idx } = p;
    const tries = unit.tries[idx] as number;
    const firstTry = tries === 1 && !p.confirm;
    switch (outcome) {
      case 'open': {
        if (info?.localPort === port && info.localAddress === address) {
          // Connected to ourselves (simultaneous open on loopback): nothing listens here. A new
          // attempt gets a different ephemeral port and the real answer.
          const selfSeen = (((unit.flags[idx] as number) >> SELF_SHIFT) & 3) + 1;
          unit.flags[idx] = ((unit.flags[idx] as number) & ~(3 << SELF_SHIFT)) | (Math.min(3, selfSeen) << SELF_SHIFT);
          if (selfSeen >= MAX_SELF_CONNECTS) this.finalize(unit, idx, CODE.selfConnect);
          else {
            unit.tries[idx] = tries - 1;
            this.requeue(unit, idx);
          }
          break;
        }
        if (firstTry) this.sample(host, performance.now() - p.start);
        this.grow();
        if (!p.confirm && tries > 1) this.lossSeen(host);
        if (p.confirm) this.finalize(unit, idx, CODE.open);
        else if ((unit.flags[idx] as number) & F_TIMED_OUT) {
          // Backlog-overflow guard: a listener whose accept queue overflowed drops SYNs, so the
          // first attempt timed out; one more clean handshake proves the port really is open.
          unit.flags[idx] = (unit.flags[idx] as number) | F_CONFIRM;
          this.requeue(unit, idx);
        } else this.finalize(unit, idx, CODE.open);
        break;
      }
      case 'refused':
        if (firstTry) this.sample(host, performance.now() - p.start);
        this.grow();
        if (!p.confirm && tries > 1) this.lossSeen(host);
        this.finalize(unit, idx, CODE.closed);
        break;
      case 'unreach':
        this.finalize(unit, idx, p.confirm ? CODE.open : CODE.unreach);
        break;
      case 'denied':
        this.finalize(unit, idx, p.confirm ? CODE.open : CODE.denied);
        break;
      case 'resource': {
        // Not an answer from the target: put the probe back, shrink below what the system
        // tolerated, and pause briefly so descriptors can drain.
        if (!p.confirm) unit.tries[idx] = tries - 1;
        else unit.flags[idx] = (unit.flags[idx] as number) | F_CONFIRM;
        this.requeue(unit, idx);
        this.resourceCap = Math.max(1, Math.floor(this.inflight * 0.8));
        if (this.cwnd > this.resourceCap) this.cwnd = Math.max(1, this.resourceCap);
        this.blockedUntil = performance.now() + this.resourceBackoff;
        this.resourceBackoff = Math.min(250, this.resourceBackoff * 2);
        const now = performance.now();
        if (this.inflight > 0) this.starvedSince = 0;
        else if (this.starvedSince === 0) this.starvedSince = now;
        if (this.starvedSince > 0 && now - this.starvedSince >= STARVED_LIMIT_MS) {
          this.fatal = new SchedulerFatal(
            `cannot open sockets (${info?.code ?? 'resource exhausted'}) even with nothing else in flight; raise the open-file limit (ulimit -n) or lower --concurrency`,
          );
        }
        break;
      }
      default:
        this.finalize(unit, idx, p.confirm ? CODE.open : CODE.error);
    }
    this.pump();
  }

  private lossSeen(host: HostCtl): void {
    if (host.retryLimit < this.o.maxRetries) host.retryLimit++;
  }

  private onTimeout(p: Probe): void {
    const { unit, idx } = p;
    p.cancel();
    this.release(p);
    const host = unit.hosts[idx % unit.h] as HostCtl;
    this.shrink(p.seq);
    if (p.confirm) {
      // The handshake was seen once; silence now does not undo it.
      this.finalize(unit, idx, CODE.open);
      return;
    }
    unit.flags[idx] = (unit.flags[idx] as number) | F_TIMED_OUT;
    if ((unit.tries[idx] as number) <= host.retryLimit) this.requeue(unit, idx);
    else this.finalize(unit, idx, CODE.filtered);
  }

  private armSweep(): void {
    if (this.sweepTimer || this.sweepPending || this.inflight === 0) return;
    const tick = Math.min(50, Math.max(5, this.o.minTimeoutMs / 4));
    this.sweepTimer = setTimeout(() => {
      this.sweepTimer = null;
      // Expire in the check phase, after the poll phase: answers that arrived while the event loop
      // was busy are processed first instead of being mistaken for timeouts.
      this.sweepPending = true;
      setImmediate(() => {
        this.sweepPending = false;
        this.sweep();
      });
    }, tick);
  }

  private sweep(): void {
    if (this.stopped) return;
    const now = performance.now();
    let expired = false;
    for (let i = 0; i < this.slots.length; i++) {
      const p = this.slots[i];
      if (p && p.deadline <= now) {
        this.onTimeout(p);
        expired = true;
      }
    }
    // Trim trailing free slots so the sweep stays proportional to the window, not to history.
    while (this.slots.length > 0 && this.slots[this.slots.length - 1] === null) this.slots.pop();
    if (this.freeSlots.length > this.slots.length) {
      this.freeSlots.length = 0;
      for (let i = 0; i < this.slots.length; i++) if (this.slots[i] === null) this.freeSlots.push(i);
    } else {
      for (let i = this.freeSlots.length - 1; i >= 0; i--) {
        if ((this.freeSlots[i] as number) >= this.slots.length) {
          this.freeSlots[i] = this.freeSlots[this.freeSlots.length - 1] as number;
          this.freeSlots.pop();
        }
      }
    }
    if (expired) this.pump();
    this.armSweep();
  }

  private finalize(unit: Unit, idx: number, code: Code): void {
    if (unit.codes[idx] !== CODE.pending) return;
    unit.codes[idx] = code;
    if (--unit.pending === 0) this.finishUnit(unit, false);
  }

  private finishUnit(unit: Unit, aborted: boolean): void {
    if (unit.done) return;
    unit.done = true;
    for (const address of unit.spec.hosts) {
      const c = this.hosts.get(address);
      if (c && --c.refs <= 0) this.hosts.delete(address);
    }
    this.onUnitDone({ id: unit.spec.id, codes: unit.codes, aborted, probes: unit.probes });
  }

  /** True when nothing is queued or in flight. */
  idle(): boolean {
    return this.inflight === 0 && this.feeding.length === 0 && this.retryHead >= this.retryQ.length;
  }

  /** Release timers (after the last unit). */
  close(): void {
    this.clearTimers();
  }
}

function noop(): void {}
