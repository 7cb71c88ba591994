import * as Ably from 'ably';
import { afterEach } from 'vitest';

import { closeRealtime } from '@presencekit/test-utils';
import { type Emulator, type EmulatorOptions, startEmulator } from '../src/index.js';

/** Both wire formats: every realtime test runs in each. */
export const FORMATS = [
  { name: 'msgpack', useBinaryProtocol: true },
  { name: 'json', useBinaryProtocol: false },
] as const;

const cleanups: (() => unknown)[] = [];

/** Runs registered cleanups after each test, newest first (clients before the emulator). */
afterEach(async () => {
  while (cleanups.length > 0) {
    const fn = cleanups.pop()!;
    await fn();
  }
});

/** Registers something to undo after the current test. */
export function onCleanup(fn: () => unknown): void {
  cleanups.push(fn);
}

/** Starts an emulator on a free port with test-friendly timings; stopped after the test. */
export async function emulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const e = await startEmulator({ leaveGraceMs: 200, occupancyDebounceMs: 10, ...options });
  onCleanup(() => e.stop());
  return e;
}

/** A real ably Realtime client connected to the emulator; closed after the test. */
export async function realtime(
  e: Emulator,
  options: Ably.ClientOptions = {},
  { waitConnected = true } = {},
): Promise<Ably.Realtime> {
  const client = new Ably.Realtime(e.clientOptions({ logLevel: 0, ...options }));
  onCleanup(() => closeClient(client));
  if (waitConnected) await client.connection.once('connected');
  return client;
}

/** A real ably Rest client for the emulator. */
export function rest(e: Emulator, options: Ably.ClientOptions = {}): Ably.Rest {
  return new Ably.Rest(e.clientOptions({ logLevel: 0, ...options }));
}

/** Closes a client and waits (at most 2 s) until it is closed (or failed). */
export function closeClient(client: Ably.Realtime): Promise<void> {
  return closeRealtime(client, 2000);
}
