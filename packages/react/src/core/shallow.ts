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
  return compare(a, b, Object.is);
}

/** Structural equality for JSON values (presence data, members). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  return compare(a, b, jsonEqual);
}

/** `a` and `b` are the same, or objects of one kind whose entries are equal by `equal`. */
function compare(a: unknown, b: unknown, equal: (x: unknown, y: unknown) => boolean): boolean {
  if (Object.is(a, b)) return true;
  if (!a || !b || typeof a !== 'object' || Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) {
    return false;
  }
  if (a instanceof Map || a instanceof Set) {
    const other = b as Map<unknown, unknown>;
    return (
      a.size === other.size &&
      [...a.entries()].every(
        ([key, value]) => other.has(key) && (a instanceof Set || equal(value, other.get(key))),
      )
    );
  }
  const keys = Object.keys(a);
  return (
    keys.length === Object.keys(b).length &&
    keys.every(
      (key) =>
        Object.prototype.hasOwnProperty.call(b, key) &&
        equal((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]),
    )
  );
}

/**
 * `previous` when it holds the same items in the same order, else `next`: arrays keep their
 * identity while what they list is unchanged. @internal
 */
export function keep<T>(previous: readonly T[] | undefined, next: readonly T[]): readonly T[] {
  return previous?.length === next.length && previous.every((item, i) => item === next[i])
    ? previous
    : next;
}
