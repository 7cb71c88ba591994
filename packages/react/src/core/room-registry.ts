import type { ChatClient, RoomOptions } from '@ably/chat';

import { PresenceKitError } from './errors';
import { publishRooms } from './registry-observer';
import { type EntryHost, type RegisteredRoom, RoomEntry } from './room-entry';
import { cached } from './store';

/**
 * A stable string for room options, equal for options equal by value (key order ignored), so an
 * inline `options={{ … }}` does not release and re-create the room on every render.
 */
export function roomOptionsKey(options: RoomOptions | undefined): string {
  return JSON.stringify(options ?? {}, (_key, value: unknown) =>
    value && typeof value === 'object' && !Array.isArray(value)
      ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : 1)))
      : value,
  );
}

/**
 * Rooms of one `ChatClient`, reference-counted across providers. Entries are keyed by name and
 * options compared by value; a second set of options for a name in use is reported as
 * `room_options_conflict` by the room's store, not thrown.
 */
class RoomRegistry implements EntryHost {
  readonly client: ChatClient;
  readonly #entries = new Map<string, RoomEntry>();
  /** Releases in flight by room name: a new `rooms.get` for the name waits for them. */
  readonly #releasing = new Map<string, Promise<void>>();

  constructor(client: ChatClient) {
    this.client = client;
  }

  #others(entry: RoomEntry): RoomEntry[] {
    return [...this.#entries.values()].filter((o) => o !== entry && o.name === entry.name);
  }

  async vacate(entry: RoomEntry): Promise<void> {
    const idle = this.#others(entry).map((other) => other.releaseIfIdle());
    await Promise.all([this.#releasing.get(entry.name), ...idle]);
  }

  released(entry: RoomEntry, done: Promise<void>): void {
    const { name, key } = entry;
    if (this.#entries.get(key) === entry) this.#entries.delete(key);
    // What the devtools list (development only: production builds carry no observation).
    if (process.env.NODE_ENV !== 'production')
      publishRooms(this.client, () => this.#entries.values());
    const tracked = Promise.all([this.#releasing.get(name), done]).then(() => undefined);
    this.#releasing.set(name, tracked);
    void tracked.finally(() => {
      if (this.#releasing.get(name) === tracked) this.#releasing.delete(name);
      // Providers that lost a conflict over this name get their turn now.
      for (const other of this.#others(entry)) other.retry();
    });
  }

  revived(entry: RoomEntry): void {
    if (!this.#entries.has(entry.key)) this.#entries.set(entry.key, entry);
    if (process.env.NODE_ENV !== 'production')
      publishRooms(this.client, () => this.#entries.values());
  }

  /** The entry for `name` with `options` (by value), created on first use. */
  room(name: string, options: RoomOptions | undefined): RegisteredRoom {
    if (process.env.NODE_ENV !== 'production' && (typeof name !== 'string' || !name)) {
      throw new PresenceKitError(
        'invalid_argument',
        'A room needs a non-empty name: pass <ChatRoomProvider name="my-room">.',
      );
    }
    const key = `${name}\u0000${roomOptionsKey(options)}`;
    const entry = cached(this.#entries, key, () => new RoomEntry(this, key, name, options));
    if (process.env.NODE_ENV !== 'production')
      publishRooms(this.client, () => this.#entries.values());
    return entry;
  }
}

const registries = new WeakMap<ChatClient, RoomRegistry>();

/** The registry of a client (one per client, shared by every provider using it). */
export function roomRegistry(client: ChatClient): RoomRegistry {
  return cached(registries, client, () => new RoomRegistry(client));
}
