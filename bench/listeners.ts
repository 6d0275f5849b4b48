// A small real server for the engine's tests and benchmark: TCP listeners that answer a minimal
// HTTP response and close, and UDP responders that speak NTP (valid answers to valid requests) or
// send garbage. Run as its own process (also inside a network namespace):
//
//   node dist/bench/listeners.js '<json config>'
//
// config: { tcp: [{address, port}], udp: [{address, port, kind: 'ntp' | 'garbage'}] }
// It prints `ready <pid>` once every socket is bound and exits on SIGTERM or when stdin closes,
// so a crashed parent never leaves it behind.
import dgram from 'node:dgram';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { encodeNtpReply } from '../src/protocols/ntp.js';

export interface ListenerConfig {
  tcp: Array<{ address: string; port: number }>;
  udp?: Array<{ address: string; port: number; kind: 'ntp' | 'garbage' }>;
}

async function main(config: ListenerConfig): Promise<void> {
  const closers: Array<() => void> = [];
  for (const { address, port } of config.tcp) {
    const server = net.createServer((sock) => {
      sock.on('error', () => {});
      sock.end('HTTP/1.0 200 OK\r\nServer: portcullis-bench\r\nContent-Length: 0\r\n\r\n');
    });
    server.on('error', (e) => {
      process.stderr.write(`listeners: ${address}:${port}: ${e.message}\n`);
      process.exit(3);
    });
    await new Promise<void>((resolve) => server.listen({ host: address, port, backlog: 4096 }, resolve));
    closers.push(() => server.close());
  }
  for (const u of config.udp ?? []) {
    const sock = dgram.createSocket(u.address.includes(':') ? 'udp6' : 'udp4');
    sock.on('message', (msg, rinfo) => {
      const reply = u.kind === 'ntp' && msg.length >= 48 ? encodeNtpReply(msg) : Buffer.from('not a protocol answer\n');
      sock.send(reply, rinfo.port, rinfo.address);
    });
    await new Promise<void>((resolve, reject) => {
      sock.once('error', reject);
      sock.bind(u.port, u.address, () => resolve());
    });
    closers.push(() => sock.close());
  }
  const stop = (): void => {
    for (const c of closers) c();
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.stdin.on('end', stop);
  process.stdin.on('error', stop);
  process.stdin.resume();
  process.stdout.write(`ready ${process.pid}\n`);
}

const arg = process.argv[2];
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1] && arg) {
  main(JSON.parse(arg) as ListenerConfig).catch((e: unknown) => {
    process.stderr.write(`listeners: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(2);
  });
}
