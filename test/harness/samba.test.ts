import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import dgram from 'node:dgram';
import { startSamba } from './samba.js';
import { stopAndProveGone, assertBoundOnlyToOwnAddress } from './testkit.js';

// Minimal SMB client frames (test-only; the product's codecs live in src/protocols).
function directTcp(payload: Buffer): Buffer {
  const h = Buffer.alloc(4);
  h.writeUInt32BE(payload.length, 0);
  return Buffer.concat([h, payload]);
}

function smb1NegotiateNtLm(): Buffer {
  const hdr = Buffer.alloc(32);
  hdr.write('\xffSMB', 0, 'latin1');
  hdr[4] = 0x72;
  hdr[9] = 0x18;
  hdr.writeUInt16LE(0xc853, 10);
  hdr.writeUInt16LE(0xfeff, 26);
  const dialect = Buffer.from('\x02NT LM 0.12\x00', 'latin1');
  const body = Buffer.alloc(3);
  body[0] = 0;
  body.writeUInt16LE(dialect.length, 1);
  return directTcp(Buffer.concat([hdr, body, dialect]));
}

function smb2Negotiate(): Buffer {
  const hdr = Buffer.alloc(64);
  hdr.write('\xfeSMB', 0, 'latin1');
  hdr.writeUInt16LE(64, 4);
  hdr.writeUInt16LE(1, 14);
  const dialects = [0x0202, 0x0210, 0x0300, 0x0302];
  const body = Buffer.alloc(36 + dialects.length * 2);
  body.writeUInt16LE(36, 0);
  body.writeUInt16LE(dialects.length, 2);
  body.writeUInt16LE(1, 4);
  dialects.forEach((d, i) => body.writeUInt16LE(d, 36 + i * 2));
  return directTcp(Buffer.concat([hdr, body]));
}

/** Sends one frame, returns the first complete direct-TCP message, or null on close/timeout. */
function exchange(host: string, port: number, frame: Buffer, timeoutMs = 5_000): Promise<Buffer | null> {
  return new Promise((resolve) => {
    const s = net.connect(port, host, () => s.write(frame));
    let buf = Buffer.alloc(0);
    const done = (r: Buffer | null) => {
      clearTimeout(t);
      s.destroy();
      resolve(r);
    };
    const t = setTimeout(() => done(null), timeoutMs);
    s.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      if (buf.length >= 4 && buf.length >= 4 + buf.readUInt32BE(0)) done(buf.subarray(4, 4 + buf.readUInt32BE(0)));
    });
    s.on('error', () => done(null));
    s.on('close', () => done(null));
  });
}

function nbstat(host: string, timeoutMs = 3_000): Promise<Buffer | null> {
  const q = Buffer.alloc(50);
  q.writeUInt16BE(0x4242, 0);
  q.writeUInt16BE(1, 4);
  q[12] = 0x20;
  const name = Buffer.alloc(16);
  name[0] = 0x2a;
  for (let i = 0; i < 16; i++) {
    q[13 + 2 * i] = 0x41 + (name[i]! >> 4);
    q[14 + 2 * i] = 0x41 + (name[i]! & 15);
  }
  q.writeUInt16BE(0x21, 46);
  q.writeUInt16BE(1, 48);
  return new Promise((resolve) => {
    const s = dgram.createSocket('udp4');
    const t = setTimeout(() => {
      s.close();
      resolve(null);
    }, timeoutMs);
    s.on('message', (m) => {
      clearTimeout(t);
      s.close();
      resolve(m);
    });
    s.on('error', () => {});
    s.send(q, 137, host);
  });
}

test('samba careless: SMB1 accepted, signing not required, NBSTAT answered', { timeout: 60_000 }, async () => {
  const peer = await startSamba({ address: '127.20.3.1', variant: 'careless' });
  try {
    assertBoundOnlyToOwnAddress(peer, [445, 139], [137]);
    const r1 = await exchange('127.20.3.1', 445, smb1NegotiateNtLm());
    assert.ok(r1, 'no SMB1 negotiate answer');
    assert.equal(r1.subarray(0, 4).toString('latin1'), '\xffSMB');
    assert.equal(r1.readUInt32LE(5), 0, 'NT status');
    assert.equal(r1.readUInt16LE(33), 0, 'dialect index of NT LM 0.12');
    const r2 = await exchange('127.20.3.1', 445, smb2Negotiate());
    assert.ok(r2 && r2.subarray(0, 4).toString('latin1') === '\xfeSMB', 'no SMB2 negotiate answer');
    assert.equal(r2.readUInt16LE(64 + 2) & 0x02, 0, 'SIGNING_REQUIRED must be clear');
    const nb = await nbstat('127.20.3.1');
    assert.ok(nb, 'no NBSTAT answer');
    assert.match(nb.toString('latin1'), /PCPEER1 /);
    assert.match(nb.toString('latin1'), /CORP /);
  } finally {
    await stopAndProveGone(peer, [445, 139], [137, 138]);
  }
});

test('samba hardened: SMB1 refused, signing required, no NetBIOS', { timeout: 60_000 }, async () => {
  const peer = await startSamba({ address: '127.20.3.2', variant: 'hardened' });
  try {
    assertBoundOnlyToOwnAddress(peer, [445]);
    const r1 = await exchange('127.20.3.2', 445, smb1NegotiateNtLm());
    const smb1Accepted = r1 !== null && r1.subarray(0, 4).toString('latin1') === '\xffSMB' && r1.readUInt32LE(5) === 0 && r1.readUInt16LE(33) === 0;
    assert.equal(smb1Accepted, false, 'SMB1 NT LM 0.12 must not be accepted');
    const r2 = await exchange('127.20.3.2', 445, smb2Negotiate());
    assert.ok(r2 && r2.subarray(0, 4).toString('latin1') === '\xfeSMB', 'no SMB2 negotiate answer');
    assert.equal(r2.readUInt16LE(64 + 2) & 0x02, 0x02, 'SIGNING_REQUIRED must be set');
    assert.equal(await nbstat('127.20.3.2', 1_500), null, 'NBSTAT must go unanswered');
  } finally {
    await stopAndProveGone(peer, [445, 139], [137]);
  }
});
