import type { PresenceGroupBy } from '../core/types';

import type { PresenceListOptions } from './usePresenceMembers';
import type { HookState } from '../core/types';

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
  void options;
  throw new Error('usePresenceMemberIds: not implemented yet');
}
