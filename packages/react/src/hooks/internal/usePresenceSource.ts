import type { PresenceData } from '@ably/chat';
import { useMemo } from 'react';

import { type PresenceKitError, invalidArgument } from '../../core/errors';
import {
  type PresenceSnapshot,
  presenceStore,
  staticPresenceSnapshot,
} from '../../core/presence-store';
import { type ExternalStore, constantStore } from '../../core/store';
import type { PresenceGroupBy, PresenceMember } from '../../core/types';
import type { PresenceListOptions } from '../usePresenceMembers';
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
  const { room, error: roomError } = useRoomState(options.room, hookName);
  const invalid = validate(groupBy, leftGraceMs, hookName);

  const initial = useMemo(
    () =>
      staticPresenceSnapshot(
        (initialData ?? []) as readonly PresenceMember<PresenceData>[],
        'loading',
        undefined,
      ),
    [initialData],
  );
  const placeholder = useMemo(() => {
    const error = invalid ?? roomError;
    return constantStore(
      error
        ? staticPresenceSnapshot(
            (initialData ?? []) as readonly PresenceMember<PresenceData>[],
            'error',
            error,
          )
        : initial,
    );
  }, [initial, initialData, invalid, roomError]);

  const store = room && !invalid ? presenceStore(room, { leftGraceMs }) : placeholder;
  const hasInitial = initialData !== undefined && initialData.length > 0;
  const withInitial = useMemo(
    () => (snapshot: PresenceSnapshot) =>
      hasInitial && snapshot.status === 'loading' && snapshot.members.size === 0
        ? initial
        : snapshot,
    [hasInitial, initial],
  );
  return { store, initial, withInitial };
}

function validate(
  groupBy: unknown,
  leftGraceMs: unknown,
  hookName: string,
): PresenceKitError | undefined {
  let message: string | undefined;
  if (groupBy !== 'connection' && groupBy !== 'clientId') {
    message = `${hookName} got groupBy: ${JSON.stringify(groupBy)}: use 'connection' or 'clientId'.`;
  } else if (typeof leftGraceMs !== 'number' || !(leftGraceMs >= 0) || leftGraceMs === Infinity) {
    message = `${hookName} got leftGraceMs: ${String(leftGraceMs)}: pass 0 or a positive number of milliseconds.`;
  }
  return message === undefined ? undefined : invalidArgument(message);
}
