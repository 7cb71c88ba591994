import { forwardRef } from 'react';

import { useOccupancy, type UseOccupancyOptions } from '../hooks/useOccupancy';
import { usePresenceMembers } from '../hooks/usePresenceMembers';
import { type ViewerCountDisplayProps, ViewerCountView } from './ViewerCountView';

/** What {@link ViewerCount} counts. */
export type ViewerCountMetric = 'connections' | 'presenceMembers' | 'people';

/** Props of {@link ViewerCount}. */
export interface ViewerCountProps
  extends
    ViewerCountDisplayProps,
    Pick<UseOccupancyOptions, 'room' | 'updates' | 'pollIntervalMs' | 'initialData'> {
  /**
   * What to count:
   * - `'connections'`: everyone attached to the room, present or not (viewers);
   * - `'presenceMembers'`: members in presence (one per connection);
   * - `'people'`: members in presence counted once per clientId (a person on two devices is one).
   *   Uses the presence list instead of occupancy.
   * @defaultValue `'connections'`
   */
  metric?: ViewerCountMetric;
}

type OccupancyCountProps = Omit<ViewerCountProps, 'metric'> & {
  metric: 'connections' | 'presenceMembers';
};

const OccupancyCount = forwardRef<HTMLSpanElement, OccupancyCountProps>(function OccupancyCount(
  { metric, room, updates, pollIntervalMs, initialData, ...display },
  ref,
) {
  const occupancy = useOccupancy({ room, updates, pollIntervalMs, initialData });
  return (
    <ViewerCountView
      ref={ref}
      data-metric={metric}
      count={occupancy[metric]}
      status={occupancy.status}
      error={occupancy.error}
      {...display}
    />
  );
});

// Selecting nothing: this component re-renders when the count changes, not on every data update.
const selectNothing = () => null;

const PeopleCount = forwardRef<
  HTMLSpanElement,
  Omit<ViewerCountProps, 'metric' | 'updates' | 'pollIntervalMs' | 'initialData'>
>(function PeopleCount({ room, ...display }, ref) {
  const people = usePresenceMembers({ room, groupBy: 'clientId', selector: selectNothing });
  return (
    <ViewerCountView
      ref={ref}
      data-metric="people"
      count={people.status === 'loading' ? undefined : people.count}
      status={people.status}
      error={people.error}
      {...display}
    />
  );
});

/**
 * How many are watching, live: right on first paint (from the room's last occupancy or a REST
 * fetch), then updated by occupancy events or polling. Needs a room from `<ChatRoomProvider>`
 * or the `room` prop.
 *
 * @example
 * ```tsx
 * <ViewerCount />                                  // "1.2K watching"
 * <ViewerCount metric="people" max={99} label={(n, plural) => (plural === 'one' ? 'person' : 'people')} />
 * ```
 */
export const ViewerCount = forwardRef<HTMLSpanElement, ViewerCountProps>(function ViewerCount(
  { metric = 'connections', updates, pollIntervalMs, initialData, ...rest },
  ref,
) {
  // Separate components, not a condition around hooks: switching `metric` remounts the right one.
  return metric === 'people' ? (
    <PeopleCount ref={ref} {...rest} />
  ) : (
    <OccupancyCount
      ref={ref}
      metric={metric}
      updates={updates}
      pollIntervalMs={pollIntervalMs}
      initialData={initialData}
      {...rest}
    />
  );
});
