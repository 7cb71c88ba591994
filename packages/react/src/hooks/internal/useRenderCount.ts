import { useEffect, useMemo } from 'react';

import { countCommit, hookRenders, trackHook } from '../../core/hook-renders';
import type { RoomSource } from '../../core/room-source';

/**
 * Development only: counts the renders React commits for a room hook, for
 * `<PresenceKitDevtools>`. Callers guard the call with `process.env.NODE_ENV !== 'production'`
 * (constant for a build, so the hook order never changes), and production builds drop it.
 * The count is a mutable field, never state: counting cannot cause a render.
 */
export function useRenderCount(hook: string, source: RoomSource): void {
  // `useMemo`, not `useState`: the hooks' chunk imports it already, so a production build that
  // drops this hook leaves not even an extra import behind.
  const record = useMemo(() => hookRenders(hook), [hook]);
  // A token per render: StrictMode replays a commit's effects, which must count once.
  const render = {};
  useEffect(() => countCommit(record, source, render));
  useEffect(() => trackHook(record), [record]);
}
