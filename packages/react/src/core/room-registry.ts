import type { ChatClient, Room, RoomOptions } from '@ably/chat';

import { PresenceKitError, toPresenceKitError } from './errors';
import type { ExternalStore } from './store';

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
  return JSON.stringify(options ?? {}, (_key, value: unknown) => {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      sorted[key] = (value as Record<string, unknown>)[key];
    }
    return sorted;
  });
}

class RoomEntry implements RegisteredRoom {
  private state: RoomState = EMPTY;
  private readonly listeners = new Set<() => void>();
  private holders = 0;
  private attachHolders = 0;
  private releaseTimer: ReturnType<typeof setTimeout> | undefined;
  private acquiring: Promise<void> | undefined;
  private offStatus: (() => void) | undefined;
  private released = false;

  constructor(
    private readonly registry: RoomRegistry,
    readonly name: string,
    readonly options: RoomOptions | undefined,
    readonly key: string,
  ) {}

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  };

  readonly getSnapshot = (): RoomState => this.state;

  get holderCount(): number {
    return this.holders;
  }

  retain(attach: boolean): () => void {
    if (this.released) {
      // Only reachable when a render picked this entry just before its delayed release ran.
      this.released = false;
      this.state = EMPTY;
      this.registry.adopt(this);
    }
    this.holders++;
    if (attach) this.attachHolders++;
    if (this.releaseTimer !== undefined) {
      clearTimeout(this.releaseTimer);
      this.releaseTimer = undefined;
    }
    if (this.holders === 1 && !this.acquiring && !this.state.room) this.acquire();
    else if (attach && this.attachHolders === 1) this.attachIfWanted();

    let retained = true;
    return () => {
      if (!retained) return;
      retained = false;
      this.holders--;
      if (attach) this.attachHolders--;
      if (this.holders === 0) {
        this.releaseTimer = setTimeout(() => {
          this.releaseTimer = undefined;
          if (this.holders === 0) void this.release();
        }, ROOM_RELEASE_DELAY_MS);
      }
    };
  }

  /** Releases at once if nobody holds the room (used when another entry needs its name). */
  releaseIfIdle(): Promise<void> | undefined {
    if (this.holders > 0) return undefined;
    if (this.releaseTimer !== undefined) {
      clearTimeout(this.releaseTimer);
      this.releaseTimer = undefined;
    }
    return this.release();
  }

  /** Tries again after a conflict, once the room name may be free. */
  retryAfterConflict(): void {
    if (this.holders > 0 && !this.acquiring && this.state.error?.code === 'room_options_conflict') {
      this.acquire();
    }
  }

  private acquire(): void {
    const acquiring = (async () => {
      // A previous entry for this name (other options) must be gone first, or `rooms.get` rejects.
      await this.registry.vacate(this);
      try {
        const room = await this.registry.client.rooms.get(this.name, this.options);
        if (this.holders === 0) {
          // Everyone left while we waited: hand the room straight back.
          await this.registry.client.rooms.release(this.name);
          // A provider that mounted meanwhile saw an acquisition in flight and did not start
          // one: start it now, or that provider would stay 'loading' forever.
          if (this.holders > 0) this.acquire();
          return;
        }
        this.offStatus = room.onStatusChange((change) => {
          if ((change.current as string) === 'attached' && this.state.error) {
            this.setState({ room, error: undefined });
          }
        }).off;
        this.setState({ room, error: undefined });
        this.attachIfWanted();
      } catch (error) {
        this.setState({
          room: undefined,
          error: toPresenceKitError(
            error,
            'room_unavailable',
            `Could not get room "${this.name}": check the room name and the client's state`,
          ),
        });
      }
    })();
    this.acquiring = acquiring;
    void acquiring.finally(() => {
      if (this.acquiring === acquiring) this.acquiring = undefined;
    });
  }

  private attachIfWanted(): void {
    const room = this.state.room;
    if (!room || this.attachHolders === 0) return;
    const status = room.status as string;
    if (status === 'attached' || status === 'attaching') return;
    room.attach().catch((error: unknown) => {
      if (this.state.room !== room) return;
      this.setState({
        room,
        error: toPresenceKitError(
          error,
          'room_attach_failed',
          `Could not attach room "${this.name}": check the client's capabilities for this ` +
            'channel and the connection state',
        ),
      });
    });
  }

  private release(): Promise<void> {
    this.released = true;
    this.registry.forget(this);
    const done = (async () => {
      await this.acquiring;
      const room = this.state.room;
      this.offStatus?.();
      this.offStatus = undefined;
      if (!room || !this.released) return;
      // The snapshot keeps the released room: a hook still rendering with it reports
      // `room_unavailable` through the room's status instead of silently switching to nothing.
      try {
        await this.registry.client.rooms.release(this.name);
      } catch {
        // Releasing only fails when the client is disposed, which releases the room anyway.
      }
    })();
    this.registry.trackRelease(this.name, done);
    return done;
  }

  private setState(next: RoomState): void {
    this.state = next;
    for (const listener of [...this.listeners]) listener();
  }
}

/**
 * Rooms of one `ChatClient`, reference-counted across providers. Entries are keyed by name and
 * options compared by value; a second set of options for a name in use is reported as
 * `room_options_conflict` by the room's store, not thrown.
 */
export class RoomRegistry {
  private readonly entries = new Map<string, RoomEntry>();
  /** Releases in flight by room name: a new `rooms.get` for the name must wait for them. */
  private readonly releasing = new Map<string, Promise<void>>();

  constructor(readonly client: ChatClient) {}

  /**
   * The entry for a room, created if needed. Safe in render: it allocates but starts nothing
   * until `retain` is called.
   */
  room(name: string, options: RoomOptions | undefined): RegisteredRoom {
    if (typeof name !== 'string' || name.length === 0) {
      throw new PresenceKitError(
        'invalid_argument',
        'A room needs a non-empty name: pass <ChatRoomProvider name="my-room">.',
      );
    }
    const key = `${name}\u0000${roomOptionsKey(options)}`;
    let entry = this.entries.get(key);
    if (!entry) {
      entry = new RoomEntry(this, name, options, key);
      this.entries.set(key, entry);
    }
    return entry;
  }

  /** Called by an entry that is being released, so a later lookup creates a fresh one. */
  forget(entry: RoomEntry): void {
    if (this.entries.get(entry.key) === entry) this.entries.delete(entry.key);
  }

  /** Puts a revived entry back, unless a fresh one already took its place. */
  adopt(entry: RoomEntry): void {
    if (!this.entries.has(entry.key)) this.entries.set(entry.key, entry);
  }

  trackRelease(name: string, done: Promise<void>): void {
    const previous = this.releasing.get(name);
    const all = previous ? Promise.all([previous, done]).then(() => undefined) : done;
    this.releasing.set(name, all);
    void all.finally(() => {
      if (this.releasing.get(name) === all) this.releasing.delete(name);
      // Providers that lost a conflict over this name get their turn now.
      for (const entry of this.entries.values()) {
        if (entry.name === name) entry.retryAfterConflict();
      }
    });
  }

  /**
   * Before `entry` gets its room: releases idle entries holding the same name with other options,
   * and waits for releases of that name in flight (otherwise `rooms.get` would return the room
   * being released, or reject because its options differ).
   */
  async vacate(entry: RoomEntry): Promise<void> {
    const waits: Promise<void>[] = [];
    const inFlight = this.releasing.get(entry.name);
    if (inFlight) waits.push(inFlight);
    for (const other of this.entries.values()) {
      if (other !== entry && other.name === entry.name) {
        const release = other.releaseIfIdle();
        if (release) waits.push(release);
      }
    }
    await Promise.all(waits);
  }
}

const registries = new WeakMap<ChatClient, RoomRegistry>();

/** The registry of a client (one per client, shared by every provider using it). */
export function roomRegistry(client: ChatClient): RoomRegistry {
  let registry = registries.get(client);
  if (!registry) {
    registry = new RoomRegistry(client);
    registries.set(client, registry);
  }
  return registry;
}
