import type { PresenceData } from '@ably/chat';
import { useCallback } from 'react';

import type { PresenceSnapshot } from '../core/presence-store';
import type { HookState, PresenceEntry, PresenceGroupBy, PresenceListOptions } from '../core/types';
import { usePresenceSource } from './internal/usePresenceSource';
import { useSelectedStore } from './internal/useSelectedStore';

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
export function usePresenceMember<TData = PresenceData, G extends 'clientId' = 'clientId'>(
  key: string,
  options: PresenceListOptions<G> & { groupBy: G },
): UsePresenceMemberResult<TData, G>;
/** One member (clientId + connection) by key, the default. */
export function usePresenceMember<TData = PresenceData, G extends 'connection' = 'connection'>(
  key: string,
  options?: PresenceListOptions<G>,
): UsePresenceMemberResult<TData, G>;
/** A grouping known only at run time: a member or a person. */
export function usePresenceMember<TData = PresenceData>(
  key: string,
  options: PresenceListOptions<PresenceGroupBy> & { groupBy: PresenceGroupBy | undefined },
): UsePresenceMemberResult<TData, PresenceGroupBy>;
export function usePresenceMember<TData, G extends PresenceGroupBy>(
  key: string,
  options: PresenceListOptions<G> = {},
): UsePresenceMemberResult<TData, G> {
  const byPerson = options.groupBy === 'clientId';
  const { store, initial, withInitial } = usePresenceSource(
    options,
    undefined,
    'usePresenceMember()',
  );
  const select = useCallback(
    (snapshot: PresenceSnapshot): UsePresenceMemberResult<TData, G> => {
      const shown = withInitial(snapshot);
      const member = byPerson ? shown.people.get(key) : shown.members.get(key);
      return {
        member: member as PresenceEntry<TData, G> | undefined,
        status: shown.status,
        error: shown.error,
      };
    },
    [byPerson, key, withInitial],
  );
  return useSelectedStore(store, initial, select, sameMember);
}

function sameMember<T extends HookState & { member: unknown }>(a: T, b: T): boolean {
  return a.member === b.member && a.status === b.status && a.error === b.error;
}
