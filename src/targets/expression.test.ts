import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync, mkdirSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PortcullisError, type ErrorCode } from '../core/errors.js';
import { parseTargetExpression, planTargets, streamTargets, splitExpressions, type Resolver, type TargetOptions } from './expression.js';

const dir = mkdtempSync(join(tmpdir(), 'pc-targets-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string): string => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

/** A fixed resolver so tests never depend on DNS; `localhost` is also checked against the real one below. */
const fakeDns: Record<string, string[]> = {
  'web01.test': ['127.15.1.10'],
  'web02.test': ['127.15.1.11', '127.15.1.12', 'fd00::11'],
  'alias.test': ['127.15.1.10'],
  'empty.test': [],
  'linklocal.test': ['fe80::1%eth0'],
  'mixed.test': ['fe80::1%eth0', '127.15.1.20'],
};
const resolver: Resolver = async (name) => {
  const hit = fakeDns[name.toLowerCase()];
  if (!hit) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${name}`), { code: 'ENOTFOUND' });
  return hit.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
};

async function plan(exprs: string[], opts: TargetOptions = {}) {
  return planTargets(exprs, { resolver, ...opts });
}
async function addresses(exprs: string[], opts: TargetOptions = {}): Promise<string[]> {
  return [...(await plan(exprs, opts))].map((t) => t.address);
}
async function rejects(p: Promise<unknown>, code: ErrorCode, ...patterns: RegExp[]): Promise<PortcullisError> {
  let caught: unknown;
  try {
    await p;
  } catch (e) {
    caught = e;
  }
  assert.ok(caught instanceof PortcullisError, `expected a PortcullisError, got ${String(caught)}`);
  assert.equal(caught.code, code, caught.message);
  for (const re of patterns) assert.match(caught.describe(), re);
  return caught;
}

test('expressions: every literal form parses to the right interval', () => {
  const cases: Array<[string, 4 | 6, string, bigint]> = [
    // text, family, form, size
    ['127.15.0.1', 4, 'address', 1n],
    ['127.15.0.0/24', 4, 'cidr', 256n],
    ['127.15.0.77/24', 4, 'cidr', 256n], // host bits set: the whole block, like other scanners
    ['127.15.0.1/32', 4, 'cidr', 1n],
    ['10.0.0.0/8', 4, 'cidr', 16_777_216n],
    ['127.15.0.1-20', 4, 'range', 20n],
    ['127.15.0.5-5', 4, 'range', 1n],
    ['10.0.0.1-10.0.1.5', 4, 'range', 261n],
    ['2001:db8::1', 6, 'address', 1n],
    ['[2001:db8::1]', 6, 'address', 1n],
    ['2001:db8::/120', 6, 'cidr', 256n],
    ['[2001:db8::]/126', 6, 'cidr', 4n],
    ['2001:db8::/64', 6, 'cidr', 1n << 64n],
    ['2001:db8::1-2001:db8::ff', 6, 'range', 255n],
    ['[2001:db8::1]-[2001:db8::4]', 6, 'range', 4n],
  ];
  for (const [text, family, form, size] of cases) {
    const e = parseTargetExpression(text);
    assert.equal(e.kind, 'block', text);
    if (e.kind !== 'block') continue;
    assert.equal(e.family, family, text);
    assert.equal(e.form, form, text);
    assert.equal(e.last - e.first + 1n, size, text);
  }
  const named = parseTargetExpression('web01.corp.example');
  assert.deepEqual(named, { kind: 'name', text: 'web01.corp.example', name: 'web01.corp.example' });
});

test('expressions: each bad form is refused with E_TARGET naming it and the fault', () => {
  const cases: Array<[string, RegExp]> = [
    ['10.0.0.0/33', /bad target '10\.0\.0\.0\/33': prefix length 33 is larger than 32/],
    ['2001:db8::/129', /prefix length 129 is larger than 128/],
    ['300.1.1.1', /bad target '300\.1\.1\.1': 300 is larger than 255/],
    ['10.0.0.5-2', /bad target '10\.0\.0\.5-2': the range is reversed; its end 2 is below its start 5/],
    ['10.0.1.5-10.0.0.1', /reversed; its end 10\.0\.0\.1 is below its start 10\.0\.1\.5/],
    ['10.0.0.1-256', /range end 256 is larger than 255/],
    ['10.0.0.1-', /nothing after '-'/],
    ['10.0.0.1-2-3', /exactly one '-'/],
    ['10.0.0.1-0.5', /must be a last octet .* or a full address/],
    ['10.0.0.0/', /prefix length after '\/' is missing/],
    ['10.0.0.0/x', /prefix length 'x' is not a whole number/],
    ['10.0.0.0/8/8', /more than one '\/'/],
    ['web01/24', /a CIDR block needs an IP address before '\/', and 'web01' is not one/],
    ['10.0.0.*', /wildcards are not supported/],
    ['10.0.0', /four dot-separated numbers/],
    ['10.0.0.x', /'x' is not a decimal number/],
    ['2001:db8::1-ff', /IPv6 range needs a full address on both sides/],
    ['2001:db8::ff-2001:db8::1', /reversed/],
    ['2001:db8::1::2', /more than once/],
    ['[::1]:80', /without a port/],
    ['fe80::1%eth0', /zone index/],
    ['bad_host!', /contains '!'/],
    ['host.123', /ends in a number/],
  ];
  for (const [text, why] of cases) {
    assert.throws(
      () => parseTargetExpression(text),
      (e: unknown) => {
        assert.ok(e instanceof PortcullisError, text);
        assert.equal(e.code, 'E_TARGET', text);
        assert.match(e.message, why, text);
        return true;
      },
    );
  }
});

test('split: whitespace and commas separate expressions, with columns', () => {
  assert.deepEqual(splitExpressions('  10.0.0.1,10.0.0.2  host '), [
    { text: '10.0.0.1', column: 3 },
    { text: '10.0.0.2', column: 12 },
    { text: 'host', column: 22 },
  ]);
});

test('plan: merges duplicates across expressions and keeps address order', async () => {
  const got = await addresses(['127.15.0.3', '127.15.0.1-4', '127.15.0.2/31', '127.15.0.4,127.15.0.6']);
  assert.deepEqual(got, ['127.15.0.1', '127.15.0.2', '127.15.0.3', '127.15.0.4', '127.15.0.6']);
  const p = await plan(['127.15.0.0/24', '127.15.0.128/25', '127.15.0.9']);
  assert.equal(p.count, 256);
  assert.equal(p.ipv4.intervals.length, 1);
});

test('plan: IPv6 ranges and CIDR stream in canonical form, after IPv4', async () => {
  const got = await addresses(['2001:DB8::FE-2001:db8::101', '127.15.0.1', '2001:db8::100/127']);
  assert.deepEqual(got, ['127.15.0.1', '2001:db8::fe', '2001:db8::ff', '2001:db8::100', '2001:db8::101']);
});

test('plan: names resolve to all addresses by default, or only the first', async () => {
  const all = await plan(['web02.test']);
  assert.deepEqual(
    [...all],
    [
      { address: '127.15.1.11', names: ['web02.test'] },
      { address: '127.15.1.12', names: ['web02.test'] },
      { address: 'fd00::11', names: ['web02.test'] },
    ],
  );
  const first = await plan(['web02.test'], { firstAddress: true });
  assert.deepEqual([...first], [{ address: '127.15.1.11', names: ['web02.test'] }]);
});

test('plan: names resolving to an address already listed merge onto it', async () => {
  const p = await plan(['127.15.1.8-12', 'web01.test', 'alias.test', 'WEB01.test']);
  const targets = [...p];
  assert.equal(targets.length, 5);
  assert.deepEqual(
    targets.find((t) => t.address === '127.15.1.10'),
    { address: '127.15.1.10', names: ['web01.test', 'alias.test'] },
  );
  assert.deepEqual(p.namesFor('127.15.1.10'), ['web01.test', 'alias.test']);
  assert.deepEqual(targets.find((t) => t.address === '127.15.1.9')?.names, []);
  // Callers mutating a yielded target must not change the plan.
  targets.find((t) => t.address === '127.15.1.10')?.names.push('x');
  assert.deepEqual(p.namesFor('127.15.1.10'), ['web01.test', 'alias.test']);
});

test('plan: localhost resolves through the system resolver', async () => {
  const p = await planTargets(['localhost']);
  const targets = [...p];
  assert.ok(targets.length >= 1);
  for (const t of targets) {
    assert.ok(t.address === '::1' || t.address.startsWith('127.'), t.address);
    assert.deepEqual(t.names, ['localhost']);
  }
  const first = await planTargets(['localhost'], { firstAddress: true });
  assert.equal(first.count, 1);
});

test('plan: names that do not resolve are refused, or skipped with a warning when asked', async () => {
  await rejects(plan(['127.15.0.1', 'nosuch.test']), 'E_TARGET', /bad target 'nosuch\.test': cannot resolve the name: .*ENOTFOUND/);
  await rejects(plan(['empty.test']), 'E_TARGET', /has no addresses/);
  const p = await plan(['127.15.0.1', 'nosuch.test'], { skipUnresolved: true });
  assert.equal(p.count, 1);
  assert.match(p.warnings.join('\n'), /skipped target 'nosuch\.test'/);
  await rejects(plan(['nosuch.test'], { skipUnresolved: true }), 'E_TARGET_LIMIT', /every name was skipped/);
  await rejects(plan(['linklocal.test']), 'E_TARGET', /resolves only to link-local addresses with a zone/);
  const mixed = await plan(['mixed.test']);
  assert.deepEqual([...mixed], [{ address: '127.15.1.20', names: ['mixed.test'] }]);
  assert.match(mixed.warnings.join(), /link-local address\(es\) with a zone; they are left out/);
  const slow: Resolver = () => new Promise(() => undefined);
  await rejects(planTargets(['slow.test'], { resolver: slow, resolveTimeoutMs: 50 }), 'E_TARGET', /no answer in time/);
  // An exclusion that cannot be applied is never skipped: the user meant to spare that host.
  await rejects(plan(['127.15.0.0/24'], { exclude: ['nosuch.test'], skipUnresolved: true }), 'E_TARGET', /cannot resolve the excluded name/);
});

test('exclusions: expressions, names and files, subtracted as intervals', async () => {
  const got = await addresses(['127.15.2.0/29'], { exclude: ['127.15.2.1,127.15.2.4-5', 'web01.test'] });
  assert.deepEqual(got, ['127.15.2.0', '127.15.2.2', '127.15.2.3', '127.15.2.6', '127.15.2.7']);
  // An excluded name removes every address it resolves to, even with firstAddress.
  const p = await plan(['127.15.1.8-15', 'fd00::10-fd00::12'], { exclude: ['web02.test'], firstAddress: true });
  assert.deepEqual(
    [...p].map((t) => t.address),
    ['127.15.1.8', '127.15.1.9', '127.15.1.10', '127.15.1.13', '127.15.1.14', '127.15.1.15', 'fd00::10', 'fd00::12'],
  );
  assert.equal(p.has('127.15.1.11'), false);
  assert.equal(p.has('127.15.1.10'), true);
  assert.equal(p.has('FD00:0::10'), true);
  assert.equal(p.has('garbage'), false);

  const ex = file('exclude.txt', '# hosts we must not touch\n127.15.3.0/25\n\n127.15.3.200  # the printer\n');
  const big = await plan(['127.15.3.0/24'], { excludeFiles: [ex] });
  assert.equal(big.count, 256 - 128 - 1);
  assert.equal(big.has('127.15.3.200'), false);
  assert.equal(big.has('127.15.3.201'), true);
});

test('exclusions leaving nothing are refused', async () => {
  await rejects(plan(['127.15.0.0/30'], { exclude: ['127.15.0.0/24'] }), 'E_TARGET_LIMIT', /no addresses left to scan: the 1 exclusion remove every target/);
  await rejects(plan([]), 'E_TARGET_LIMIT', /no targets given/);
});

test('-iL files: several expressions per line, comments, blank lines, CRLF, BOM', async () => {
  const list = file('targets.txt', '\ufeff# lab\r\n127.15.4.1 127.15.4.2,127.15.4.3\r\n\r\n   # indented comment\n127.15.4.10-12 web01.test # names too\n2001:db8::1\n');
  const p = await plan([], { inputFiles: [list] });
  assert.deepEqual(
    [...p].map((t) => t.address),
    ['127.15.1.10', '127.15.4.1', '127.15.4.2', '127.15.4.3', '127.15.4.10', '127.15.4.11', '127.15.4.12', '2001:db8::1'],
  );
});

test('-iL files: errors name the file, line and column', async () => {
  const list = file('bad.txt', '127.15.4.1\n# fine so far\n127.15.4.2   10.0.0.0/33\n');
  const e = await rejects(plan([], { inputFiles: [list] }), 'E_TARGET', /bad\.txt:3:14: bad target '10\.0\.0\.0\/33': prefix length 33/);
  assert.deepEqual(e.where, { file: list, line: 3, column: 14 });
  const unresolved = file('names.txt', '\n\nnosuch.test\n');
  await rejects(plan([], { inputFiles: [unresolved] }), 'E_TARGET', /names\.txt:3:1: bad target 'nosuch\.test'/);
  const exBad = file('ex-bad.txt', '127.15.0.5-2\n');
  await rejects(plan(['127.15.0.1'], { excludeFiles: [exBad] }), 'E_TARGET', /ex-bad\.txt:1:1: .*reversed/);
});

test('-iL files: unreadable files are refused with the OS reason', async () => {
  await rejects(plan([], { inputFiles: [join(dir, 'missing.txt')] }), 'E_INPUT', /cannot read target list .*missing\.txt: no such file \(ENOENT\)/);
  const sub = join(dir, 'a-directory');
  mkdirSync(sub, { recursive: true });
  await rejects(plan([], { inputFiles: [sub] }), 'E_INPUT', /a-directory: it is a directory/);
  await rejects(plan(['127.15.0.1'], { excludeFiles: [join(dir, 'nope')] }), 'E_INPUT', /cannot read exclude list/);
  const utf16 = join(dir, 'utf16.txt');
  writeFileSync(utf16, Buffer.from('\ufeff127.15.0.1\r\n', 'utf16le'));
  await rejects(plan([], { inputFiles: [utf16] }), 'E_INPUT', /NUL bytes/);
  if (process.getuid?.() !== 0) {
    const locked = file('locked.txt', '127.15.0.1\n');
    chmodSync(locked, 0o000);
    await rejects(plan([], { inputFiles: [locked] }), 'E_INPUT', /permission denied \(EACCES\)/);
  }
});

test('limits: /0 and ::/0 are refused outright, even with force', async () => {
  await rejects(plan(['0.0.0.0/0'], { force: true }), 'E_TARGET_LIMIT', /'0\.0\.0\.0\/0' covers the entire IPv4 address space/);
  await rejects(plan(['::/0'], { force: true }), 'E_TARGET_LIMIT', /entire IPv6 address space/);
  await rejects(plan(['0.0.0.0-255.255.255.255'], { force: true }), 'E_TARGET_LIMIT', /entire IPv4/);
  const list = file('zero.txt', '\n 0.0.0.0/0\n');
  await rejects(plan([], { inputFiles: [list] }), 'E_TARGET_LIMIT', /zero\.txt:2:2: target '0\.0\.0\.0\/0'/);
  // An exclusion of a whole family is legitimate: "everything but IPv6".
  const p = await plan(['127.15.0.1', '2001:db8::1'], { exclude: ['::/0'] });
  assert.deepEqual([...p].map((t) => t.address), ['127.15.0.1']);
});

test('limits: counted from the intervals, refused above --max-hosts without force', async () => {
  const started = process.hrtime.bigint();
  await rejects(plan(['10.0.0.0/8']), 'E_TARGET_LIMIT', /expand to 16,777,216 addresses, more than --max-hosts 65,536; .*--force/);
  await rejects(plan(['127.15.0.0/24'], { maxHosts: 100 }), 'E_TARGET_LIMIT', /256 addresses, more than --max-hosts 100/);
  // A /8 is counted, not enumerated: with force the plan exists at once and holds one interval.
  const eight = await plan(['10.0.0.0/8'], { force: true });
  assert.equal(eight.count, 16_777_216);
  assert.equal(eight.ipv4.intervals.length, 1);
  const it = eight[Symbol.iterator]();
  assert.deepEqual(it.next().value, { address: '10.0.0.0', names: [] });
  assert.deepEqual(it.next().value, { address: '10.0.0.1', names: [] });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  assert.ok(ms < 2000, `counting took ${ms} ms; it must not enumerate`);
  // The exact limit is allowed; one more is not.
  assert.equal((await plan(['127.15.0.0/24'], { maxHosts: 256 })).count, 256);
  await rejects(plan(['127.15.0.0/24', '127.16.0.0'], { maxHosts: 256 }), 'E_TARGET_LIMIT', /257 addresses/);
  await rejects(plan(['2001:db8::/64'], { force: true }), 'E_TARGET_LIMIT', /18,446,744,073,709,551,616 addresses; more than 4,294,967,296 is refused even with --force/);
  await rejects(plan(['127.15.0.1'], { maxHosts: 0 }), 'E_USAGE', /--max-hosts must be a whole number/);
});

test('streaming: a /16 is walked one target at a time from two bigints', async () => {
  const p = await plan(['127.15.0.0/16'], { exclude: ['127.15.128.0/17'] });
  assert.equal(p.count, 32_768);
  assert.equal(p.ipv4.intervals.length, 1);
  let n = 0;
  let last = '';
  for (const t of p) {
    n++;
    last = t.address;
  }
  assert.equal(n, 32_768);
  assert.equal(last, '127.15.127.255');

  // The async generator is lazy too: the first targets arrive without walking the rest.
  const gen = streamTargets(['127.15.0.0/16'], { resolver });
  const one = await gen.next();
  assert.deepEqual(one.value, { address: '127.15.0.0', names: [] });
  await gen.return(undefined);
  let count = 0;
  for await (const t of streamTargets(['127.15.0.0/16'], { resolver })) {
    if (count === 0) assert.equal(t.address, '127.15.0.0');
    count++;
  }
  assert.equal(count, 65_536);
});
