import * as Ably from 'ably';

import { serve } from '../../harness/worker';
import { now } from '../capacity/protocol';
import type { PresenceEvent } from './stream';

/**
 * Plays the event stream into the room with the real SDK: one key-authenticated connection that
 * enters, updates and leaves members on behalf of their clientIds (`enterClient` & co.), at a
 * steady rate. Its own process, so its CPU is nobody's.
 */

let realtime: Ably.Realtime | undefined;

serve({
  async connect({ port, key }: { port: number; key: string }) {
    realtime = new Ably.Realtime({ endpoint: '127.0.0.1', port, tls: false, key });
    await new Promise<void>((resolve, reject) => {
      realtime!.connection.once('connected', () => resolve());
      realtime!.connection.once('failed', (c) => reject(new Error(c.reason?.message)));
    });
    return realtime.connection.id!;
  },
  async prepare({ room }: { room: string }) {
    await realtime!.channels.get(`${room}::$chat`).attach();
  },
  /** Sends `events` at `rate` per second; resolves when all are acknowledged. */
  async play({ room, events, rate }: { room: string; events: PresenceEvent[]; rate: number }) {
    const presence = realtime!.channels.get(`${room}::$chat`).presence;
    const acks: Promise<void>[] = [];
    const start = now();
    let next = 0;
    await new Promise<void>((resolve) => {
      const tick = (): void => {
        const due = Math.min(events.length, Math.floor(((now() - start) * rate) / 1000) + 1);
        for (; next < due; next++) {
          const { action, clientId, status } = events[next]!;
          const data = { name: `Member ${clientId.slice(2)}`, status };
          acks.push(
            action === 'enter'
              ? presence.enterClient(clientId, data)
              : action === 'update'
                ? presence.updateClient(clientId, data)
                : presence.leaveClient(clientId, data),
          );
        }
        if (next >= events.length) resolve();
        else setTimeout(tick, 1);
      };
      tick();
    });
    const lastSentAt = now();
    await Promise.all(acks);
    return { lastSentAt, lastAckAt: now() };
  },
  async close() {
    await new Promise<void>((resolve) => {
      if (!realtime) return resolve();
      realtime.connection.once('closed', () => resolve());
      realtime.close();
    });
    realtime = undefined;
  },
});
