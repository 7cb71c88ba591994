import type { PresenceData } from '@ably/chat';

import type { HookState, PresenceGroupBy } from '../core/types';
import type { PresenceEntry, PresenceListOptions } from './usePresenceMembers';

/** What {@link usePresenceMember} returns. */
export interface UsePresenceMemberResult<TData, G extends PresenceGroupBy> extends HookState {
  /** The member (or person) with that key; `undefined` when not (or no longer) in the room. */
  readonly member: PresenceEntry<TData, G> | undefined;
}

/**
 * One member by key (from {@link usePresenceMemberIds}); re-renders only when that member changes.
 * Pass the same `groupBy` and `leftGraceMs` as the ids hook.
 *
 * @example
 * ```tsx
 * function Row({ id }: { id: string }) {
 *   const { member } = usePresenceMember<{ name: string }>(id);
 *   return <li>{member?.data?.name}</li>;
 * }
 * ```
 */
export function usePresenceMember<TData = PresenceData, G extends PresenceGroupBy = 'connection'>(
  key: string,
  options: PresenceListOptions<G> = {},
): UsePresenceMemberResult<TData, G> {
  void key;
  void options;
  throw new Error('usePresenceMember: not implemented yet');
}
