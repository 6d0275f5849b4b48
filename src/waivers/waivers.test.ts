import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PortcullisError } from '../core/errors.js';
import type { Finding } from '../core/finding.js';
import { applyWaivers, hostMatches, isExpired, loadWaivers, parseWaivers } from './waivers.js';

const VALID = `# reviewed 2026-10
- rule: iis-content-off-system-drive
  host: "COMP-WEB-*"
  reason: Competition image; the scorer expects C:\\inetpub.
  expires: 2026-12-31

- rule: guest-account-disabled
  host: web0?
  reason: Kiosk test box
  expires: "2026-01-15"
`;

function finding(id: string, status: Finding['status'] = 'fail'): Finding {
  return {
    id,
    title: id,
    severity: 'high',
    status,
    target: 'comp-web-01',
    evidence: { summary: 'Seen.', items: [{ label: 'x', value: 1 }] },
    remediation: 'Fix it.',
    references: [],
  };
}

test('parses a valid waiver file with the line of each entry', () => {
  const ws = parseWaivers(VALID, 'w.yaml');
  assert.equal(ws.length, 2);
  assert.deepEqual(
    ws.map((w) => [w.rule, w.host, w.expires, w.line]),
    [
      ['iis-content-off-system-drive', 'COMP-WEB-*', '2026-12-31', 2],
      ['guest-account-disabled', 'web0?', '2026-01-15', 7],
    ],
  );
});

test('an empty file is no waivers', () => {
  assert.deepEqual(parseWaivers('', 'w.yaml'), []);
  assert.deepEqual(parseWaivers('# nothing yet\n', 'w.yaml'), []);
});

const BAD: Array<[string, string, number | undefined, RegExp]> = [
  ['not a list', 'rule: x\nhost: y\n', 1, /list of waivers/],
  ['missing field', '- rule: guest-account-disabled\n  host: a\n  reason: r\n', 1, /missing 'expires'/],
  ['unknown field', '- rule: guest-account-disabled\n  hots: a\n', 2, /unknown field 'hots'/],
  ['bad date', '- rule: a-b\n  host: h\n  reason: r\n  expires: 2026-02-30\n', 4, /calendar date/],
  ['date format', '- rule: a-b\n  host: h\n  reason: r\n  expires: 31.12.2026\n', 4, /YYYY-MM-DD/],
  ['empty reason', '- rule: a-b\n  host: h\n  reason: ""\n  expires: 2026-01-01\n', 3, /must not be empty/],
  ['list as value', '- rule: a-b\n  host: [a, b]\n  reason: r\n  expires: 2026-01-01\n', 2, /single value/],
  // the YAML parser reports an unclosed quote where the file ends
  ['yaml syntax', '- rule: a\n  host: "unterminated\n', 3, /not valid YAML/],
  ['duplicate key', '- rule: a-b\n  rule: c-d\n', 2, /not valid YAML/],
  ['item not mapping', '- just-a-string\n', 1, /mapping/],
  ['rule not kebab', '- rule: Guest Account\n  host: h\n  reason: r\n  expires: 2026-01-01\n', 1, /rule id/],
];

for (const [name, text, line, re] of BAD) {
  test(`bad waiver file: ${name} → E_WAIVERS with file and line`, () => {
    assert.throws(
      () => parseWaivers(text, 'bad.yaml'),
      (e: unknown) => {
        assert.ok(e instanceof PortcullisError);
        assert.equal(e.code, 'E_WAIVERS');
        assert.match(e.message, re);
        assert.equal(e.where?.file, 'bad.yaml');
        assert.equal(e.where?.line, line);
        assert.match(e.describe(), /^bad\.yaml:\d+: /);
        return true;
      },
    );
  });
}

test('an unknown rule id is rejected when the catalog is given', () => {
  assert.throws(
    () => parseWaivers(VALID, 'w.yaml', { knownRules: new Set(['guest-account-disabled']) }),
    (e: unknown) => e instanceof PortcullisError && e.where?.line === 2 && /unknown rule id 'iis-content-off-system-drive'/.test(e.message),
  );
});

test('host globs are case-insensitive and anchored', () => {
  assert.ok(hostMatches('COMP-WEB-*', 'comp-web-01'));
  assert.ok(hostMatches('web0?', 'WEB01'));
  assert.ok(!hostMatches('web0?', 'web010'));
  assert.ok(!hostMatches('web', 'web01'));
  assert.ok(hostMatches('*', 'anything.example'));
  assert.ok(!hostMatches('a.b', 'axb'), 'a dot is literal');
});

test('a waiver holds through its expiry day (UTC) and lapses after', () => {
  assert.equal(isExpired({ expires: '2026-12-31' }, new Date('2026-12-31T23:59:59Z')), false);
  assert.equal(isExpired({ expires: '2026-12-31' }, new Date('2027-01-01T00:00:00Z')), true);
});

test('a live waiver turns a failure into waived with its reason', () => {
  const ws = parseWaivers(VALID, 'w.yaml');
  const [out] = applyWaivers([finding('iis-content-off-system-drive')], ws, 'comp-web-01', new Date('2026-11-21T00:00:00Z'));
  assert.equal(out?.status, 'waived');
  assert.deepEqual(out?.waiver, { reason: 'Competition image; the scorer expects C:\\inetpub.', expires: '2026-12-31' });
  assert.ok(out?.evidence.items?.some((i) => i.label === 'waiver' && i.source?.line === 2));
});

test('an expired waiver leaves the failure and says the waiver expired', () => {
  const ws = parseWaivers(VALID, 'w.yaml');
  const [out] = applyWaivers([finding('guest-account-disabled')], ws, 'web01', new Date('2026-11-21T00:00:00Z'));
  assert.equal(out?.status, 'fail');
  assert.equal(out?.waiver, undefined);
  assert.match(out?.evidence.summary ?? '', /waiver at w\.yaml:7 expired on 2026-01-15/);
});

test('waivers touch only failures of the named rule on matching hosts', () => {
  const ws = parseWaivers(VALID, 'w.yaml');
  const now = new Date('2026-11-21T00:00:00Z');
  const input = [finding('iis-content-off-system-drive', 'pass'), finding('other-rule'), finding('iis-content-off-system-drive')];
  const out = applyWaivers(input, ws, 'db01', now);
  assert.deepEqual(out.map((f) => f.status), ['pass', 'fail', 'fail']);
});

test('a live waiver wins over an expired one for the same rule', () => {
  const text = `- {rule: a-b, host: "*", reason: old, expires: 2020-01-01}\n- {rule: a-b, host: "*", reason: new, expires: 2030-01-01}\n`;
  const [out] = applyWaivers([finding('a-b')], parseWaivers(text, 'w.yaml'), 'h', new Date('2026-01-01T00:00:00Z'));
  assert.equal(out?.status, 'waived');
  assert.equal(out?.waiver?.reason, 'new');
});

test('loadWaivers reads UTF-8 with BOM and reports unreadable files', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pc-waivers-'));
  try {
    const p = join(dir, 'w.yaml');
    writeFileSync(p, '\uFEFF' + VALID);
    assert.equal((await loadWaivers(p)).length, 2);
    await assert.rejects(loadWaivers(join(dir, 'missing.yaml')), (e: unknown) => e instanceof PortcullisError && e.code === 'E_WAIVERS' && /ENOENT/.test(e.message));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
