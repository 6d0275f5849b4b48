// Plain-object records keyed by names read from input files (services, registry values, policy
// entries, IIS attributes and sections). HostState keeps such records as plain objects so it stays
// JSON data; these two helpers make a hostile name ("__proto__", "constructor", "toString") an
// ordinary entry instead of a write to, or a read from, Object.prototype.

/** Set an own property even when the name is `__proto__` (a plain assignment would replace the
 *  object's prototype instead). */
export function setOwn<T>(o: Record<string, T>, k: string, v: T): void {
  if (k === '__proto__') Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
  else o[k] = v;
}

/** `o[k]` when `o` has `k` as its own property, else undefined: never what the object inherits.
 *  The own check runs only when something was found (the common miss stays one lookup). */
export function ownValue<T>(o: Record<string, T>, k: string): T | undefined {
  const v = o[k];
  return v !== undefined && Object.hasOwn(o, k) ? v : undefined;
}
