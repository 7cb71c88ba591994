'use client';

import { type OccupancyData, useSuspenseOccupancy, ViewerCountView } from '@presencekit/react';

/**
 * The viewer count: waits (in the page's `<Suspense>`) for the server's fetch, which streams in
 * with the HTML, then follows the room live without ever showing a placeholder again.
 */
export function LiveCount({ initialData }: { initialData: Promise<OccupancyData> }) {
  const { connections, status, error } = useSuspenseOccupancy({ initialData });
  return (
    <ViewerCountView count={connections} status={status} error={error} data-testid="viewer-count" />
  );
}
