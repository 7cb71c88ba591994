import type { ChatClient } from '@ably/chat';

import type { RoomSource } from './room-source';
import { type ExternalStore, cached, cell, constantStore } from './store';

/**
 * Development only: the rooms each client's registry holds, for `<PresenceKitDevtools>`. The
 * registry publishes here behind `process.env.NODE_ENV !== 'production'`, so a production build
 * drops this module and the registry carries no observation code.
 */
const observed = new WeakMap<ChatClient, ReturnType<typeof cell<readonly RegistryRoom[]>>>();

/** A room a registry holds: its name and its state as a store. */
export interface RegistryRoom extends RoomSource {
  readonly name: string;
}

function roomsCell(client: ChatClient) {
  return cached(observed, client, () => cell<readonly RegistryRoom[]>([]));
}

/** The latest list of each client with a publish pending. */
const pending = new WeakMap<ChatClient, () => Iterable<RegistryRoom>>();

/**
 * Records what the registry of `client` holds (a new array only when it changed). The registry
 * calls it from render (a provider asking for its room): the devtools hear of it a microtask
 * later, since React forbids updating one component while rendering another.
 */
export function publishRooms(client: ChatClient, entries: () => Iterable<RegistryRoom>): void {
  const scheduled = pending.has(client);
  pending.set(client, entries);
  if (scheduled) return;
  queueMicrotask(() => {
    const latest = pending.get(client) ?? entries;
    pending.delete(client);
    const rooms = roomsCell(client);
    const next = [...latest()];
    const previous = rooms.get();
    if (next.length !== previous.length || next.some((room, i) => room !== previous[i])) {
      rooms.set(next);
    }
  });
}

const stores = new WeakMap<ChatClient, ExternalStore<readonly RegistryRoom[]>>();
let none: ExternalStore<readonly RegistryRoom[]> | undefined;

/**
 * The rooms the registry of `client` holds, as a store (development builds only); the same
 * store for the same client. No client: a store of no rooms.
 */
export function registryRooms(
  client: ChatClient | undefined,
): ExternalStore<readonly RegistryRoom[]> {
  if (!client) return (none ??= constantStore<readonly RegistryRoom[]>([]));
  return cached(stores, client, () => {
    const rooms = roomsCell(client);
    return { subscribe: rooms.subscribe, getSnapshot: rooms.get };
  });
}
