import { ChatClient, LogLevel } from '@ably/chat';
import type { Meta, StoryObj } from '@storybook/react-vite';
import * as Ably from 'ably';
import { type ReactNode, useEffect, useState } from 'react';
import { expect, waitFor } from 'storybook/test';

import type { StorybookEmulatorInfo } from '../../../../.storybook/emulator-plugin';
import { useOccupancy } from '../hooks/useOccupancy';
import { usePresence } from '../hooks/usePresence';
import { ChatClientProvider } from '../providers/ChatClientProvider';
import { ChatRoomProvider } from '../providers/ChatRoomProvider';
import { PresenceList } from './PresenceList';
import { ViewerCount } from './ViewerCount';

const OPTIONS = { occupancy: { enableEvents: true } };
/** Visitors besides the story's viewer: two more than the emulator's presence limit of 5. */
const CROWD = ['Ada', 'Grace', 'Alan', 'Barbara', 'Edsger', 'Katherine', 'Linus'];

/**
 * The large-audience recipe: the count is of connections (everyone watching), the list shows
 * the members presence holds, and `total` turns the rest into "+N"; entering a full room
 * reports `presence_limit_reached` and nothing else breaks.
 */
function Audience() {
  const { connections } = useOccupancy();
  const { error } = usePresence({ name: 'You' });
  return (
    <div style={{ display: 'grid', gap: 12, maxInlineSize: 420 }}>
      <ViewerCount locale="en" />
      <PresenceList locale="en" max={3} total={connections} />
      <PresenceList locale="en" variant="list" total={connections} maxHeight={200} />
      {error?.code === 'presence_limit_reached' ? (
        <p className="pk-story-note" data-error-code={error.code}>
          The room is full: you are watching and counted, but not listed.
        </p>
      ) : null}
    </div>
  );
}

function realtimeFor(info: StorybookEmulatorInfo['limited'], clientId: string): Ably.Realtime {
  return new Ably.Realtime({
    endpoint: info.endpoint,
    port: info.port,
    tls: false,
    clientId,
    authUrl: new URL(info.tokenPath, window.location.href).href,
    authParams: { clientId },
    useBinaryProtocol: false,
    transports: ['web_socket'],
    logLevel: 0,
  });
}

type State =
  | { kind: 'connecting' }
  | { kind: 'offline' }
  | { kind: 'ready'; client: ChatClient; room: string; refused: number };

/**
 * A room on Storybook's second emulator (presence limit 5) filled by seven real clients, one
 * connection each, before the story's viewer joins: five are present, two (and the viewer) are
 * refused with Ably's 91003.
 */
function FullRoom({ children }: { children: ReactNode }) {
  const [state, setState] = useState<State>({ kind: 'connecting' });
  useEffect(() => {
    let cancelled = false;
    const opened: Ably.Realtime[] = [];
    const room = `large-audience-${Date.now().toString(36)}`;
    (async () => {
      const res = await fetch('/__presencekit/emulator');
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      const { limited } = (await res.json()) as StorybookEmulatorInfo;
      let refused = 0;
      // One after another, so the same five are present every time.
      for (const name of CROWD) {
        if (cancelled) return;
        const realtime = realtimeFor(limited, name.toLowerCase());
        opened.push(realtime);
        const chat = new ChatClient(realtime, { logLevel: LogLevel.Silent });
        const joined = await chat.rooms.get(room, OPTIONS);
        await joined.attach();
        await joined.presence.enter({ name }).catch(() => refused++);
      }
      const viewer = realtimeFor(limited, 'storybook-viewer');
      opened.push(viewer);
      if (!cancelled) {
        const client = new ChatClient(viewer, { logLevel: LogLevel.Silent });
        setState({ kind: 'ready', client, room, refused });
      }
    })().catch(() => !cancelled && setState({ kind: 'offline' }));
    return () => {
      cancelled = true;
      for (const realtime of opened) realtime.close();
    };
  }, []);

  if (state.kind === 'connecting') return <p className="pk-story-note">Filling the room…</p>;
  if (state.kind === 'offline') {
    return (
      <p className="pk-story-note" role="note">
        Live story: run <code>pnpm storybook</code>, which starts the local emulators. (This static
        build has none.)
      </p>
    );
  }
  return (
    <ChatClientProvider client={state.client}>
      <ChatRoomProvider name={state.room} options={OPTIONS}>
        <div data-refused={state.refused}>{children}</div>
      </ChatRoomProvider>
    </ChatClientProvider>
  );
}

const meta = {
  title: 'Recipes/Large audience',
  component: Audience,
} satisfies Meta<typeof Audience>;

export default meta;
type Story = StoryObj<typeof meta>;

/**
 * A room past the presence limit (5 here, 200 on Ably): 8 connections, 5 present. The count says
 * 8, the stack shows 3 avatars and "+5" (2 more listed, 3 not listed), the list says "and 3
 * others not listed", and the viewer's own enter reports `presence_limit_reached`.
 */
export const PastThePresenceLimit: Story = {
  render: () => (
    <FullRoom>
      <Audience />
    </FullRoom>
  ),
  play: async ({ canvas, canvasElement }) => {
    await waitFor(
      async () => {
        await expect(
          canvasElement.querySelector('[data-refused]')?.getAttribute('data-refused'),
        ).toBe('2');
        await expect(canvas.getByRole('status', { name: '8 watching' })).toBeTruthy();
        const stack = canvasElement.querySelector('[data-variant="stack"]');
        await expect(stack?.getAttribute('aria-label')).toBe('8 people here');
        await expect(stack?.querySelectorAll('.pk-avatar').length).toBe(3);
        await expect(canvas.getByRole('button', { name: /5/ })).toBeTruthy();
        const list = canvasElement.querySelector('[data-variant="list"]');
        await expect(list?.querySelectorAll('li').length).toBe(5);
        await expect(list?.textContent).toContain('and 3 others not listed');
        await expect(
          canvasElement.querySelector('[data-error-code="presence_limit_reached"]'),
        ).toBeTruthy();
      },
      { timeout: 15_000 },
    );
  },
};
