import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { colorWanted, renderTable } from './table.js';
import { sampleDocument } from './fixtures/sample-doc.js';
import { repoRoot } from './fixtures/repo-root.js';
import type { ScanDocument } from '../core/result.js';

const FIXTURES = join(repoRoot(), 'src', 'report', 'fixtures');

/** Compares with a golden file; UPDATE_GOLDEN=1 rewrites it (then review the diff). */
function golden(name: string, actual: string): void {
  const file = join(FIXTURES, name);
  if (process.env['UPDATE_GOLDEN'] === '1') writeFileSync(file, actual);
  assert.equal(actual, readFileSync(file, 'utf8'), `output differs from ${file}`);
}

const stripAnsi = (s: string) => s.replace(/\u001b\[[0-9;]*m/g, '');

test('table: default view matches the golden file', () => {
  golden('table-default.txt', renderTable(sampleDocument(), { color: false }));
});

test('table: verbose view (closed/filtered ports, down hosts, passed checks) matches the golden file', () => {
  golden('table-verbose.txt', renderTable(sampleDocument(), { color: false, verbose: true }));
});

test('table: hosts sorted worst finding first, findings by status then severity', () => {
  const out = renderTable(sampleDocument(), { color: false });
  const order = ['192.0.2.5  up', '192.0.2.10 (web01', '2001:db8::1  up'].map((h) => out.indexOf(h));
  assert.ok(order.every((i) => i >= 0), 'every up host has a heading');
  assert.deepEqual([...order].sort((a, b) => a - b), order, 'critical host, then high, then none');
  assert.ok(out.indexOf('telnet-cleartext') < out.indexOf('unapproved-service'));
  assert.ok(out.indexOf('unapproved-service') < out.indexOf('rdp-nla-required'), 'fail before error');
});

test('table: closed and filtered ports are counted, not listed, unless verbose', () => {
  const out = renderTable(sampleDocument(), { color: false });
  assert.match(out, /not shown: 994 closed, 2 filtered/);
  assert.doesNotMatch(out, /5985\/tcp/);
  assert.doesNotMatch(out, /old-file01/, 'down host not listed');
  assert.match(out, /1 host down, not listed/);
  const verbose = renderTable(sampleDocument(), { color: false, verbose: true });
  assert.match(verbose, /5985\/tcp\s+closed/);
  assert.match(verbose, /22\/tcp\s+filtered/);
  assert.match(verbose, /not shown: 993 closed/);
  assert.match(verbose, /192\.0\.2\.7 \(old-file01\)\s+down/);
});

test('table: colour only when asked, and colour never moves a column', () => {
  const plain = renderTable(sampleDocument(), { color: false });
  const coloured = renderTable(sampleDocument(), { color: true });
  assert.ok(!plain.includes('\u001b'), 'no escape codes at all without colour (banner ESC bytes are escaped too)');
  assert.ok(coloured.includes('\u001b[1;31mcritical\u001b[0m'));
  assert.equal(stripAnsi(coloured), plain);
  assert.equal(stripAnsi(renderTable(sampleDocument(), { color: true, verbose: true })), renderTable(sampleDocument(), { color: false, verbose: true }));
});

test('table: text from the scanned machine cannot inject terminal control sequences', () => {
  const out = renderTable(sampleDocument(), { color: true });
  // Every ESC in coloured output starts one of our own SGR sequences.
  assert.deepEqual(out.match(/\u001b(?!\[[0-9;]*m)/g), null);
  assert.match(out, /banner said \\x1b\[2J "hi"/);
});

test('table: long evidence is cut to one line', () => {
  const line = renderTable(sampleDocument(), { color: false }).split('\n').find((l) => l.includes('banner said'));
  assert.ok(line?.endsWith('…'));
  assert.ok((line?.trim().length ?? 0) <= 122);
});

test('table: empty and interrupted runs', () => {
  const doc: ScanDocument = { ...sampleDocument(), hosts: [], summary: { hostsScanned: 0, hostsUp: 0, openPorts: 0, findings: {}, interrupted: true } };
  const out = renderTable(doc, { color: false });
  assert.match(out, /^interrupted: /m);
  assert.match(out, /^0 hosts scanned, 0 up, 0 open ports; no findings\n$/m);
});

test('colorWanted: a TTY gets colour unless NO_COLOR is set and non-empty', () => {
  assert.equal(colorWanted({ isTTY: true }, {}), true);
  assert.equal(colorWanted({ isTTY: false }, {}), false);
  assert.equal(colorWanted({}, {}), false);
  assert.equal(colorWanted({ isTTY: true }, { NO_COLOR: '1' }), false);
  assert.equal(colorWanted({ isTTY: true }, { NO_COLOR: '' }), true);
});
