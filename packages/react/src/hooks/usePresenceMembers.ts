import type { PresenceData } from '@ably/chat';
import { useCallback } from 'react';

import { invalidOption } from '../core/errors';
import type { PresenceSnapshot } from '../core/presence-store';
import type {
  HookState,
  PresenceEntry,
  PresenceGroupBy,
  PresenceListOptions,
  PresenceMember,
  PresencePerson,
} from '../core/types';
import { usePresenceSource } from './internal/usePresenceSource';
import { useSelectedStore } from './internal/useSelectedStore';

/** Options for {@link usePresenceMembers}. */
export interface UsePresenceMembersOptions<
  TData = PresenceData,
  G extends PresenceGroupBy = 'connection',
  TSelected = readonly PresenceEntry<TData, G>[],
> extends PresenceListOptions<G> {
  /**
   * Derives what this component needs from the list; the component re-renders only when the
   * selected value changes (per `isEqual`), the count, the status or the error.
   */
  selector?: (members: readonly PresenceEntry<TData, G>[]) => TSelected;
  /**
   * Compares two selected values. Use the exported `shallow` for arrays or objects built by the
   * selector.
   * @defaultValue `Object.is`
   */
  isEqual?: (a: TSelected, b: TSelected) => boolean;
  /** Members rendered on the server, painted until the live list is known. */
  initialData?: readonly PresenceMember<TData>[];
}

/** What {@link usePresenceMembers} returns. */
export interface UsePresenceMembersResult<TSelected> extends HookState {
  /** The members (or people, or the selected value), in the order they joined. */
  readonly members: TSelected;
  /** How many are present (members, or people with `groupBy: 'clientId'`), excluding those who left. */
  readonly count: number;
}

/**
 * Who is in the room, kept incrementally from presence events (no refetch per event) and
 * rendered at most once per animation frame. The list appears whole once the presence set has
 * synced.
 *
 * @example
 * ```tsx
 * const { members, count, status } = usePresenceMembers<{ name: string }>();
 * return <ul>{members.map((m) => <li key={m.key}>{m.data?.name ?? m.clientId}</li>)}</ul>;
 * ```
 * @example One entry per person (`groupBy` picks the entry type, also with a data type given):
 * ```tsx
 * const { members: people } = usePresenceMembers<{ name: string }>({ groupBy: 'clientId' });
 * const names = people.map((person) => person.data?.name ?? person.clientId);
 * ```
 * @example One entry per person, only names:
 * ```tsx
 * const { members: names } = usePresenceMembers({
 *   groupBy: 'clientId',
 *   selector: (people) => people.map((p) => p.clientId),
 *   isEqual: shallow,
 * });
 * ```
 */
export function usePresenceMembers<
  TData = PresenceData,
  G extends 'clientId' = 'clientId',
  TSelected = readonly PresencePerson<TData>[],
>(
  options: UsePresenceMembersOptions<TData, G, TSelected> & { groupBy: G },
): UsePresenceMembersResult<TSelected>;
/** One entry per member (clientId + connection), the default. */
export function usePresenceMembers<
  TData = PresenceData,
  G extends 'connection' = 'connection',
  TSelected = readonly PresenceMember<TData>[],
>(options?: UsePresenceMembersOptions<TData, G, TSelected>): UsePresenceMembersResult<TSelected>;
/** A grouping known only at run time: entries are members or people. */
export function usePresenceMembers<
  TData = PresenceData,
  TSelected = readonly PresenceEntry<TData, PresenceGroupBy>[],
>(
  options: UsePresenceMembersOptions<TData, PresenceGroupBy, TSelected> & {
    groupBy: PresenceGroupBy | undefined;
  },
): UsePresenceMembersResult<TSelected>;
export function usePresenceMembers<TData, G extends PresenceGroupBy, TSelected>(
  options: UsePresenceMembersOptions<TData, G, TSelected> = {},
): UsePresenceMembersResult<TSelected> {
  const { selector, isEqual, initialData } = options;
  if (process.env.NODE_ENV !== 'production') {
    checkFunction('selector', selector);
    checkFunction('isEqual', isEqual);
  }
  const byPerson = options.groupBy === 'clientId';
  const { store, initial, withInitial } = usePresenceSource(
    options,
    initialData,
    'usePresenceMembers()',
  );

  const select = useCallback(
    (snapshot: PresenceSnapshot): UsePresenceMembersResult<TSelected> => {
      const shown = withInitial(snapshot);
      const list = (byPerson ? shown.peopleList : shown.list) as readonly PresenceEntry<TData, G>[];
      return {
        members: selector ? selector(list) : (list as TSelected),
        count: byPerson ? shown.peopleCount : shown.count,
        status: shown.status,
        error: shown.error,
      };
    },
    [byPerson, selector, withInitial],
  );
  const equal = useCallback(
    (a: UsePresenceMembersResult<TSelected>, b: UsePresenceMembersResult<TSelected>) =>
      a.count === b.count &&
      a.status === b.status &&
      a.error === b.error &&
      (isEqual ?? Object.is)(a.members, b.members),
    [isEqual],
  );
  return useSelectedStore(store, initial, select, equal);
}

/** Throws for an option that must be a function but is not (JavaScript callers; development only). */
function checkFunction(name: string, value: unknown): void {
  if (value !== undefined && typeof value !== 'function') {
    throw invalidOption('usePresenceMembers()', name, value, 'pass a function, or leave it out');
  }
}
