import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DerivedCache, releaseDerived } from './derived.js';
import { auditHost } from '../audit/engine.js';
import { buildHostState } from '../artifacts/bundle.js';
import { RULES } from '../rules/index.js';
import { effectiveAt, judgedScopes, scopeInfo } from '../rules/lib/iis.js';
import { fixtureFiles } from '../artifacts/fixtures/fixtures.js';

test('a derived cache answers until released, then forgets', () => {
  const cache = new DerivedCache<object, number>();
  const a = {};
  const b = {};
  assert.equal(cache.set(a, 1), 1);
  cache.set(b, 2);
  assert.deepEqual([cache.get(a), cache.get(b)], [1, 2]);
  cache.delete(b);
  assert.equal(cache.get(b), undefined);
  releaseDerived();
  assert.equal(cache.get(a), undefined);
});

test('auditHost releases the per-state caches the rules filled', () => {
  const F = fixtureFiles();
  const state = buildHostState({ files: [{ name: 'applicationHost.config', bytes: F['applicationHost.config']! }], problems: [] });
  const scope = judgedScopes(state)[0]!;
  // Filled by a rule helper outside an audit: memoised (same object back).
  const info = scopeInfo(state, scope);
  assert.equal(effectiveAt(info, 'system.webServer/directoryBrowse'), effectiveAt(info, 'system.webServer/directoryBrowse'));
  assert.equal(judgedScopes(state), judgedScopes(state));
  const before = judgedScopes(state);
  auditHost(state, RULES, { now: new Date('2026-11-21T00:00:00Z') });
  // Released at the end of the audit: recomputed, equal but not the same array.
  const after = judgedScopes(state);
  assert.notEqual(after, before);
  assert.deepEqual(after, before);
});
