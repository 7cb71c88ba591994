import { type Emulator, startEmulator } from '@presencekit/ably-emulator';
import { WebSocket, WebSocketServer } from 'ws';

import { serve, settledMemory } from '../../harness/worker';
import type { Side } from './protocol';

/**
 * The process under test: either the emulator, or the floor — a bare `ws` server that does the
 * least a presence server must do (receive an enter, send a frame of the same size to every
 * client, answer a late joiner with the member list). Alone in its process so that its memory
 * and event loop are its own.
 */

let emulator: Emulator | undefined;
let floor: WebSocketServer | undefined;

/** The floor's state: one record per entered client, like a presence set. */
const members = new Map<string, string>();

/**
 * Writes are batched per event-loop turn (cork, uncork on setImmediate) exactly as the emulator
 * does, so the floor is a well-written bare server, not a strawman paying a system call per frame.
 */
interface Corkable {
  cork(): void;
  uncork(): void;
}
const corked = new Set<Corkable>();
function send(client: WebSocket, data: Buffer): void {
  const socket = (client as unknown as { _socket?: Corkable })._socket;
  if (socket && !corked.has(socket)) {
    if (corked.size === 0) {
      setImmediate(() => {
        for (const s of corked) s.uncork();
        corked.clear();
      });
    }
    socket.cork();
    corked.add(socket);
  }
  client.send(data);
}

function startFloor(frameBytes: number): Promise<number> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  floor = wss;
  wss.on('connection', (socket) => {
    socket.on('message', (raw: Buffer) => {
      const text = raw.toString('utf8');
      if (text === 'sync') {
        // The whole set, in pages of 500 like the emulator's SYNC.
        const all = [...members.values()];
        for (let i = 0; i < all.length || i === 0; i += 500) {
          socket.send(
            `{"sync":[${all.slice(i, i + 500).join(',')}],"last":${i + 500 >= all.length}}`,
          );
        }
        return;
      }
      const enter = JSON.parse(text) as { c: string; t: number; i: number };
      members.set(enter.c, `{"clientId":"${enter.c}","t":${enter.t},"i":${enter.i}}`);
      // Same size as the emulator's presence frame: pad the JSON up to `frameBytes`.
      let frame = `{"c":"${enter.c}","t":${enter.t},"i":${enter.i},"p":""}`;
      if (frame.length < frameBytes) {
        frame = frame.slice(0, -2) + 'x'.repeat(frameBytes - frame.length) + '"}';
      }
      const data = Buffer.from(frame);
      for (const client of wss.clients) {
        if (client.readyState === WebSocket.OPEN) send(client, data);
      }
    });
  });
  return new Promise((resolve) =>
    wss.once('listening', () => resolve((wss.address() as { port: number }).port)),
  );
}

serve({
  async start({ side, frameBytes }: { side: Side; frameBytes: number }) {
    if (side === 'emulator') {
      emulator = await startEmulator({
        port: 0,
        host: '127.0.0.1',
        leaveGraceMs: 1000,
        // Up to 2,000 clients present in one room, far past Ably's 200 members per channel.
        maxPresenceMembers: 20_000,
      });
      return { port: emulator.port, key: emulator.key };
    }
    return { port: await startFloor(frameBytes), key: '' };
  },
  memory() {
    return settledMemory();
  },
  /** How many members the server holds: the truth the late joiner must match. */
  memberCount({ channel }: { channel: string }) {
    return emulator ? emulator.channel(channel).members.length : members.size;
  },
  async stop() {
    await emulator?.stop();
    if (floor) {
      for (const client of floor.clients) client.terminate();
      await new Promise<void>((resolve) => floor!.close(() => resolve()));
    }
    emulator = undefined;
    floor = undefined;
    members.clear();
  },
});
