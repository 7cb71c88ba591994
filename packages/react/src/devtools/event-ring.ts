import type { PresenceEvent, Room } from '@ably/chat';

/** One presence event as the devtools list it. */
export interface RecordedEvent {
  /** A number increasing with each event the devtools saw (a React key). */
  readonly seq: number;
  /** When the devtools received it (milliseconds since the epoch). */
  readonly at: number;
  readonly type: string;
  readonly clientId: string;
  readonly connectionId: string;
  readonly data: unknown;
}

/**
 * The latest presence events of each room, at most `limit` per room (older ones dropped). It
 * listens through the SDK's public `room.presence.subscribe`, beside the hooks' own listeners, so
 * it works the same against Ably and the emulator and changes nothing the hooks see.
 */
export class EventRing {
  readonly #limit: number;
  readonly #rooms = new Map<Room, { events: RecordedEvent[]; stop: () => void; note?: string }>();
  #seq = 0;

  constructor(limit: number) {
    this.#limit = limit;
  }

  /** Listens to exactly these rooms: starts on new ones, stops on rooms no longer listed. */
  follow(rooms: Iterable<Room>): void {
    const wanted = new Set(rooms);
    for (const [room, entry] of this.#rooms) {
      if (!wanted.has(room)) {
        entry.stop();
        this.#rooms.delete(room);
      }
    }
    for (const room of wanted) {
      if (this.#rooms.has(room)) continue;
      const events: RecordedEvent[] = [];
      try {
        const { unsubscribe } = room.presence.subscribe(({ type, member }: PresenceEvent) => {
          const { clientId, connectionId } = member;
          const data: unknown = member.data;
          events.push({ seq: ++this.#seq, at: Date.now(), type, clientId, connectionId, data });
          if (events.length > this.#limit) events.shift();
        });
        this.#rooms.set(room, { events, stop: unsubscribe });
      } catch {
        // The SDK refuses when the room has presence events off: nothing to record.
        this.#rooms.set(room, { events, stop: () => undefined, note: 'presence events are off' });
      }
    }
  }

  /** The room's recorded events, newest last, or why there are none. */
  events(room: Room): { events: readonly RecordedEvent[]; note?: string } {
    return this.#rooms.get(room) ?? { events: [] };
  }

  /** Stops listening to every room. */
  stop(): void {
    this.follow([]);
  }
}
