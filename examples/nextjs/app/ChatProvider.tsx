'use client';

import { ChatClient } from '@ably/chat';
import type { AblyEndpointOptions } from '@presencekit/react/server';
import { ChatClientProvider } from '@presencekit/react';
import { PresenceKitDevtools } from '@presencekit/react/devtools';
import * as Ably from 'ably';
import { type ReactNode, useState, useSyncExternalStore } from 'react';

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
  const devtools = useDevtoolsToggle();
  return (
    <ChatClientProvider client={client}>
      {children}
      {devtools && <PresenceKitDevtools />}
    </ChatClientProvider>
  );
}

const subscribeNever = () => () => {};

/**
 * `?devtools` in the address shows `<PresenceKitDevtools>` (with `next dev`: production builds
 * render nothing). Read after hydration (the server snapshot is `false`), so the server's HTML
 * and the first client render agree.
 */
function useDevtoolsToggle(): boolean {
  return useSyncExternalStore(
    subscribeNever,
    () => new URLSearchParams(window.location.search).has('devtools'),
    () => false,
  );
}
