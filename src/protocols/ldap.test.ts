import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dnToDomain, encodeRootDseSearch, encodeUnbind, ldapMessageLength, parseLdapMessage } from './ldap.js';
import { assertNeverThrows, assertPrefixesFail } from './fuzz.test-util.js';

// SearchResultEntry for the root DSE of an AD domain controller, encoded by hand per RFC 4511 §4.5.2:
// messageID 1, objectName "", attributes defaultNamingContext, dnsHostName, domainControllerFunctionality.
function tlv(tag: number, body: Buffer): Buffer {
  const len = body.length < 128 ? Buffer.from([body.length]) : Buffer.from([0x81, body.length]);
  return Buffer.concat([Buffer.from([tag]), len, body]);
}
const str = (s: string, tag = 0x04): Buffer => tlv(tag, Buffer.from(s));
const attr = (t: string, ...v: string[]): Buffer => tlv(0x30, Buffer.concat([str(t), tlv(0x31, Buffer.concat(v.map((x) => str(x))))]));
export const ROOT_DSE_ENTRY = tlv(
  0x30,
  Buffer.concat([
    Buffer.from([0x02, 0x01, 0x01]),
    tlv(0x64, Buffer.concat([str(''), tlv(0x30, Buffer.concat([attr('defaultNamingContext', 'DC=corp,DC=example,DC=com'), attr('dnsHostName', 'dc01.corp.example.com'), attr('domainControllerFunctionality', '7')]))])),
  ]),
);
export const SEARCH_DONE = Buffer.from('300c02010165070a010004000400', 'hex');

test('root DSE search request: SEQUENCE { id, [APPLICATION 3] { "", base, never, 0, 10, FALSE, (objectClass=*), attrs } }', () => {
  const b = encodeRootDseSearch(1, ['namingContexts']);
  assert.equal(b.toString('hex'), '3035020101633004000a01000a010002010002010a010100870b6f626a656374436c6173733010040e6e616d696e67436f6e7465787473');
  assert.equal(ldapMessageLength(b), b.length);
  assert.equal(encodeUnbind(2).toString('hex'), '30050201024200');
});

test('SearchResultEntry / SearchResultDone parse; DN → domain', () => {
  const e = parseLdapMessage(ROOT_DSE_ENTRY);
  assert.ok(e.ok && e.value.op === 'searchResEntry');
  assert.deepEqual(e.value.attributes.dnsHostName, ['dc01.corp.example.com']);
  const d = parseLdapMessage(SEARCH_DONE);
  assert.deepEqual(d.ok && d.value, { messageId: 1, op: 'searchResDone', resultCode: 0, diagnostic: '' });
  assert.equal(dnToDomain('DC=corp,DC=example,DC=com'), 'corp.example.com');
  assert.equal(dnToDomain('CN=Configuration'), null);
});

test('LDAP robustness: truncation, indefinite and absurd lengths fail, never throw', () => {
  assertPrefixesFail(ROOT_DSE_ENTRY, parseLdapMessage);
  assertNeverThrows(ROOT_DSE_ENTRY, parseLdapMessage, 600);
  assert.match((parseLdapMessage(Buffer.from('3080020101', 'hex')) as { error: string }).error, /indefinite/);
  assert.equal(ldapMessageLength(Buffer.from('3085ffffffffff', 'hex')), 7, 'absurd length form handed over whole');
  assert.equal(ldapMessageLength(Buffer.from('3084', 'hex')), 0);
});
