import { type ChatClient, type Room, type RoomOptions, RoomStatus } from '@ably/chat';

import { toPresenceKitError } from './errors';
import type { RoomSource, RoomState } from './room-source';

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

/** What an entry needs from the registry that holds it. */
export interface EntryHost {
  readonly client: ChatClient;
  /**
   * Resolves once no other entry holds this entry's name: idle ones released, releases of the
   * name in flight done (otherwise `rooms.get` would return the room being released, or reject
   * because its options differ).
   */
  vacate(entry: RoomEntry): Promise<void>;
  /** `entry` is being released; `done` settles once the SDK has released its room. */
  released(entry: RoomEntry, done: Promise<void>): void;
  /** `entry` was released but is retained again: it is the registry's entry for its key again. */
  revived(entry: RoomEntry): void;
}

// Pure transitions.

/** Whether `room` should be attached now: someone wants it attached and it is not (becoming) so. */
export function needsAttach(room: Room | undefined, attachHolders: number): room is Room {
  return (
    room !== undefined &&
    attachHolders > 0 &&
    room.status !== RoomStatus.Attached &&
    room.status !== RoomStatus.Attaching
  );
}

/**
 * One (name, options) room of a registry, reference-counted across the providers that retain it.
 *
 * Lifecycle: **idle** → (first `retain`) **acquiring**: waits for other entries of the name to go
 * (`vacate`), then `rooms.get` → **held**: attached while an attach-holder remains; a failed attach
 * or `rooms.get` is the snapshot's `error`, never thrown → (last release, then
 * {@link ROOM_RELEASE_DELAY_MS}) **released**: `rooms.release`.
 * - A `retain` during the delay cancels the release (StrictMode's remount, a provider moving).
 * - Everyone gone while `rooms.get` was in flight: the room is handed straight back.
 * - A `retain` after the release started (a render picked the entry just before) revives it.
 * - Losing a conflict over the name (`room_options_conflict`) is retried once it is free (`retry`).
 */
export class RoomEntry implements RegisteredRoom {
  /** The registry's key: the name and the options by value. */
  readonly key: string;
  readonly name: string;
  readonly #options: RoomOptions | undefined;
  readonly #host: EntryHost;
  readonly #listeners = new Set<() => void>();
  #state = EMPTY;
  #holders = 0;
  #attachHolders = 0;
  #releaseTimer: ReturnType<typeof setTimeout> | undefined;
  #acquiring: Promise<void> | undefined;
  #offStatus: (() => void) | undefined;
  #released = false;

  constructor(host: EntryHost, key: string, name: string, options: RoomOptions | undefined) {
    this.#host = host;
    this.key = key;
    this.name = name;
    this.#options = options;
  }

  #setState(next: RoomState): void {
    this.#state = next;
    for (const listener of [...this.#listeners]) listener();
  }

  #attachIfWanted(): void {
    const { room } = this.#state;
    if (!needsAttach(room, this.#attachHolders)) return;
    room.attach().catch((error: unknown) => {
      if (this.#state.room !== room) return;
      const fix =
        process.env.NODE_ENV !== 'production'
          ? `Could not attach room "${this.name}": check the client's capabilities for this channel and the connection state`
          : undefined;
      this.#setState({ room, error: toPresenceKitError(error, 'room_attach_failed', fix) });
    });
  }

  /** Gets the room once the name is free, unless everyone left meanwhile. */
  async #get(): Promise<void> {
    const { client } = this.#host;
    await this.#host.vacate(this);
    try {
      const room = await client.rooms.get(this.name, this.#options);
      if (this.#holders === 0) {
        // Everyone left while we waited: hand the room straight back. A provider that mounted
        // meanwhile saw an acquisition in flight and did not start one: start it now.
        await client.rooms.release(this.name);
        if (this.#holders > 0) this.#acquire();
        return;
      }
      this.#offStatus = room.onStatusChange(({ current }) => {
        if (current === RoomStatus.Attached && this.#state.error) {
          this.#setState({ room, error: undefined });
        }
      }).off;
      this.#setState({ room, error: undefined });
      this.#attachIfWanted();
    } catch (error) {
      const fix =
        process.env.NODE_ENV !== 'production'
          ? `Could not get room "${this.name}": check the room name and the client's state`
          : undefined;
      this.#setState({
        room: undefined,
        error: toPresenceKitError(error, 'room_unavailable', fix),
      });
    }
  }

  #acquire(): void {
    const current = this.#get();
    this.#acquiring = current;
    void current.finally(() => {
      if (this.#acquiring === current) this.#acquiring = undefined;
    });
  }

  #release(): Promise<void> {
    this.#released = true;
    const done = (async () => {
      await this.#acquiring;
      const { room } = this.#state;
      this.#offStatus?.();
      this.#offStatus = undefined;
      if (!room || !this.#released) return;
      // The snapshot keeps the released room: a hook still rendering with it reports
      // `room_unavailable` through the room's status instead of silently switching to nothing.
      // Releasing only fails when the client is disposed, which releases the room anyway.
      await this.#host.client.rooms.release(this.name).catch(() => undefined);
    })();
    this.#host.released(this, done);
    return done;
  }

  readonly subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    return () => void this.#listeners.delete(listener);
  };

  readonly getSnapshot = (): RoomState => this.#state;

  retain(attach: boolean): () => void {
    if (this.#released) {
      this.#released = false;
      this.#state = EMPTY;
      this.#host.revived(this);
    }
    this.#holders++;
    if (attach) this.#attachHolders++;
    clearTimeout(this.#releaseTimer);
    if (this.#holders === 1 && !this.#acquiring && !this.#state.room) this.#acquire();
    else if (attach && this.#attachHolders === 1) this.#attachIfWanted();
    let retained = true;
    return () => {
      if (!retained) return;
      retained = false;
      this.#holders--;
      if (attach) this.#attachHolders--;
      if (this.#holders > 0) return;
      this.#releaseTimer = setTimeout(() => {
        if (this.#holders === 0) void this.#release();
      }, ROOM_RELEASE_DELAY_MS);
    };
  }

  /** Releases at once if nobody holds the room (another entry needs its name). */
  releaseIfIdle(): Promise<void> | undefined {
    if (this.#holders > 0) return undefined;
    clearTimeout(this.#releaseTimer);
    return this.#release();
  }

  /** Tries again after a conflict, once the room name may be free. */
  retry(): void {
    const conflict = this.#state.error?.code === 'room_options_conflict';
    if (this.#holders > 0 && !this.#acquiring && conflict) this.#acquire();
  }
}
