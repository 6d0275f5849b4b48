import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EPM_UUID, encodeEpmBind, encodeUuid, parseBindAnswer, rpcPduLength } from './msrpc.js';
import { assertNeverThrows, assertPrefixesFail } from './fuzz.test-util.js';

// bind_ack as DCE 1.1 §12.6.4.4 lays it out: header (frag_length 60, call_id 1), max_xmit/recv 4280,
// assoc_group 0x12345, sec_addr "135\0" (length 4), no padding needed, 1 result: acceptance + NDR.
const BIND_ACK = Buffer.from(
  '05000c03100000003c00000001000000' + 'b810b81045230100' + '0400' + '31333500' + '0000' + '01000000' + '0000' + '0000' + '045d888aeb1cc9119fe808002b104860' + '02000000',
  'hex',
);

test('bind PDU: header, EPM interface 3.0 and NDR in little-endian UUID order', () => {
  const b = encodeEpmBind();
  assert.deepEqual([...b.subarray(0, 4)], [5, 0, 11, 3]);
  assert.equal(b.readUInt16LE(8), b.length);
  assert.equal(encodeUuid(EPM_UUID).toString('hex'), '0883afe11f5dc91191a408002b14a0fa');
  assert.ok(b.includes(encodeUuid(EPM_UUID)));
  assert.equal(rpcPduLength(b), b.length);
});

test('bind_ack parses: secondary address and acceptance', () => {
  const fixed = Buffer.from(BIND_ACK);
  fixed.writeUInt16LE(fixed.length, 8);
  const r = parseBindAnswer(fixed);
  assert.ok(r.ok, !r.ok ? r.error : '');
  assert.equal(r.value.secondaryAddress, '135');
  assert.equal(r.value.contextResult, 0);
  assertPrefixesFail(fixed, parseBindAnswer);
  assertNeverThrows(fixed, parseBindAnswer, 600);
  const nak = Buffer.from('05000d03100000001200000001000000' + '0400', 'hex');
  const n = parseBindAnswer(nak);
  assert.ok(n.ok && n.value.rejectReason === 4);
  assert.equal(rpcPduLength(Buffer.from('HTTP')), 4);
});
