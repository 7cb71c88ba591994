'use client';

import { ChatClient } from '@ably/chat';
import type { AblyEndpointOptions } from '@presencekit/react/server';
import { ChatClientProvider } from '@presencekit/react';
import * as Ably from 'ably';
import { type ReactNode, useState } from 'react';

/**
 * One chat client for the whole app, created in the browser with token auth. During server
 * rendering it exists but never connects (`autoConnect` off): the hooks render the data the
 * page fetched over REST and start nothing on the server.
 */
export function ChatProvider({
  endpoint,
  children,
}: {
  endpoint: AblyEndpointOptions;
  children: ReactNode;
}) {
  const [client] = useState(
    () =>
      new ChatClient(
        new Ably.Realtime({
          ...endpoint,
          authUrl: '/api/ably-token',
          autoConnect: typeof window !== 'undefined',
        }),
      ),
  );
  return <ChatClientProvider client={client}>{children}</ChatClientProvider>;
}
