import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import dgram from 'node:dgram';
import { startHostile, startHostileUdp, ABSURD_FRAMES } from './hostile.js';
import { tcpConnects } from './net.js';

const A = '127.20.12.1';

interface Seen {
  bytes: Buffer;
  error: string | null;
  ended: boolean;
}

/** Connects, optionally sends `hello`, collects up to `maxBytes` for at most `ms`. */
function collect(port: number, ms: number, opts: { hello?: Buffer; maxBytes?: number } = {}): Promise<Seen> {
  return new Promise((resolve) => {
    const s = net.connect(port, A, () => {
      if (opts.hello) s.write(opts.hello);
    });
    const chunks: Buffer[] = [];
    let size = 0;
    const seen: Seen = { bytes: Buffer.alloc(0), error: null, ended: false };
    const finish = () => {
      clearTimeout(t);
      s.destroy();
      seen.bytes = Buffer.concat(chunks);
      resolve(seen);
    };
    const t = setTimeout(finish, ms);
    s.on('data', (d: Buffer) => {
      chunks.push(d);
      size += d.length;
      if (opts.maxBytes && size >= opts.maxBytes) finish();
    });
    s.on('end', () => {
      seen.ended = true;
    });
    s.on('error', (e: NodeJS.ErrnoException) => {
      seen.error = e.code ?? e.message;
    });
    s.on('close', finish);
  });
}

test('hostile garbage: random bytes, then the server closes', async () => {
  const h = await startHostile({ address: A, port: 0, mode: 'garbage', garbageBytes: 300 });
  try {
    const r = await collect(h.port, 3_000);
    assert.equal(r.bytes.length, 300);
    assert.equal(r.ended, true);
  } finally {
    await h.close();
  }
});

test('hostile truncated: the first N bytes of the frame, then silence with the socket open', async () => {
  const frame = ABSURD_FRAMES.tlsHandshake;
  const h = await startHostile({ address: A, port: 0, mode: 'truncated', frame, truncateAt: 5, trigger: 'data' });
  try {
    const r = await collect(h.port, 600, { hello: Buffer.from([0x16, 0x03, 0x01]) });
    assert.deepEqual(r.bytes, frame.subarray(0, 5));
    assert.equal(r.ended, false);
    assert.equal(h.stats.bytesReceived, 3);
  } finally {
    await h.close();
  }
});

test('hostile trickle: one byte per interval, capped', async () => {
  const h = await startHostile({ address: A, port: 0, mode: 'trickle', frame: Buffer.from('220 '), trickleIntervalMs: 50, trickleMaxBytes: 6 });
  try {
    const t0 = Date.now();
    const r = await collect(h.port, 3_000);
    assert.equal(r.bytes.toString('latin1'), '220 22');
    assert.ok(Date.now() - t0 >= 250, 'six bytes at 50 ms intervals take at least 250 ms');
    assert.equal(r.ended, true);
  } finally {
    await h.close();
  }
});

test('hostile reset: the client sees ECONNRESET', async () => {
  const h = await startHostile({ address: A, port: 0, mode: 'reset' });
  try {
    const r = await collect(h.port, 2_000);
    assert.equal(r.error, 'ECONNRESET');
    assert.equal(r.bytes.length, 0);
  } finally {
    await h.close();
  }
});

test('hostile endless: streams until the client leaves; a non-reading client stalls it (back-pressure)', async () => {
  const h = await startHostile({ address: A, port: 0, mode: 'endless', frame: Buffer.from('220-more\r\n') });
  try {
    const r = await collect(h.port, 5_000, { maxBytes: 4 << 20 });
    assert.ok(r.bytes.length >= 4 << 20);
    assert.equal(r.bytes.subarray(0, 10).toString('latin1'), '220-more\r\n');
    // A client that never reads: the server may fill kernel buffers, then must wait.
    const lazy = net.connect(h.port, A);
    lazy.pause();
    await new Promise((res) => setTimeout(res, 300));
    const before = h.stats.bytesSent;
    await new Promise((res) => setTimeout(res, 300));
    assert.equal(h.stats.bytesSent, before, 'no progress while the client does not read');
    lazy.destroy();
  } finally {
    await h.close();
  }
});

test('hostile endless: stops at endlessMaxBytes', async () => {
  const h = await startHostile({ address: A, port: 0, mode: 'endless', endlessMaxBytes: 200_000 });
  try {
    const r = await collect(h.port, 5_000);
    assert.equal(r.ended, true);
    assert.ok(r.bytes.length >= 200_000 && r.bytes.length < 200_000 + 65_536, `${r.bytes.length}`);
  } finally {
    await h.close();
  }
});

test('hostile absurd-length: the absurd header arrives whole, then nothing more', async () => {
  const h = await startHostile({ address: A, port: 0, mode: 'absurd-length', frame: ABSURD_FRAMES.rdpTpkt, trigger: 'data' });
  try {
    const r = await collect(h.port, 500, { hello: Buffer.from([3, 0, 0, 19]) });
    assert.deepEqual(r.bytes, ABSURD_FRAMES.rdpTpkt);
    assert.equal(r.bytes.readUInt16BE(2), 0xffff);
  } finally {
    await h.close();
  }
});

test('hostile silent: accepts and never speaks', async () => {
  const h = await startHostile({ address: A, port: 0, mode: 'silent' });
  try {
    const r = await collect(h.port, 400);
    assert.equal(r.bytes.length, 0);
    assert.equal(r.error, null);
    assert.equal(h.stats.connections, 1);
  } finally {
    await h.close();
  }
});

test('hostile server closes itself after its lifetime and after maxConnections', async () => {
  const h = await startHostile({ address: A, port: 0, mode: 'silent', lifetimeMs: 200 });
  assert.equal(await tcpConnects(A, h.port, 500), true);
  await new Promise((r) => setTimeout(r, 400));
  assert.equal(await tcpConnects(A, h.port, 500), false);
  const m = await startHostile({ address: A, port: 0, mode: 'garbage', maxConnections: 1 });
  try {
    await collect(m.port, 1_000);
    assert.equal(await tcpConnects(A, m.port, 500), false);
  } finally {
    await m.close();
  }
});

test('hostile refuses bad options with a message naming them', async () => {
  await assert.rejects(startHostile({ address: '0.0.0.0', port: 0, mode: 'silent' }), /not a single 127/);
  await assert.rejects(startHostile({ address: A, port: 0, mode: 'nonsense' as never }), /unknown mode "nonsense"/);
  await assert.rejects(startHostile({ address: A, port: 0, mode: 'truncated' }), /needs a non-empty frame/);
  await assert.rejects(startHostile({ address: A, port: 0, mode: 'truncated', frame: Buffer.from([1, 2]), truncateAt: 2 }), /truncateAt must be in 1\.\.1/);
  await assert.rejects(startHostile({ address: A, port: 70000, mode: 'silent' }), /port 70000/);
});

function udpAsk(port: number, payload: Buffer, ms: number): Promise<Buffer[]> {
  return new Promise((resolve) => {
    const s = dgram.createSocket('udp4');
    const got: Buffer[] = [];
    s.on('message', (m) => got.push(m));
    s.send(payload, port, A);
    setTimeout(() => {
      s.close();
      resolve(got);
    }, ms);
  });
}

test('hostile udp: garbage, absurd answer built from the request, silence, reply cap', async () => {
  const g = await startHostileUdp({ address: A, port: 0, mode: 'garbage', garbageBytes: 40 });
  const x = await startHostileUdp({
    address: A,
    port: 0,
    mode: 'absurd-length',
    maxReplies: 1,
    // a DNS answer echoing the query id and claiming 65535 answers with none present
    respond: (q) => Buffer.concat([q.subarray(0, 2), Buffer.from([0x81, 0x80, 0x00, 0x01, 0xff, 0xff, 0, 0, 0, 0])]),
  });
  const s = await startHostileUdp({ address: A, port: 0, mode: 'silent' });
  try {
    const gr = await udpAsk(g.port, Buffer.from('hi'), 300);
    assert.equal(gr.length, 1);
    assert.equal(gr[0]!.length, 40);
    const xr = await udpAsk(x.port, Buffer.from([0xab, 0xcd, 1, 0]), 300);
    assert.equal(xr[0]!.readUInt16BE(0), 0xabcd);
    assert.equal(xr[0]!.readUInt16BE(6), 0xffff);
    assert.equal((await udpAsk(x.port, Buffer.from([1, 2]), 300)).length, 0, 'maxReplies reached');
    assert.equal((await udpAsk(s.port, Buffer.from('hi'), 300)).length, 0);
    assert.equal(s.stats.requests, 1);
  } finally {
    await Promise.all([g.close(), x.close(), s.close()]);
  }
});
