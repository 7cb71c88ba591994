import type { ChatClient } from '@ably/chat';
import { useContext } from 'react';

import { ClientContext } from './contexts';
import { OFFICIAL_DEFAULT_CLIENT, OfficialClientContext } from './official-contexts';

/** The client from PresenceKit's or the official `<ChatClientProvider>`, if any. */
export function useOptionalChatClient(): ChatClient | undefined {
  const ours = useContext(ClientContext);
  const official = useContext(OfficialClientContext);
  return ours ?? official[OFFICIAL_DEFAULT_CLIENT]?.client;
}
