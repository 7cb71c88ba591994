import { probe } from './ws-probe';

import { ChatClient, RoomStatus } from '@ably/chat';
import * as Official from '@ably/chat/react';
import { ChatClientProvider, ChatRoomProvider, PresenceList } from '@presencekit/react';
import * as Ably from 'ably';
import type { ReactNode } from 'react';
import { createRoot } from 'react-dom/client';

/**
 * The page of the browser benchmark (bundled by esbuild, React production build). It mounts one
 * side — our `<PresenceList variant="list">` or the list users build today (the official
 * `usePresenceListener` feeding a plain mapped list) — and times, inside the page:
 * - mount: from render() to the painted frame that shows all members;
 * - each change: from the WebSocket frame that carries it to the painted frame after the first
 *   DOM mutation it caused (the task after that frame's rendering: the frame has been painted).
 */

/**
 * `official`: the list mounted with the room, as the docs show; `official-attached`: the list
 * mounted only once the room is attached — the official hook's best case (it then fetches the
 * members once instead of once per SYNC event).
 */
export type Side = 'ours' | 'official' | 'official-attached';

/** Resolves with the time of the next task: after the current frame's rendering, when in one. */
function nextTask(): Promise<number> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => resolve(performance.now());
    channel.port2.postMessage(null);
  });
}

/** Resolves at the end of the next painted frame. */
function nextPaint(): Promise<number> {
  return new Promise((resolve) => requestAnimationFrame(() => void nextTask().then(resolve)));
}

/**
 * Whether the page is inside the animation-frame callbacks of a frame. A DOM change made there
 * (a frame-batched renderer commits there) is painted by this very frame, not the next one, so
 * waiting for the next rAF would add a frame that was never there.
 */
let inFrame = false;
function frameLoop(): void {
  inFrame = true;
  void nextTask().then(() => {
    inFrame = false;
  });
  requestAnimationFrame(frameLoop);
}
requestAnimationFrame(frameLoop);

/** Changes whose DOM mutation happened inside frame callbacks (diagnostic, logged by the harness). */
let committedInFrame = 0;

/** When the DOM change just made is on screen. */
function painted(): Promise<number> {
  if (inFrame) committedInFrame += 1;
  return inFrame ? nextTask() : nextPaint();
}

type Data = { name?: string; status?: string } | undefined;

function BaselineList(): ReactNode {
  const { presenceData } = Official.usePresenceListener();
  return (
    <ul className="baseline-list">
      {presenceData.map((m) => (
        <li key={`${m.clientId}:${m.connectionId}`}>
          {(m.data as Data)?.name ?? m.clientId} <span>{(m.data as Data)?.status}</span>
        </li>
      ))}
    </ul>
  );
}

function BaselineListOnceAttached(): ReactNode {
  const { roomStatus } = Official.useRoom();
  return String(roomStatus) === String(RoomStatus.Attached) ? <BaselineList /> : null;
}

let container: HTMLElement;

function allShown(side: Side, members: number): boolean {
  if (side !== 'ours') {
    return container.querySelector('ul')?.childElementCount === members;
  }
  return container.querySelector(`[aria-setsize="${members}"]`) !== null;
}

async function mount({
  side,
  port,
  token,
  room,
  members,
  timeoutMs,
}: {
  side: Side;
  port: number;
  token: Ably.TokenDetails;
  room: string;
  members: number;
  timeoutMs: number;
}): Promise<{ mountMs: number | null; domNodes: number }> {
  container = document.getElementById('root')!;
  const t0 = performance.now();
  const realtime = new Ably.Realtime({
    endpoint: '127.0.0.1',
    port,
    tls: false,
    tokenDetails: token,
    clientId: token.clientId,
  });
  const client = new ChatClient(realtime);
  createRoot(container).render(
    side === 'ours' ? (
      <ChatClientProvider client={client}>
        <ChatRoomProvider name={room}>
          <PresenceList variant="list" />
        </ChatRoomProvider>
      </ChatClientProvider>
    ) : (
      <Official.ChatClientProvider client={client}>
        <Official.ChatRoomProvider name={room}>
          {side === 'official' ? <BaselineList /> : <BaselineListOnceAttached />}
        </Official.ChatRoomProvider>
      </Official.ChatClientProvider>
    ),
  );
  let mountMs: number | null = null;
  while (performance.now() - t0 < timeoutMs) {
    const at = await nextPaint();
    if (allShown(side, members)) {
      mountMs = at - t0;
      break;
    }
  }
  return { mountMs, domNodes: container.querySelectorAll('*').length };
}

let pending: Promise<number | null> | undefined;

/**
 * Arms the measurement of the next change: resolves (through {@link settle}) with the time from
 * the first frame after arming to the painted frame after the first DOM mutation after it.
 */
function arm(timeoutMs: number): void {
  const framesAtArm = probe.framesReceived;
  pending = new Promise((resolve) => {
    const timer = setTimeout(() => {
      observer.disconnect();
      resolve(null);
    }, timeoutMs);
    const observer = new MutationObserver(() => {
      if (probe.framesReceived === framesAtArm) return;
      const receivedAt = probe.lastFrameAt;
      observer.disconnect();
      clearTimeout(timer);
      void painted().then((at) => resolve(at - receivedAt));
    });
    observer.observe(container, {
      subtree: true,
      childList: true,
      attributes: true,
      characterData: true,
    });
  });
}

function settle(): Promise<number | null> {
  return pending ?? Promise.resolve(null);
}

function domNodes(): number {
  return container.querySelectorAll('*').length;
}

function inFrameCount(): number {
  return committedInFrame;
}

(window as unknown as { bench: unknown }).bench = { mount, arm, settle, domNodes, inFrameCount };
