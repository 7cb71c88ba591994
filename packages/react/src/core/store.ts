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

/** A value that tells its listeners when it is replaced: the state half of a store. */
export interface Cell<T> {
  /** The current value; the same reference until it is replaced. */
  readonly get: () => T;
  /** Replaces the value and notifies the listeners, unless `next` is the current value. */
  readonly set: (next: T) => void;
  /** Registers `listener`, called after each replacement; returns the function that removes it. */
  readonly subscribe: (listener: () => void) => () => void;
}

/** A {@link Cell} holding `initial`. */
export function cell<T>(initial: T): Cell<T> {
  const listeners = new Set<() => void>();
  let value = initial;
  return {
    get: () => value,
    set(next) {
      if (next === value) return;
      value = next;
      for (const listener of [...listeners]) listener();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
  };
}

/**
 * A store that does work (SDK subscriptions, timers) only while someone listens: the first
 * listener calls `start`, and the function `start` returns undoes it after the last listener
 * left, one macrotask later, so StrictMode's unsubscribe-then-resubscribe or a component moving in
 * the tree does not tear down and rebuild SDK subscriptions. Subclasses hold their state in
 * fields, put the SDK wiring in `start`, and publish with `set`.
 */
export abstract class SharedStore<T> implements ExternalStore<T> {
  readonly #snapshot: Cell<T>;
  #listening = 0;
  #stop: (() => void) | undefined;
  #stopTimer: ReturnType<typeof setTimeout> | undefined;
  /** `true` from just before `start` runs until its cleanup has run. */
  protected running = false;

  constructor(initial: T) {
    this.#snapshot = cell(initial);
  }

  /** Subscribes to the SDK; returns the function that undoes all of it. */
  protected abstract start(): () => void;

  /** Replaces the snapshot and notifies listeners when it is a different object. */
  protected set(next: T): void {
    this.#snapshot.set(next);
  }

  readonly getSnapshot = (): T => this.#snapshot.get();

  readonly subscribe = (listener: () => void): (() => void) => {
    const unsubscribe = this.#snapshot.subscribe(listener);
    this.#listening++;
    clearTimeout(this.#stopTimer);
    if (!this.running) {
      this.running = true;
      this.#stop = this.start();
    }
    let subscribed = true;
    return () => {
      if (!subscribed) return;
      subscribed = false;
      unsubscribe();
      if (--this.#listening === 0) this.#stopTimer = setTimeout(() => this.#stopIfIdle(), 0);
    };
  };

  #stopIfIdle(): void {
    if (this.#listening > 0 || !this.running) return;
    this.running = false;
    this.#stop?.();
  }
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
