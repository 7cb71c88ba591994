import { type Room, RoomStatus } from '@ably/chat';
import type * as Ably from 'ably';

import { PresenceKitError } from './errors';
import { onResync } from './resync';
import type { HookState } from './types';

/**
 * The realtime client behind a room. `Room` does not expose it, but its channel carries it
 * (`RealtimeChannel.client` in ably-js 2.x); hooks given only a `{ room }` still need the
 * connection state and the local identity.
 */
export function realtimeOf(room: Room): Ably.Realtime | undefined {
  const client = (room.channel as unknown as { client?: Ably.Realtime }).client;
  return client && typeof client === 'object' && 'connection' in client ? client : undefined;
}

/** The local user's clientId and connection id, as far as they are known now. */
export function localIdentity(room: Room): {
  clientId: string | undefined;
  connectionId: string | undefined;
} {
  const realtime = realtimeOf(room);
  return { clientId: realtime?.auth.clientId, connectionId: realtime?.connection.id };
}

/**
 * Whether data from a room can be live now: `live` when the room is attached on a connected
 * connection; `error` when it will not recover by itself (it says why); neither while attaching,
 * reattaching, disconnected or suspended.
 */
export interface RoomLiveness {
  readonly live: boolean;
  readonly error?: PresenceKitError;
}

/** Reads the room's and the connection's state. */
export function roomLiveness(room: Room): RoomLiveness {
  const { status } = room;
  const connection = realtimeOf(room)?.connection;
  const state = connection?.state ?? 'connected';
  const fail = (
    code: 'room_failed' | 'room_unavailable' | 'connection_failed',
    text: string | undefined,
  ) => ({
    live: false,
    error: new PresenceKitError(code, text, {
      cause: code === 'room_failed' ? room.error : (connection?.errorReason ?? undefined),
    }),
  });

  if (status === RoomStatus.Failed) {
    return fail(
      'room_failed',
      process.env.NODE_ENV !== 'production'
        ? 'The room failed: fix the Ably error in `cause` (often a capability or channel limit), then remount the <ChatRoomProvider>.'
        : undefined,
    );
  }
  if (status === RoomStatus.Released || status === RoomStatus.Releasing) {
    return fail(
      'room_unavailable',
      process.env.NODE_ENV !== 'production'
        ? 'The room was released while in use: keep its <ChatRoomProvider> mounted and do not release a room that hooks read.'
        : undefined,
    );
  }
  if (state === 'failed' || state === 'closed' || state === 'closing') {
    return fail(
      'connection_failed',
      process.env.NODE_ENV !== 'production'
        ? `The Ably connection is ${state}: check the auth setup (key, token or authUrl) and network, then call realtime.connect().`
        : undefined,
    );
  }
  return { live: status === RoomStatus.Attached && state === 'connected' };
}

/**
 * Watches what {@link roomLiveness} reads. `onChange(resumed)` runs on every room status or
 * connection state change, with `resumed` when the room has just become live again (attach,
 * reattach, reconnect), and with `resumed` after a discontinuity: in both cases events may have
 * been missed and the caller should fetch again. Returns the function that stops watching.
 */
export function watchRoom(room: Room, onChange: (resumed: boolean) => void): () => void {
  let wasLive = roomLiveness(room).live;
  const changed = (): void => {
    const live = roomLiveness(room).live;
    const resumed = live && !wasLive;
    wasLive = live;
    onChange(resumed);
  };
  const connection = realtimeOf(room)?.connection;
  const offStatus = room.onStatusChange(changed).off;
  const offDiscontinuity = room.onDiscontinuity(() => onChange(true)).off;
  connection?.on(changed);
  const stop = () => {
    offStatus();
    offDiscontinuity();
    connection?.off(changed);
  };
  if (process.env.NODE_ENV !== 'production') {
    // The devtools' "Resync" takes the recovery path above (development builds only).
    const offResync = onResync(room, () => onChange(true));
    return () => {
      stop();
      offResync();
    };
  }
  return stop;
}

/**
 * The public status for data from a room: `has` says whether there is data, `error` is the
 * store's own problem (a failed fetch, a misconfiguration); a room that failed wins.
 */
export function statusOf(
  liveness: RoomLiveness,
  has: boolean,
  error?: PresenceKitError,
): HookState {
  if (liveness.error) return { status: 'error', error: liveness.error };
  if (error) return { status: has ? 'stale' : 'error', error };
  return { status: has ? (liveness.live ? 'ready' : 'stale') : 'loading', error: undefined };
}
