import '../../harness/dom-install';

import { ChatClient, type RoomOptions } from '@ably/chat';
import * as Official from '@ably/chat/react';
import * as Ours from '@presencekit/react/hooks';
import * as Ably from 'ably';
import { useLayoutEffect } from 'react';
import { createRoot } from 'react-dom/profiling';

import { serve } from '../../harness/worker';

/**
 * One viewer at a time, mounted in jsdom with the real SDK, showing a room's occupancy through
 * either our `useOccupancy` or the official one, each under its own library's providers (what a
 * user of that library writes). Records every commit: when, and which numbers were on screen.
 */

export type Side = 'ours' | 'official';

interface Shown {
  t: number;
  /** The numbers on screen, or `undefined` while the component shows a placeholder. */
  connections: number | undefined;
  presenceMembers: number | undefined;
}

let commits: Shown[] = [];
let onCommit: (() => void) | undefined;

function record(connections: number | undefined, presenceMembers: number | undefined): void {
  commits.push({ t: performance.now(), connections, presenceMembers });
  onCommit?.();
}

function OurCount() {
  const { connections, presenceMembers, status } = Ours.useOccupancy();
  const shown = status === 'loading' ? undefined : connections;
  useLayoutEffect(() => record(shown, status === 'loading' ? undefined : presenceMembers));
  return <span>{shown ?? '…'} watching</span>;
}

function OfficialCount() {
  const { connections, presenceMembers } = Official.useOccupancy();
  useLayoutEffect(() => record(connections, presenceMembers));
  return <span>{connections} watching</span>;
}

serve({
  /**
   * Mounts one viewer and waits until it shows `presenceMembers` members and `connections` (or one
   * more: the viewer's own) connections, or `timeoutMs` passes.
   */
  async mount({
    side,
    port,
    key,
    room,
    events,
    expected,
    timeoutMs,
    clientId,
  }: {
    side: Side;
    port: number;
    key: string;
    room: string;
    events: boolean;
    expected: { connections: number; presenceMembers: number };
    timeoutMs: number;
    clientId: string;
  }) {
    commits = [];
    const right = (s: Shown): boolean =>
      s.presenceMembers === expected.presenceMembers &&
      (s.connections === expected.connections || s.connections === expected.connections + 1);
    const options: RoomOptions = events ? { occupancy: { enableEvents: true } } : {};
    const container = document.createElement('div');
    document.body.append(container);
    const reactRoot = createRoot(container);

    const t0 = performance.now();
    const realtime = new Ably.Realtime({ endpoint: '127.0.0.1', port, tls: false, key, clientId });
    const client = new ChatClient(realtime);
    reactRoot.render(
      side === 'ours' ? (
        <Ours.ChatClientProvider client={client}>
          <Ours.ChatRoomProvider name={room} options={options}>
            <OurCount />
          </Ours.ChatRoomProvider>
        </Ours.ChatClientProvider>
      ) : (
        <Official.ChatClientProvider client={client}>
          <Official.ChatRoomProvider name={room} options={options}>
            <OfficialCount />
          </Official.ChatRoomProvider>
        </Official.ChatClientProvider>
      ),
    );
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      onCommit = () => {
        if (commits.some(right)) {
          clearTimeout(timer);
          resolve();
        }
      };
      onCommit();
    });
    onCommit = undefined;
    const shown = [...commits];
    reactRoot.unmount();
    container.remove();
    await new Promise<void>((resolve) => {
      if (realtime.connection.state === 'closed') return resolve();
      realtime.connection.once('closed', () => resolve());
      realtime.connection.once('failed', () => resolve());
      realtime.close();
    });

    const firstRight = shown.findIndex(right);
    const withData = shown.filter((s) => s.connections !== undefined);
    return {
      msToRight: firstRight === -1 ? null : shown[firstRight]!.t - t0,
      /** Commits that put a wrong number on screen before the right one (a placeholder is not a number). */
      wrongBeforeRight: (firstRight === -1 ? shown : shown.slice(0, firstRight)).filter(
        (s) => s.connections !== undefined && !right(s),
      ).length,
      firstDataRight: withData.length > 0 && right(withData[0]!),
      commits: shown.length,
      lastShown: shown.at(-1) ?? null,
    };
  },
});
