import { ChatClient, LogLevel } from '@ably/chat';
import * as Ably from 'ably';
import { inject } from 'vitest';

import { closeRealtime } from '@presencekit/test-utils';

/** A ChatClient on the emulator, authenticated by token; `close()` ends its connection. */
export interface LiveClient {
  readonly chat: ChatClient;
  readonly realtime: Ably.Realtime;
  close(): Promise<void>;
}

const open = new Set<LiveClient>();

/**
 * A real `ably` + `@ably/chat` client in the browser, talking JSON over WebSocket to the emulator
 * the global setup started. It gets tokens from the Node-side token endpoint (`authUrl`); no key
 * is ever in the browser. `capability` narrows what its tokens allow (channel name → operations).
 */
export function createLiveClient(
  clientId: string,
  capability?: Record<string, string[]>,
): LiveClient {
  const { endpoint, port, tokenUrl } = inject('browserEmulator');
  const realtime = new Ably.Realtime({
    endpoint,
    port,
    tls: false,
    clientId,
    authUrl: tokenUrl,
    authParams: capability ? { clientId, capability: JSON.stringify(capability) } : { clientId },
    useBinaryProtocol: false,
    transports: ['web_socket'],
    logLevel: 0,
  });
  const chat = new ChatClient(realtime, { logLevel: LogLevel.Silent });
  const client: LiveClient = {
    chat,
    realtime,
    async close() {
      open.delete(client);
      await closeRealtime(realtime);
    },
  };
  open.add(client);
  return client;
}

/** Closes every client a test opened (call from `afterEach`). */
export async function closeLiveClients(): Promise<void> {
  await Promise.all([...open].map((client) => client.close()));
}
