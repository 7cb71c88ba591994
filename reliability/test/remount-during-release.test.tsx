import { ChatClient, LogLevel } from '@ably/chat';
import { ChatClientProvider, ChatRoomProvider, useOccupancy } from '@presencekit/react';
import { cleanup, render } from '@testing-library/react';
import * as Ably from 'ably';
import { StrictMode, useEffect } from 'react';
import { afterEach, expect, test, vi } from 'vitest';

import { closeRealtime } from '@presencekit/test-utils';
import { onCleanup } from '../harness/cleanup';
import { EmulatorProcess } from '../harness/emulator-process';

/**
 * Regression found by the leak test: a provider unmounted before its room arrived hands the room
 * back (`rooms.release`); a provider for the same room mounted during that release saw an
 * acquisition in flight, started none, and stayed 'loading' forever with no room at all.
 */

afterEach(() => cleanup());

test('a provider mounted while the same room is being handed back gets the room', async () => {
  const proc = await EmulatorProcess.start({ leaveGraceMs: 0 });
  onCleanup(() => proc.stop());
  const realtime = new Ably.Realtime({ ...proc.clientOptions(), clientId: 'quick', logLevel: 0 });
  onCleanup(() => closeRealtime(realtime));
  const chat = new ChatClient(realtime, { logLevel: LogLevel.Silent });
  await realtime.connection.once('connected');

  let status = 'none';
  function Count() {
    const occupancy = useOccupancy();
    useEffect(() => {
      status = occupancy.status;
    });
    return null;
  }
  const app = (
    <StrictMode>
      <ChatClientProvider client={chat}>
        <ChatRoomProvider name="quick">
          <Count />
        </ChatRoomProvider>
      </ChatClientProvider>
    </StrictMode>
  );

  // Observe (and call through to) the client's release, to mount again right in its middle.
  const release = chat.rooms.release.bind(chat.rooms);
  let remounted = false;
  chat.rooms.release = async (name: string) => {
    const releasing = release(name);
    if (!remounted) {
      remounted = true;
      render(app);
    }
    return releasing;
  };

  // Mount and unmount at once: the room arrives after everyone left, so it is handed back.
  render(app);
  cleanup();
  await vi.waitFor(() => expect(remounted).toBe(true), { timeout: 10_000 });
  await vi.waitFor(() => expect(status).toBe('ready'), { timeout: 10_000 });
  expect((await proc.channel('quick::$chat')).metrics.connections).toBe(1);
});
