import { useMemo, useSyncExternalStore } from 'react';

import type { PresenceKitError } from '../../core/errors';
import { type ExternalStore, constantStore } from '../../core/store';
import type { HookState } from '../../core/types';

/**
 * Reads `store`, or `initial` while there is none (the room is not known yet, or the options are
 * bad: then `error` makes it status `'error'`). That placeholder is also the server snapshot, so
 * `initial` must keep its identity across renders.
 */
export function useStore<T extends HookState>(
  store: ExternalStore<T> | undefined,
  initial: T,
  error: PresenceKitError | undefined,
): T {
  const placeholder = useMemo(
    () => constantStore<T>(error ? { ...initial, status: 'error', error } : initial),
    [initial, error],
  );
  const source = store ?? placeholder;
  return useSyncExternalStore(source.subscribe, source.getSnapshot, placeholder.getSnapshot);
}
