import {
  type JsonObject,
  type PresenceData,
  type PresenceEvent,
  PresenceEventType,
  type PresenceMember as SdkPresenceMember,
  type Room,
} from '@ably/chat';

import { type PresenceKitError, presenceEventsDisabled, toPresenceKitError } from './errors';
import { frameBatch } from './frame';
import { localIdentity, roomLiveness, statusOf, watchRoom } from './room-liveness';
import { roomStore } from './room-stores';
import { jsonEqual, keep } from './shallow';
import { type ExternalStore, SharedStore } from './store';
import type { HookState, PresenceMember, PresencePerson } from './types';

const LOADING_STATE: HookState = { status: 'loading', error: undefined };

/** The member key: unique per (clientId, connectionId). Opaque to users. */
export function memberKey(clientId: string, connectionId: string): string {
  return `${connectionId}:${clientId}`;
}

/**
 * What a presence store holds after a flush. Immutable: a change gives a new snapshot. Arrays keep
 * their identity while what they list is unchanged (`ids` while nobody joined or left, a person
 * object while none of their connections changed), so selectors and rows skip work.
 */
export interface PresenceSnapshot<TData = PresenceData> extends HookState {
  /** Members in join order, including those kept by `leftGraceMs`. */
  readonly list: readonly PresenceMember<TData>[];
  /** Member keys in join order; the same array while membership is unchanged. */
  readonly ids: readonly string[];
  /** Members present (not left). */
  readonly count: number;
  /** People (members grouped by clientId) in order of first arrival. */
  readonly peopleList: readonly PresencePerson<TData>[];
  /** ClientIds in order of first arrival; the same array while the set of people is unchanged. */
  readonly peopleIds: readonly string[];
  /** People with at least one connection present. */
  readonly peopleCount: number;
  /** `list` by key (built on first use). */
  readonly members: ReadonlyMap<string, PresenceMember<TData>>;
  /** `peopleList` by clientId (built on first use). */
  readonly people: ReadonlyMap<string, PresencePerson<TData>>;
}

/**
 * A presence set kept incrementally: members by key and people by clientId, each change O(1)
 * (plus the person's own connections). Its snapshots copy the two lists into arrays, nothing else.
 * Pure: no SDK, no timers; the presence store feeds it and asks for snapshots.
 */
export class PresenceSet {
  readonly #leftGraceMs: number;
  readonly #members = new Map<string, PresenceMember>();
  readonly #people = new Map<string, PresencePerson>();
  #count = 0;
  #peopleCount = 0;
  /** A member was added, replaced or removed since the last snapshot. */
  #changed = true;
  /** Someone joined or left (a key was added or removed) since the last snapshot. */
  #joined = true;
  #peopleJoined = true;
  #last: PresenceSnapshot | undefined;

  /** @param leftGraceMs - How long a member who left is kept, with `leftAt` set (0: not kept). */
  constructor(leftGraceMs: number) {
    this.#leftGraceMs = leftGraceMs;
  }

  /** The members by key, including those kept after they left. */
  get members(): ReadonlyMap<string, PresenceMember> {
    return this.#members;
  }

  /** Adds or replaces a member (`leftAt` set: it left, kept for display). */
  put(member: PresenceMember): void {
    const old = this.#members.get(member.key);
    if (old && jsonEqual(old, member)) return;
    this.#count += present(member) - present(old);
    if (!old) this.#joined = true;
    this.#changed = true;
    this.#members.set(member.key, member);
    this.#regroup(member, false);
  }

  /** A member left: kept with `leftAt` for `leftGraceMs`, or removed. */
  leave(key: string): void {
    const old = this.#members.get(key);
    if (!old || old.leftAt !== undefined) return;
    if (this.#leftGraceMs > 0) this.put({ ...old, leftAt: Date.now() });
    else this.remove(old);
  }

  /** Removes a member for good. */
  remove(old: PresenceMember): void {
    this.#count -= present(old);
    this.#joined = this.#changed = true;
    this.#members.delete(old.key);
    this.#regroup(old, true);
  }

  /** Rebuilds the person of `member.clientId` from their other connections and this one. */
  #regroup(member: PresenceMember, removed: boolean): void {
    const { clientId } = member;
    const before = this.#people.get(clientId);
    const connections = before ? before.connections.filter((c) => c.key !== member.key) : [];
    if (!removed) connections.push(member);
    this.#peopleCount -= present(before);
    if (connections.length === 0) {
      this.#people.delete(clientId);
      this.#peopleJoined = true;
      return;
    }
    const person = toPerson(clientId, connections);
    this.#peopleCount += present(person);
    if (!before) this.#peopleJoined = true;
    this.#people.set(clientId, person);
  }

  /** The set as an immutable snapshot; the previous one when nothing changed. */
  snapshot(state: HookState): PresenceSnapshot {
    const previous = this.#last;
    if (
      previous &&
      !this.#changed &&
      previous.status === state.status &&
      previous.error?.code === state.error?.code
    ) {
      return previous;
    }
    const fresh = this.#changed || !previous;
    const list = fresh ? [...this.#members.values()] : previous.list;
    const peopleList = fresh ? [...this.#people.values()] : previous.peopleList;
    const ids =
      this.#joined || !previous
        ? keep(
            previous?.ids,
            list.map((m) => m.key),
          )
        : previous.ids;
    const peopleIds =
      this.#peopleJoined || !previous
        ? keep(
            previous?.peopleIds,
            peopleList.map((p) => p.key),
          )
        : previous.peopleIds;
    this.#changed = this.#joined = this.#peopleJoined = false;
    return (this.#last = toSnapshot(
      state,
      list,
      ids,
      this.#count,
      peopleList,
      peopleIds,
      this.#peopleCount,
    ));
  }
}

/** A person from their connections (never empty), sorted as `PresencePerson` documents. */
function toPerson(clientId: string, connections: PresenceMember[]): PresencePerson {
  // Present connections first, most recently updated first; then those that left, latest first.
  connections.sort((a, b) => present(b) - present(a) || lastSeen(b) - lastSeen(a));
  const first = connections[0] as PresenceMember;
  return {
    key: clientId,
    clientId,
    connections,
    data: first.data,
    updatedAt: Math.max(...connections.map((c) => c.updatedAt)),
    isSelf: first.isSelf,
    ...(first.leftAt === undefined ? {} : { leftAt: first.leftAt }),
  };
}

/** A snapshot of these lists; the maps by key are built on first use. */
function toSnapshot(
  state: HookState,
  list: readonly PresenceMember[],
  ids: readonly string[],
  count: number,
  peopleList: readonly PresencePerson[],
  peopleIds: readonly string[],
  peopleCount: number,
): PresenceSnapshot {
  let byKey: Map<string, PresenceMember> | undefined;
  let byClient: Map<string, PresencePerson> | undefined;
  return {
    ...state,
    list,
    ids,
    count,
    peopleList,
    peopleIds,
    peopleCount,
    get members() {
      return (byKey ??= new Map(list.map((m) => [m.key, m])));
    },
    get people() {
      return (byClient ??= new Map(peopleList.map((p) => [p.key, p])));
    },
  };
}

/** 1 when the member (or person) is present, 0 when it left or does not exist. */
function present(entry: { leftAt?: number } | undefined): number {
  return entry && entry.leftAt === undefined ? 1 : 0;
}

function lastSeen(entry: PresenceMember): number {
  return entry.leftAt ?? entry.updatedAt;
}

function toMember(
  sdkMember: SdkPresenceMember,
  { clientId, connectionId }: ReturnType<typeof localIdentity>,
): PresenceMember {
  const isSelf = clientId !== undefined && sdkMember.clientId === clientId;
  return {
    key: memberKey(sdkMember.clientId, sdkMember.connectionId),
    clientId: sdkMember.clientId,
    connectionId: sdkMember.connectionId,
    data: sdkMember.data as PresenceData | undefined,
    extras: sdkMember.extras as JsonObject | undefined,
    updatedAt: sdkMember.updatedAt.getTime(),
    isSelf,
    isCurrentConnection: isSelf && sdkMember.connectionId === connectionId,
  };
}

/**
 * The presence set of one room, kept incrementally: each SDK presence event costs O(1), and
 * listeners get a new immutable snapshot at most once per animation frame (see `frameBatch`).
 * Members appear once the first `presence.get()` has answered, all at once, never a partly synced
 * list; the set is synchronised again from `get()` whenever the room becomes live again and after a
 * discontinuity, never per event.
 */
class RoomPresenceStore extends SharedStore<PresenceSnapshot> {
  readonly #room: Room;
  readonly #leftGraceMs: number;
  #set: PresenceSet;
  /** What is shown until the first `get()` answers: always empty. */
  readonly #unsynced: PresenceSet;
  #synced = false;
  #error: PresenceKitError | undefined;
  /** Bumped by each `get()` and by stopping; an older answer is dropped. */
  #seq = 0;
  #expiry: ReturnType<typeof setTimeout> | undefined;
  readonly #batch = frameBatch(() => this.#flush());

  constructor(room: Room, leftGraceMs: number) {
    const unsynced = new PresenceSet(0);
    super(unsynced.snapshot(LOADING_STATE));
    this.#unsynced = unsynced;
    this.#room = room;
    this.#leftGraceMs = leftGraceMs;
    this.#set = new PresenceSet(leftGraceMs);
  }

  #flush(): void {
    if (!this.running) return;
    const state = statusOf(roomLiveness(this.#room), this.#synced, this.#error);
    this.set((this.#synced ? this.#set : this.#unsynced).snapshot(state));
  }

  readonly #onPresence = ({ type, member }: PresenceEvent): void => {
    if (type === PresenceEventType.Leave) {
      this.#set.leave(memberKey(member.clientId, member.connectionId));
      this.#expire();
    } else {
      this.#set.put(toMember(member, localIdentity(this.#room)));
    }
    if (this.#synced) this.#batch();
  };

  protected start(): () => void {
    const room = this.#room;
    const stops: (() => void)[] = [];
    try {
      stops.push(room.presence.subscribe(this.#onPresence).unsubscribe);
      stops.push(watchRoom(room, (resumed) => (resumed ? this.#resync() : this.#batch())));
      if (roomLiveness(room).live) this.#resync();
    } catch (cause) {
      // The SDK refuses with 102108 ("feature not enabled") when the room has presence events off.
      this.#error =
        (cause as { code?: unknown } | undefined)?.code === 102108
          ? presenceEventsDisabled(cause)
          : toPresenceKitError(
              cause,
              'presence_fetch_failed',
              process.env.NODE_ENV !== 'production' ? 'Could not subscribe to presence' : undefined,
            );
    }
    this.#batch();
    return () => {
      for (const stop of stops) stop();
      this.#batch.cancel();
      clearTimeout(this.#expiry);
      this.#expiry = undefined;
      this.#set = new PresenceSet(this.#leftGraceMs);
      this.#synced = false;
      this.#error = undefined;
      this.#seq++;
      this.set(this.#unsynced.snapshot(LOADING_STATE));
    };
  }

  /** Replaces the set with the SDK's (after its sync completes); known members keep their place. */
  #resync(): void {
    const seq = ++this.#seq;
    this.#room.presence.get().then(
      (members) => {
        if (seq !== this.#seq) return;
        const identity = localIdentity(this.#room);
        const fresh = new Map(members.map((m) => [memberKey(m.clientId, m.connectionId), m]));
        const set = this.#set;
        for (const old of set.members.values()) if (!fresh.has(old.key)) set.leave(old.key);
        for (const member of fresh.values()) set.put(toMember(member, identity));
        this.#synced = true;
        this.#error = undefined;
        this.#expire();
        this.#batch();
      },
      (cause: unknown) => {
        if (seq !== this.#seq) return;
        const fix =
          process.env.NODE_ENV !== 'production'
            ? 'Could not read the presence set; it is fetched again when the room is next attached'
            : undefined;
        this.#error = toPresenceKitError(cause, 'presence_fetch_failed', fix);
        this.#batch();
      },
    );
  }

  /** Drops members whose grace period is over, then re-arms for the next one. */
  #expire(): void {
    if (this.#leftGraceMs <= 0 || this.#expiry !== undefined) return;
    const earliest = earliestLeft(this.#set);
    if (earliest === undefined) return;
    const delay = Math.max(0, earliest + this.#leftGraceMs - Date.now());
    this.#expiry = setTimeout(() => {
      this.#expiry = undefined;
      const cutoff = Date.now() - this.#leftGraceMs;
      for (const member of this.#set.members.values()) {
        if ((member.leftAt ?? Infinity) <= cutoff) this.#set.remove(member);
      }
      this.#batch();
      this.#expire();
    }, delay);
  }
}

/** When the earliest member kept after leaving left, if any. */
export function earliestLeft(set: PresenceSet): number | undefined {
  let earliest: number | undefined;
  for (const { leftAt } of set.members.values()) {
    if (leftAt !== undefined && (earliest === undefined || leftAt < earliest)) earliest = leftAt;
  }
  return earliest;
}

/**
 * A snapshot that never changes: the list a server rendered (`initialData`), or an empty list
 * while the room is unknown. Members are kept in the order given.
 */
export function staticPresenceSnapshot<TData = PresenceData>(
  members: readonly PresenceMember<TData>[],
  state: HookState,
): PresenceSnapshot<TData> {
  const set = new PresenceSet(0);
  for (const member of members) set.put(member as PresenceMember);
  return set.snapshot(state) as PresenceSnapshot<TData>;
}

/** The shared presence store of a room for this `leftGraceMs`. */
export function presenceStore(room: Room, leftGraceMs: number): ExternalStore<PresenceSnapshot> {
  return roomStore(room, `presence:${leftGraceMs}`, () => new RoomPresenceStore(room, leftGraceMs));
}
