import { useMemo } from 'react';

import { checkMs, checkOneOf } from '../../core/errors';
import {
  type PresenceSnapshot,
  presenceStore,
  staticPresenceSnapshot,
} from '../../core/presence-store';
import { type ExternalStore, constantStore } from '../../core/store';
import type { PresenceGroupBy, PresenceListOptions, PresenceMember } from '../../core/types';
import { useRoomState } from './useRoomState';

/** The store the presence hooks read, and the snapshot to render on the server / before data. */
export interface PresenceSource {
  readonly store: ExternalStore<PresenceSnapshot>;
  /** `initialData` (or nothing) with status `'loading'`: the server snapshot. */
  readonly initial: PresenceSnapshot;
  /** Swaps in `initial` while the live store has nothing yet, so server data stays painted. */
  readonly withInitial: (snapshot: PresenceSnapshot) => PresenceSnapshot;
}

/** Resolves the room, validates the list options and picks the shared presence store. */
export function usePresenceSource(
  options: PresenceListOptions<PresenceGroupBy>,
  initialData: readonly PresenceMember<unknown>[] | undefined,
  hookName: string,
): PresenceSource {
  const { groupBy = 'connection', leftGraceMs = 0 } = options;
  if (process.env.NODE_ENV !== 'production') {
    checkOneOf(hookName, 'groupBy', groupBy, ['connection', 'clientId']);
    checkMs(hookName, 'leftGraceMs', leftGraceMs, 0);
  }
  const { room, error } = useRoomState(options.room, hookName);

  const initial = useMemo(
    () => staticPresenceSnapshot(asMembers(initialData), { status: 'loading', error: undefined }),
    [initialData],
  );
  const placeholder = useMemo(
    () =>
      constantStore(
        error
          ? staticPresenceSnapshot(asMembers(initialData), { status: 'error', error })
          : initial,
      ),
    [initial, initialData, error],
  );
  const withInitial = useMemo(
    () => (snapshot: PresenceSnapshot) =>
      initial.list.length > 0 && snapshot.status === 'loading' && snapshot.list.length === 0
        ? initial
        : snapshot,
    [initial],
  );
  return {
    store: room ? presenceStore(room, leftGraceMs) : placeholder,
    initial,
    withInitial,
  };
}

function asMembers(initialData: readonly PresenceMember<unknown>[] | undefined) {
  return (initialData ?? []) as readonly PresenceMember[];
}
