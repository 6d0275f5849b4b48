import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isIPv6 } from 'node:net';
import { canonicalAddress, formatIPv6, parseHostName, parseIPv4, parseIPv6 } from './address.js';
import { IntervalSet } from './intervals.js';

test('IPv4 parsing: valid and invalid forms with reasons', () => {
  const good: Array<[string, bigint]> = [
    ['0.0.0.0', 0n],
    ['127.15.0.1', (127n << 24n) | (15n << 16n) | 1n],
    ['255.255.255.255', 0xffffffffn],
  ];
  for (const [text, value] of good) assert.deepEqual(parseIPv4(text), { ok: true, value }, text);
  const bad: Array<[string, RegExp]> = [
    ['300.1.1.1', /300 is larger than 255/],
    ['1.2.3', /four dot-separated numbers, '1\.2\.3' has 3/],
    ['1.2.3.4.5', /has 5/],
    ['1..3.4', /empty number/],
    ['1.2.3.x', /'x' is not a decimal number/],
    ['010.1.1.1', /leading zero/],
    ['1.2.3.1000', /1000 is larger than 255/],
  ];
  for (const [text, why] of bad) {
    const r = parseIPv4(text);
    assert.equal(r.ok, false, text);
    if (!r.ok) assert.match(r.why, why, text);
  }
});

test('IPv6 parsing agrees with node:net on validity and explains refusals', () => {
  const cases: Array<[string, RegExp | null]> = [
    ['::', null],
    ['::1', null],
    ['2001:db8::1', null],
    ['2001:DB8:0:0:0:0:0:1', null],
    ['1:2:3:4:5:6:7:8', null],
    ['1::8', null],
    ['::ffff:192.0.2.1', null],
    ['64:ff9b::192.0.2.33', null],
    ['1:2:3:4:5:6:7::', null],
    ['1:2:3:4:5:6:7:8:9', /9 groups/],
    ['1:2:3:4:5:6:7', /7 groups; an IPv6 address without '::' needs eight/],
    ['1::2::3', /more than once/],
    ['1:::2', /':::'/],
    ['12345::1', /more than four hex digits/],
    ['g::1', /'g' in 'g::1' is not a hexadecimal group/],
    [':1:2:3:4:5:6:7', /empty group/],
    ['1.2.3.4::', /not at the end/],
    ['::1.2.3.256', /256 is larger than 255/],
    ['1:2:3:4:5:6:7:8::', /8 groups besides '::'/],
    ['fe80::1%eth0', /zone index/],
  ];
  for (const [text, why] of cases) {
    const r = parseIPv6(text);
    if (why === null) {
      assert.equal(r.ok, true, text);
      assert.equal(isIPv6(text), true, `node agrees ${text} is valid`);
    } else {
      assert.equal(r.ok, false, text);
      if (!r.ok) assert.match(r.why, why, text);
      if (!text.includes('%')) assert.equal(isIPv6(text), false, `node agrees ${text} is invalid`);
    }
  }
});

test('IPv6 canonical text follows RFC 5952', () => {
  const cases: Array<[string, string]> = [
    ['2001:0DB8:0000:0000:0000:0000:0000:0001', '2001:db8::1'],
    ['0:0:0:0:0:0:0:0', '::'],
    ['0:0:0:0:0:0:0:1', '::1'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'], // first of two equal runs
    ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'], // a single zero group is not shortened
    ['2001:0:0:1:0:0:0:1', '2001:0:0:1::1'], // the longer run wins
    ['::ffff:c000:0201', '::ffff:192.0.2.1'],
    ['1:2:3:4:5:6:7:0', '1:2:3:4:5:6:7:0'],
    ['1:0:0:0:0:0:0:0', '1::'],
  ];
  for (const [input, want] of cases) {
    const r = parseIPv6(input);
    assert.ok(r.ok, input);
    if (r.ok) assert.equal(formatIPv6(r.value), want, input);
    assert.equal(canonicalAddress(input), want);
  }
  assert.equal(canonicalAddress('not an address'), null);
  assert.equal(canonicalAddress('[::1]'), '::1');
});

test('host names: syntax accepted and refused with reasons', () => {
  for (const ok of ['localhost', 'web01', 'web-01.corp.example', 'dc_01.ad.example.', 'xn--bcher-kva.example']) {
    assert.equal(parseHostName(ok).ok, true, ok);
  }
  const idn = parseHostName('bücher.example');
  assert.deepEqual(idn, { ok: true, value: 'xn--bcher-kva.example' });
  const bad: Array<[string, RegExp]> = [
    ['', /empty/],
    ['a..b', /empty label/],
    ['-web', /hyphen/],
    ['web$1', /contains '\$'/],
    ['host.123', /ends in a number/],
    [`${'a'.repeat(64)}.example`, /longer than 63/],
    [`${'abcdefghi.'.repeat(26)}com`, /at most 253/],
  ];
  for (const [text, why] of bad) {
    const r = parseHostName(text);
    assert.equal(r.ok, false, text);
    if (!r.ok) assert.match(r.why, why, text);
  }
});

test('interval sets merge, subtract and search', () => {
  const s = IntervalSet.from([
    { first: 10n, last: 20n },
    { first: 1n, last: 5n },
    { first: 6n, last: 8n }, // touches 1-5
    { first: 15n, last: 30n }, // overlaps 10-20
    { first: 100n, last: 100n },
  ]);
  assert.deepEqual(
    s.intervals.map((i) => [i.first, i.last]),
    [
      [1n, 8n],
      [10n, 30n],
      [100n, 100n],
    ],
  );
  assert.equal(s.size, 8n + 21n + 1n);
  for (const [v, want] of [[0n, false], [1n, true], [8n, true], [9n, false], [30n, true], [31n, false], [100n, true], [101n, false]] as const) {
    assert.equal(s.has(v), want, String(v));
  }
  const cut = s.subtract(IntervalSet.from([{ first: 3n, last: 12n }, { first: 30n, last: 100n }, { first: 0n, last: 0n }]));
  assert.deepEqual(
    cut.intervals.map((i) => [i.first, i.last]),
    [
      [1n, 2n],
      [13n, 29n],
    ],
  );
  // One exclusion spanning several intervals, and one inside an interval.
  const spans = IntervalSet.from([{ first: 0n, last: 9n }, { first: 20n, last: 29n }, { first: 40n, last: 49n }]).subtract(
    IntervalSet.from([{ first: 5n, last: 44n }, { first: 47n, last: 47n }]),
  );
  assert.deepEqual(
    spans.intervals.map((i) => [i.first, i.last]),
    [
      [0n, 4n],
      [45n, 46n],
      [48n, 49n],
    ],
  );
  assert.deepEqual([...spans.values()], [0n, 1n, 2n, 3n, 4n, 45n, 46n, 48n, 49n]);
  assert.throws(() => IntervalSet.from([{ first: 5n, last: 4n }]), /reversed/);
});
