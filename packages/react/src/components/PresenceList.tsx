import type { PresenceData, Room } from '@ably/chat';
import { forwardRef, type ReactElement, type Ref } from 'react';

import type { PresenceEntry, PresenceGroupBy, PresenceMember } from '../core/types';
import { usePresenceMembers } from '../hooks/usePresenceMembers';
import { type PresenceListDisplayProps, PresenceListView } from './PresenceListView';

/** Props of {@link PresenceList}. */
export interface PresenceListProps<
  TData = PresenceData,
  G extends PresenceGroupBy = 'clientId',
> extends PresenceListDisplayProps<PresenceEntry<TData, G>> {
  /** Use this room instead of the one from the nearest `<ChatRoomProvider>`. */
  room?: Room;
  /**
   * `'clientId'`: one entry per person, however many devices or tabs they use;
   * `'connection'`: one entry per connection.
   * @defaultValue `'clientId'`
   */
  groupBy?: G;
  /**
   * Keep people who left for this many milliseconds, shown as "left" (greyed by the stylesheet),
   * so a reconnecting or briefly leaving person does not flicker out of the list.
   * @defaultValue `0`
   */
  leftGraceMs?: number;
  /**
   * Members rendered on the server (for example from `@presencekit/react/server`), shown until the
   * live list is known, so the first paint is not empty.
   */
  initialData?: readonly PresenceMember<TData>[];
}

function PresenceListInner<TData, G extends PresenceGroupBy>(
  { room, groupBy, leftGraceMs, initialData, ...display }: PresenceListProps<TData, G>,
  ref: Ref<HTMLDivElement>,
) {
  const { members, status, error } = usePresenceMembers<TData, readonly PresenceEntry<TData, G>[]>({
    room,
    groupBy: groupBy ?? 'clientId',
    leftGraceMs,
    initialData,
  });
  return (
    <PresenceListView<PresenceEntry<TData, G>>
      ref={ref}
      members={members}
      status={status}
      error={error}
      {...display}
    />
  );
}

/**
 * Who is in the room, live: an avatar stack with a "+N" popover, or a scrolling list with
 * names and statuses. The local user comes first, one person across devices is shown once, and
 * the list is windowed so a room of 10,000 keeps a small DOM. Needs a room from
 * `<ChatRoomProvider>` or the `room` prop.
 *
 * @example
 * ```tsx
 * <PresenceList max={4} />
 * <PresenceList variant="list" leftGraceMs={30_000} total={useOccupancy().presenceMembers} />
 * ```
 */
export const PresenceList = forwardRef(PresenceListInner) as <
  TData = PresenceData,
  G extends PresenceGroupBy = 'clientId',
>(
  props: PresenceListProps<TData, G> & { ref?: Ref<HTMLDivElement> },
) => ReactElement | null;
