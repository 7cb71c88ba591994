import { type ExternalStore, noop } from './store';

/**
 * What Suspense needs from the core, without React: a promise to throw while a store has no data
 * yet, and the outcome of a promise the app gave (server data streamed from a Server Component).
 */

/**
 * How long a store stays held after its first data arrived when no component commits to take it
 * over (a render React abandoned). A committed component releases the hold at once.
 */
export const SUSPENSE_HOLD_MS = 30_000;

/** A wait for a store's first data: the promise React is given, and the store kept running. */
interface Hold {
  readonly promise: Promise<void>;
  readonly release: () => void;
  settled: boolean;
}

const holds = new WeakMap<object, Hold>();

/**
 * A promise that resolves once `ready(store.getSnapshot())` is true: the same promise for every
 * render that asks while it is pending (StrictMode's second render, React's retries, several
 * components on one store), as Suspense requires.
 *
 * A suspended component never commits, so it never subscribes: the promise listens to the store
 * instead, which starts a shared store (its SDK subscription or first fetch). It keeps listening
 * after resolving, until {@link releaseFirstData} (the component committed and subscribed on its
 * own) or {@link SUSPENSE_HOLD_MS}, so the store is not stopped and reset between React's retry and
 * the commit, which would suspend the component again.
 */
export function firstData<S>(
  store: ExternalStore<S>,
  ready: (snapshot: S) => boolean,
): Promise<void> {
  const current = holds.get(store);
  if (current && !current.settled) return current.promise;
  current?.release();
  let unsubscribe: (() => void) | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let resolve!: () => void;
  const hold: Hold = {
    promise: new Promise<void>((done) => (resolve = done)),
    settled: false,
    release() {
      clearTimeout(timer);
      unsubscribe?.();
      unsubscribe = undefined;
      if (holds.get(store) === hold) holds.delete(store);
    },
  };
  const check = (): void => {
    if (hold.settled || !ready(store.getSnapshot())) return;
    hold.settled = true;
    timer = setTimeout(hold.release, SUSPENSE_HOLD_MS);
    resolve();
  };
  holds.set(store, hold);
  unsubscribe = store.subscribe(check);
  check();
  return hold.promise;
}

/** Hands a store over from the Suspense wait to a committed component: stops holding it. */
export function releaseFirstData(store: object): void {
  const hold = holds.get(store);
  if (hold?.settled) hold.release();
}

/** A promise with its outcome written on it, as React's `use` and the RSC runtime do. */
type TrackedThenable<T> = PromiseLike<T> & {
  status?: string;
  value?: T;
  reason?: unknown;
};

/**
 * The value of `promise` once it has settled; until then throws it, so the nearest `<Suspense>`
 * waits. A rejected promise throws its reason. Follows React's `use`: the outcome is read from
 * (and, on a plain promise, written to) its `status`, `value` and `reason`, so a promise React or
 * a Server Component already resolved is read at once, on the first render and in hydration. A
 * thenable with a status of its own (React's RSC chunks: `'resolved_model'`, …) is never written
 * to, only asked to settle.
 */
export function readPromise<T>(promise: PromiseLike<T>): T {
  const thenable = promise as TrackedThenable<T>;
  if (typeof thenable.status === 'string') {
    // Someone else's bookkeeping: `then` makes an RSC chunk parse itself, maybe synchronously.
    if (thenable.status !== 'fulfilled' && thenable.status !== 'rejected') {
      thenable.then(noop, noop);
    }
  } else {
    thenable.status = 'pending';
    thenable.then(
      (value) => {
        if (thenable.status !== 'pending') return;
        thenable.status = 'fulfilled';
        thenable.value = value;
      },
      (reason: unknown) => {
        if (thenable.status !== 'pending') return;
        thenable.status = 'rejected';
        thenable.reason = reason;
      },
    );
  }
  // Read again: the status may have changed in `then`.
  const status: string | undefined = thenable.status;
  if (status === 'fulfilled') return thenable.value as T;
  if (status === 'rejected') throw thenable.reason;
  // eslint-disable-next-line @typescript-eslint/only-throw-error -- Suspense waits on a thrown promise.
  throw promise;
}

/** `true` for a promise (or any thenable), as opposed to a plain value. */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as { then?: unknown } | null | undefined)?.then === 'function';
}
