import type { ChatClient } from '@ably/chat';
import type { ReactNode } from 'react';

import { checkChatClient } from '../core/errors';
import { ClientContext } from './contexts';

/** Props for {@link ChatClientProvider}. */
export interface ChatClientProviderProps {
  /** The chat client every PresenceKit hook below uses. Create it once, outside render. */
  client: ChatClient;
  /** The part of the app that uses the client. */
  children?: ReactNode;
}

/**
 * Makes a `ChatClient` available to PresenceKit's providers and hooks below it. Hooks also find a
 * client from `@ably/chat/react`'s `<ChatClientProvider>`, so either works.
 *
 * @example
 * ```tsx
 * const chatClient = new ChatClient(new Ably.Realtime({ authUrl: '/api/ably-token' }));
 *
 * root.render(
 *   <ChatClientProvider client={chatClient}>
 *     <App />
 *   </ChatClientProvider>,
 * );
 * ```
 */
export function ChatClientProvider({ client, children }: ChatClientProviderProps): ReactNode {
  // Every hook below would fail with less to go on (development only, see core/errors.ts).
  if (process.env.NODE_ENV !== 'production') checkChatClient('<ChatClientProvider>', client);
  return <ClientContext.Provider value={client}>{children}</ClientContext.Provider>;
}
