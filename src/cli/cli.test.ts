// End-to-end tests of the command line through the real launcher: exit codes, messages on stderr,
// clean stdout, nothing half-written.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../../bin/portcullis.js', import.meta.url));

function cli(args: string[], input?: string) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 60_000, ...(input !== undefined ? { input } : {}) });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('no command prints the help and exits 2; --help exits 0', () => {
  const none = cli([]);
  assert.equal(none.code, 2);
  assert.match(none.stdout, /Usage: portcullis <command>/);
  const help = cli(['--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /scan\s+find hosts/);
});

test('--version prints the package version', () => {
  const r = cli(['--version']);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /^portcullis \d+\.\d+\.\d+\n$/);
});

test('an unknown command is a usage error naming it', () => {
  const r = cli(['scna', '127.0.0.1']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /unknown command 'scna'/);
  assert.equal(r.stdout, '');
});

test('an unknown option is a usage error naming the option', () => {
  const r = cli(['scan', '--frobnicate', '127.0.0.1']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--frobnicate/);
  assert.equal(r.stdout, '');
});

test('scan without targets explains what is missing', () => {
  const r = cli(['scan']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /no targets/);
});

for (const [expr, why] of [
  ['10.0.0.0/33', /10\.0\.0\.0\/33/],
  ['300.1.1.1', /300\.1\.1\.1/],
  ['10.0.0.5-2', /10\.0\.0\.5-2/],
] as const) {
  test(`a bad target '${expr}' exits 2 and names it`, () => {
    const r = cli(['scan', expr, '--quiet']);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, why);
    assert.equal(r.stdout, '');
  });
}

test('an absurd target set (/0) is refused', () => {
  const r = cli(['scan', '0.0.0.0/0', '--quiet']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /refus|too many|\/0/i);
});

test('bad option values name the option', () => {
  for (const [args, pattern] of [
    [['scan', '127.0.0.1', '--format', 'xml'], /--format: 'xml'/],
    [['scan', '127.0.0.1', '--fail-on', 'severe'], /--fail-on: 'severe'/],
    [['scan', '127.0.0.1', '--timeout', '-5'], /--timeout/],
    [['scan', '127.0.0.1', '--probes', 'some'], /--probes: 'some'/],
    [['scan', '127.0.0.1', '--ports', '99999'], /99999/],
  ] as const) {
    const r = cli([...args]);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, pattern);
  }
});

test('an unreadable or invalid inventory exits 2 naming the file and the problem, and writes no output file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pc-cli-'));
  try {
    const missing = cli(['scan', '127.0.0.1', '--inventory', join(dir, 'nope.yaml'), '--quiet']);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /nope\.yaml/);

    const bad = join(dir, 'inv.yaml');
    writeFileSync(bad, 'roles:\n  web: { tcp: [80, 70000] }\nhosts:\n  - name: web01\n    address: 127.0.0.1\n    roles: [web]\n');
    const out = join(dir, 'out.json');
    const r = cli(['scan', '127.0.0.1', '--inventory', bad, '--format', 'json', '-o', out, '--quiet']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /inv\.yaml:2/);
    assert.match(r.stderr, /70000/);
    assert.equal(existsSync(out), false);
    assert.deepEqual(readdirSync(dir).sort(), ['inv.yaml']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
