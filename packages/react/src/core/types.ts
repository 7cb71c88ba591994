import type { JsonObject, PresenceData, Room } from '@ably/chat';

import type { PresenceKitError } from './errors';

/**
 * Where a hook's data stands.
 *
 * - `'loading'`: nothing is known yet (the room is being fetched or attached, or the first
 *   request is in flight). Data fields are `undefined` or empty: show a placeholder, not a zero.
 * - `'ready'`: the data is live and complete.
 * - `'stale'`: the last known data is shown while the connection or the room recovers (a dropped
 *   network, a suspended or re-attaching room). It becomes `'ready'` again once resynchronised.
 * - `'error'`: something failed or is misconfigured; `error` says what and how to fix it. Data
 *   fields keep the last known value, if any.
 */
export type HookStatus = 'loading' | 'ready' | 'stale' | 'error';

/** The part every hook result shares. */
export interface HookState {
  /** Where the data stands; see {@link HookStatus}. */
  readonly status: HookStatus;
  /** Why `status` is `'error'` (or the last recoverable problem while `'stale'`); `undefined` otherwise. */
  readonly error: PresenceKitError | undefined;
}

/** How many are in a room, as counted by Ably. */
export interface OccupancyData {
  /** Connections attached to the room (viewers, including those not in presence). */
  readonly connections: number;
  /** Members in the room's presence set. */
  readonly presenceMembers: number;
}

/**
 * One member of a room's presence set: one client on one connection. A person on a laptop and a
 * phone is two members with the same `clientId` (see {@link PresencePerson} for one per person).
 *
 * Member objects are immutable: an update replaces the object, so `===` tells whether it changed.
 * `data` and `extras` come from other clients: treat them as untrusted input.
 *
 * @typeParam TData - The shape of the presence data your app enters with.
 */
export interface PresenceMember<TData = PresenceData> {
  /** Unique, stable key for this member: `clientId` and `connectionId` joined. Use it as a React `key`. */
  readonly key: string;
  /** The member's client id (the user). */
  readonly clientId: string;
  /** The connection this member is present on. */
  readonly connectionId: string;
  /** The data the member entered or last updated with. Untrusted. */
  readonly data: TData | undefined;
  /** Extras sent with the presence message, if any. Untrusted. */
  readonly extras: JsonObject | undefined;
  /** When the member entered or last updated, in milliseconds since the epoch. */
  readonly updatedAt: number;
  /** `true` when this member is the local user (same `clientId`), on this or another device. */
  readonly isSelf: boolean;
  /** `true` when this member is the local client's own connection (this tab). */
  readonly isCurrentConnection: boolean;
  /**
   * When the member left, in milliseconds since the epoch. Only set on members kept for display
   * by the `leftGraceMs` option; such members do not count as present.
   */
  readonly leftAt?: number;
}

/**
 * One person in a room when members are grouped with `groupBy: 'clientId'`: all of their
 * connections (tabs, devices) in one entry.
 *
 * @typeParam TData - The shape of the presence data your app enters with.
 */
export interface PresencePerson<TData = PresenceData> {
  /** Unique, stable key for this person (their `clientId`). */
  readonly key: string;
  /** The person's client id. */
  readonly clientId: string;
  /** Their connections, most recently updated first. Never empty. */
  readonly connections: readonly PresenceMember<TData>[];
  /** Data of the most recently updated connection that is still present (or of the last to leave). */
  readonly data: TData | undefined;
  /** The latest `updatedAt` of their connections, in milliseconds since the epoch. */
  readonly updatedAt: number;
  /** `true` when this person is the local user. */
  readonly isSelf: boolean;
  /**
   * Set only when every connection of this person has left and they are kept for display by
   * `leftGraceMs`: when the last connection left, in milliseconds since the epoch.
   */
  readonly leftAt?: number;
}

/** How presence members are grouped. `'connection'`: one entry per member; `'clientId'`: one per person. */
export type PresenceGroupBy = 'connection' | 'clientId';

/** The entry type for a grouping: a member per connection, or a person per `clientId`. */
export type PresenceEntry<TData, G extends PresenceGroupBy> = G extends 'clientId'
  ? PresencePerson<TData>
  : PresenceMember<TData>;

/** Options shared by the presence-list hooks. */
export interface PresenceListOptions<G extends PresenceGroupBy = 'connection'> {
  /** Use this room instead of the one from the nearest `<ChatRoomProvider>`. */
  room?: Room;
  /**
   * `'connection'`: one entry per member (clientId + connection); `'clientId'`: one entry per
   * person with all of their connections.
   * @defaultValue `'connection'`
   */
  groupBy?: G;
  /**
   * Keep members that left for this many milliseconds, with `leftAt` set, so the UI can show
   * them as "just left". They are not counted. `0` removes them at once.
   * @defaultValue `0`
   */
  leftGraceMs?: number;
}

/** What happened in a presence event. */
export type PresenceAction = 'enter' | 'leave' | 'update' | 'present' | 'absent';

/**
 * One entry of a room's presence history (or a live presence event appended to it).
 *
 * @typeParam TData - The shape of the presence data your app enters with.
 */
export interface PresenceHistoryEvent<TData = PresenceData> {
  /** Unique id of the presence message; stable across pages and live events. */
  readonly id: string;
  /** What happened. */
  readonly action: PresenceAction;
  /** Who. */
  readonly clientId: string;
  /** On which connection. */
  readonly connectionId: string;
  /** The member's data at that moment. Untrusted. */
  readonly data: TData | undefined;
  /** When, in milliseconds since the epoch. */
  readonly timestamp: number;
}

/** Occupancy of one room as reported by {@link useRoomsOccupancy}. */
export interface RoomOccupancyEntry extends HookState {
  /** Connections attached to the room; `undefined` until the first answer. */
  readonly connections: number | undefined;
  /** Members in the room's presence set; `undefined` until the first answer. */
  readonly presenceMembers: number | undefined;
}
