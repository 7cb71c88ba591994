/**
 * The contract between the core and any UI layer: React binds it with `useSyncExternalStore`.
 * `getSnapshot` returns the same object until something changed.
 */
export interface ExternalStore<T> {
  /** Registers `listener`, called after each change; returns the function that removes it. */
  readonly subscribe: (listener: () => void) => () => void;
  /** The current value; the same reference until it changes. */
  readonly getSnapshot: () => T;
}

/** A store that does work (SDK subscriptions, timers) only while someone listens. */
export interface SharedStore<T> extends ExternalStore<T> {
  /** Replaces the snapshot and notifies listeners when it is a different object. */
  readonly set: (next: T) => void;
  /** `true` from just before `start` runs until its cleanup has run. */
  readonly running: () => boolean;
}

/**
 * A {@link SharedStore}: the first listener calls `start`, and the function `start` returns undoes
 * it after the last listener left, one macrotask later, so StrictMode's unsubscribe-then-resubscribe
 * or a component moving in the tree does not tear down and rebuild SDK subscriptions.
 */
export function sharedStore<T>(initial: T, start: () => () => void): SharedStore<T> {
  const listeners = new Set<() => void>();
  let snapshot = initial;
  let running = false;
  let stop: (() => void) | undefined;
  let stopTimer: ReturnType<typeof setTimeout> | undefined;
  return {
    subscribe(listener) {
      listeners.add(listener);
      clearTimeout(stopTimer);
      if (!running) {
        running = true;
        stop = start();
      }
      return () => {
        if (listeners.delete(listener) && !listeners.size) {
          stopTimer = setTimeout(() => {
            if (!listeners.size && running) {
              running = false;
              stop?.();
            }
          }, 0);
        }
      };
    },
    getSnapshot: () => snapshot,
    set(next) {
      if (next === snapshot) return;
      snapshot = next;
      for (const listener of [...listeners]) listener();
    },
    running: () => running,
  };
}

/**
 * `next` unless it equals `previous` field by field (errors by `code`, so a new error object for
 * the same problem does not re-render): snapshots keep their identity while nothing changed.
 */
export function same<T extends object>(previous: T, next: T): T {
  for (const key in next) {
    const a = previous[key] as { code?: unknown } | undefined;
    const b = next[key] as { code?: unknown } | undefined;
    if (a !== b && !(key === 'error' && a && b && a.code === b.code)) return next;
  }
  return previous;
}

/** A store whose value never changes (a placeholder while a room is unknown, a server value). */
export function constantStore<T>(value: T): ExternalStore<T> {
  return { subscribe: () => noop, getSnapshot: () => value };
}

/** Does nothing: a shared no-op callback. @internal */
export function noop(): void {}

/** `map`'s value for `key`, created by `create` on first use. */
export function cached<K, V>(
  map: { get(key: K): V | undefined; set(key: K, value: V): unknown },
  key: K,
  create: () => V,
): V {
  let value = map.get(key);
  if (value === undefined) map.set(key, (value = create()));
  return value;
}
