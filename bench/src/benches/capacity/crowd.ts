import WebSocket from 'ws';

import { serve } from '../../harness/worker';
import { ACTION, CHANNEL, CHAT_ATTACH_FLAGS, now, type Side } from './protocol';

/**
 * Light clients for the crowd: raw `ws` sockets. Against the emulator they speak the real
 * protocol (connect with a key and clientId, ATTACH with chat's modes, PRESENCE enter) — the
 * server cannot tell them from SDK clients. Against the floor they send the same enter as a bare
 * JSON message. They count what they receive but do not decode it, so the crowd costs as little
 * CPU as possible on this 2-core machine.
 */

interface Client {
  ws: WebSocket;
  index: number;
  clientId: string;
}

const clients: Client[] = [];
let framesReceived = 0;
let bytesReceived = 0;
let presenceBytes = 0;
let presenceFrames = 0;
let sampleIndex = -1;

function open(side: Side, port: number, key: string, index: number): Promise<Client> {
  const clientId = `c-${index}`;
  const url =
    side === 'emulator'
      ? `ws://127.0.0.1:${port}/?${new URLSearchParams({ key, clientId, format: 'json', heartbeats: 'false', v: '6' }).toString()}`
      : `ws://127.0.0.1:${port}/`;
  const ws = new WebSocket(url, { perMessageDeflate: false });
  const client = { ws, index, clientId };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${clientId}: no connection in 30 s`)), 30_000);
    const fail = (error: Error): void => {
      clearTimeout(timer);
      reject(error);
    };
    ws.once('error', fail);
    if (side === 'floor') {
      ws.once('open', () => {
        clearTimeout(timer);
        resolve(client);
      });
    } else {
      // CONNECTED, then ATTACHED: the only frames we decode.
      const setup = (raw: Buffer): void => {
        const action = (JSON.parse(raw.toString('utf8')) as { action: number }).action;
        if (action === ACTION.CONNECTED) {
          ws.send(
            JSON.stringify({ action: ACTION.ATTACH, channel: CHANNEL, flags: CHAT_ATTACH_FLAGS }),
          );
        } else if (action === ACTION.ATTACHED) {
          ws.off('message', setup);
          clearTimeout(timer);
          resolve(client);
        } else if (action === ACTION.ERROR) {
          fail(new Error(`${clientId}: ${raw.toString('utf8')}`));
        }
      };
      ws.on('message', setup);
    }
    // One client per process decodes what it gets, to learn the size of a presence frame (the
    // floor sends frames of that size); the others only count.
    const sample = side === 'emulator' && index === sampleIndex;
    ws.on('message', (raw: Buffer) => {
      framesReceived += 1;
      bytesReceived += raw.length;
      if (
        sample &&
        (JSON.parse(raw.toString('utf8')) as { action: number }).action === ACTION.PRESENCE
      ) {
        presenceFrames += 1;
        presenceBytes += raw.length;
      }
    });
  });
}

serve({
  /** Opens (and, on the emulator, attaches) one socket per index, `concurrency` at a time. */
  async connect({
    side,
    port,
    key,
    indices,
    concurrency = 50,
  }: {
    side: Side;
    port: number;
    key: string;
    indices: number[];
    concurrency?: number;
  }) {
    const queue = [...indices];
    sampleIndex = indices[0] ?? -1;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        for (let index = queue.shift(); index !== undefined; index = queue.shift()) {
          clients.push(await open(side, port, key, index));
        }
      }),
    );
    return clients.length;
  },
  /**
   * Each client enters once, client `i` at `startAt + i * 1000 / rate` (wall clock), so the
   * server sees a steady stream at `rate` enters per second across all crowd processes.
   */
  async enter({ side, startAt, rate }: { side: Side; startAt: number; rate: number }) {
    const due = [...clients].sort((a, b) => a.index - b.index);
    let next = 0;
    await new Promise<void>((resolve) => {
      const tick = (): void => {
        const t = now();
        while (next < due.length && startAt + (due[next]!.index * 1000) / rate <= t) {
          const { ws, clientId, index } = due[next]!;
          const sentAt = now();
          if (side === 'emulator') {
            ws.send(
              JSON.stringify({
                action: ACTION.PRESENCE,
                channel: CHANNEL,
                msgSerial: 0,
                presence: [
                  { action: 2, data: JSON.stringify({ t: sentAt, i: index }), encoding: 'json' },
                ],
              }),
            );
          } else {
            ws.send(JSON.stringify({ c: clientId, t: sentAt, i: index }));
          }
          next += 1;
        }
        if (next >= due.length) resolve();
        else setTimeout(tick, Math.max(0, startAt + (due[next]!.index * 1000) / rate - now()));
      };
      tick();
    });
    return due.length;
  },
  stats() {
    return {
      framesReceived,
      bytesReceived,
      presenceFrames,
      presenceBytes,
      clients: clients.length,
    };
  },
  async close() {
    for (const { ws } of clients.splice(0)) ws.terminate();
    framesReceived = bytesReceived = presenceBytes = presenceFrames = 0;
    await new Promise((resolve) => setTimeout(resolve, 50));
  },
});
