import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { encodeNbstatQuery, encodeNbstatResponse, encodeNetbiosName, parseNbstatResponse, summariseNbstat } from './netbios.js';

describe('NetBIOS NBSTAT codec', () => {
  it('encodes the wildcard query of RFC 1002 §4.2.17', () => {
    const q = encodeNbstatQuery(0xbeef);
    assert.equal(q.length, 50);
    assert.equal(q.readUInt16BE(0), 0xbeef);
    assert.equal(q.readUInt16BE(2), 0);
    assert.equal(q.readUInt16BE(4), 1);
    // '*' = 0x2A → 'C','K'; fifteen NULs → 'AA' each
    assert.equal(q.subarray(12, 46).toString('latin1'), ` CK${'A'.repeat(30)}\0`);
    assert.equal(q.readUInt16BE(46), 0x21);
    assert.equal(q.readUInt16BE(48), 1);
  });

  it('first-level encodes names with their suffix', () => {
    assert.equal(encodeNetbiosName('FRED', 0x20).subarray(1, 33).toString('latin1'), 'EGFCEFEECACACACACACACACACACACACA');
    assert.throws(() => encodeNetbiosName('A'.repeat(16)));
  });

  const resp = encodeNbstatResponse(
    0x1234,
    [
      { name: 'WEB01', suffix: 0x00 },
      { name: 'WEB01', suffix: 0x20 },
      { name: 'CORP', suffix: 0x00, group: true },
      { name: 'CORP', suffix: 0x1c, group: true },
      { name: 'BOB', suffix: 0x03 },
      { name: 'WEB01', suffix: 0x03 },
    ],
    '00:0c:29:aa:bb:cc',
  );

  it('parses names, suffixes, the group flag and the MAC', () => {
    const r = parseNbstatResponse(resp, 0x1234);
    assert.ok(r.ok, r.ok ? '' : r.error);
    assert.equal(r.value.names.length, 6);
    assert.deepEqual(r.value.names[2], { name: 'CORP', suffix: 0, group: true, flags: 0x8400, role: 'workgroup/domain name' });
    assert.equal(r.value.names[1]?.role, 'file server service');
    assert.equal(r.value.names[3]?.role, 'domain controllers');
    assert.equal(r.value.mac, '00:0c:29:aa:bb:cc');
    const s = summariseNbstat(r.value);
    assert.equal(s.computer, 'WEB01');
    assert.equal(s.domain, 'CORP');
    assert.deepEqual(s.users, ['BOB']);
    assert.ok(s.list.includes('CORP<1c> (group)'));
  });

  it('accepts a compressed answer name (pointer to the question)', () => {
    // Same response but with the answer name replaced by a pointer and a question section present.
    const q = encodeNbstatQuery(0x1234);
    const header = Buffer.from(resp.subarray(0, 12));
    header.writeUInt16BE(1, 4);
    const answerRest = resp.subarray(12 + 34);
    const msg = Buffer.concat([header, q.subarray(12), Buffer.from([0xc0, 0x0c]), answerRest]);
    const r = parseNbstatResponse(msg, 0x1234);
    assert.ok(r.ok, r.ok ? '' : r.error);
    assert.equal(r.value.names.length, 6);
  });

  it('rejects another transaction, a query, wrong type and absurd counts', () => {
    assert.match(String(!parseNbstatResponse(resp, 1).ok && (parseNbstatResponse(resp, 1) as { error: string }).error), /transaction 4660, not 1/);
    const query = encodeNbstatQuery(5);
    assert.equal(parseNbstatResponse(query).ok, false);
    const wrongType = Buffer.from(resp);
    wrongType.writeUInt16BE(0x20, 12 + 34);
    assert.match((parseNbstatResponse(wrongType) as { error: string }).error, /not NBSTAT/);
    const lying = Buffer.from(resp);
    lying[12 + 34 + 10] = 200; // NUM_NAMES far beyond RDLENGTH
    assert.match((parseNbstatResponse(lying) as { error: string }).error, /truncated/);
  });

  it('reports a negative response without names', () => {
    const neg = Buffer.from(resp.subarray(0, 12));
    neg.writeUInt16BE(0x8403, 2);
    neg.writeUInt16BE(0, 6);
    const r = parseNbstatResponse(neg);
    assert.ok(r.ok);
    assert.equal(r.value.rcode, 3);
    assert.deepEqual(r.value.names, []);
  });

  it('never throws on truncation or corruption', () => {
    for (let n = 0; n < resp.length; n++) assert.equal(typeof parseNbstatResponse(resp.subarray(0, n)).ok, 'boolean');
    for (let n = 0; n < 60; n++) assert.equal(parseNbstatResponse(resp.subarray(0, n)).ok, false);
    let seed = 3;
    const rnd = (): number => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    for (let i = 0; i < 3000; i++) {
      const b = Buffer.from(resp);
      b[Math.floor(rnd() * b.length)] = Math.floor(rnd() * 256);
      assert.equal(typeof parseNbstatResponse(b).ok, 'boolean');
    }
  });
});
