import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import tls from 'node:tls';
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


// --- Standard RDP Security: MCS Connect-Initial with GCC user data (MS-RDPBCGR 2.2.1.3) ---------
const DOMAIN_PARAMS = {
  // targetParameters / minimumParameters / maximumParameters as in MS-RDPBCGR 4.1.3.
  target: '3019020122020102020100020101020100020101 0202ffff 020102',
  min: '301902010102010102010102010102010002010102020420020102',
  max: '301c 0202ffff 0202fc17 0202ffff 020101 020100 020101 0202ffff 020102',
};

function hex(s: string): Buffer {
  return Buffer.from(s.replace(/\s+/g, ''), 'hex');
}

function berLength(n: number): Buffer {
  return n < 0x80 ? Buffer.from([n]) : Buffer.from([0x82, n >> 8, n & 0xff]);
}

function clientDataBlocks(): Buffer {
  const core = Buffer.alloc(216);
  core.writeUInt16LE(0xc001, 0);
  core.writeUInt16LE(216, 2);
  core.writeUInt32LE(0x00080004, 4); // RDP 5.0+
  core.writeUInt16LE(1024, 8);
  core.writeUInt16LE(768, 10);
  core.writeUInt16LE(0xca01, 12); // colorDepth RNS_UD_COLOR_8BPP
  core.writeUInt16LE(0xaa03, 14); // SASSequence
  core.writeUInt32LE(0x409, 16); // keyboardLayout en-US
  core.writeUInt32LE(2600, 20); // clientBuild
  core.write('PCHARNESS', 24, 'utf16le'); // clientName (32 bytes)
  core.writeUInt32LE(4, 56); // keyboardType IBM enhanced
  core.writeUInt32LE(12, 64); // keyboardFunctionKey
  core.writeUInt16LE(0xca01, 132); // postBeta2ColorDepth
  core.writeUInt16LE(1, 134); // clientProductId
  core.writeUInt16LE(24, 140); // highColorDepth
  core.writeUInt16LE(0x0007, 142); // supportedColorDepths 24/16/15
  core.writeUInt16LE(0x0001, 144); // earlyCapabilityFlags: RNS_UD_CS_SUPPORT_ERRINFO_PDU
  core.writeUInt32LE(0, 212); // serverSelectedProtocol = PROTOCOL_RDP
  const sec = Buffer.alloc(12);
  sec.writeUInt16LE(0xc002, 0);
  sec.writeUInt16LE(12, 2);
  sec.writeUInt32LE(0x01 | 0x02 | 0x08 | 0x10, 4); // offer 40, 128, 56 bit and FIPS
  const netb = Buffer.alloc(8);
  netb.writeUInt16LE(0xc003, 0);
  netb.writeUInt16LE(8, 2);
  return Buffer.concat([core, sec, netb]);
}

function mcsConnectInitial(): Buffer {
  const blocks = clientDataBlocks();
  const per2 = (n: number) => Buffer.from([0x80 | (n >> 8), n & 0xff]);
  const ccrHeader = hex('0008001000 01c0 0044756361'); // ConferenceCreateRequest, "Duca"
  const gcc = Buffer.concat([hex('000500147c0001'), per2(ccrHeader.length + 2 + blocks.length), ccrHeader, per2(blocks.length), blocks]);
  const body = Buffer.concat([
    hex('040101 040101 0101ff'),
    hex(DOMAIN_PARAMS.target),
    hex(DOMAIN_PARAMS.min),
    hex(DOMAIN_PARAMS.max),
    Buffer.from([0x04]),
    berLength(gcc.length),
    gcc,
  ]);
  const mcs = Buffer.concat([hex('7f65'), berLength(body.length), body]);
  const x224 = Buffer.concat([hex('02f080'), mcs]);
  const tpkt = Buffer.alloc(4);
  tpkt.writeUInt8(3, 0);
  tpkt.writeUInt16BE(4 + x224.length, 2);
  return Buffer.concat([tpkt, x224]);
}

/** Negotiates Standard RDP Security and reads SC_SECURITY from the MCS Connect-Response. */
function standardSecurity(host: string, port: number, timeoutMs = 5_000): Promise<{ method: number; level: number }> {
  const cr = Buffer.from([3, 0, 0, 19, 14, 0xe0, 0, 0, 0, 0, 0, 1, 0, 8, 0, 0, 0, 0, 0]);
  return new Promise((resolve, reject) => {
    const s = net.connect(port, host, () => s.write(cr));
    let buf = Buffer.alloc(0);
    let stage = 0;
    const t = setTimeout(() => fail(new Error(`no MCS Connect-Response; got ${buf.toString('hex').slice(0, 80)}`)), timeoutMs);
    const fail = (e: Error) => {
      clearTimeout(t);
      s.destroy();
      reject(e);
    };
    s.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      while (buf.length >= 4 && buf.length >= buf.readUInt16BE(2)) {
        const pdu = buf.subarray(0, buf.readUInt16BE(2));
        buf = buf.subarray(pdu.length);
        if (stage === 0) {
          stage = 1;
          s.write(mcsConnectInitial());
          continue;
        }
        // SC_SECURITY: type 0x0C02, length >= 12, then encryptionMethod and encryptionLevel (u32 LE).
        for (let i = 7; i + 12 <= pdu.length; i++) {
          if (pdu.readUInt16LE(i) === 0x0c02 && pdu.readUInt16LE(i + 2) >= 12 && i + pdu.readUInt16LE(i + 2) <= pdu.length) {
            clearTimeout(t);
            s.destroy();
            resolve({ method: pdu.readUInt32LE(i + 4), level: pdu.readUInt32LE(i + 8) });
            return;
          }
        }
        return fail(new Error(`MCS response without SC_SECURITY: ${pdu.toString('hex').slice(0, 120)}`));
      }
    });
    s.on('error', fail);
    s.on('close', () => fail(new Error('closed before the MCS Connect-Response')));
  });
}

/** Negotiates `protocols`, then upgrades the same socket to TLS; returns protocol and cert subject CN. */
function negotiateThenTls(host: string, port: number, protocols: number, timeoutMs = 5_000): Promise<{ protocol: string | null; cn: string }> {
  const req = Buffer.from([3, 0, 0, 19, 14, 0xe0, 0, 0, 0, 0, 0, 1, 0, 8, 0, protocols & 0xff, 0, 0, 0]);
  return new Promise((resolve, reject) => {
    const s = net.connect(port, host, () => s.write(req));
    const t = setTimeout(() => {
      s.destroy();
      reject(new Error('RDP TLS upgrade timed out'));
    }, timeoutMs);
    s.once('data', () => {
      const ts = tls.connect({ socket: s, rejectUnauthorized: false }, () => {
        clearTimeout(t);
        const cn = ts.getPeerCertificate().subject?.CN;
        resolve({ protocol: ts.getProtocol(), cn: Array.isArray(cn) ? cn.join(',') : (cn ?? '') });
        ts.destroy();
      });
      ts.on('error', (e) => {
        clearTimeout(t);
        reject(e);
      });
    });
    s.on('error', (e) => {
      clearTimeout(t);
      reject(e);
    });
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
    // crypt_level=low really is what the server announces: ENCRYPTION_LEVEL_LOW (1).
    const sec = await standardSecurity('127.20.4.1', 3389);
    assert.equal(sec.level, 1, `encryptionLevel ${sec.level}, method 0x${sec.method.toString(16)}`);
    assert.equal(sec.method, 0x01, 'ENCRYPTION_METHOD_40BIT');
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
    const t = await negotiateThenTls('127.20.4.2', 3389, 1);
    assert.match(t.protocol ?? '', /^TLSv1\.[23]$/);
    assert.equal(t.cn, 'hardened.portcullis.test');
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
    // After selecting HYBRID the same socket speaks TLS (CredSSP would follow inside it).
    assert.match((await negotiateThenTls('127.20.5.1', 3389, 2)).protocol ?? '', /^TLSv1\.[23]$/);
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
