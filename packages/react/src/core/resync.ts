import type { Room } from '@ably/chat';

/**
 * Development only: a forced resync of a room, for `<PresenceKitDevtools>`. Stores already
 * fetch again when a room comes back after a drop or a discontinuity (`watchRoom`'s `resumed`);
 * `resync(room)` takes that same path on demand.
 */
const listeners = new WeakMap<Room, Set<() => void>>();

/** Calls `listener` whenever {@link resync} is asked for `room`; returns the function that stops. */
export function onResync(room: Room, listener: () => void): () => void {
  let set = listeners.get(room);
  if (!set) listeners.set(room, (set = new Set()));
  set.add(listener);
  return () => void set.delete(listener);
}

/** Fetches everything the room's stores hold again, as after a discontinuity. */
export function resync(room: Room): number {
  const set = listeners.get(room);
  for (const listener of [...(set ?? [])]) listener();
  return set?.size ?? 0;
}
