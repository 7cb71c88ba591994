import {
  ChatClientProvider as OfficialClientProvider,
  ChatRoomProvider as OfficialRoomProvider,
} from '@ably/chat/react';
import { screen } from '@testing-library/react';
import { useEffect } from 'react';
import { renderToString } from 'react-dom/server';
import { describe, expect, test, vi } from 'vitest';

import {
  chatClient,
  dropSocket,
  participant,
  renderError,
  renderStrict,
  roomListeners,
  uniqueRoomName,
} from '../../test/live';
import { isPresenceKitError } from '../core/errors';
import { ChatClientProvider } from '../providers/ChatClientProvider';
import { ChatRoomProvider } from '../providers/ChatRoomProvider';
import { type UseOccupancyOptions, type UseOccupancyResult, useOccupancy } from './useOccupancy';

/** Renders the hook's values and records every committed result. */
function Probe({ log, ...options }: UseOccupancyOptions & { log?: UseOccupancyResult[] }) {
  const result = useOccupancy(options);
  useEffect(() => {
    log?.push(result);
  });
  return (
    <output data-testid="occupancy" data-status={result.status}>
      {`${result.connections ?? '-'}/${result.presenceMembers ?? '-'}`}
    </output>
  );
}

const occupancy = () => screen.getByTestId('occupancy');

describe('useOccupancy', () => {
  test.each([
    ['off', undefined],
    ['on', { occupancy: { enableEvents: true } }],
  ] as const)('first painted number is right with occupancy events %s', async (_label, options) => {
    const name = uniqueRoomName('occ-first');
    await participant('alice', name, { enter: true });
    await participant('bob', name, { enter: true });
    const log: UseOccupancyResult[] = [];

    renderStrict(
      <ChatClientProvider client={chatClient('me')}>
        <ChatRoomProvider name={name} options={options}>
          <Probe log={log} />
        </ChatRoomProvider>
      </ChatClientProvider>,
    );

    // Our own connection attaches too: 3 connections, 2 in presence, without waiting for a poll.
    await vi.waitFor(() => expect(occupancy().textContent).toBe('3/2'), { timeout: 5000 });
    expect(occupancy().dataset.status).toBe('ready');
    const painted = log.filter((r) => r.connections !== undefined);
    // Never a zero: the first value shown is the REST (or seeded) answer, not a placeholder.
    expect(painted[0]?.connections).toBeGreaterThanOrEqual(2);
    expect(painted.every((r) => r.connections! >= 2 && r.presenceMembers === 2)).toBe(true);
    expect(
      log.filter((r) => r.connections === undefined).every((r) => r.status === 'loading'),
    ).toBe(true);
  });

  test('stays live from occupancy events', async () => {
    const name = uniqueRoomName('occ-live');
    renderStrict(
      <ChatClientProvider client={chatClient('me')}>
        <ChatRoomProvider name={name} options={{ occupancy: { enableEvents: true } }}>
          <Probe />
        </ChatRoomProvider>
      </ChatClientProvider>,
    );
    await vi.waitFor(() => expect(occupancy().textContent).toBe('1/0'), { timeout: 5000 });
    const { room } = await participant('carol', name, { enter: true });
    // The default poll interval is 15 s: only an event can bring this within the wait.
    await vi.waitFor(() => expect(occupancy().textContent).toBe('2/1'), { timeout: 5000 });
    await room.presence.leave();
    await vi.waitFor(() => expect(occupancy().textContent).toBe('2/0'), { timeout: 5000 });
  });

  test('shows the last count as stale while the connection is down, then refetches', async () => {
    const name = uniqueRoomName('occ-drop');
    const client = chatClient('me');
    const log: UseOccupancyResult[] = [];
    renderStrict(
      <ChatClientProvider client={client}>
        <ChatRoomProvider name={name} options={{ occupancy: { enableEvents: true } }}>
          <Probe log={log} />
        </ChatRoomProvider>
      </ChatClientProvider>,
    );
    await vi.waitFor(() => expect(occupancy().textContent).toBe('1/0'), { timeout: 5000 });
    await vi.waitFor(() => expect(client.realtime.connection.state).toBe('connected'));
    const get = vi.spyOn(client.realtime, 'request');
    const states: string[] = [];
    client.realtime.connection.on((change) => states.push(change.current));
    dropSocket(client.realtime);
    await vi.waitFor(() => expect(states).toEqual(['disconnected', 'connecting', 'connected']), {
      timeout: 10_000,
    });
    await vi.waitFor(() => expect(occupancy().dataset.status).toBe('ready'));
    const sinceAttached = log.slice(log.findIndex((r) => r.connections === 1));
    expect(sinceAttached.map((r) => r.status)).toContain('stale');
    expect(sinceAttached.every((r) => r.connections === 1)).toBe(true); // never blanked
    expect(get).toHaveBeenCalled(); // refetched once live again
  });

  test('polls when the room has occupancy events off', async () => {
    const name = uniqueRoomName('occ-poll');
    renderStrict(
      <ChatClientProvider client={chatClient('me')}>
        <ChatRoomProvider name={name}>
          <Probe pollIntervalMs={1000} />
        </ChatRoomProvider>
      </ChatClientProvider>,
    );
    await vi.waitFor(() => expect(occupancy().textContent).toBe('1/0'), { timeout: 5000 });
    await participant('dave', name, { enter: true });
    await vi.waitFor(() => expect(occupancy().textContent).toBe('2/1'), { timeout: 5000 });
  });

  test("updates: 'events' on a room without events reports how to fix it, and still counts", async () => {
    const name = uniqueRoomName('occ-misuse');
    await participant('erin', name, { enter: true });
    const log: UseOccupancyResult[] = [];
    renderStrict(
      <ChatClientProvider client={chatClient('me')}>
        <ChatRoomProvider name={name}>
          <Probe updates="events" log={log} />
        </ChatRoomProvider>
      </ChatClientProvider>,
    );
    await vi.waitFor(() => expect(occupancy().dataset.status).toBe('error'), { timeout: 5000 });
    const { error } = log.at(-1)!;
    expect(error?.code).toBe('occupancy_events_disabled');
    expect(error?.message).toContain('occupancy: { enableEvents: true }');
    await vi.waitFor(() => expect(occupancy().textContent).toMatch(/^\d+\/1$/), { timeout: 5000 });
  });

  test('works with an explicit room and leaves no SDK listener after unmount', async () => {
    const name = uniqueRoomName('occ-explicit');
    const { room } = await participant('me', name, {
      options: { occupancy: { enableEvents: true } },
    });
    const before = roomListeners(room);
    const view = renderStrict(<Probe room={room} />);
    await vi.waitFor(() => expect(occupancy().textContent).toBe('1/0'), { timeout: 5000 });
    expect(roomListeners(room)).not.toEqual(before);
    view.unmount();
    await vi.waitFor(() => expect(roomListeners(room)).toEqual(before));
  });

  test('works under the official @ably/chat/react providers', async () => {
    const name = uniqueRoomName('occ-official');
    await participant('frank', name, { enter: true });
    renderStrict(
      <OfficialClientProvider client={chatClient('me')}>
        <OfficialRoomProvider name={name}>
          <Probe />
        </OfficialRoomProvider>
      </OfficialClientProvider>,
    );
    await vi.waitFor(() => expect(occupancy().textContent).toBe('2/1'), { timeout: 5000 });
  });

  test('outside any room provider it throws one sentence that says how to fix it', () => {
    const error = renderError(<Probe />);
    expect(isPresenceKitError(error) && error.code).toBe('missing_room_provider');
    expect((error as Error).message).toMatch(
      /useOccupancy\(\) needs a room: render it inside <ChatRoomProvider/,
    );
  });

  test('server rendering paints initialData', () => {
    const name = uniqueRoomName('occ-ssr');
    const html = renderToString(
      <ChatClientProvider client={chatClient('me', { autoConnect: false })}>
        <ChatRoomProvider name={name}>
          <Probe initialData={{ connections: 42, presenceMembers: 7 }} />
        </ChatRoomProvider>
      </ChatClientProvider>,
    );
    expect(html).toContain('42/7');
    expect(html).toContain('data-status="loading"');
  });

  test('a connection that cannot authenticate surfaces as an error', async () => {
    const name = uniqueRoomName('occ-error');
    const log: UseOccupancyResult[] = [];
    renderStrict(
      <ChatClientProvider client={chatClient('me', { key: 'nosuch.key:secret', logLevel: 0 })}>
        <ChatRoomProvider name={name}>
          <Probe log={log} />
        </ChatRoomProvider>
      </ChatClientProvider>,
    );
    await vi.waitFor(() => expect(occupancy().dataset.status).toBe('error'), { timeout: 5000 });
    const { error } = log.at(-1)!;
    expect(error?.code).toBe('occupancy_fetch_failed');
    expect(error?.ablyCode).toBe(40101);
    expect(error?.message).toMatch(/^Could not fetch occupancy: .*\(Ably: Invalid key/);
  });
});
