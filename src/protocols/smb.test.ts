import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  encodeSessionRequest,
  encodeSmb1Negotiate,
  encodeSmb2Negotiate,
  parseSessionResponse,
  parseSmb1Negotiate,
  parseSmb2Negotiate,
  sessionMessageLength,
  smbKind,
} from './smb.js';
import { SAMBA_CARELESS_SMB1, SAMBA_CARELESS_SMB2, SAMBA_HARDENED_SMB1, SAMBA_HARDENED_SMB2, SAMBA_SESSION_POSITIVE } from './transcripts.test-data.js';
import { assertNeverThrows, assertPrefixesFail } from './fuzz.test-util.js';

const payload = (h: string): Buffer => Buffer.from(h, 'hex').subarray(4);

test('SMB1 NEGOTIATE offers exactly "NT LM 0.12" by default', () => {
  const b = encodeSmb1Negotiate();
  assert.equal(b.readUInt32BE(0), b.length - 4);
  assert.equal(b.subarray(4, 8).toString('latin1'), '\xffSMB');
  assert.equal(b[8], 0x72);
  assert.ok(b.subarray(-12).equals(Buffer.from('\x02NT LM 0.12\x00', 'latin1')));
});

test('SMB2 NEGOTIATE: five dialects, 8-aligned negotiate contexts at the announced offset', () => {
  const b = encodeSmb2Negotiate().subarray(4);
  assert.equal(smbKind(b), 'smb2');
  const body = b.subarray(64);
  assert.equal(body.readUInt16LE(2), 5);
  assert.deepEqual([0, 1, 2, 3, 4].map((i) => body.readUInt16LE(36 + i * 2)), [0x0202, 0x0210, 0x0300, 0x0302, 0x0311]);
  const off = body.readUInt32LE(28);
  assert.equal(off % 8, 0);
  assert.equal(body.readUInt16LE(32), 3);
  assert.equal(b.readUInt16LE(off), 0x0001, 'PREAUTH_INTEGRITY first');
  const second = off + 8 + b.readUInt16LE(off + 2);
  const secondAligned = second + ((8 - (second % 8)) % 8);
  assert.equal(b.readUInt16LE(secondAligned), 0x0002, 'ENCRYPTION second, 8-aligned');
  const noCtx = encodeSmb2Negotiate({ dialects: [0x0202, 0x0210] }).subarray(4 + 64);
  assert.equal(noCtx.readUInt16LE(32), 0, 'no contexts without 3.1.1');
});

test('recorded Samba answers: careless SMB1 accepted with workgroup; SMB2 3.1.1 signing enabled vs required', () => {
  const s1 = parseSmb1Negotiate(payload(SAMBA_CARELESS_SMB1));
  assert.ok(s1.ok);
  assert.equal(s1.value.status, 0);
  assert.equal(s1.value.dialectIndex, 0);
  assert.equal((s1.value.securityMode ?? 0) & 0x08, 0, 'signing not required');
  assert.equal(s1.value.domainName, 'PCWINTEST');
  const h1 = parseSmb1Negotiate(payload(SAMBA_HARDENED_SMB1));
  assert.ok(h1.ok);
  assert.equal(h1.value.dialectIndex, 0xffff);
  const c2 = parseSmb2Negotiate(payload(SAMBA_CARELESS_SMB2));
  assert.ok(c2.ok);
  assert.equal(c2.value.dialect, 0x0311);
  assert.equal(c2.value.securityMode, 0x01);
  assert.ok(c2.value.cipher !== undefined && c2.value.cipher >= 1 && c2.value.cipher <= 4);
  const h2 = parseSmb2Negotiate(payload(SAMBA_HARDENED_SMB2));
  assert.ok(h2.ok);
  assert.equal(h2.value.securityMode & 0x02, 0x02);
});

test('SMB codecs: truncation and corruption give failures, never throws', () => {
  assertPrefixesFail(payload(SAMBA_CARELESS_SMB2), parseSmb2Negotiate);
  assertNeverThrows(payload(SAMBA_CARELESS_SMB2), parseSmb2Negotiate, 800);
  assertPrefixesFail(payload(SAMBA_CARELESS_SMB1), parseSmb1Negotiate);
  assertNeverThrows(payload(SAMBA_CARELESS_SMB1), parseSmb1Negotiate, 800);
  // Absurd negotiate-context count / offset.
  const bad = Buffer.from(payload(SAMBA_CARELESS_SMB2));
  bad.writeUInt32LE(0xfffffff0, 64 + 60);
  assert.match((parseSmb2Negotiate(bad) as { error: string }).error, /outside the message/);
});

test('session framing: lengths, NetBIOS session answers', () => {
  assert.equal(sessionMessageLength(Buffer.from([0, 0, 1])), 0);
  assert.equal(sessionMessageLength(Buffer.from([0, 0, 1, 0])), 260);
  assert.equal(sessionMessageLength(Buffer.from('garbage')), 7);
  assert.deepEqual(parseSessionResponse(Buffer.from(SAMBA_SESSION_POSITIVE, 'hex')), { ok: true, value: { positive: true } });
  const neg = parseSessionResponse(Buffer.from('8300000182', 'hex'));
  assert.deepEqual(neg.ok && neg.value, { positive: false, code: 0x82, reason: 'called name not present' });
  const req = encodeSessionRequest();
  assert.equal(req[0], 0x81);
  assert.equal(req.readUInt16BE(2), 68);
  assert.equal(req.subarray(4, 38).toString('latin1').slice(1, 5), 'CKFD', '"*S" first-level encoded');
});
