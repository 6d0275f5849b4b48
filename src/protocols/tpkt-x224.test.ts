import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  encodeConnectInitial,
  encodeConnectionRequest,
  parseConnectResponse,
  parseConnectionConfirm,
  tpktLength,
  PROTOCOL_SSL,
  PROTOCOL_HYBRID,
} from './tpkt-x224.js';
import { XRDP_CARELESS_CC, XRDP_CARELESS_MCS, XRDP_HARDENED_CC_RDP, XRDP_HARDENED_CC_SSL } from './transcripts.test-data.js';
import { assertNeverThrows, assertPrefixesFail } from './fuzz.test-util.js';

const hex = (s: string): Buffer => Buffer.from(s, 'hex');

test('X.224 Connection Request with RDP_NEG_REQ encodes to the MS-RDPBCGR 4.1.1 layout', () => {
  const cr = encodeConnectionRequest({ requestedProtocols: PROTOCOL_SSL | PROTOCOL_HYBRID });
  assert.equal(cr.toString('hex'), '030000130ee000000000000100080003000000');
  const withCookie = encodeConnectionRequest({ requestedProtocols: 0, cookie: 'eltons' });
  assert.equal(withCookie.readUInt16BE(2), withCookie.length);
  assert.equal(withCookie[4], withCookie.length - 5);
  assert.ok(withCookie.includes(Buffer.from('Cookie: mstshash=eltons\r\n')));
  assert.throws(() => encodeConnectionRequest({ requestedProtocols: 0, cookie: 'bad\r\nname' }), RangeError);
});

test('recorded Connection Confirms: xrdp careless selects RDP, hardened refuses RDP and selects SSL', () => {
  const c = parseConnectionConfirm(hex(XRDP_CARELESS_CC));
  assert.deepEqual(c.ok && c.value.negotiation, { type: 'response', flags: 0x01, selectedProtocol: 0 });
  const h = parseConnectionConfirm(hex(XRDP_HARDENED_CC_RDP));
  assert.deepEqual(h.ok && h.value.negotiation, { type: 'failure', flags: 0, failureCode: 1 });
  const s = parseConnectionConfirm(hex(XRDP_HARDENED_CC_SSL));
  assert.deepEqual(s.ok && s.value.negotiation, { type: 'response', flags: 0x01, selectedProtocol: 1 });
  // A CC without a negotiation structure (pre-5.2 server).
  const old = parseConnectionConfirm(hex('0300000b06d00000123400'));
  assert.deepEqual(old.ok && old.value.negotiation, { type: 'none' });
});

test('Connection Confirm: truncation, wrong TPDU, wrong lengths fail with a reason', () => {
  assertPrefixesFail(hex(XRDP_CARELESS_CC), parseConnectionConfirm);
  assertNeverThrows(hex(XRDP_CARELESS_CC), parseConnectionConfirm);
  const cr = parseConnectionConfirm(encodeConnectionRequest({ requestedProtocols: 0 }));
  assert.equal(cr.ok, false);
  assert.match(!cr.ok ? cr.error : '', /not a Connection Confirm/);
  const badLen = hex(XRDP_CARELESS_CC);
  badLen.writeUInt16BE(0xffff, 2);
  assert.match((parseConnectionConfirm(badLen) as { error: string }).error, /announces 65535/);
});

test('tpktLength: frame length, waits for more, hands garbage over whole', () => {
  assert.equal(tpktLength(hex('0300')), 0);
  assert.equal(tpktLength(hex('03000013')), 19);
  assert.equal(tpktLength(Buffer.from('HTTP/1.1 400')), 12);
  assert.equal(tpktLength(hex('03000002ffff')), 6); // absurd short length → whole buffer to the parser
});

test('MCS Connect-Initial: BER/PER framing and the client data blocks are where the spec puts them', () => {
  const ci = encodeConnectInitial({ encryptionMethods: 0x1b, selectedProtocol: 0 });
  assert.equal(ci.readUInt16BE(2), ci.length);
  assert.deepEqual([...ci.subarray(4, 7)], [0x02, 0xf0, 0x80]);
  assert.deepEqual([...ci.subarray(7, 9)], [0x7f, 0x65]);
  const core = ci.indexOf(Buffer.from([0x01, 0xc0, 0xd8, 0x00])); // CS_CORE, length 216
  assert.ok(core > 0, 'CS_CORE header present');
  const sec = ci.indexOf(Buffer.from([0x02, 0xc0, 0x0c, 0x00])); // CS_SECURITY, length 12
  assert.equal(sec, core + 216);
  assert.equal(ci.readUInt32LE(sec + 4), 0x1b);
  assert.equal(ci.readUInt32LE(core + 212), 0, 'serverSelectedProtocol');
  assert.ok(ci.includes(Buffer.from('Duca')));
});

test('recorded MCS Connect-Response from xrdp crypt_level=low: SC_SECURITY level 1, 40-bit', () => {
  const r = parseConnectResponse(hex(XRDP_CARELESS_MCS));
  assert.ok(r.ok, !r.ok ? r.error : '');
  assert.equal(r.value.result, 0);
  assert.deepEqual(r.value.security, { encryptionMethod: 1, encryptionLevel: 1 });
  assert.equal(r.value.core?.version, 0x00080004);
  assert.ok(r.value.blocks.includes(0x0c01) && r.value.blocks.includes(0x0c02));
});

test('Connect-Response: truncated and corrupted copies fail without throwing', () => {
  const full = hex(XRDP_CARELESS_MCS);
  assertPrefixesFail(full, parseConnectResponse);
  assertNeverThrows(full, parseConnectResponse, 600);
  // A Disconnect-Provider-Ultimatum is named, not "garbage".
  const dpu = hex('0300000902f0802180');
  assert.match((parseConnectResponse(dpu) as { error: string }).error, /Disconnect-Provider-Ultimatum/);
});
