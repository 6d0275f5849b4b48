import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dnToDomain, encodeRootDseSearch, encodeUnbind, ldapMessageLength, parseLdapMessage } from './ldap.js';
import { assertNeverThrows, assertPrefixesFail } from './fuzz.test-util.js';
import { ROOT_DSE_ENTRY, SEARCH_DONE } from './transcripts.test-data.js';


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
