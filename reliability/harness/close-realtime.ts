import type * as Ably from 'ably';

/** Closes a realtime client and waits (bounded) until it is closed or failed. */
export async function closeRealtime(client: Ably.Realtime, timeoutMs = 5_000): Promise<void> {
  const done = (): boolean => ['closed', 'failed', 'initialized'].includes(client.connection.state);
  if (done()) return;
  const closed = new Promise<void>((resolve) => {
    const check = (): void => {
      if (!done()) return;
      client.connection.off(check);
      resolve();
    };
    client.connection.on(check);
  });
  client.close();
  await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, timeoutMs))]);
}
