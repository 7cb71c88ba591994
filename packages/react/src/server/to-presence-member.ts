import type { JsonObject } from '@ably/chat';
import type * as Ably from 'ably';

import { memberKey } from '../core/presence-store';
import type { PresenceMember } from '../core/types';

/**
 * One REST presence message as a {@link PresenceMember}, the shape the client hooks use, so the
 * list rendered on the server and the live one on the client are the same objects.
 *
 * `isCurrentConnection` is always false: a server has no connection of its own.
 *
 * @internal
 */
export function toPresenceMember<TData>(
  message: Ably.PresenceMessage,
  selfClientId: string | undefined,
): PresenceMember<TData> {
  const clientId = message.clientId ?? '';
  const connectionId = message.connectionId ?? '';
  return {
    // The client store's key, so server-rendered and live rows line up.
    key: memberKey(clientId, connectionId),
    clientId,
    connectionId,
    data: message.data as TData | undefined,
    extras: isJsonObject(message.extras) ? message.extras : undefined,
    updatedAt: message.timestamp ?? 0,
    isSelf: selfClientId !== undefined && clientId === selfClientId,
    isCurrentConnection: false,
  };
}

function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
