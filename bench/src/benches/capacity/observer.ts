import * as Ably from 'ably';
import WebSocket from 'ws';

import { serve } from '../../harness/worker';
import { CHANNEL, type EnterData, now, type Side } from './protocol';

/**
 * The observer and the late joiner. On the emulator both are the real `ably` SDK (default
 * options: msgpack, as in production); on the floor they are bare `ws` clients that decode the
 * JSON frames — the least any client could do.
 */

let realtime: Ably.Realtime | undefined;
let socket: WebSocket | undefined;
const latencies = new Map<number, number>();
let expected = 0;
let onAll: (() => void) | undefined;

function record(data: EnterData, receivedAt: number): void {
  if (!latencies.has(data.i)) latencies.set(data.i, receivedAt - data.t);
  if (latencies.size >= expected) onAll?.();
}

function connected(client: Ably.Realtime): Promise<void> {
  return new Promise((resolve, reject) => {
    client.connection.once('connected', () => resolve());
    client.connection.once('failed', (change) => reject(new Error(change.reason?.message)));
  });
}

serve({
  async observe({
    side,
    port,
    key,
    count,
  }: {
    side: Side;
    port: number;
    key: string;
    count: number;
  }) {
    latencies.clear();
    expected = count;
    if (side === 'emulator') {
      realtime = new Ably.Realtime({
        endpoint: '127.0.0.1',
        port,
        tls: false,
        key,
        clientId: 'observer',
      });
      await connected(realtime);
      const channel = realtime.channels.get(CHANNEL);
      await channel.presence.subscribe('enter', (message) => {
        record(message.data as EnterData, now());
      });
    } else {
      socket = new WebSocket(`ws://127.0.0.1:${port}/`, { perMessageDeflate: false });
      socket.on('message', (raw: Buffer) => {
        const receivedAt = now();
        record(JSON.parse(raw.toString('utf8')) as EnterData, receivedAt);
      });
      await new Promise((resolve, reject) => {
        socket!.once('open', resolve);
        socket!.once('error', reject);
      });
    }
  },
  /** Resolves with every latency (ms) once all enters arrived, or with what came within `timeoutMs`. */
  async latencies({ timeoutMs }: { timeoutMs: number }) {
    if (latencies.size < expected) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, timeoutMs);
        onAll = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    onAll = undefined;
    return [...latencies.values()];
  },
  /** A late joiner: from attach to a complete member list of `count`; `null` if not in time. */
  async lateJoin({
    side,
    port,
    key,
    count,
    timeoutMs,
  }: {
    side: Side;
    port: number;
    key: string;
    count: number;
    timeoutMs: number;
  }) {
    if (side === 'emulator') {
      const late = new Ably.Realtime({
        endpoint: '127.0.0.1',
        port,
        tls: false,
        key,
        clientId: 'late',
      });
      try {
        await connected(late);
        const t0 = now();
        const members = await Promise.race([
          late.channels.get(CHANNEL).presence.get({ waitForSync: true }),
          new Promise<null>((resolve) => setTimeout(() => resolve(null), timeoutMs)),
        ]);
        const t1 = now();
        if (!members || members.length !== count)
          return { ms: null, members: members?.length ?? 0 };
        return { ms: t1 - t0, members: members.length };
      } finally {
        late.close();
      }
    }
    const ws = new WebSocket(`ws://127.0.0.1:${port}/`, { perMessageDeflate: false });
    try {
      await new Promise((resolve, reject) => {
        ws.once('open', resolve);
        ws.once('error', reject);
      });
      const t0 = now();
      const set = new Map<string, unknown>();
      const done = await new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), timeoutMs);
        ws.on('message', (raw: Buffer) => {
          // Ignore broadcasts; keep the pages of the answer.
          const page = JSON.parse(raw.toString('utf8')) as {
            sync?: { clientId: string }[];
            last?: boolean;
          };
          if (!page.sync) return;
          for (const member of page.sync) set.set(member.clientId, member);
          if (page.last) {
            clearTimeout(timer);
            resolve(true);
          }
        });
        ws.send('sync');
      });
      const t1 = now();
      return { ms: done && set.size === count ? t1 - t0 : null, members: set.size };
    } finally {
      ws.terminate();
    }
  },
  async close() {
    realtime?.close();
    socket?.terminate();
    realtime = undefined;
    socket = undefined;
    await new Promise((resolve) => setTimeout(resolve, 50));
  },
});
