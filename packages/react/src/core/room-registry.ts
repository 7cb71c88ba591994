import type { ChatClient, Room, RoomOptions } from '@ably/chat';

import { PresenceKitError, toPresenceKitError } from './errors';
import { type ExternalStore, cached } from './store';

/** What a room source knows: the room once it exists, or why it does not. */
export interface RoomState {
  readonly room: Room | undefined;
  readonly error: PresenceKitError | undefined;
}

/** A room that may not exist yet, as a store. */
export type RoomSource = ExternalStore<RoomState>;

/** A room held by the registry: readable as a store, kept alive by `retain`. */
export interface RegisteredRoom extends RoomSource {
  /**
   * Keeps the room alive (and attached when `attach`) until the returned function is called.
   * Call it from an effect, never during render.
   */
  retain(attach: boolean): () => void;
}

/**
 * How long a room with no holders is kept before release. StrictMode's remount happens within the
 * same task; the delay also absorbs a provider that moves in the tree or remounts on navigation.
 */
export const ROOM_RELEASE_DELAY_MS = 100;

const EMPTY: RoomState = { room: undefined, error: undefined };

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

/** One (name, options) entry of a registry. */
interface Entry extends RegisteredRoom {
  readonly name: string;
  /** Releases at once if nobody holds the room (another entry needs its name). */
  readonly releaseIfIdle: () => Promise<void> | undefined;
  /** Tries again after a conflict, once the room name may be free. */
  readonly retry: () => void;
}

/** The rooms of one client, reference-counted across providers. */
interface Registry {
  readonly room: (name: string, options: RoomOptions | undefined) => RegisteredRoom;
}

/**
 * Rooms of one `ChatClient`, reference-counted across providers. Entries are keyed by name and
 * options compared by value; a second set of options for a name in use is reported as
 * `room_options_conflict` by the room's store, not thrown.
 */
function createRegistry(client: ChatClient): Registry {
  const entries = new Map<string, Entry>();
  /** Releases in flight by room name: a new `rooms.get` for the name waits for them. */
  const releasing = new Map<string, Promise<void>>();

  const others = (entry: Entry): Entry[] =>
    [...entries.values()].filter((other) => other !== entry && other.name === entry.name);

  /**
   * Before `entry` gets its room: releases idle entries holding the same name with other options,
   * and waits for releases of that name in flight (otherwise `rooms.get` would return the room
   * being released, or reject because its options differ).
   */
  const vacate = async (entry: Entry): Promise<void> => {
    await Promise.all([releasing.get(entry.name), ...others(entry).map((o) => o.releaseIfIdle())]);
  };

  const trackRelease = (entry: Entry, done: Promise<void>): void => {
    const { name } = entry;
    const all = Promise.all([releasing.get(name), done]);
    const tracked = all.then(() => undefined);
    releasing.set(name, tracked);
    void tracked.finally(() => {
      if (releasing.get(name) === tracked) releasing.delete(name);
      // Providers that lost a conflict over this name get their turn now.
      for (const other of others(entry)) other.retry();
    });
  };

  const createEntry = (name: string, options: RoomOptions | undefined, key: string): Entry => {
    const listeners = new Set<() => void>();
    let state = EMPTY;
    let holders = 0;
    let attachHolders = 0;
    let releaseTimer: ReturnType<typeof setTimeout> | undefined;
    let acquiring: Promise<void> | undefined;
    let offStatus: (() => void) | undefined;
    let released = false;

    const setState = (next: RoomState): void => {
      state = next;
      for (const listener of [...listeners]) listener();
    };

    const attachIfWanted = (): void => {
      const { room } = state;
      if (!room || attachHolders === 0 || ['attached', 'attaching'].includes(room.status)) return;
      room.attach().catch((error: unknown) => {
        if (state.room !== room) return;
        setState({
          room,
          error: toPresenceKitError(
            error,
            'room_attach_failed',
            process.env.NODE_ENV !== 'production'
              ? `Could not attach room "${name}": check the client's capabilities for this channel and the connection state`
              : undefined,
          ),
        });
      });
    };

    const acquire = (): void => {
      const current = (async () => {
        // A previous entry for this name (other options) must be gone first, or `rooms.get` rejects.
        await vacate(entry);
        try {
          const room = await client.rooms.get(name, options);
          if (holders === 0) {
            // Everyone left while we waited: hand the room straight back. A provider that mounted
            // meanwhile saw an acquisition in flight and did not start one: start it now.
            await client.rooms.release(name);
            if (holders > 0) acquire();
            return;
          }
          offStatus = room.onStatusChange(({ current: status }) => {
            if ((status as string) === 'attached' && state.error)
              setState({ room, error: undefined });
          }).off;
          setState({ room, error: undefined });
          attachIfWanted();
        } catch (error) {
          setState({
            room: undefined,
            error: toPresenceKitError(
              error,
              'room_unavailable',
              process.env.NODE_ENV !== 'production'
                ? `Could not get room "${name}": check the room name and the client's state`
                : undefined,
            ),
          });
        }
      })();
      acquiring = current;
      void current.finally(() => {
        if (acquiring === current) acquiring = undefined;
      });
    };

    const release = (): Promise<void> => {
      released = true;
      if (entries.get(key) === entry) entries.delete(key);
      const done = (async () => {
        await acquiring;
        const { room } = state;
        offStatus?.();
        offStatus = undefined;
        if (!room || !released) return;
        // The snapshot keeps the released room: a hook still rendering with it reports
        // `room_unavailable` through the room's status instead of silently switching to nothing.
        // Releasing only fails when the client is disposed, which releases the room anyway.
        await client.rooms.release(name).catch(() => undefined);
      })();
      trackRelease(entry, done);
      return done;
    };

    const entry: Entry = {
      name,
      subscribe(listener) {
        listeners.add(listener);
        return () => void listeners.delete(listener);
      },
      getSnapshot: () => state,
      retain(attach) {
        if (released) {
          // Only reachable when a render picked this entry just before its delayed release ran.
          released = false;
          state = EMPTY;
          if (!entries.has(key)) entries.set(key, entry);
        }
        holders++;
        if (attach) attachHolders++;
        clearTimeout(releaseTimer);
        if (holders === 1 && !acquiring && !state.room) acquire();
        else if (attach && attachHolders === 1) attachIfWanted();
        let retained = true;
        return () => {
          if (!retained) return;
          retained = false;
          holders--;
          if (attach) attachHolders--;
          if (holders === 0) {
            releaseTimer = setTimeout(() => {
              if (holders === 0) void release();
            }, ROOM_RELEASE_DELAY_MS);
          }
        };
      },
      releaseIfIdle() {
        if (holders > 0) return undefined;
        clearTimeout(releaseTimer);
        return release();
      },
      retry() {
        if (holders > 0 && !acquiring && state.error?.code === 'room_options_conflict') acquire();
      },
    };
    return entry;
  };

  return {
    room(name, options) {
      if (process.env.NODE_ENV !== 'production' && (typeof name !== 'string' || !name)) {
        throw new PresenceKitError(
          'invalid_argument',
          'A room needs a non-empty name: pass <ChatRoomProvider name="my-room">.',
        );
      }
      const key = `${name}\u0000${roomOptionsKey(options)}`;
      return cached(entries, key, () => createEntry(name, options, key));
    },
  };
}

const registries = new WeakMap<ChatClient, Registry>();

/** The registry of a client (one per client, shared by every provider using it). */
export function roomRegistry(client: ChatClient): Registry {
  return cached(registries, client, () => createRegistry(client));
}
