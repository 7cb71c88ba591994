import * as Ably from 'ably';

/**
 * Members present in a room before a benchmark mounts anything: real SDK connections in the
 * harness process, one member each, attached the way `@ably/chat` attaches a room.
 */
export async function populate(
  { port, key }: { port: number; key: string },
  room: string,
  count: number,
): Promise<{ close(): Promise<void> }> {
  const clients: Ably.Realtime[] = [];
  for (let i = 0; i < count; i++) {
    const realtime = new Ably.Realtime({
      endpoint: '127.0.0.1',
      port,
      tls: false,
      key,
      clientId: `present-${i}`,
    });
    clients.push(realtime);
    const channel = realtime.channels.get(`${room}::$chat`);
    await channel.presence.enter({ name: `Present ${i}` });
  }
  return {
    async close() {
      await Promise.all(
        clients.map(
          (c) =>
            new Promise<void>((resolve) => {
              c.connection.once('closed', () => resolve());
              c.connection.once('failed', () => resolve());
              c.close();
            }),
        ),
      );
    },
  };
}

/** Polls `check` every 20 ms until it is true or `timeoutMs` passes (then throws `what`). */
export async function waitFor(
  check: () => Promise<boolean> | boolean,
  what: string,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!(await check())) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
