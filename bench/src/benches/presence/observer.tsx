import '../../harness/dom-install';

import { ChatClient, type Room } from '@ably/chat';
import * as Official from '@ably/chat/react';
import * as Ours from '@presencekit/react/hooks';
import * as Ably from 'ably';
import { Profiler, type ReactNode, useLayoutEffect } from 'react';
import { createRoot, type Root } from 'react-dom/profiling';

import { serve } from '../../harness/worker';
import { now } from '../capacity/protocol';

/**
 * One side at a time, in jsdom with React 19 (production profiling build) and the real SDK:
 * - `ours`: `usePresenceMembers` under our providers, rendering a plain mapped list;
 * - `official`: `usePresenceListener` under the official providers, the same list;
 * - `none`: no React, just the room attached with a no-op presence listener — what the SDK costs
 *   by itself, subtracted from both sides.
 * It measures this process's CPU over a phase of the stream, the commits (`<Profiler>`), the most
 * commits within one animation frame, and when the rendered list matches the expected one.
 */

export type Side = 'ours' | 'official' | 'none';

type Data = { name?: string; status?: string } | undefined;

/** What both hooks' members have in common; the list renders them as they come, no copying. */
interface Row {
  clientId: string;
  connectionId: string;
  data: unknown;
}

/** Rows in the last committed list: lets the settle check skip the DOM until the count is right. */
let committedRows = -1;

function List({ members }: { members: readonly Row[] }): ReactNode {
  useLayoutEffect(() => {
    committedRows = members.length;
  });
  return (
    <ul id="members">
      {members.map((m) => {
        const key = `${m.clientId}:${m.connectionId}`;
        return (
          <li key={key} data-k={key}>
            {m.clientId} {(m.data as Data)?.status ?? ''}
          </li>
        );
      })}
    </ul>
  );
}

function OurMembers(): ReactNode {
  const { members } = Ours.usePresenceMembers<Data>();
  return <List members={members} />;
}

function OfficialMembers(): ReactNode {
  const { presenceData } = Official.usePresenceListener();
  return <List members={presenceData} />;
}

let realtime: Ably.Realtime | undefined;
let reactRoot: Root | undefined;
let container: HTMLElement | undefined;
let bareRoom: Room | undefined;
let unsubscribe: (() => void) | undefined;

// Per-phase measurement state.
let commits = 0;
let renderMs = 0;
let frame = 0;
let commitsThisFrame = 0;
let maxCommitsPerFrame = 0;
let framesRunning = false;
let eventsSeen = 0;
let checking = false;
let expected: Map<string, string> | undefined;
let expectedEvents = 0;
let settle: (() => void) | undefined;

function onRender(_id: string, _phase: string, actualDuration: number): void {
  commits += 1;
  renderMs += actualDuration;
  commitsThisFrame += 1;
  if (commitsThisFrame > maxCommitsPerFrame) maxCommitsPerFrame = commitsThisFrame;
  if (checking) queueMicrotask(check);
}

function frameLoop(): void {
  if (!framesRunning) return;
  frame += 1;
  commitsThisFrame = 0;
  requestAnimationFrame(frameLoop);
}

/**
 * The DOM list equals the expected members. O(N), so it runs only when the committed row count is
 * right, walks siblings (jsdom's HTMLCollection is O(N) per access) and reads attributes directly.
 */
function listMatches(): boolean {
  if (!expected || committedRows !== expected.size) return false;
  const list = container?.firstElementChild;
  if (!list) return false;
  let rows = 0;
  for (let li = list.firstElementChild; li; li = li.nextElementSibling) {
    rows += 1;
    const text = expected.get(li.getAttribute('data-k') ?? '');
    if (text === undefined || li.textContent !== text) return false;
  }
  return rows === expected.size;
}

let lastCheck = 0;
let checkTimer: ReturnType<typeof setTimeout> | undefined;

/**
 * Settles the phase when the side shows the expected state. At most one DOM check per 20 ms (and
 * one more after the last commit), so the checking costs either side next to nothing.
 */
function check(): void {
  if (!checking || !settle) return;
  if (!reactRoot) {
    if (eventsSeen >= expectedEvents) settle();
    return;
  }
  const wait = lastCheck + 20 - now();
  if (wait > 0) {
    checkTimer ??= setTimeout(() => {
      checkTimer = undefined;
      check();
    }, wait);
    return;
  }
  lastCheck = now();
  if (listMatches()) settle();
}

serve({
  async mount({ side, port, key, room }: { side: Side; port: number; key: string; room: string }) {
    realtime = new Ably.Realtime({
      endpoint: '127.0.0.1',
      port,
      tls: false,
      key,
      clientId: 'observer',
    });
    const client = new ChatClient(realtime);
    if (side === 'none') {
      bareRoom = await client.rooms.get(room);
      await bareRoom.attach();
      unsubscribe = bareRoom.presence.subscribe(() => {
        eventsSeen += 1;
        if (checking) check();
      }).unsubscribe;
      return;
    }
    container = document.createElement('div');
    document.body.append(container);
    reactRoot = createRoot(container);
    reactRoot.render(
      <Profiler id="members" onRender={onRender}>
        {side === 'ours' ? (
          <Ours.ChatClientProvider client={client}>
            <Ours.ChatRoomProvider name={room}>
              <OurMembers />
            </Ours.ChatRoomProvider>
          </Ours.ChatClientProvider>
        ) : (
          <Official.ChatClientProvider client={client}>
            <Official.ChatRoomProvider name={room}>
              <OfficialMembers />
            </Official.ChatRoomProvider>
          </Official.ChatClientProvider>
        )}
      </Profiler>,
    );
    // Ready when the room's channel is attached and the (empty) list is on screen.
    const channel = realtime.channels.get(`${room}::$chat`);
    const deadline = now() + 10_000;
    while (channel.state !== 'attached' || !container.querySelector('#members')) {
      if (now() > deadline)
        throw new Error(`${side}: room not attached / list not rendered in 10 s`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  },

  /** Starts measuring a phase; the driver starts sending right after this returns. */
  phase({ members, events }: { members: [string, string][]; events: number }) {
    expected = new Map(members);
    expectedEvents = eventsSeen + events;
    commits = 0;
    renderMs = 0;
    maxCommitsPerFrame = 0;
    commitsThisFrame = 0;
    frame = 0;
    checking = false;
    framesRunning = true;
    requestAnimationFrame(frameLoop);
    (globalThis as { gc?: () => void }).gc?.();
    return { cpu: process.cpuUsage(), t: now() };
  },

  /**
   * The driver has had every event acknowledged: resolves once the list matches (or, for `none`,
   * every event has reached the SDK listener) or after `timeoutMs`, with the phase's numbers.
   */
  async sent({ startCpu, timeoutMs }: { startCpu: NodeJS.CpuUsage; timeoutMs: number }) {
    const settledAt = await new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => resolve(null), timeoutMs);
      settle = () => {
        clearTimeout(timer);
        settle = undefined;
        resolve(now());
      };
      checking = true;
      check();
    });
    const cpu = process.cpuUsage(startCpu);
    checking = false;
    clearTimeout(checkTimer);
    checkTimer = undefined;
    framesRunning = false;
    settle = undefined;
    return {
      settledAt,
      cpuMs: (cpu.user + cpu.system) / 1000,
      commits,
      renderMs,
      frames: frame,
      maxCommitsPerFrame,
    };
  },

  async unmount() {
    reactRoot?.unmount();
    container?.remove();
    unsubscribe?.();
    reactRoot = undefined;
    container = undefined;
    bareRoom = undefined;
    unsubscribe = undefined;
    eventsSeen = 0;
    committedRows = -1;
    await new Promise<void>((resolve) => {
      if (!realtime) return resolve();
      realtime.connection.once('closed', () => resolve());
      realtime.connection.once('failed', () => resolve());
      realtime.close();
    });
    realtime = undefined;
  },
});
