import { ChatClient, LogLevel, type RoomOptions } from '@ably/chat';
import * as Ably from 'ably';
import { type ReactNode, useEffect, useState } from 'react';

import type { AvatarUrlResolver } from '../packages/react/src/components/helpers/safe-avatar-url';
import { safeAvatarUrl } from '../packages/react/src/components/helpers/safe-avatar-url';
import { PresenceKitAvatarProvider } from '../packages/react/src/components/PresenceKitAvatarProvider';
import { ChatClientProvider } from '../packages/react/src/providers/ChatClientProvider';
import { ChatRoomProvider } from '../packages/react/src/providers/ChatRoomProvider';
import type { StorybookEmulatorInfo } from './emulator-plugin';

/** Props of {@link LiveRoom}. */
export interface LiveRoomProps {
  /** Chat room name; the `storybook-*` rooms have simulated visitors. */
  room: string;
  /** Who this story's viewer is. */
  clientId: string;
  /** Room options (e.g. occupancy events). */
  options?: RoomOptions;
  children: ReactNode;
}

type State =
  | { kind: 'connecting' }
  | { kind: 'offline'; reason: string }
  | { kind: 'ready'; client: ChatClient; avatarUrl: AvatarUrlResolver };

/**
 * Connects a story to the emulator Storybook started (see emulator-plugin.ts) with the real
 * `ably` and `@ably/chat` SDKs, authenticating by token, and provides the client and room.
 * Without a dev server (the static build) it says how to get one instead of failing.
 */
export function LiveRoom({ room, clientId, options, children }: LiveRoomProps) {
  const [state, setState] = useState<State>({ kind: 'connecting' });

  useEffect(() => {
    let cancelled = false;
    let realtime: Ably.Realtime | undefined;
    fetch('/__presencekit/emulator')
      .then(async (res) => {
        if (!res.ok) throw new Error(`HTTP ${res.status}`);
        const info = (await res.json()) as StorybookEmulatorInfo;
        if (cancelled) return;
        realtime = new Ably.Realtime({
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
        // The simulated visitors' avatars are on the emulator, a loopback address the components
        // refuse by default; this app trusts its own emulator's avatar route, and nothing else.
        const avatars = `http://${info.endpoint}:${info.port}/avatars/`;
        setState({
          kind: 'ready',
          client: new ChatClient(realtime, { logLevel: LogLevel.Silent }),
          avatarUrl: (url) => (url.startsWith(avatars) ? url : safeAvatarUrl(url)),
        });
      })
      .catch((error: unknown) => {
        if (!cancelled) setState({ kind: 'offline', reason: String(error) });
      });
    return () => {
      cancelled = true;
      realtime?.close();
    };
  }, [clientId]);

  if (state.kind === 'connecting')
    return <p className="pk-story-note">Connecting to the emulator…</p>;
  if (state.kind === 'offline') {
    return (
      <p className="pk-story-note" role="note">
        Live story: run <code>pnpm storybook</code>, which starts the local emulator. (This static
        build has none.)
      </p>
    );
  }
  return (
    <ChatClientProvider client={state.client}>
      <ChatRoomProvider name={room} options={options}>
        <PresenceKitAvatarProvider avatarUrl={state.avatarUrl}>
          {children}
        </PresenceKitAvatarProvider>
      </ChatRoomProvider>
    </ChatClientProvider>
  );
}
