// Test helpers for the service codecs, identifiers and probes: scripted TCP/UDP peers on this
// area's loopback block (127.13.x.x), a way to run one probe exactly as the runner does, and a
// memory-bounded check. Every server records nothing outside the test and is closed by the test.
import net from 'node:net';
import dgram from 'node:dgram';
import type { Finding } from '../../../src/core/finding.js';
import type { HostResult, PortResult, Protocol, ServiceInfo } from '../../../src/core/result.js';
import { netTransport } from '../../../src/io/transport.js';
import type { ProbeDefinition } from '../../../src/probes/define.js';
import { runProbes } from '../../../src/probes/runner.js';

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

let nextHost = 1 + Math.floor(Math.random() * 200);
/** A fresh 127.13.x.y address for one test (the process-wide counter avoids collisions). */
export function freshAddress(): string {
  nextHost++;
  return `127.13.${(nextHost >> 8) & 0xff}.${(nextHost & 0xff) || 1}`;
}

export interface ScriptedServer {
  address: string;
  port: number;
  /** Bytes each connection sent us, in connection order. */
  received: Buffer[];
  close(): Promise<void>;
}

/** Connection helper handed to scripts: read what the client sent, write, wait, end. */
export class Conn {
  private buf = Buffer.alloc(0);
  private waiters: (() => void)[] = [];
  closed = false;
  constructor(readonly socket: net.Socket, private readonly log: (b: Buffer) => void) {
    socket.on('data', (d: Buffer) => {
      this.buf = Buffer.concat([this.buf, d]);
      this.log(d);
      for (const w of this.waiters.splice(0)) w();
    });
    socket.on('close', () => {
      this.closed = true;
      for (const w of this.waiters.splice(0)) w();
    });
    socket.on('error', () => undefined);
  }
  write(b: Buffer | string): void {
    if (!this.socket.destroyed) this.socket.write(b);
  }
  /** Wait until the client's bytes contain `needle` (or up to 5 s); returns and consumes them. */
  async until(needle: string | Buffer | number, ms = 5_000): Promise<Buffer> {
    const end = Date.now() + ms;
    const has = (): number => (typeof needle === 'number' ? (this.buf.length >= needle ? needle : -1) : (() => {
      const i = this.buf.indexOf(needle);
      return i < 0 ? -1 : i + Buffer.byteLength(needle as string);
    })());
    while (has() < 0 && !this.closed && Date.now() < end) {
      await new Promise<void>((r) => {
        const t = setTimeout(r, end - Date.now());
        this.waiters.push(() => {
          clearTimeout(t);
          r();
        });
      });
    }
    const n = has();
    if (n < 0) return Buffer.alloc(0);
    const out = this.buf.subarray(0, n);
    this.buf = this.buf.subarray(n);
    return out;
  }
  end(): void {
    this.socket.end();
  }
  reset(): void {
    this.socket.resetAndDestroy();
  }
}

export async function scriptedServer(script: (c: Conn, index: number) => Promise<void> | void, address = freshAddress(), port = 0): Promise<ScriptedServer> {
  const received: Buffer[] = [];
  const sockets = new Set<net.Socket>();
  let count = 0;
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    const i = count++;
    received[i] = Buffer.alloc(0);
    const c = new Conn(socket, (b) => (received[i] = Buffer.concat([received[i] as Buffer, b])));
    Promise.resolve(script(c, i)).catch(() => socket.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, address, () => resolve());
  });
  const bound = (server.address() as net.AddressInfo).port;
  return {
    address,
    port: bound,
    received,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

export interface UdpServer {
  address: string;
  port: number;
  close(): Promise<void>;
}

/** A UDP peer: `answer` returns the datagrams to send back for each one received (maybe none, maybe late). */
export async function udpServer(answer: (msg: Buffer) => { data: Buffer; delayMs?: number }[], address = freshAddress(), port = 0): Promise<UdpServer> {
  const sock = dgram.createSocket('udp4');
  const timers = new Set<NodeJS.Timeout>();
  sock.on('message', (msg, rinfo) => {
    for (const a of answer(msg)) {
      const t = setTimeout(() => {
        timers.delete(t);
        sock.send(a.data, rinfo.port, rinfo.address);
      }, a.delayMs ?? 0);
      timers.add(t);
    }
  });
  await new Promise<void>((r) => sock.bind(port, address, () => r()));
  return {
    address,
    port: sock.address().port,
    close: () =>
      new Promise<void>((r) => {
        for (const t of timers) clearTimeout(t);
        sock.close(() => r());
      }),
  };
}

export interface RunOneOptions {
  address: string;
  port: number;
  protocol?: Protocol;
  service?: ServiceInfo;
  hostPorts?: PortResult[];
  hostNames?: string[];
  domains?: string[];
  maxProbeMs?: number;
}

/** Run one probe through the real runner (time limit, error wrapping) against one port. */
export async function runOne(probe: ProbeDefinition, o: RunOneOptions): Promise<{ findings: Finding[]; ms: number }> {
  const protocol = o.protocol ?? probe.transport;
  const me: PortResult = { port: o.port, protocol, state: 'open', reason: 'test', ...(o.service ? { service: o.service } : {}) };
  const host: HostResult = {
    address: o.address,
    names: o.hostNames ?? [],
    status: 'up',
    ports: [me, ...(o.hostPorts ?? [])],
    findings: [],
  };
  const started = Date.now();
  const findings = await runProbes(host, [probe], {
    selection: 'all',
    io: netTransport,
    domains: new Set(o.domains ?? []),
    ...(o.maxProbeMs ? { maxProbeMs: o.maxProbeMs } : {}),
  });
  // runProbes applies the probe to every matching open port; keep only ours.
  return { findings: findings.filter((f) => f.target.endsWith(`:${o.port}/${protocol}`)), ms: Date.now() - started };
}

export function byId(findings: readonly Finding[], id: string): Finding {
  const f = findings.find((x) => x.id === id);
  if (!f) throw new Error(`no finding ${id} among: ${findings.map((x) => `${x.id}=${x.status}`).join(', ')}`);
  return f;
}

export function svc(name: string, extra: Partial<ServiceInfo> = {}): ServiceInfo {
  return { name, tls: false, method: 'handshake', ...extra };
}

/** Heap growth guard for absurd-length inputs. */
export function heapUsed(): number {
  return process.memoryUsage().heapUsed;
}
