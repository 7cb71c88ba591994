import type { Room } from '@ably/chat';
import { useEffect, useSyncExternalStore } from 'react';

import { PresenceKitError, type PresenceKitErrorCode, toPresenceKitError } from '../../core/errors';
import { firstData, isThenable, readPromise, releaseFirstData } from '../../core/suspense';
import type { ExternalStore } from '../../core/store';
import type { HookState } from '../../core/types';
import { useRoomSource } from './useRoomState';

/**
 * `initialData` given as a value or a promise (a Server Component's fetch, streamed): the value,
 * suspending until the promise settles. A rejected promise throws a `PresenceKitError` with
 * `code` to the nearest error boundary.
 */
export function useInitialData<T>(
  given: T | PromiseLike<T> | undefined,
  code: PresenceKitErrorCode,
): T | undefined {
  if (!isThenable(given)) return given;
  try {
    return readPromise(given);
  } catch (thrown) {
    // The pending promise itself: Suspense waits on it.
    if (thrown === given) throw thrown;
    throw toPresenceKitError(
      thrown,
      code,
      process.env.NODE_ENV !== 'production'
        ? 'The initialData promise was rejected: check the server fetch (key, capability, network)'
        : undefined,
    );
  }
}

/**
 * What makes a hook a Suspense hook: given the result of its plain twin, throws its `error` to the
 * nearest error boundary, and until there is data (`has`) throws a promise that resolves when the
 * room exists and its store (`storeOf`) has its first data. The promise comes from the store (one
 * per store while pending), so StrictMode's double render and React's retries wait on the same
 * one; once the component commits it takes the store over from the wait.
 */
export function useSuspenseData(
  explicit: Room | undefined,
  hookName: string,
  storeOf: (room: Room) => ExternalStore<HookState>,
  state: HookState,
  has: boolean,
): void {
  const source = useRoomSource(explicit, hookName);
  const { room } = useSyncExternalStore(source.subscribe, source.getSnapshot, source.getSnapshot);
  const store = room ? storeOf(room) : undefined;
  useEffect(() => {
    releaseFirstData(source);
    if (store) releaseFirstData(store);
  }, [source, store]);

  if (state.status === 'error' && state.error) throw state.error;
  if (has) return;
  // A server has no live room to wait for (providers attach in the browser): without server data
  // the boundary would never resolve.
  if (typeof window === 'undefined') throw noServerData(hookName);
  // eslint-disable-next-line @typescript-eslint/only-throw-error -- Suspense waits on a thrown promise.
  throw store
    ? firstData(store, (snapshot) => snapshot.status !== 'loading')
    : firstData(source, (snapshot) => snapshot.room !== undefined || snapshot.error !== undefined);
}

/** A Suspense hook rendered on a server without `initialData` (a wiring mistake, rule 1). */
function noServerData(hookName: string): PresenceKitError {
  return new PresenceKitError(
    'missing_initial_data',
    process.env.NODE_ENV !== 'production'
      ? `${hookName} rendered on the server without initialData: pass initialData (a value or the ` +
          'promise of getOccupancy()/getPresenceMembers() from @presencekit/react/server) so the ' +
          'server HTML has the data, or render the component in the browser only.'
      : undefined,
  );
}
