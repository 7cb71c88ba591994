import { forwardRef } from 'react';

import { usePresenceHistory, type UsePresenceHistoryOptions } from '../hooks/usePresenceHistory';
import { type PresenceHistoryDisplayProps, PresenceHistoryView } from './PresenceHistoryView';

/** Props of {@link PresenceHistory}. */
export interface PresenceHistoryProps
  extends
    PresenceHistoryDisplayProps,
    Pick<
      UsePresenceHistoryOptions<unknown>,
      'room' | 'limit' | 'direction' | 'start' | 'end' | 'maxEvents' | 'schema' | 'invalidData'
    > {
  /**
   * Add presence events as they happen.
   * @defaultValue `true`
   */
  live?: boolean;
}

/**
 * A timeline of who joined, left or changed status, with relative times, a "load more" button
 * for older pages and live updates. Windowed like `<PresenceList>` (only the entries in view are
 * in the DOM), and it keeps at most `maxEvents` (default 500, the newest), so a session left open
 * all day stays small. Needs a room from `<ChatRoomProvider>` or the `room` prop.
 * Ably keeps presence history for about two minutes unless the channel is persisted.
 *
 * @example
 * ```tsx
 * <PresenceHistory limit={20} />
 * <PresenceHistory schema={Profile} /> // events whose data fails the schema are left out
 * ```
 */
export const PresenceHistory = forwardRef<HTMLDivElement, PresenceHistoryProps>(
  function PresenceHistory(
    { room, limit, direction, start, end, maxEvents, schema, invalidData, live = true, ...display },
    ref,
  ) {
    const history = usePresenceHistory<unknown>({
      room,
      limit,
      direction,
      start,
      end,
      maxEvents,
      live,
      schema,
      invalidData,
    });
    return (
      <PresenceHistoryView
        ref={ref}
        events={history.events}
        status={history.status}
        error={history.error}
        hasNext={history.hasNext}
        isLoadingMore={history.isLoadingMore}
        onLoadMore={() => void history.loadMore()}
        {...display}
      />
    );
  },
);
