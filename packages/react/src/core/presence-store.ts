import type {
  JsonObject,
  PresenceData,
  PresenceMember as SdkPresenceMember,
  Room,
} from '@ably/chat';

import { type PresenceKitError, presenceEventsDisabled, toPresenceKitError } from './errors';
import { frameBatch } from './frame';
import { localIdentity, roomLiveness, statusOf, watchRoom } from './room-liveness';
import { roomStore } from './room-stores';
import { jsonEqual, keep } from './shallow';
import { type ExternalStore, sharedStore } from './store';
import type { HookState, PresenceMember, PresencePerson } from './types';

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
 * A closure rather than a class: its private state minifies to short names.
 */
interface PresenceSet {
  readonly members: ReadonlyMap<string, PresenceMember>;
  /** Adds or replaces a member (`leftAt` set: it left, kept for display). */
  readonly put: (member: PresenceMember) => void;
  /** A member left: kept with `leftAt` for `leftGraceMs`, or removed. */
  readonly leave: (key: string) => void;
  readonly remove: (old: PresenceMember) => void;
  /** The set as an immutable snapshot; the previous one when nothing changed. */
  readonly snapshot: (state: HookState) => PresenceSnapshot;
}

function presenceSet(leftGraceMs: number): PresenceSet {
  const members = new Map<string, PresenceMember>();
  const people = new Map<string, PresencePerson>();
  let count = 0;
  let peopleCount = 0;
  /** A member was added, replaced or removed since the last snapshot. */
  let changed = true;
  /** Someone joined or left (a key was added or removed) since the last snapshot. */
  let joined = true;
  let peopleJoined = true;
  let last: PresenceSnapshot | undefined;

  /** Rebuilds the person of `member.clientId` from their other connections and this one. */
  const regroup = (member: PresenceMember, removed: boolean): void => {
    const { clientId } = member;
    const before = people.get(clientId);
    const connections = before ? before.connections.filter((c) => c.key !== member.key) : [];
    if (!removed) connections.push(member);
    peopleCount -= present(before);
    if (connections.length === 0) {
      people.delete(clientId);
      peopleJoined = true;
      return;
    }
    // Present connections first, most recently updated first; then those that left, latest first.
    connections.sort((a, b) => present(b) - present(a) || lastSeen(b) - lastSeen(a));
    const first = connections[0] as PresenceMember;
    const person: PresencePerson = {
      key: clientId,
      clientId,
      connections,
      data: first.data,
      updatedAt: Math.max(...connections.map((c) => c.updatedAt)),
      isSelf: first.isSelf,
      ...(first.leftAt === undefined ? {} : { leftAt: first.leftAt }),
    };
    peopleCount += present(person);
    if (!before) peopleJoined = true;
    people.set(clientId, person);
  };

  const put = (member: PresenceMember): void => {
    const old = members.get(member.key);
    if (old && jsonEqual(old, member)) return;
    count += present(member) - present(old);
    if (!old) joined = true;
    changed = true;
    members.set(member.key, member);
    regroup(member, false);
  };

  const remove = (old: PresenceMember): void => {
    count -= present(old);
    joined = changed = true;
    members.delete(old.key);
    regroup(old, true);
  };

  return {
    members,
    put,
    remove,
    leave(key) {
      const old = members.get(key);
      if (!old || old.leftAt !== undefined) return;
      if (leftGraceMs > 0) put({ ...old, leftAt: Date.now() });
      else remove(old);
    },
    snapshot(state) {
      const previous = last;
      if (
        previous &&
        !changed &&
        previous.status === state.status &&
        previous.error?.code === state.error?.code
      ) {
        return previous;
      }
      const list = changed || !previous ? [...members.values()] : previous.list;
      const peopleList = changed || !previous ? [...people.values()] : previous.peopleList;
      const ids = joined
        ? keep(
            previous?.ids,
            list.map((m) => m.key),
          )
        : previous!.ids;
      const peopleIds = peopleJoined
        ? keep(
            previous?.peopleIds,
            peopleList.map((p) => p.key),
          )
        : previous!.peopleIds;
      changed = joined = peopleJoined = false;
      let byKey: Map<string, PresenceMember> | undefined;
      let byClient: Map<string, PresencePerson> | undefined;
      return (last = {
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
      });
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
function createPresenceStore(room: Room, leftGraceMs: number): ExternalStore<PresenceSnapshot> {
  let set = presenceSet(leftGraceMs);
  /** What is shown until the first `get()` answers. */
  const unsynced = presenceSet(0);
  const loading = (): PresenceSnapshot =>
    unsynced.snapshot({ status: 'loading', error: undefined });
  let synced = false;
  let error: PresenceKitError | undefined;
  let seq = 0;
  let expiry: ReturnType<typeof setTimeout> | undefined;

  const flush = (): void => {
    if (!store.running()) return;
    store.set((synced ? set : unsynced).snapshot(statusOf(roomLiveness(room), synced, error)));
  };
  const batch = frameBatch(flush);
  const store = sharedStore(loading(), () => {
    const stops: (() => void)[] = [];
    try {
      stops.push(
        room.presence.subscribe(({ type, member }) => {
          if ((type as string) === 'leave') {
            set.leave(memberKey(member.clientId, member.connectionId));
            expire();
          } else {
            set.put(toMember(member, localIdentity(room)));
          }
          if (synced) batch();
        }).unsubscribe,
      );
      stops.push(watchRoom(room, (resumed) => (resumed ? resync() : batch())));
      if (roomLiveness(room).live) resync();
    } catch (cause) {
      // The SDK refuses with 102108 ("feature not enabled") when the room has presence events off.
      error =
        (cause as { code?: unknown } | undefined)?.code === 102108
          ? presenceEventsDisabled(cause)
          : toPresenceKitError(
              cause,
              'presence_fetch_failed',
              process.env.NODE_ENV !== 'production' ? 'Could not subscribe to presence' : undefined,
            );
    }
    batch();
    return () => {
      for (const stop of stops) stop();
      batch.cancel();
      clearTimeout(expiry);
      expiry = undefined;
      set = presenceSet(leftGraceMs);
      synced = false;
      error = undefined;
      seq++;
      store.set(loading());
    };
  });

  /** Replaces the set with the SDK's (after its sync completes); known members keep their place. */
  const resync = (): void => {
    const mine = ++seq;
    room.presence.get().then(
      (members) => {
        if (mine !== seq) return;
        const identity = localIdentity(room);
        const fresh = new Map(members.map((m) => [memberKey(m.clientId, m.connectionId), m]));
        for (const old of set.members.values()) if (!fresh.has(old.key)) set.leave(old.key);
        for (const member of fresh.values()) set.put(toMember(member, identity));
        synced = true;
        error = undefined;
        expire();
        batch();
      },
      (cause: unknown) => {
        if (mine !== seq) return;
        error = toPresenceKitError(
          cause,
          'presence_fetch_failed',
          process.env.NODE_ENV !== 'production'
            ? 'Could not read the presence set; it is fetched again when the room is next attached'
            : undefined,
        );
        batch();
      },
    );
  };

  /** Drops members whose grace period is over, then re-arms for the next one. */
  const expire = (): void => {
    if (leftGraceMs <= 0 || expiry !== undefined) return;
    let earliest = Infinity;
    for (const member of set.members.values())
      earliest = Math.min(earliest, member.leftAt ?? earliest);
    if (earliest === Infinity) return;
    expiry = setTimeout(
      () => {
        expiry = undefined;
        const cutoff = Date.now() - leftGraceMs;
        for (const member of set.members.values()) {
          if ((member.leftAt ?? Infinity) <= cutoff) set.remove(member);
        }
        batch();
        expire();
      },
      Math.max(0, earliest + leftGraceMs - Date.now()),
    );
  };

  return store;
}

/**
 * A snapshot that never changes: the list a server rendered (`initialData`), or an empty list
 * while the room is unknown. Members are kept in the order given.
 */
export function staticPresenceSnapshot<TData = PresenceData>(
  members: readonly PresenceMember<TData>[],
  state: HookState,
): PresenceSnapshot<TData> {
  const set = presenceSet(0);
  for (const member of members) set.put(member as PresenceMember);
  return set.snapshot(state) as PresenceSnapshot<TData>;
}

/** The shared presence store of a room for this `leftGraceMs`. */
export function presenceStore(room: Room, leftGraceMs: number): ExternalStore<PresenceSnapshot> {
  return roomStore(room, `presence:${leftGraceMs}`, () => createPresenceStore(room, leftGraceMs));
}
