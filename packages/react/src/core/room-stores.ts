import type { Room } from '@ably/chat';

import { cached } from './store';

const stores = new WeakMap<Room, Map<string, unknown>>();

/**
 * The store of one kind and configuration for a room, created on first use and shared by every
 * hook that asks for the same `key`: one SDK subscription per room, however many components read
 * it. Creating a store starts nothing (stores start on their first listener), so this is safe to
 * call during render. Entries live as long as the `Room` object.
 */
export function roomStore<S>(room: Room, key: string, create: () => S): S {
  return cached(
    cached(stores, room, () => new Map<string, unknown>()),
    key,
    create,
  ) as S;
}

/** The stores created for `room` so far, by key (read by the devtools; starts nothing). */
export function roomStoresOf(room: Room): ReadonlyMap<string, unknown> {
  return stores.get(room) ?? new Map<string, unknown>();
}
