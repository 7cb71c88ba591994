import { ChatClient, LogLevel } from '@ably/chat';
import * as Ably from 'ably';
import { inject } from 'vitest';

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
 * is ever in the browser.
 */
export function createLiveClient(clientId: string): LiveClient {
  const { endpoint, port, tokenUrl } = inject('browserEmulator');
  const realtime = new Ably.Realtime({
    endpoint,
    port,
    tls: false,
    clientId,
    authUrl: tokenUrl,
    authParams: { clientId },
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
      if (realtime.connection.state === 'closed' || realtime.connection.state === 'failed') return;
      const closed = new Promise<void>((resolve) => {
        realtime.connection.once('closed', () => resolve());
        realtime.connection.once('failed', () => resolve());
      });
      realtime.close();
      await closed;
    },
  };
  open.add(client);
  return client;
}

/** Closes every client a test opened (call from `afterEach`). */
export async function closeLiveClients(): Promise<void> {
  await Promise.all([...open].map((client) => client.close()));
}

/** A room name no other test uses. */
export function uniqueRoom(prefix: string): string {
  return `${prefix}-${Math.random().toString(36).slice(2, 10)}`;
}
