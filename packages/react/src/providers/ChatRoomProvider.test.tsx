import type { Room } from '@ably/chat';
import { StrictMode } from 'react';
import { describe, expect, test, vi } from 'vitest';

import {
  Watch,
  chatClient,
  recorder,
  renderError,
  renderStrict,
  uniqueRoomName,
} from '../../test/live';
import { isPresenceKitError } from '../core/errors';
import type { RoomState } from '../core/room-source';
import { useRoomState } from '../hooks/internal/useRoomState';
import { ChatClientProvider } from './ChatClientProvider';
import { ChatRoomProvider } from './ChatRoomProvider';

/** The room the nearest provider gives to hooks. */
const useTestRoom = (): RoomState => useRoomState(undefined, 'test');

const roomCount = (client: ReturnType<typeof chatClient>) =>
  (client.rooms as unknown as { count: number }).count;

describe('ChatRoomProvider', () => {
  test('providers of one room share it; StrictMode and equal inline options do not re-create it', async () => {
    const name = uniqueRoomName('prov-share');
    const client = chatClient('me');
    const get = vi.spyOn(client.rooms, 'get');
    const a = recorder<RoomState>();
    const b = recorder<RoomState>();
    function App(_: { tick: number }) {
      return (
        <ChatClientProvider client={client}>
          <ChatRoomProvider name={name} options={{ occupancy: { enableEvents: true } }}>
            <Watch hook={useTestRoom} into={a} />
          </ChatRoomProvider>
          <ChatRoomProvider name={name} options={{ occupancy: { enableEvents: true } }}>
            <Watch hook={useTestRoom} into={b} />
          </ChatRoomProvider>
        </ChatClientProvider>
      );
    }
    const view = renderStrict(<App tick={0} />);
    await vi.waitFor(() => expect((a.current?.room?.status as string) ?? '').toBe('attached'), {
      timeout: 5000,
    });
    expect(b.current?.room).toBe(a.current?.room);
    const room = a.current!.room!;
    // New inline option objects on every render, equal by value.
    view.rerender(
      <StrictMode>
        <App tick={1} />
      </StrictMode>,
    );
    view.rerender(
      <StrictMode>
        <App tick={2} />
      </StrictMode>,
    );
    await new Promise((resolve) => setTimeout(resolve, 150)); // longer than the release delay
    expect(a.current?.room).toBe(room);
    expect(room.status as string).toBe('attached');
    expect(get).toHaveBeenCalledTimes(1);
    expect(roomCount(client)).toBe(1);
  });

  test('releases the room shortly after the last provider unmounts', async () => {
    const name = uniqueRoomName('prov-release');
    const client = chatClient('me');
    const seen = recorder<RoomState>();
    const view = renderStrict(
      <ChatClientProvider client={client}>
        <ChatRoomProvider name={name}>
          <Watch hook={useTestRoom} into={seen} />
        </ChatRoomProvider>
      </ChatClientProvider>,
    );
    await vi.waitFor(() => expect(seen.current?.room?.status as string).toBe('attached'), {
      timeout: 5000,
    });
    const room: Room = seen.current!.room!;
    view.unmount();
    await vi.waitFor(() => expect(room.status as string).toBe('released'));
    expect(roomCount(client)).toBe(0);
  });

  test('changing options releases the old room and gets a new one', async () => {
    const name = uniqueRoomName('prov-options');
    const client = chatClient('me');
    const seen = recorder<RoomState>();
    function App({ events }: { events: boolean }) {
      return (
        <ChatClientProvider client={client}>
          <ChatRoomProvider name={name} options={{ occupancy: { enableEvents: events } }}>
            <Watch hook={useTestRoom} into={seen} />
          </ChatRoomProvider>
        </ChatClientProvider>
      );
    }
    const view = renderStrict(<App events={false} />);
    await vi.waitFor(() => expect(seen.current?.room?.status as string).toBe('attached'), {
      timeout: 5000,
    });
    const first = seen.current!.room!;
    view.rerender(
      <StrictMode>
        <App events={true} />
      </StrictMode>,
    );
    await vi.waitFor(
      () => expect(seen.current?.room?.options().occupancy?.enableEvents).toBe(true),
      {
        timeout: 5000,
      },
    );
    expect(seen.current?.error).toBeUndefined();
    expect(first.status as string).toBe('released');
    await vi.waitFor(() => expect(seen.current?.room?.status as string).toBe('attached'));
  });

  test('the same room with different options at once is reported, not hung', async () => {
    const name = uniqueRoomName('prov-conflict');
    const client = chatClient('me');
    const first = recorder<RoomState>();
    const second = recorder<RoomState>();
    function Page({ both }: { both: boolean }) {
      return (
        <ChatClientProvider client={client}>
          {both && (
            <ChatRoomProvider name={name}>
              <Watch hook={useTestRoom} into={first} />
            </ChatRoomProvider>
          )}
          <ChatRoomProvider name={name} options={{ occupancy: { enableEvents: true } }}>
            <Watch hook={useTestRoom} into={second} />
          </ChatRoomProvider>
        </ChatClientProvider>
      );
    }
    const view = renderStrict(<Page both />);
    // The first to get the room keeps it; the other one says why it has none.
    await vi.waitFor(() => expect(first.current?.room).toBeDefined(), { timeout: 5000 });
    await vi.waitFor(() => expect(second.current?.error?.code).toBe('room_options_conflict'));
    expect(second.current?.room).toBeUndefined();
    expect(second.current?.error?.message).toMatch(
      /give every <ChatRoomProvider> for the same room name equal options/,
    );
    // Once the other provider is gone, the waiting one gets the room.
    view.rerender(
      <StrictMode>
        <Page both={false} />
      </StrictMode>,
    );
    await vi.waitFor(() => expect(second.current?.room?.status as string).toBe('attached'), {
      timeout: 5000,
    });
    expect(second.current?.error).toBeUndefined();
    expect(second.current?.room?.options().occupancy?.enableEvents).toBe(true);
  });

  test('without a client it throws one sentence that says how to fix it', () => {
    const thrown = renderError(<ChatRoomProvider name="x" />);
    expect(isPresenceKitError(thrown) && thrown.code).toBe('missing_client_provider');
    expect((thrown as Error).message).toMatch(
      /^<ChatRoomProvider> needs a ChatClient: render it inside <ChatClientProvider client=\{chatClient\}> \(from @presencekit\/react or @ably\/chat\/react\)\.$/,
    );
  });
});
