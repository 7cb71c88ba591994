import type {
  JsonObject,
  PresenceData,
  PresenceEvent,
  PresenceMember as SdkPresenceMember,
  Room,
} from '@ably/chat';

import { PresenceKitError, presenceEventsDisabledMessage, toPresenceKitError } from './errors';
import { onNextFrame } from './frame';
import { type RoomLiveness, localIdentity, roomLiveness, watchLiveness } from './room-liveness';
import { roomStore } from './room-stores';
import { SharedStore } from './store';
import type { HookState, HookStatus, PresenceMember, PresencePerson } from './types';

/** Options of a {@link PresenceStore}. */
export interface PresenceStoreOptions {
  /** Keep members that left for this long (ms), marked with `leftAt`. `0`: drop them at once. */
  readonly leftGraceMs: number;
}

/** The member key: unique per (clientId, connectionId). Opaque to users. */
export function memberKey(clientId: string, connectionId: string): string {
  return `${connectionId}:${clientId}`;
}

/**
 * What a {@link PresenceStore} holds after a flush. Immutable: a change gives a new snapshot.
 * Lists are derived on first read and shared with the previous snapshot where nothing changed, so
 * an ids list or a person object keeps its identity until it really changes.
 */
export interface PresenceSnapshot<TData = PresenceData> extends HookState {
  /** Members by key, in join order, including those kept by `leftGraceMs`. */
  readonly members: ReadonlyMap<string, PresenceMember<TData>>;
  /** Members present (not left). */
  readonly count: number;
  /** `members` as an array. */
  readonly list: readonly PresenceMember<TData>[];
  /** Member keys in join order; the same array while membership is unchanged. */
  readonly ids: readonly string[];
  /** People by clientId, in order of first arrival. */
  readonly people: ReadonlyMap<string, PresencePerson<TData>>;
  /** `people` as an array. */
  readonly peopleList: readonly PresencePerson<TData>[];
  /** ClientIds in order of first arrival; the same array while the set of people is unchanged. */
  readonly peopleIds: readonly string[];
  /** People with at least one connection present. */
  readonly peopleCount: number;
}

/** Reuse pools that let a new snapshot share arrays and objects with the previous ones. */
interface SharedViews {
  ids: readonly string[];
  peopleIds: readonly string[];
  people: Map<string, PresencePerson<unknown>>;
}

class Snapshot<TData> implements PresenceSnapshot<TData> {
  private cachedList: readonly PresenceMember<TData>[] | undefined;
  private cachedIds: readonly string[] | undefined;
  private cachedPeople: Map<string, PresencePerson<TData>> | undefined;
  private cachedPeopleList: readonly PresencePerson<TData>[] | undefined;
  private cachedPeopleIds: readonly string[] | undefined;
  private cachedPeopleCount: number | undefined;

  constructor(
    readonly members: ReadonlyMap<string, PresenceMember<TData>>,
    readonly count: number,
    readonly status: HookStatus,
    readonly error: PresenceKitError | undefined,
    private readonly shared: SharedViews,
  ) {}

  get list(): readonly PresenceMember<TData>[] {
    return (this.cachedList ??= [...this.members.values()]);
  }

  get ids(): readonly string[] {
    if (this.cachedIds) return this.cachedIds;
    // Compared with the last ids handed out (from whichever snapshot): same keys, same array.
    const next = [...this.members.keys()];
    if (!sameStrings(this.shared.ids, next)) this.shared.ids = next;
    return (this.cachedIds = this.shared.ids);
  }

  get people(): ReadonlyMap<string, PresencePerson<TData>> {
    if (this.cachedPeople) return this.cachedPeople;
    const byClient = new Map<string, PresenceMember<TData>[]>();
    for (const member of this.members.values()) {
      const connections = byClient.get(member.clientId);
      if (connections) connections.push(member);
      else byClient.set(member.clientId, [member]);
    }
    const pool = this.shared.people as Map<string, PresencePerson<TData>>;
    const people = new Map<string, PresencePerson<TData>>();
    for (const [clientId, connections] of byClient) {
      connections.sort(byRecency);
      const previous = pool.get(clientId);
      people.set(
        clientId,
        previous && sameItems(previous.connections, connections)
          ? previous
          : makePerson(clientId, connections),
      );
    }
    this.shared.people = people;
    return (this.cachedPeople = people);
  }

  get peopleList(): readonly PresencePerson<TData>[] {
    return (this.cachedPeopleList ??= [...this.people.values()]);
  }

  get peopleIds(): readonly string[] {
    if (this.cachedPeopleIds) return this.cachedPeopleIds;
    const next = [...this.people.keys()];
    if (!sameStrings(this.shared.peopleIds, next)) this.shared.peopleIds = next;
    return (this.cachedPeopleIds = this.shared.peopleIds);
  }

  get peopleCount(): number {
    if (this.cachedPeopleCount !== undefined) return this.cachedPeopleCount;
    let count = 0;
    for (const person of this.people.values()) if (person.leftAt === undefined) count++;
    return (this.cachedPeopleCount = count);
  }
}

/** Present connections first, most recently updated first; then those that left, latest first. */
function byRecency<TData>(a: PresenceMember<TData>, b: PresenceMember<TData>): number {
  const aLeft = a.leftAt !== undefined;
  const bLeft = b.leftAt !== undefined;
  if (aLeft !== bLeft) return aLeft ? 1 : -1;
  if (aLeft && bLeft) return (b.leftAt ?? 0) - (a.leftAt ?? 0);
  return b.updatedAt - a.updatedAt;
}

function makePerson<TData>(
  clientId: string,
  connections: readonly PresenceMember<TData>[],
): PresencePerson<TData> {
  const first = connections[0] as PresenceMember<TData>;
  const allLeft = first.leftAt !== undefined;
  let updatedAt = 0;
  for (const connection of connections) updatedAt = Math.max(updatedAt, connection.updatedAt);
  return {
    key: clientId,
    clientId,
    connections,
    data: first.data,
    updatedAt,
    isSelf: first.isSelf,
    ...(allLeft ? { leftAt: first.leftAt } : {}),
  };
}

function sameStrings(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function sameItems<T>(a: readonly T[], b: readonly T[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Structural equality for JSON values (presence data and extras). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const keysA = Object.keys(a);
  const keysB = Object.keys(b);
  if (keysA.length !== keysB.length) return false;
  for (const key of keysA) {
    if (!Object.prototype.hasOwnProperty.call(b, key)) return false;
    if (!jsonEqual((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key])) {
      return false;
    }
  }
  return true;
}

const EMPTY_MEMBERS: ReadonlyMap<string, PresenceMember> = new Map();

/**
 * The presence set of one room, kept incrementally: each SDK presence event costs O(1) (a map
 * write), and listeners are notified at most once per animation frame with a new immutable
 * snapshot. The set is resynchronised from `presence.get()` whenever the room becomes live
 * (attach, reattach, reconnect) and after a discontinuity — never per event.
 */
export class PresenceStore extends SharedStore<PresenceSnapshot> {
  /** The working set, mutated by events; copied into a snapshot on flush. */
  private working = new Map<string, PresenceMember>();
  private presentCount = 0;
  /** A member was added, replaced or removed since the last flush. */
  private contentChanged = false;
  private dirty = false;
  private cancelFrame: (() => void) | undefined;
  private synced = false;
  private liveness: RoomLiveness = { state: 'pending', error: undefined };
  private fetchError: PresenceKitError | undefined;
  private misuse: PresenceKitError | undefined;
  private resyncSeq = 0;
  private expiryTimer: ReturnType<typeof setTimeout> | undefined;
  private cleanups: (() => void)[] = [];
  private readonly shared: SharedViews = { ids: [], peopleIds: [], people: new Map() };

  constructor(
    private readonly room: Room,
    private readonly options: PresenceStoreOptions,
  ) {
    super(
      new Snapshot(EMPTY_MEMBERS, 0, 'loading', undefined, {
        ids: [],
        peopleIds: [],
        people: new Map(),
      }),
    );
  }

  protected start(): void {
    const room = this.room;
    this.liveness = roomLiveness(room);
    try {
      this.cleanups.push(room.presence.subscribe((event) => this.apply(event)).unsubscribe);
    } catch (error) {
      this.misuse =
        (error as { code?: unknown }).code === 102108
          ? new PresenceKitError('presence_events_disabled', presenceEventsDisabledMessage(), {
              cause: error,
            })
          : toPresenceKitError(error, 'presence_fetch_failed', 'Could not subscribe to presence');
      this.scheduleFlush();
      return;
    }
    this.cleanups.push(
      watchLiveness(room, () => {
        const previous = this.liveness;
        this.liveness = roomLiveness(room);
        if (this.liveness.state === 'live' && previous.state !== 'live') this.resync();
        else this.scheduleFlush();
      }),
    );
    this.cleanups.push(room.onDiscontinuity(() => this.resync()).off);
    if (this.liveness.state === 'live') this.resync();
    else this.scheduleFlush();
  }

  protected stop(): void {
    for (const cleanup of this.cleanups.splice(0)) cleanup();
    this.cancelFrame?.();
    this.cancelFrame = undefined;
    if (this.expiryTimer !== undefined) clearTimeout(this.expiryTimer);
    this.expiryTimer = undefined;
    this.working = new Map();
    this.presentCount = 0;
    this.contentChanged = false;
    this.synced = false;
    this.fetchError = undefined;
    this.misuse = undefined;
    this.resyncSeq++;
    this.dirty = false;
    this.snapshot = new Snapshot(EMPTY_MEMBERS, 0, 'loading', undefined, this.shared);
  }

  /** Replaces the working set with the SDK's presence set (after its sync completes). */
  private resync(): void {
    const seq = ++this.resyncSeq;
    this.room.presence.get().then(
      (members) => {
        if (seq !== this.resyncSeq || !this.isRunning) return;
        this.replaceAll(members);
        this.synced = true;
        this.fetchError = undefined;
        this.scheduleFlush();
      },
      (error: unknown) => {
        if (seq !== this.resyncSeq || !this.isRunning) return;
        this.fetchError = toPresenceKitError(
          error,
          'presence_fetch_failed',
          'Could not read the presence set; it is fetched again when the room is next attached',
        );
        this.scheduleFlush();
      },
    );
  }

  private replaceAll(members: readonly SdkPresenceMember[]): void {
    const identity = localIdentity(this.room);
    const incoming = new Map<string, PresenceMember>();
    for (const sdkMember of members) {
      const member = this.convert(sdkMember, identity);
      incoming.set(member.key, member);
    }
    const next = new Map<string, PresenceMember>();
    let present = 0;
    // Known members keep their place (and object, when unchanged); new ones join at the end.
    for (const [key, old] of this.working) {
      const fresh = incoming.get(key);
      if (fresh) {
        next.set(key, sameMember(old, fresh) ? old : fresh);
        incoming.delete(key);
        present++;
      } else if (old.leftAt !== undefined) {
        next.set(key, old);
      } else if (this.options.leftGraceMs > 0) {
        next.set(key, { ...old, leftAt: Date.now() });
      }
    }
    for (const [key, member] of incoming) {
      next.set(key, member);
      present++;
    }
    this.working = next;
    this.presentCount = present;
    this.contentChanged = true;
    this.scheduleExpiry();
  }

  private apply(event: PresenceEvent): void {
    const sdkMember = event.member;
    const key = memberKey(sdkMember.clientId, sdkMember.connectionId);
    const existing = this.working.get(key);
    if ((event.type as string) === 'leave') {
      if (!existing || existing.leftAt !== undefined) return;
      this.presentCount--;
      if (this.options.leftGraceMs > 0) {
        this.working.set(key, { ...existing, leftAt: Date.now() });
        this.scheduleExpiry();
      } else {
        this.working.delete(key);
      }
    } else {
      const member = this.convert(sdkMember, localIdentity(this.room));
      if (!existing) {
        this.presentCount++;
      } else if (existing.leftAt !== undefined) {
        this.presentCount++;
      }
      if (existing && sameMember(existing, member)) return;
      this.working.set(key, member);
    }
    this.contentChanged = true;
    this.scheduleFlush();
  }

  private convert(
    sdkMember: SdkPresenceMember,
    identity: { clientId: string | undefined; connectionId: string | undefined },
  ): PresenceMember {
    const isSelf = identity.clientId !== undefined && sdkMember.clientId === identity.clientId;
    return {
      key: memberKey(sdkMember.clientId, sdkMember.connectionId),
      clientId: sdkMember.clientId,
      connectionId: sdkMember.connectionId,
      data: sdkMember.data as PresenceData | undefined,
      extras: sdkMember.extras as JsonObject | undefined,
      updatedAt: sdkMember.updatedAt.getTime(),
      isSelf,
      isCurrentConnection: isSelf && sdkMember.connectionId === identity.connectionId,
    };
  }

  /** Drops members whose grace period is over, then re-arms for the next one. */
  private scheduleExpiry(): void {
    if (this.options.leftGraceMs <= 0 || this.expiryTimer !== undefined) return;
    let earliest = Infinity;
    for (const member of this.working.values()) {
      if (member.leftAt !== undefined) earliest = Math.min(earliest, member.leftAt);
    }
    if (earliest === Infinity) return;
    const delay = Math.max(0, earliest + this.options.leftGraceMs - Date.now());
    this.expiryTimer = setTimeout(() => {
      this.expiryTimer = undefined;
      const cutoff = Date.now() - this.options.leftGraceMs;
      for (const [key, member] of this.working) {
        if (member.leftAt !== undefined && member.leftAt <= cutoff) {
          this.working.delete(key);
          this.contentChanged = true;
        }
      }
      this.scheduleFlush();
      this.scheduleExpiry();
    }, delay);
  }

  /**
   * Marks the snapshot out of date and flushes on the next frame. Status changes (room or
   * connection state) take the same path, so a burst of anything still costs one render.
   */
  private scheduleFlush(): void {
    this.dirty = true;
    if (this.cancelFrame) return;
    this.cancelFrame = onNextFrame(() => {
      this.cancelFrame = undefined;
      this.flush();
    });
  }

  private flush(): void {
    if (!this.dirty || !this.isRunning) return;
    this.dirty = false;
    const previous = this.snapshot;
    const status = this.computeStatus();
    const error = this.misuse ?? this.fetchError ?? this.liveness.error;
    const membersChanged = this.contentChanged;
    if (
      !membersChanged &&
      previous.status === status &&
      (previous.error === error || (error !== undefined && previous.error?.code === error.code))
    ) {
      return;
    }
    const members = membersChanged ? new Map(this.working) : previous.members;
    this.contentChanged = false;
    this.setSnapshot(
      new Snapshot(
        members,
        this.presentCount,
        status,
        error !== undefined && previous.error?.code === error.code ? previous.error : error,
        this.shared,
      ),
    );
  }

  private computeStatus(): HookStatus {
    if (this.misuse) return 'error';
    if (this.liveness.state === 'failed') return 'error';
    if (this.fetchError) return this.synced ? 'stale' : 'error';
    if (this.liveness.state === 'live' && this.synced) return 'ready';
    return this.synced ? 'stale' : 'loading';
  }
}

function sameMember(a: PresenceMember, b: PresenceMember): boolean {
  return (
    a.updatedAt === b.updatedAt &&
    a.leftAt === b.leftAt &&
    a.isSelf === b.isSelf &&
    a.isCurrentConnection === b.isCurrentConnection &&
    jsonEqual(a.data, b.data) &&
    jsonEqual(a.extras, b.extras)
  );
}

/**
 * A snapshot that never changes: the list a server rendered (`initialData`), or an empty list
 * while the room is unknown. Members are kept in the order given.
 */
export function staticPresenceSnapshot<TData = PresenceData>(
  members: readonly PresenceMember<TData>[],
  status: HookStatus,
  error: PresenceKitError | undefined,
): PresenceSnapshot<TData> {
  const map = new Map<string, PresenceMember<TData>>();
  let count = 0;
  for (const member of members) {
    map.set(member.key, member);
    if (member.leftAt === undefined) count++;
  }
  return new Snapshot<TData>(map, count, status, error, {
    ids: [],
    peopleIds: [],
    people: new Map(),
  });
}

/** The shared presence store of a room for these options. */
export function presenceStore(room: Room, options: PresenceStoreOptions): PresenceStore {
  return roomStore(room, `presence:${options.leftGraceMs}`, () => new PresenceStore(room, options));
}
