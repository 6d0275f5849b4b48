import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startXrdp, startFreerdpShadow } from './rdp.js';
import { stopAndProveGone, assertBoundOnlyToOwnAddress } from './testkit.js';

type NegAnswer = { kind: 'rsp'; selected: number } | { kind: 'failure'; code: number } | { kind: 'none' };

/** One X.224 Connection Request with RDP_NEG_REQ offering `protocols`; reads the Confirm. */
function negotiate(host: string, port: number, protocols: number, timeoutMs = 5_000): Promise<NegAnswer> {
  const req = Buffer.from([3, 0, 0, 19, 14, 0xe0, 0, 0, 0, 0, 0, 1, 0, 8, 0, protocols & 0xff, 0, 0, 0]);
  return new Promise((resolve) => {
    const s = net.connect(port, host, () => s.write(req));
    let buf = Buffer.alloc(0);
    const done = (r: NegAnswer) => {
      clearTimeout(t);
      s.destroy();
      resolve(r);
    };
    const t = setTimeout(() => done({ kind: 'none' }), timeoutMs);
    s.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      if (buf.length < 4 || buf.length < buf.readUInt16BE(2)) return;
      // TPKT(4) + X.224 CC(7) + RDP_NEG_* (8)
      if (buf.length >= 19 && buf[5] === 0xd0) {
        const type = buf[11];
        const value = buf.readUInt32LE(15);
        done(type === 2 ? { kind: 'rsp', selected: value } : type === 3 ? { kind: 'failure', code: value } : { kind: 'none' });
      } else done({ kind: 'none' });
    });
    s.on('error', () => done({ kind: 'none' }));
    s.on('close', () => done({ kind: 'none' }));
  });
}

test('xrdp careless: standard RDP security selected whatever the client offers', { timeout: 60_000 }, async () => {
  const peer = await startXrdp({ address: '127.20.4.1', variant: 'careless' });
  try {
    assertBoundOnlyToOwnAddress(peer, [3389]);
    assert.deepEqual(await negotiate('127.20.4.1', 3389, 0), { kind: 'rsp', selected: 0 });
    // The trap of PROTOCOLS.md: xrdp with security_layer=rdp answers an SSL or HYBRID offer with
    // a NEG_RSP too — selecting PROTOCOL_RDP (0). Only selectedProtocol tells the truth.
    assert.deepEqual(await negotiate('127.20.4.1', 3389, 1), { kind: 'rsp', selected: 0 });
    assert.deepEqual(await negotiate('127.20.4.1', 3389, 3), { kind: 'rsp', selected: 0 });
  } finally {
    await stopAndProveGone(peer, [3389]);
  }
});

test('xrdp hardened: RDP security refused (SSL required), TLS selected', { timeout: 60_000 }, async () => {
  const peer = await startXrdp({ address: '127.20.4.2', variant: 'hardened' });
  try {
    assertBoundOnlyToOwnAddress(peer, [3389]);
    assert.deepEqual(await negotiate('127.20.4.2', 3389, 0), { kind: 'failure', code: 1 }, 'SSL_REQUIRED_BY_SERVER');
    assert.deepEqual(await negotiate('127.20.4.2', 3389, 1), { kind: 'rsp', selected: 1 });
  } finally {
    await stopAndProveGone(peer, [3389]);
  }
});

test('freerdp shadow hardened: NLA enforced (HYBRID_REQUIRED_BY_SERVER to RDP and SSL)', { timeout: 60_000 }, async () => {
  const peer = await startFreerdpShadow({ address: '127.20.5.1', variant: 'hardened' });
  try {
    assertBoundOnlyToOwnAddress(peer, [3389]);
    assert.deepEqual(await negotiate('127.20.5.1', 3389, 0), { kind: 'failure', code: 5 });
    assert.deepEqual(await negotiate('127.20.5.1', 3389, 1), { kind: 'failure', code: 5 });
    assert.deepEqual(await negotiate('127.20.5.1', 3389, 3), { kind: 'rsp', selected: 2 });
  } finally {
    await stopAndProveGone(peer, [3389]);
  }
});

test('freerdp shadow careless: TLS without NLA accepted', { timeout: 60_000 }, async () => {
  const peer = await startFreerdpShadow({ address: '127.20.5.2', variant: 'careless' });
  try {
    assertBoundOnlyToOwnAddress(peer, [3389]);
    assert.deepEqual(await negotiate('127.20.5.2', 3389, 1), { kind: 'rsp', selected: 1 });
  } finally {
    await stopAndProveGone(peer, [3389]);
  }
});
