// Shared robustness checks for the codec tests: every prefix of a recorded answer and many
// randomly corrupted copies must give a `Parsed` value — never a throw, never a hang.
import assert from 'node:assert/strict';
import type { Parsed } from './reader.js';

/** A small deterministic PRNG (xorshift32) so a failing corruption is reproducible. */
export function prng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 0x100000000;
  };
}

/** Every strict prefix must fail to parse (truncation is detected), with a message. */
export function assertPrefixesFail<T>(full: Buffer, parse: (b: Buffer) => Parsed<T>, allowOkAt: (len: number) => boolean = () => false): void {
  for (let n = 0; n < full.length; n++) {
    let r: Parsed<T>;
    try {
      r = parse(full.subarray(0, n));
    } catch (e) {
      assert.fail(`prefix of ${n} bytes threw: ${(e as Error).message}`);
    }
    if (!allowOkAt(n)) assert.equal(r.ok, false, `prefix of ${n}/${full.length} bytes parsed as complete`);
    if (!r.ok) assert.ok(r.error.length > 5, 'a failure says why');
  }
}

/** Random byte corruption (and random garbage) never makes the parser throw. */
export function assertNeverThrows<T>(full: Buffer, parse: (b: Buffer) => Parsed<T>, rounds = 400, seed = 7): void {
  const rnd = prng(seed);
  for (let i = 0; i < rounds; i++) {
    const b = Buffer.from(full);
    const flips = 1 + Math.floor(rnd() * 6);
    for (let f = 0; f < flips; f++) b[Math.floor(rnd() * b.length)] = Math.floor(rnd() * 256);
    try {
      parse(b);
    } catch (e) {
      assert.fail(`corrupted copy ${i} (${b.toString('hex').slice(0, 80)}…) threw: ${(e as Error).message}`);
    }
  }
  for (let i = 0; i < 100; i++) {
    const g = Buffer.alloc(Math.floor(rnd() * 200));
    for (let j = 0; j < g.length; j++) g[j] = Math.floor(rnd() * 256);
    try {
      parse(g);
    } catch (e) {
      assert.fail(`random garbage threw: ${(e as Error).message}`);
    }
  }
}
