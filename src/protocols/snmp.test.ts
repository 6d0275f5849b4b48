import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeOid, encodeGetRequest, encodeOid, encodeResponse, parseSnmpMessage, SNMP_OIDS, varbindText } from './snmp.js';

// RFC 1157 GetRequest for sysDescr.0, community "public", request-id 1, encoded by hand from X.690.
const V1_GET_SYSDESCR = '302602010004067075626c6963a019020101020100020100300e300c06082b060102010101000500';

describe('SNMP BER encoder', () => {
  it('encodes a v1 GetRequest byte for byte', () => {
    const b = encodeGetRequest({ version: 'v1', community: 'public', requestId: 1, oids: [SNMP_OIDS.sysDescr] });
    assert.equal(b.toString('hex'), V1_GET_SYSDESCR);
  });

  it('encodes long request ids, multi-byte OID arcs and long-form lengths', () => {
    const oids = Array.from({ length: 12 }, (_, i) => `1.3.6.1.4.1.311.${i}.${200000 + i}.0`);
    const b = encodeGetRequest({ version: 'v2c', community: 'a'.repeat(300), requestId: 0x7fffffff, oids });
    const r = parseSnmpMessage(b);
    assert.ok(r.ok, r.ok ? '' : r.error);
    assert.equal(r.value.version, 'v2c');
    assert.equal(r.value.pdu, 'get-request');
    assert.equal(r.value.requestId, 0x7fffffff);
    assert.equal(r.value.community.length, 300);
    assert.deepEqual(
      r.value.varbinds.map((v) => v.oid),
      oids,
    );
    assert.ok(r.value.varbinds.every((v) => v.type === 'null'));
  });

  it('round-trips OIDs, including arcs above 2^28', () => {
    for (const oid of ['1.3.6.1.2.1.1.5.0', '2.999.1', '1.3.6.1.4.1.4294967295', '0.0']) {
      const tlv = encodeOid(oid);
      assert.equal(decodeOid(tlv.subarray(2)), oid);
    }
    assert.throws(() => encodeOid('1.3.x'));
    assert.throws(() => encodeOid('3.1'));
  });
});

describe('SNMP BER parser', () => {
  const response = encodeResponse({
    version: 'v2c',
    community: 'public',
    requestId: 4242,
    varbinds: [
      { oid: SNMP_OIDS.sysDescr, string: 'Linux pc 6.1.0 #1 SMP x86_64' },
      { oid: SNMP_OIDS.sysName, string: 'pc' },
      { oid: SNMP_OIDS.sysUpTime, integer: -5 },
    ],
  });

  it('reads a GetResponse: request id, error status, varbinds', () => {
    const r = parseSnmpMessage(response, 4242);
    assert.ok(r.ok, r.ok ? '' : r.error);
    assert.equal(r.value.pdu, 'response');
    assert.equal(r.value.errorStatus, 0);
    assert.equal(r.value.errorName, 'noError');
    assert.equal(varbindText(r.value, SNMP_OIDS.sysDescr), 'Linux pc 6.1.0 #1 SMP x86_64');
    assert.equal(varbindText(r.value, SNMP_OIDS.sysName), 'pc');
    assert.equal(r.value.varbinds[2]?.value, -5);
  });

  it('rejects an answer carrying another request id', () => {
    const r = parseSnmpMessage(response, 4243);
    assert.equal(r.ok, false);
    assert.match(r.ok ? '' : r.error, /request-id 4242, not 4243/);
  });

  it('names error statuses', () => {
    const b = encodeResponse({ version: 'v1', community: 'public', requestId: 7, errorStatus: 2, errorIndex: 1, varbinds: [{ oid: SNMP_OIDS.sysDescr }] });
    const r = parseSnmpMessage(b, 7);
    assert.ok(r.ok);
    assert.equal(r.value.errorName, 'noSuchName');
    assert.equal(r.value.errorIndex, 1);
  });

  it('decodes v2c exception values and application types', () => {
    // varbind list with noSuchObject, Counter32 0xffffffff, IpAddress, TimeTicks, Counter64
    const vb = (oid: string, value: Buffer): Buffer => {
      const o = encodeOid(oid);
      return Buffer.concat([Buffer.from([0x30, o.length + value.length]), o, value]);
    };
    const binds = Buffer.concat([
      vb('1.3.6.1.2.1.1.9.0', Buffer.from([0x80, 0x00])),
      vb('1.3.6.1.2.1.2.2.1.10.1', Buffer.from([0x41, 0x05, 0x00, 0xff, 0xff, 0xff, 0xff])),
      vb('1.3.6.1.2.1.4.20.1.1.1', Buffer.from([0x40, 0x04, 127, 0, 0, 1])),
      vb('1.3.6.1.2.1.1.3.0', Buffer.from([0x43, 0x02, 0x01, 0x00])),
      vb('1.3.6.1.2.1.31.1.1.1.6.1', Buffer.from([0x46, 0x09, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff])),
    ]);
    const pduBody = Buffer.concat([Buffer.from('020101020100020100', 'hex'), Buffer.from([0x30, binds.length]), binds]);
    const pdu = Buffer.concat([Buffer.from([0xa2, pduBody.length]), pduBody]);
    const head = Buffer.from('020101040670756' + '26c6963', 'hex');
    const body = Buffer.concat([head, pdu]);
    const msg = Buffer.concat([Buffer.from([0x30, 0x81, body.length]), body]);
    const r = parseSnmpMessage(msg, 1);
    assert.ok(r.ok, r.ok ? '' : r.error);
    assert.deepEqual(
      r.value.varbinds.map((v) => [v.type, v.value]),
      [
        ['no-such-object', null],
        ['counter32', 0xffffffff],
        ['ip-address', '127.0.0.1'],
        ['time-ticks', 256],
        ['counter64', 0xffffffffffffffffn],
      ],
    );
  });

  const bad: Array<[string, string, RegExp]> = [
    ['indefinite length', '3080020100', /indefinite/],
    ['length beyond the datagram', '3030020100', /announces 48 bytes/],
    ['five-byte length', '3085000000000102', /absurd/],
    ['SNMPv3', '30050201030400', /SNMPv3/],
    ['not a sequence', '0403616263', /expected tag 0x30/],
    ['v1 trap', '300f020100040170a4070201000201000201', /trap|truncated/],
    ['unknown PDU', '300b020101040170a903020101', /unknown PDU/],
    ['empty input', '', /truncated/],
  ];
  for (const [what, hex, why] of bad) {
    it(`refuses ${what} with a reason`, () => {
      const r = parseSnmpMessage(Buffer.from(hex, 'hex'));
      assert.equal(r.ok, false);
      assert.match(r.ok ? '' : r.error, why);
    });
  }

  it('never throws on truncations or random corruption of a valid message', () => {
    for (let n = 0; n < response.length; n++) {
      const r = parseSnmpMessage(response.subarray(0, n));
      assert.equal(r.ok, false, `truncated to ${n} bytes`);
    }
    let seed = 7;
    const rnd = (): number => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    for (let i = 0; i < 3000; i++) {
      const b = Buffer.from(response);
      for (let k = 0; k < 1 + Math.floor(rnd() * 4); k++) b[Math.floor(rnd() * b.length)] = Math.floor(rnd() * 256);
      const r = parseSnmpMessage(b);
      assert.equal(typeof r.ok, 'boolean');
    }
  });
});
