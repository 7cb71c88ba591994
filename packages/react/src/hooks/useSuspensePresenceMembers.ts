import type { PresenceData } from '@ably/chat';

import { presenceStore } from '../core/presence-store';
import type { PresenceEntry, PresenceGroupBy, PresenceMember, PresencePerson } from '../core/types';
import { useInitialData, useSuspenseData } from './internal/useSuspenseData';
import {
  type UsePresenceMembersOptions,
  type UsePresenceMembersResult,
  usePresenceMembers,
} from './usePresenceMembers';

/** Options for {@link useSuspensePresenceMembers}. */
export interface UseSuspensePresenceMembersOptions<
  TData = PresenceData,
  G extends PresenceGroupBy = 'connection',
  TSelected = readonly PresenceEntry<TData, G>[],
> extends Omit<UsePresenceMembersOptions<TData, G, TSelected>, 'initialData'> {
  /**
   * Members fetched on the server: an array, or the promise of one (`getPresenceMembers()` from
   * `@presencekit/react/server`, not awaited in a Server Component, so the page streams and this
   * component waits for it). Needed for server rendering: without it the hook throws there.
   * Pass the same promise on every render (from a Server Component, or cached).
   */
  initialData?: readonly PresenceMember<TData>[] | PromiseLike<readonly PresenceMember<TData>[]>;
}

/** What {@link useSuspensePresenceMembers} returns. */
export interface UseSuspensePresenceMembersResult<TSelected> extends Omit<
  UsePresenceMembersResult<TSelected>,
  'status'
> {
  /**
   * `'ready'`: live and complete. `'stale'`: the last known list while the room recovers, or
   * `initialData` until the live list has synced.
   */
  readonly status: 'ready' | 'stale';
}

/**
 * {@link usePresenceMembers} for `<Suspense>`: suspends until the room's presence set has synced
 * (or `initialData`), then returns the list and never suspends again on joins, leaves or updates.
 * A failure with no list to show (the room failed, presence events off) is thrown as a
 * `PresenceKitError` to the nearest error boundary. Put the `<Suspense>` boundary inside
 * `<ChatRoomProvider>`.
 *
 * @example
 * ```tsx
 * function WhoIsHere() {
 *   const { members } = useSuspensePresenceMembers<{ name: string }>({ groupBy: 'clientId' });
 *   return <ul>{members.map((p) => <li key={p.key}>{p.data?.name ?? p.clientId}</li>)}</ul>;
 * }
 * ```
 */
export function useSuspensePresenceMembers<
  TData = PresenceData,
  G extends 'clientId' = 'clientId',
  TSelected = readonly PresencePerson<TData>[],
>(
  options: UseSuspensePresenceMembersOptions<TData, G, TSelected> & { groupBy: G },
): UseSuspensePresenceMembersResult<TSelected>;
/** One entry per member (clientId + connection), the default. */
export function useSuspensePresenceMembers<
  TData = PresenceData,
  G extends 'connection' = 'connection',
  TSelected = readonly PresenceMember<TData>[],
>(
  options?: UseSuspensePresenceMembersOptions<TData, G, TSelected>,
): UseSuspensePresenceMembersResult<TSelected>;
/** A grouping known only at run time: entries are members or people. */
export function useSuspensePresenceMembers<
  TData = PresenceData,
  TSelected = readonly PresenceEntry<TData, PresenceGroupBy>[],
>(
  options: UseSuspensePresenceMembersOptions<TData, PresenceGroupBy, TSelected> & {
    groupBy: PresenceGroupBy | undefined;
  },
): UseSuspensePresenceMembersResult<TSelected>;
export function useSuspensePresenceMembers<TData, TSelected>(
  options: UseSuspensePresenceMembersOptions<TData, PresenceGroupBy, TSelected> = {},
): UseSuspensePresenceMembersResult<TSelected> {
  const initialData = useInitialData(options.initialData, 'presence_fetch_failed');
  const result = usePresenceMembers<TData, TSelected>({
    ...options,
    groupBy: options.groupBy,
    initialData,
  });
  const leftGraceMs = options.leftGraceMs ?? 0;
  useSuspenseData(
    options.room,
    'useSuspensePresenceMembers()',
    (room) => presenceStore(room, leftGraceMs),
    result,
    result.status !== 'loading' || initialData !== undefined,
  );
  // Errors were thrown; `'loading'` here means `initialData` is shown until the live list.
  return { ...result, status: result.status === 'ready' ? 'ready' : 'stale' };
}
