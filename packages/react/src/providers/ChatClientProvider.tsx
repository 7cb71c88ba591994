import type { ChatClient } from '@ably/chat';
import type { ReactNode } from 'react';

/** Props for {@link ChatClientProvider}. */
export interface ChatClientProviderProps {
  /** The chat client every PresenceKit hook below uses. Create it once, outside render. */
  client: ChatClient;
  /** The part of the app that uses the client. */
  children?: ReactNode;
}

/**
 * Makes a `ChatClient` available to PresenceKit's providers and hooks below it.
 *
 * @example
 * ```tsx
 * const chatClient = new ChatClient(new Ably.Realtime({ authUrl: '/api/ably-token' }));
 * <ChatClientProvider client={chatClient}><App /></ChatClientProvider>
 * ```
 */
export function ChatClientProvider(props: ChatClientProviderProps): ReactNode {
  void props;
  throw new Error('ChatClientProvider: not implemented yet');
}
