import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodePrelogin, parsePreloginResponse, tdsPacketLength, sqlServerRelease } from './tds.js';
import { assertNeverThrows, assertPrefixesFail } from './fuzz.test-util.js';
import { PRELOGIN_RESPONSE } from './transcripts.test-data.js';


test('PRELOGIN request: TDS header and option table per MS-TDS 2.2.6.5', () => {
  const p = encodePrelogin();
  assert.equal(p[0], 0x12);
  assert.equal(p[1], 0x01);
  assert.equal(p.readUInt16BE(2), p.length);
  assert.equal(p[8], 0x00, 'VERSION first');
  assert.equal(p.readUInt16BE(9), 26, 'VERSION data right after the 26-byte table');
  assert.equal(p[8 + 25], 0xff, 'terminator');
  assert.equal(p[8 + 26 + 6], 0x01, 'ENCRYPTION = ENCRYPT_ON');
});

test('PRELOGIN response: version, encryption, release name', () => {
  const r = parsePreloginResponse(PRELOGIN_RESPONSE);
  assert.ok(r.ok, !r.ok ? r.error : '');
  assert.equal(r.value.version, '15.0.2000');
  assert.equal(r.value.encryption, 0);
  assert.equal(sqlServerRelease('15.0.2000'), '2019');
  assert.equal(tdsPacketLength(PRELOGIN_RESPONSE.subarray(0, 3)), 0);
  assert.equal(tdsPacketLength(PRELOGIN_RESPONSE), PRELOGIN_RESPONSE.length);
  assert.equal(tdsPacketLength(Buffer.from('220 smtp ready')), 14);
});

test('PRELOGIN response robustness: truncation, options pointing outside, garbage', () => {
  assertPrefixesFail(PRELOGIN_RESPONSE, parsePreloginResponse);
  assertNeverThrows(PRELOGIN_RESPONSE, parsePreloginResponse, 600);
  const bad = Buffer.from(PRELOGIN_RESPONSE);
  bad.writeUInt16BE(0xfff0, 9);
  assert.match((parsePreloginResponse(bad) as { error: string }).error, /outside the packet/);
  assert.match((parsePreloginResponse(encodePrelogin()) as { error: string }).error, /not a response/);
});
