import { type Emulator, type EmulatorOptions, startEmulator } from '@presencekit/ably-emulator';
import * as Ably from 'ably';
import { afterEach } from 'vitest';

// Shared set-up of the server helpers' tests: a real emulator and real `ably` clients, all
// stopped after each test.

const cleanups: (() => unknown)[] = [];

afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

/** An emulator on a free port, stopped after the test. */
export async function emulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const e = await startEmulator({ leaveGraceMs: 100, occupancyDebounceMs: 10, ...options });
  cleanups.push(() => e.stop());
  return e;
}

/** A REST client with the emulator's key, as a server would hold it. */
export function rest(e: Emulator, options: Ably.ClientOptions = {}): Ably.Rest {
  return new Ably.Rest(e.clientOptions({ logLevel: 0, ...options }));
}

/** A connected realtime client, closed after the test. */
export async function realtime(
  e: Emulator,
  options: Ably.ClientOptions = {},
): Promise<Ably.Realtime> {
  const client = new Ably.Realtime(e.clientOptions({ logLevel: 0, ...options }));
  cleanups.push(async () => {
    if (client.connection.state === 'closed' || client.connection.state === 'failed') return;
    const closed = client.connection.once('closed');
    client.close();
    await closed;
  });
  await client.connection.once('connected');
  return client;
}

/**
 * Enters `clientIds` into a room's presence set from one connection (with `enterClient`, as a
 * server-side publisher would) and waits until the emulator lists them.
 */
export async function enterMembers(
  e: Emulator,
  room: string,
  clientIds: readonly string[],
  data: (clientId: string) => unknown = (clientId) => ({ name: clientId.toUpperCase() }),
): Promise<Ably.Realtime> {
  const client = await realtime(e);
  const channel = client.channels.get(`${room}::$chat`);
  await channel.attach();
  await Promise.all(clientIds.map((id) => channel.presence.enterClient(id, data(id))));
  return client;
}
