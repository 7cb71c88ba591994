import { StrictMode } from 'react';
import { renderToString } from 'react-dom/server';
import { describe, expect, test, vi } from 'vitest';

import {
  Watch,
  chatClient,
  participant,
  recorder,
  renderError,
  renderStrict,
  uniqueRoomName,
} from '../../test/live';
import { isPresenceKitError } from '../core/errors';
import { ChatClientProvider } from '../providers/ChatClientProvider';
import { type UseRoomsOccupancyResult, useRoomsOccupancy } from './useRoomsOccupancy';

const counts = (r: UseRoomsOccupancyResult | undefined) =>
  Object.fromEntries(
    Object.entries(r?.rooms ?? {}).map(([name, e]) => [
      name,
      `${e.connections}/${e.presenceMembers}`,
    ]),
  );

describe('useRoomsOccupancy', () => {
  test('reads many rooms without attaching to them', async () => {
    const lobby = uniqueRoomName('lobby');
    const stage = uniqueRoomName('stage');
    await participant('a', lobby, { enter: true });
    await participant('b', lobby);
    await participant('c', stage, { enter: true });
    const client = chatClient('me');
    const seen = recorder<UseRoomsOccupancyResult>();
    renderStrict(
      <ChatClientProvider client={client}>
        <Watch hook={() => useRoomsOccupancy([lobby, stage])} into={seen} />
      </ChatClientProvider>,
    );
    await vi.waitFor(() => expect(seen.current?.status).toBe('ready'), { timeout: 5000 });
    expect(counts(seen.current)).toEqual({ [lobby]: '2/1', [stage]: '1/1' });
    // Never painted a zero: rooms are undefined while loading, then right.
    for (const result of seen.all) {
      for (const entry of Object.values(result.rooms)) {
        expect(entry.connections === undefined || entry.connections > 0).toBe(true);
      }
    }
    const channels = (client.realtime.channels as unknown as { all: Record<string, unknown> }).all;
    expect(Object.keys(channels)).toEqual([]);
  });

  test('components asking for the same room share one request and one poll', async () => {
    const room = uniqueRoomName('shared');
    await participant('a', room, { enter: true });
    const client = chatClient('me');
    const request = vi.spyOn(client.realtime, 'request');
    const first = recorder<UseRoomsOccupancyResult>();
    const second = recorder<UseRoomsOccupancyResult>();
    renderStrict(
      <ChatClientProvider client={client}>
        <Watch hook={() => useRoomsOccupancy([room], { pollIntervalMs: 1000 })} into={first} />
        <Watch
          hook={() => useRoomsOccupancy([room, room], { pollIntervalMs: 1000 })}
          into={second}
        />
      </ChatClientProvider>,
    );
    await vi.waitFor(() => expect(second.current?.status).toBe('ready'), { timeout: 5000 });
    expect(request).toHaveBeenCalledTimes(1); // StrictMode and two components: one fetch
    expect(counts(first.current)).toEqual({ [room]: '1/1' });

    await participant('b', room, { enter: true });
    await vi.waitFor(() => expect(counts(second.current)).toEqual({ [room]: '2/2' }), {
      timeout: 5000,
    });
    expect(counts(first.current)).toEqual({ [room]: '2/2' });
    // One request per interval for the room, not one per component.
    expect(request.mock.calls.length).toBeLessThanOrEqual(3);
  });

  test('stops polling a room when the last component asking for it unmounts', async () => {
    const gone = uniqueRoomName('gone');
    const kept = uniqueRoomName('kept');
    const client = chatClient('me');
    const request = vi.spyOn(client.realtime, 'request');
    const callsFor = (room: string) =>
      request.mock.calls.filter((call) => String(call[1]).includes(room)).length;
    function Gone() {
      useRoomsOccupancy([gone], { pollIntervalMs: 1000 });
      return null;
    }
    function Kept() {
      useRoomsOccupancy([kept], { pollIntervalMs: 1000 });
      return null;
    }
    function Page({ showGone }: { showGone: boolean }) {
      return (
        <ChatClientProvider client={client}>
          {showGone && <Gone />}
          <Kept />
        </ChatClientProvider>
      );
    }
    const view = renderStrict(<Page showGone />);
    await vi.waitFor(() => expect(callsFor(gone)).toBeGreaterThanOrEqual(2), { timeout: 5000 });
    view.rerender(
      <StrictMode>
        <Page showGone={false} />
      </StrictMode>,
    );
    const goneCalls = callsFor(gone);
    const keptCalls = callsFor(kept);
    // Two more polls of the room still shown prove two intervals passed.
    await vi.waitFor(() => expect(callsFor(kept)).toBeGreaterThanOrEqual(keptCalls + 2), {
      timeout: 5000,
    });
    expect(callsFor(gone)).toBe(goneCalls);
  });

  test('server rendering paints initialData; bad input throws in development', () => {
    const room = uniqueRoomName('ssr');
    function Directory({ names }: { names: string[] }) {
      const { rooms, status, error } = useRoomsOccupancy(names, {
        initialData: { [room]: { connections: 12, presenceMembers: 3 } },
      });
      return <p>{`${status}:${rooms[room]?.connections ?? '-'}:${error?.code ?? ''}`}</p>;
    }
    const client = chatClient('me', { autoConnect: false });
    const html = renderToString(
      <ChatClientProvider client={client}>
        <Directory names={[room]} />
      </ChatClientProvider>,
    );
    expect(html).toContain('loading:12:');
    let thrown: unknown;
    try {
      renderToString(
        <ChatClientProvider client={client}>
          <Directory names={['']} />
        </ChatClientProvider>,
      );
    } catch (error) {
      thrown = error;
    }
    expect(isPresenceKitError(thrown) && thrown.code).toBe('invalid_argument');
    expect((thrown as Error).message).toBe(
      "useRoomsOccupancy() needs an array of non-empty room names, e.g. useRoomsOccupancy(['lobby']).",
    );
  });

  test('a client option that is not a ChatClient throws invalid_argument in development', () => {
    const thrown = renderError(
      <Watch
        hook={() => useRoomsOccupancy(['x'], { client: chatClient('me').realtime as never })}
        into={recorder()}
      />,
    );
    expect(isPresenceKitError(thrown) && thrown.code).toBe('invalid_argument');
    expect((thrown as Error).message).toBe(
      'useRoomsOccupancy() got client: an object: pass a ChatClient, e.g. new ChatClient(new Ably.Realtime({ authUrl })).',
    );
  });

  test('outside a client provider it throws one sentence that says how to fix it', () => {
    const thrown = renderError(<Watch hook={() => useRoomsOccupancy(['x'])} into={recorder()} />);
    expect(isPresenceKitError(thrown) && thrown.code).toBe('missing_client_provider');
    expect((thrown as Error).message).toMatch(
      /^useRoomsOccupancy\(\) needs a ChatClient: render it inside <ChatClientProvider/,
    );
  });
});
