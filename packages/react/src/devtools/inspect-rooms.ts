import type { Room } from '@ably/chat';

import type { PresenceKitError } from '../core/errors';
import type { HookRenders } from '../core/hook-renders';
import type { OccupancySnapshot } from '../core/occupancy-store';
import type { PresenceSnapshot } from '../core/presence-store';
import type { RegistryRoom } from '../core/registry-observer';
import { realtimeOf, roomLiveness } from '../core/room-liveness';
import type { RoomSource } from '../core/room-source';
import { roomStoresOf } from '../core/room-stores';
import type { SelfPresenceSnapshot } from '../core/self-presence';
import { type ExternalStore, cached } from '../core/store';
import type { HookState, OccupancyData, PresenceMember } from '../core/types';

/** One shared store of a room, as the devtools show it. */
export interface StoreReport extends HookState {
  /** The store's key in the room (`presence:0`, `occupancy:auto:15000`, `self-presence`, …). */
  readonly key: string;
}

/** What the devtools show for one room. */
export interface RoomReport {
  /** Where the hooks get the room. */
  readonly source: RoomSource;
  /** A stable id for the source (a React key). */
  readonly id: string;
  readonly name: string;
  /** The SDK room, once there is one. */
  readonly room: Room | undefined;
  /** `'provider'` for a `<ChatRoomProvider>` of ours, `'external'` otherwise (`room` option, `@ably/chat/react`). */
  readonly from: 'provider' | 'external';
  /** The room's status as the SDK reports it. */
  readonly roomStatus: string | undefined;
  /** The Ably connection's state. */
  readonly connection: string | undefined;
  /** Why the room cannot be used, when it cannot (getting, attaching, a failed room or connection). */
  readonly error: PresenceKitError | undefined;
  readonly occupancy: OccupancyData | undefined;
  /** The presence set as the hooks see it (`undefined` when no presence hook reads this room). */
  readonly members: readonly PresenceMember[] | undefined;
  /** The local user's presence, when a `usePresence` holds this room. */
  readonly self: SelfPresenceSnapshot | undefined;
  /** Every store the hooks created for this room, with its status and error. */
  readonly stores: readonly StoreReport[];
  /** The hooks mounted on this room, with their committed render counts. */
  readonly hooks: readonly HookRenders[];
}

const ids = new WeakMap<RoomSource, string>();
let lastId = 0;

/**
 * The rooms the app's hooks hold, read now: the registry's rooms, then rooms that hooks get
 * elsewhere (the `room` option, `@ably/chat/react`'s provider). It only reads snapshots: it
 * subscribes to nothing and starts nothing.
 */
export function inspectRooms(
  registry: readonly RegistryRoom[],
  hooks: readonly HookRenders[],
): RoomReport[] {
  const sources = new Map<RoomSource, string | undefined>();
  for (const room of registry) sources.set(room, room.name);
  for (const { source } of hooks) {
    if (source && !sources.has(source)) sources.set(source, undefined);
  }
  return [...sources].map(([source, name]) =>
    inspectRoom(
      source,
      name,
      hooks.filter((hook) => hook.source === source),
    ),
  );
}

function inspectRoom(
  source: RoomSource,
  name: string | undefined,
  hooks: readonly HookRenders[],
): RoomReport {
  const { room, error } = source.getSnapshot();
  const stores = room ? [...roomStoresOf(room)] : [];
  const snapshot = <T>(prefix: string): T | undefined => {
    const found = stores.find(([key]) => key.startsWith(prefix));
    return (found?.[1] as ExternalStore<T> | undefined)?.getSnapshot();
  };
  const presence = snapshot<PresenceSnapshot>('presence:');
  return {
    source,
    id: cached(ids, source, () => `room-${++lastId}`),
    name: name ?? room?.name ?? '(room not known yet)',
    room,
    from: name === undefined ? 'external' : 'provider',
    roomStatus: room?.status,
    connection: room ? realtimeOf(room)?.connection.state : undefined,
    error: error ?? (room ? roomLiveness(room).error : undefined),
    occupancy: snapshot<OccupancySnapshot>('occupancy:')?.data ?? currentOccupancy(room),
    members: presence && presence.status !== 'loading' ? presence.list : undefined,
    self: snapshot<SelfPresenceSnapshot>('self-presence'),
    stores: stores.map(([key, store]) => {
      const { status, error: storeError } = (store as ExternalStore<HookState>).getSnapshot();
      return { key, status, error: storeError };
    }),
    hooks,
  };
}

/** The room's last occupancy event, when it has occupancy events on. */
function currentOccupancy(room: Room | undefined): OccupancyData | undefined {
  if (!room?.options().occupancy?.enableEvents) return undefined;
  try {
    return room.occupancy.current ?? undefined;
  } catch {
    return undefined;
  }
}
