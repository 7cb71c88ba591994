import { ChatClient, LogLevel } from '@ably/chat';
import {
  ChatClientProvider,
  ChatRoomProvider,
  type HookStatus,
  useOccupancy,
  usePresence,
  usePresenceHistory,
  usePresenceMembers,
} from '@presencekit/react';
import { cleanup, render } from '@testing-library/react';
import * as Ably from 'ably';
import { StrictMode, useEffect } from 'react';
import { afterEach, expect, test, vi } from 'vitest';

import { closeRealtime } from '@presencekit/test-utils';
import { EmulatorProcess } from '../harness/emulator-process';
import { onCleanup } from '../harness/cleanup';
import { type Footprint, footprint } from '../harness/sdk-footprint';

/**
 * Mount, switch rooms, unmount — 1,000 times, in StrictMode, on one long-lived client as an app
 * has. Afterwards the client holds exactly what it held before (no channel attached or kept, no
 * listener on any SDK emitter, no chat room), the server sees no attachment, and the heap is back
 * at its warmed-up baseline.
 */

const ITERATIONS = Number(process.env.PRESENCEKIT_LEAK_ITERATIONS ?? 1000);
const WARM_UP = 100;
const ROOMS = ['leak-a', 'leak-b', 'leak-c', 'leak-d'];
const ROOM_OPTIONS = { occupancy: { enableEvents: true } };
/** Heap the loop may leave over the warmed-up baseline (JIT code, caches; not per mount). */
const HEAP_TOLERANCE = 6 * 1024 * 1024;

afterEach(() => cleanup());

function Consumers({ onStatus }: { onStatus: (statuses: HookStatus[]) => void }) {
  const occupancy = useOccupancy();
  const members = usePresenceMembers();
  const history = usePresenceHistory();
  const self = usePresence({ name: 'leaky' });
  const statuses = [occupancy.status, members.status, history.status, self.status];
  useEffect(() => {
    onStatus(statuses);
  });
  return null;
}

function heapUsed(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with --expose-gc (the reliability-jsdom project sets it)');
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

test(`${ITERATIONS} mounts, room switches and unmounts in StrictMode leave nothing behind`, async () => {
  const proc = await EmulatorProcess.start({ leaveGraceMs: 0, occupancyDebounceMs: 20 });
  onCleanup(() => proc.stop());
  const realtime = new Ably.Realtime({ ...proc.clientOptions(), clientId: 'leaky', logLevel: 0 });
  onCleanup(() => closeRealtime(realtime));
  const chat = new ChatClient(realtime, { logLevel: LogLevel.Silent });
  await realtime.connection.once('connected');
  const baseline = footprint(realtime, chat);

  let latest: HookStatus[] = [];
  const onStatus = (s: HookStatus[]) => {
    latest = s;
  };
  const app = (room: string) => (
    <StrictMode>
      <ChatClientProvider client={chat}>
        <ChatRoomProvider name={room} options={ROOM_OPTIONS}>
          <Consumers onStatus={onStatus} />
        </ChatRoomProvider>
      </ChatClientProvider>
    </StrictMode>
  );

  let readyWaits = 0;
  const cycle = async (i: number) => {
    const view = render(app(ROOMS[i % ROOMS.length]!));
    // Every third mount switches rooms while mounted.
    if (i % 3 === 0) view.rerender(app(ROOMS[(i + 1) % ROOMS.length]!));
    // Now and then let everything attach, fetch and enter before leaving; otherwise unmount
    // while requests are in flight (where cleanups are easiest to get wrong).
    if (i % 25 === 0) {
      readyWaits++;
      await vi.waitFor(() => expect(latest).toEqual(['ready', 'ready', 'ready', 'ready']), {
        timeout: 20_000,
        interval: 10,
      });
    } else if (i % 5 === 0) {
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
    cleanup();
  };
  /** Rooms are released shortly after their last provider unmounts: wait for that. */
  const quiescent = async (): Promise<Footprint> => {
    await vi.waitFor(() => expect(footprint(realtime, chat)).toEqual(baseline), {
      timeout: 30_000,
      interval: 50,
    });
    for (const room of ROOMS) {
      const server = await proc.channel(`${room}::$chat`);
      expect([server.metrics.connections, server.members.length], room).toEqual([0, 0]);
    }
    return footprint(realtime, chat);
  };

  for (let i = 0; i < WARM_UP; i++) await cycle(i);
  await quiescent();
  const heapBefore = heapUsed();
  const started = Date.now();
  for (let i = WARM_UP; i < WARM_UP + ITERATIONS; i++) await cycle(i);
  const after = await quiescent();
  const heapAfter = heapUsed();

  console.log(
    `[leaks] ${ITERATIONS} cycles (${readyWaits} waited until ready) in ${Date.now() - started} ms; ` +
      `footprint ${JSON.stringify(after)} (baseline ${JSON.stringify(baseline)}); heap ` +
      `${(heapBefore / 1048576).toFixed(1)} → ${(heapAfter / 1048576).toFixed(1)} MB`,
  );
  expect(after).toEqual(baseline);
  expect(realtime.connection.state).toBe('connected');
  expect(heapAfter - heapBefore).toBeLessThan(HEAP_TOLERANCE);
});
