import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PortcullisError } from '../core/errors.js';
import { parsePortList, parsePortRanges, portInRanges } from './ports.js';

test('port lists: sorted, unique, ranges expanded', () => {
  const cases: Array<[string, number[]]> = [
    ['22', [22]],
    ['80,22,80', [22, 80]],
    ['22, 80 ,1000-1003', [22, 80, 1000, 1001, 1002, 1003]],
    ['5-7,6-9,1', [1, 5, 6, 7, 8, 9]],
    ['65535', [65535]],
    ['1-1', [1]],
  ];
  for (const [text, want] of cases) assert.deepEqual(parsePortList(text), want, text);
  assert.equal(parsePortList('1-65535').length, 65535);
});

test('port lists: every refusal names the list, the entry and the reason', () => {
  const cases: Array<[string, RegExp]> = [
    ['0', /port 0 is not valid; ports run from 1 to 65535/],
    ['22,65536', /port 65536 is larger than 65535/],
    ['99999999999', /larger than 65535/],
    ['2000-1000', /range 2000-1000 is reversed; its end 1000 is below its start 2000/],
    ['http', /'http' is not a port number or a range/],
    ['22,,80', /empty entry/],
    ['22,', /empty entry/],
    ['1024-', /open-ended range/],
    ['-1024', /open-ended range/],
    ['1-2-3', /not a port number or a range/],
    ['+5', /not a port number/],
    ['', /is empty/],
  ];
  for (const [text, why] of cases) {
    assert.throws(
      () => parsePortList(text, { label: '--exclude-ports' }),
      (e: unknown) => {
        assert.ok(e instanceof PortcullisError, text);
        assert.equal(e.code, 'E_USAGE');
        assert.match(e.message, /--exclude-ports/);
        assert.match(e.message, why, text);
        return true;
      },
    );
  }
  assert.throws(() => parsePortList('0', { code: 'E_INVENTORY' }), (e: unknown) => e instanceof PortcullisError && e.code === 'E_INVENTORY');
});

test('port ranges stay compact and answer membership by search', () => {
  const r = parsePortRanges('1-1024,3389,49152-65535,1000-2000');
  assert.deepEqual(r, [
    { first: 1, last: 2000 },
    { first: 3389, last: 3389 },
    { first: 49152, last: 65535 },
  ]);
  for (const [p, want] of [[1, true], [2000, true], [2001, false], [3389, true], [3390, false], [65535, true], [49151, false]] as const) {
    assert.equal(portInRanges(r, p), want, String(p));
  }
});
