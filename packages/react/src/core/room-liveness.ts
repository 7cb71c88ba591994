import type { Room } from '@ably/chat';
import type * as Ably from 'ably';

import { PresenceKitError } from './errors';
import type { HookStatus } from './types';

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
 * Whether data from a room can be live now.
 * - `live`: the room is attached on a connected connection.
 * - `pending`: not yet, or not at the moment (attaching, reattaching, disconnected, suspended).
 * - `failed`: it will not recover by itself; `error` says why.
 */
export interface RoomLiveness {
  readonly state: 'live' | 'pending' | 'failed';
  readonly error: PresenceKitError | undefined;
}

const LIVE: RoomLiveness = { state: 'live', error: undefined };
const PENDING: RoomLiveness = { state: 'pending', error: undefined };

/** Reads the room's and the connection's state. */
export function roomLiveness(room: Room): RoomLiveness {
  const status = room.status as string;
  const connection = realtimeOf(room)?.connection;
  const connectionState = connection?.state ?? 'connected';

  if (status === 'failed') {
    return {
      state: 'failed',
      error: new PresenceKitError(
        'room_failed',
        'The room failed and will not recover by itself: check the Ably error in `cause` ' +
          '(often a capability or a channel limit), fix it, then remount the <ChatRoomProvider>.',
        { cause: room.error },
      ),
    };
  }
  if (status === 'released' || status === 'releasing') {
    return {
      state: 'failed',
      error: new PresenceKitError(
        'room_unavailable',
        'The room was released while still in use: keep its <ChatRoomProvider> mounted, and do not ' +
          'call chatClient.rooms.release() on a room that hooks are reading.',
      ),
    };
  }
  if (
    connectionState === 'failed' ||
    connectionState === 'closed' ||
    connectionState === 'closing'
  ) {
    return {
      state: 'failed',
      error: new PresenceKitError(
        'connection_failed',
        `The Ably connection is ${connectionState}: check the auth setup (key, token or authUrl) and ` +
          'network; call realtime.connect() to try again after closing it.',
        { cause: connection?.errorReason ?? undefined },
      ),
    };
  }
  if (status === 'attached' && connectionState === 'connected') return LIVE;
  return PENDING;
}

/** Calls `onChange` whenever the room status or the connection state changes. */
export function watchLiveness(room: Room, onChange: () => void): () => void {
  const { off } = room.onStatusChange(() => onChange());
  const connection = realtimeOf(room)?.connection;
  const connectionListener = (): void => onChange();
  connection?.on(connectionListener);
  return () => {
    off();
    connection?.off(connectionListener);
  };
}

/** Maps liveness plus "do we have data" to the public status. */
export function statusFor(liveness: RoomLiveness, hasData: boolean): HookStatus {
  if (liveness.state === 'failed') return 'error';
  if (liveness.state === 'live') return hasData ? 'ready' : 'loading';
  return hasData ? 'stale' : 'loading';
}
