import type { ChatClient } from '@ably/chat';
import { useContext } from 'react';

import { type PresenceKitError, invalidOption } from '../../core/errors';
import { ClientContext } from '../../providers/contexts';
import { OFFICIAL_DEFAULT_CLIENT, OfficialClientContext } from '../../providers/official-contexts';

/** The client from PresenceKit's or the official `<ChatClientProvider>`, if any. */
export function useOptionalChatClient(): ChatClient | undefined {
  const ours = useContext(ClientContext);
  const official = useContext(OfficialClientContext);
  return ours ?? official[OFFICIAL_DEFAULT_CLIENT]?.client;
}

/**
 * `invalid_argument` when a JavaScript caller passed something other than a `ChatClient` (`{}`, an
 * `Ably.Realtime`, a room) where one is needed; `undefined` for a client, or for no value at all
 * (that is a missing client, reported where one is needed).
 */
export function notAChatClient(where: string, value: unknown): PresenceKitError | undefined {
  const client = value as Partial<ChatClient> | null | undefined;
  return client == null ||
    (typeof client.rooms?.get === 'function' && typeof client.realtime === 'object')
    ? undefined
    : invalidOption(
        where,
        'client',
        value,
        'pass a ChatClient, e.g. new ChatClient(new Ably.Realtime({ authUrl }))',
      );
}
