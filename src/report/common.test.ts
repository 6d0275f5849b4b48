import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compactPortList, compareAddresses, countPortList, escapeControls, oneLine } from './common.js';

test('compareAddresses: numeric IPv4, then IPv6 by value, then names', () => {
  const sorted = ['host.test', '2001:db8::10', '10.0.0.10', '::ffff:10.0.0.1', '10.0.0.9', '2001:db8::9', '2001:db8:0:0:0:0:0:1'].sort(compareAddresses);
  assert.deepEqual(sorted, ['10.0.0.9', '10.0.0.10', '::ffff:10.0.0.1', '2001:db8:0:0:0:0:0:1', '2001:db8::9', '2001:db8::10', 'host.test']);
  assert.equal(compareAddresses('2001:db8::1', '2001:DB8:0::1'), 0);
});

test('compactPortList / countPortList', () => {
  assert.equal(compactPortList([443, 80, 81, 82, 22, 80, 3389]), '22,80-82,443,3389');
  assert.equal(compactPortList([]), '');
  assert.equal(countPortList('1-1024,3389'), 1025);
  assert.equal(countPortList(''), 0);
  assert.equal(countPortList('80,abc'), null);
  assert.equal(countPortList('90-80'), null);
  assert.equal(countPortList('1-70000'), null);
});

test('escapeControls / oneLine keep wire text printable', () => {
  assert.equal(escapeControls('a\u001b[2Jb\u0007\u009bc'), 'a\\x1b[2Jb\\x07\\x9bc');
  assert.equal(oneLine('  two\n lines\t here ', 100), 'two lines here');
  assert.equal(oneLine('abcdef', 4), 'abc…');
});
