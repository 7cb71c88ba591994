/**
 * Shallow equality for selector results: `Object.is` on the values themselves, or on each item of
 * two arrays, each entry of two Maps or Sets, or each own enumerable key of two plain objects.
 * Pass it as `isEqual` when a selector builds a new array or object each time.
 *
 * @example
 * ```tsx
 * const { members: names } = usePresenceMembers({
 *   selector: (members) => members.map((m) => m.clientId),
 *   isEqual: shallow,
 * });
 * ```
 */
export function shallow<T>(a: T, b: T): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || a === null || typeof b !== 'object' || b === null) return false;
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;

  if (Array.isArray(a)) {
    const other = b as unknown as unknown[];
    if (a.length !== other.length) return false;
    for (let i = 0; i < a.length; i++) if (!Object.is(a[i], other[i])) return false;
    return true;
  }
  if (a instanceof Map) {
    const other = b as unknown as Map<unknown, unknown>;
    if (a.size !== other.size) return false;
    for (const [key, value] of a) {
      if (!other.has(key) || !Object.is(value, other.get(key))) return false;
    }
    return true;
  }
  if (a instanceof Set) {
    const other = b as unknown as Set<unknown>;
    if (a.size !== other.size) return false;
    for (const value of a) if (!other.has(value)) return false;
    return true;
  }

  const keysA = Object.keys(a);
  if (keysA.length !== Object.keys(b).length) return false;
  for (const key of keysA) {
    if (
      !Object.prototype.hasOwnProperty.call(b, key) ||
      !Object.is((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key])
    ) {
      return false;
    }
  }
  return true;
}
