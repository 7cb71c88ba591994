import { useCallback } from 'react';

import type { PresenceSnapshot } from '../core/presence-store';
import type { HookState, PresenceGroupBy, PresenceListOptions } from '../core/types';
import { usePresenceSource } from './internal/usePresenceSource';
import { useSelectedStore } from './internal/useSelectedStore';

/** What {@link usePresenceMemberIds} returns. */
export interface UsePresenceMemberIdsResult extends HookState {
  /** Member keys (or clientIds with `groupBy: 'clientId'`) in join order; the same array until membership changes. */
  readonly ids: readonly string[];
  /** How many are present, excluding those kept by `leftGraceMs`. */
  readonly count: number;
}

/**
 * The keys of everyone in the room, for large lists: render rows from these ids and let each row
 * read its member with {@link usePresenceMember}. Data updates re-render only the row concerned.
 *
 * @example
 * ```tsx
 * const { ids } = usePresenceMemberIds();
 * return <ul>{ids.map((id) => <Row key={id} id={id} />)}</ul>;
 * ```
 */
export function usePresenceMemberIds<G extends PresenceGroupBy = 'connection'>(
  options: PresenceListOptions<G> = {},
): UsePresenceMemberIdsResult {
  const byPerson = options.groupBy === 'clientId';
  const { store, initial, withInitial } = usePresenceSource(
    options,
    undefined,
    'usePresenceMemberIds()',
  );
  const select = useCallback(
    (snapshot: PresenceSnapshot): UsePresenceMemberIdsResult => {
      const shown = withInitial(snapshot);
      return {
        ids: byPerson ? shown.peopleIds : shown.ids,
        count: byPerson ? shown.peopleCount : shown.count,
        status: shown.status,
        error: shown.error,
      };
    },
    [byPerson, withInitial],
  );
  return useSelectedStore(store, initial, select, sameIds);
}

function sameIds(a: UsePresenceMemberIdsResult, b: UsePresenceMemberIdsResult): boolean {
  return a.ids === b.ids && a.count === b.count && a.status === b.status && a.error === b.error;
}
