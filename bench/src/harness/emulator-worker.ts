import { type Emulator, type EmulatorOptions, startEmulator } from '@presencekit/ably-emulator';

import { serve, settledMemory } from './worker';

/**
 * The emulator alone in a process, so its CPU never counts against the side being measured.
 * Benchmarks start it with {@link startWorker} and this file.
 */

let emulator: Emulator | undefined;

serve({
  async start(options: Omit<EmulatorOptions, 'log' | 'server'> = {}) {
    emulator = await startEmulator({
      port: 0,
      host: '127.0.0.1',
      // Benchmarks fill rooms with thousands of members, far past Ably's 200 per channel.
      maxPresenceMembers: 20_000,
      ...options,
    });
    return { port: emulator.port, key: emulator.key };
  },
  /** Occupancy and members of a channel: the truth a rendered list or count must match. */
  channel({ name }: { name: string }) {
    const snapshot = emulator!.channel(name);
    return {
      connections: snapshot.metrics.connections,
      presenceMembers: snapshot.metrics.presenceMembers,
      members: snapshot.members.map((m) => `${m.clientId}:${m.connectionId}`).sort(),
    };
  },
  /** A token for a browser page, so no key goes into it. */
  token({ clientId }: { clientId: string }) {
    return emulator!.createToken({ clientId, ttl: 60 * 60 * 1000 });
  },
  memory() {
    return settledMemory();
  },
  async stop() {
    await emulator?.stop();
    emulator = undefined;
  },
});
