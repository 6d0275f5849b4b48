// Caches of values derived from a HostState (or from an object inside one): effective IIS
// configuration per scope, registry reads, collection indexes. Rules stay pure functions of the
// state; these only avoid computing the same thing once per rule.
//
// Why not a bare WeakMap: V8's young-generation collector keeps a WeakMap entry (and so its value,
// and the state the value points into) alive until the next full collection, even when the key is
// garbage. With per-state WeakMaps, every audited bundle survived a scavenge and was promoted:
// about 3 MB copied per scavenge in the audit benchmark (measured with --trace-gc-nvp: 3.7 MB
// surviving per scavenge with the caches, 1.0 MB without). So each entry set here is remembered,
// and `releaseDerived()` — called by the audit engine when an audit ends — deletes them: a
// finished audit's data then dies young, like everything else it allocated.
//
// Without a release (a test calling rules directly), entries stay ordinary WeakMap entries; at most
// TRACK_LIMIT keys are remembered, so forgetting to release can pin only a few states (an audit sets about 25).

const TRACK_LIMIT = 512;
const trackedMaps: WeakMap<object, unknown>[] = [];
const trackedKeys: object[] = [];

export class DerivedCache<K extends object, V> {
  private readonly map = new WeakMap<K, V>();

  get(key: K): V | undefined {
    return this.map.get(key);
  }

  set(key: K, value: V): V {
    this.map.set(key, value);
    if (trackedKeys.length < TRACK_LIMIT) {
      trackedMaps.push(this.map as WeakMap<object, unknown>);
      trackedKeys.push(key);
    }
    return value;
  }

  delete(key: K): void {
    this.map.delete(key);
  }
}

/** Forget every entry set since the last release. Only a cost: a later lookup recomputes. */
export function releaseDerived(): void {
  for (let i = 0; i < trackedKeys.length; i++) trackedMaps[i]!.delete(trackedKeys[i]!);
  trackedMaps.length = 0;
  trackedKeys.length = 0;
}
