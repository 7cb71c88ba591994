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

/**
 * A store that does work (SDK subscriptions, timers) only while someone listens. The first
 * listener starts it; when the last one leaves it stops one macrotask later, so StrictMode's
 * unsubscribe-then-resubscribe, or a component moving in the tree, does not tear down and rebuild
 * SDK subscriptions.
 */
export abstract class SharedStore<T> implements ExternalStore<T> {
  private readonly listeners = new Set<() => void>();
  private running = false;
  private stopTimer: ReturnType<typeof setTimeout> | undefined;
  protected snapshot: T;

  protected constructor(initial: T) {
    this.snapshot = initial;
  }

  /** Starts SDK subscriptions and timers. Called when the first listener arrives. */
  protected abstract start(): void;
  /** Undoes everything `start` did. Called after the last listener left. */
  protected abstract stop(): void;

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    if (this.stopTimer !== undefined) {
      clearTimeout(this.stopTimer);
      this.stopTimer = undefined;
    }
    if (!this.running) {
      this.running = true;
      this.start();
    }
    let subscribed = true;
    return () => {
      if (!subscribed) return;
      subscribed = false;
      this.listeners.delete(listener);
      if (this.listeners.size === 0 && this.running && this.stopTimer === undefined) {
        this.stopTimer = setTimeout(() => {
          this.stopTimer = undefined;
          if (this.listeners.size === 0 && this.running) {
            this.running = false;
            this.stop();
          }
        }, 0);
      }
    };
  };

  readonly getSnapshot = (): T => this.snapshot;

  /** `true` between start and stop. */
  protected get isRunning(): boolean {
    return this.running;
  }

  /** Replaces the snapshot and notifies listeners when it is a different object. */
  protected setSnapshot(next: T): void {
    if (Object.is(next, this.snapshot)) return;
    this.snapshot = next;
    for (const listener of [...this.listeners]) listener();
  }
}

/** A store whose value never changes (a placeholder while a room is unknown, a server value). */
export function constantStore<T>(value: T): ExternalStore<T> {
  return { subscribe: () => noop, getSnapshot: () => value };
}

function noop(): void {}
