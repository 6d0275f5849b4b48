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
