// Hostile and damaged input: every parser must answer with problems, never an exception, and a
// damaged file must not take the rest of the bundle down.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildHostState } from './bundle.js';
import { fixtureFiles } from './fixtures/fixtures.js';
import { ARTIFACT_KINDS } from '../host/state.js';

const F = fixtureFiles();

/** A small deterministic generator, so a failure can be replayed. */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 0x100000000;
  };
}

test('truncated and corrupted copies of every fixture parse without throwing, under every kind', () => {
  const rand = rng(20240301);
  let runs = 0;
  for (const [name, bytes] of Object.entries(F)) {
    const variants: Uint8Array[] = [bytes.subarray(0, Math.floor(bytes.length / 2)), bytes.subarray(0, 3), bytes.subarray(1)];
    for (let k = 0; k < 4; k++) {
      const copy = Uint8Array.from(bytes);
      for (let j = 0; j < 8; j++) copy[Math.floor(rand() * copy.length)] = Math.floor(rand() * 256);
      variants.push(copy);
    }
    for (const v of variants) {
      // As recognised, and forced through each parser by a manifest entry.
      for (const kind of [undefined, ...ARTIFACT_KINDS]) {
        const st = buildHostState({ files: [{ name, bytes: v }, { name: 'intact/systeminfo.txt', bytes: F['systeminfo.txt']! }], ...(kind ? { manifest: { files: [{ file: name, kind }] } } : {}), problems: [] });
        runs++;
        assert.ok(st.system?.hostName, 'the intact file beside the damaged one is still read');
        assert.ok(st.problems.every((p) => p.artifact === name || p.artifact === 'intact/systeminfo.txt'), 'problems name their file');
        assert.ok(!st.problems.some((p) => /internal parser error/.test(p.reason)), `${name} as ${kind ?? 'sniffed'}: ${st.problems.find((p) => /internal/.test(p.reason))?.reason}`);
      }
    }
  }
  assert.ok(runs > 1000);
});

test('pathological sizes: a long single line, deep XML nesting, many tiny Registry.pol entries', () => {
  const longLine = new TextEncoder().encode('Windows Registry Editor Version 5.00\r\n\r\n[HKEY_LOCAL_MACHINE\\X]\r\n"v"=hex:' + '00,'.repeat(200_000) + '00\r\n');
  const a = buildHostState({ files: [{ name: 'long.reg', bytes: longLine }], problems: [] });
  assert.equal((a.registry!.keys['hklm\\x']!.values['v']![0]!.data as { value: number[] }).value.length, 200_001);
  const deep = '<configuration>' + '<a>'.repeat(5000) + '</a>'.repeat(5000) + '</configuration>';
  const b = buildHostState({ files: [{ name: 'web.config', bytes: new TextEncoder().encode(deep) }], problems: [] });
  assert.ok(b.iis);
  assert.ok(b.problems.some((p) => /nested deeper than 64 levels/.test(p.reason)));
  assert.ok(!b.problems.some((p) => /internal parser error/.test(p.reason)));
  const t0 = Date.now();
  const many = ['Windows Registry Editor Version 5.00', ''];
  for (let i = 0; i < 20_000; i++) many.push(`[HKEY_LOCAL_MACHINE\\K${i}]`, `"v"=dword:${(i % 16).toString(16).padStart(8, '0')}`);
  const c = buildHostState({ files: [{ name: 'many.reg', bytes: new TextEncoder().encode(many.join('\r\n')) }], problems: [] });
  assert.equal(Object.keys(c.registry!.keys).length, 20_000);
  assert.ok(Date.now() - t0 < 10_000, 'linear, not quadratic');
});

// Names read from a file key plain-object records; "__proto__" must stay an entry (not re-parent
// the record) and "constructor" must not find what every object inherits.
test('hostile names: "__proto__" and "constructor" are entries like any other', async () => {
  const { parseServicesJson, parseScQuery } = await import('./misc.js');
  const { parseRegFile } = await import('./registry.js');
  const { parseSecedit } = await import('./secedit.js');
  const { parseNetList } = await import('./console.js');
  const { buildHostState } = await import('./bundle.js');
  const own = (o: object, k: string): boolean => Object.getPrototypeOf(o) === Object.prototype && Object.hasOwn(o, k);

  const json = JSON.stringify([
    { Name: '__proto__', Status: 4, StartType: 2 },
    { Name: 'constructor', Status: 1, StartType: 4 },
    { Name: 'W3SVC', Status: 4, StartType: 2 },
  ]);
  const sj = parseServicesJson('services.json', json).slice.services;
  assert.ok(own(sj, '__proto__') && own(sj, 'constructor') && own(sj, 'w3svc'));
  assert.equal(sj['__proto__']!.state!.value, 'running');
  assert.equal(sj['constructor']!.startType!.value, 'disabled');
  const sc = parseScQuery('sc.txt', 'SERVICE_NAME: __proto__\r\n        STATE              : 4  RUNNING\r\n').slice.services;
  assert.ok(own(sc, '__proto__'));
  assert.equal(sc['__proto__']!.state!.value, 'running');

  // Through buildHostState, from one file and merged from two.
  const bytes = new TextEncoder().encode(json);
  const one = buildHostState({ files: [{ name: 'services.json', bytes }], problems: [] });
  assert.deepEqual(Object.keys(one.services!.services), ['__proto__', 'constructor', 'w3svc']);
  const two = buildHostState({ files: [{ name: 'a/services.json', bytes }, { name: 'b/services.json', bytes }], problems: [] });
  assert.ok(own(two.services!.services, '__proto__'));
  assert.equal(two.services!.services['constructor']!.state!.value, 'stopped');

  // A .reg value or key named after Object.prototype's members.
  const reg = parseRegFile('x.reg', 'Windows Registry Editor Version 5.00\r\n\r\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\X]\r\n"__proto__"=dword:00000001\r\n"constructor"=dword:00000002\r\n"toString"="s"\r\n\r\n[constructor]\r\n"a"=dword:00000003\r\n');
  assert.ok(!reg.problems.some((p) => /internal|TypeError/.test(p.reason)), JSON.stringify(reg.problems));
  const k = reg.slice.keys['hklm\\software\\x']!;
  assert.ok(own(k.values, '__proto__') && own(k.values, 'constructor') && own(k.values, 'tostring'));
  assert.deepEqual(k.values['constructor']!.map((e) => e.data), [{ type: 'REG_DWORD', value: 2 }]);
  // A key named "constructor" (no hive) is read without an internal error. (Its id comes from
  // canonicalKeyPath in src/host, which looks the first part up in a plain-object alias table.)
  assert.equal(Object.values(reg.slice.keys).length, 2);

  // secedit: a section and privilege named like prototype members.
  const sp = parseSecedit('x.inf', '[Unicode]\r\nUnicode=yes\r\n[__proto__]\r\na=1\r\n[constructor]\r\nb=2\r\n[Privilege Rights]\r\n__proto__ = *S-1-5-32-544\r\n').slice;
  assert.ok(own(sp.otherSections, '__proto__') && own(sp.otherSections, 'constructor'));
  assert.deepEqual(sp.otherSections['constructor']!.map((e) => e.name), ['b']);
  assert.deepEqual(sp.privilegeRights['__proto__']!.value, ['*S-1-5-32-544']);

  // net user list.
  const users = parseNetList('u.txt', '\r\nUser accounts for \\\\WEB01\r\n\r\n-------------------------------------------------------------------------------\r\n__proto__                constructor              Guest\r\nThe command completed successfully.\r\n', 'users').slice.users;
  assert.ok(own(users, '__proto__') && own(users, 'constructor') && own(users, 'guest'));
});
