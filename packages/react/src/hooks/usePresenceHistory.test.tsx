import { ChatClient } from '@ably/chat';
import { act } from '@testing-library/react';
import { describe, expect, test, vi } from 'vitest';

import {
  Watch,
  chatClient,
  crowd,
  participant,
  recorder,
  renderError,
  renderStrict,
  roomListeners,
  uniqueRoomName,
} from '../../test/live';
import { isPresenceKitError } from '../core/errors';
import { emulator, realtime } from '../../test/server/emulator';
import { ChatClientProvider } from '../providers/ChatClientProvider';
import { ChatRoomProvider } from '../providers/ChatRoomProvider';
import {
  type UsePresenceHistoryOptions,
  type UsePresenceHistoryResult,
  usePresenceHistory,
} from './usePresenceHistory';

type Data = { step?: number };
const summary = (r: UsePresenceHistoryResult<Data> | undefined) =>
  r?.events.map(
    (e) => `${e.action}:${e.clientId}${e.data?.step === undefined ? '' : `#${e.data.step}`}`,
  );

function renderHistory(name: string, options: UsePresenceHistoryOptions, clientId = 'reader') {
  const seen = recorder<UsePresenceHistoryResult<Data>>();
  renderStrict(
    <ChatClientProvider client={chatClient(clientId)}>
      <ChatRoomProvider name={name}>
        <Watch hook={() => usePresenceHistory<Data>(options)} into={seen} />
      </ChatRoomProvider>
    </ChatClientProvider>,
  );
  return seen;
}

describe('usePresenceHistory', () => {
  test('pages backwards through the history with loadMore', async () => {
    const name = uniqueRoomName('hist-pages');
    const others = await crowd(name);
    await others.enter('a', { step: 1 });
    await others.enter('b', { step: 2 });
    await others.update('a', { step: 3 });
    await others.leave('b');
    await others.enter('c', { step: 5 });

    const seen = renderHistory(name, { limit: 2 });
    await vi.waitFor(() => expect(seen.current?.status).toBe('ready'), { timeout: 5000 });
    expect(summary(seen.current)).toEqual(['enter:c#5', 'leave:b#2']);
    expect(seen.current?.hasNext).toBe(true);

    await act(() => seen.current!.loadMore());
    expect(summary(seen.current)).toEqual(['enter:c#5', 'leave:b#2', 'update:a#3', 'enter:b#2']);
    await act(() => seen.current!.loadMore());
    expect(summary(seen.current)).toEqual([
      'enter:c#5',
      'leave:b#2',
      'update:a#3',
      'enter:b#2',
      'enter:a#1',
    ]);
    expect(seen.current?.hasNext).toBe(false);
    expect(seen.current?.isLoadingMore).toBe(false);
  });

  test('forwards, oldest first', async () => {
    const name = uniqueRoomName('hist-forwards');
    const others = await crowd(name);
    await others.enter('a', { step: 1 });
    await others.enter('b', { step: 2 });
    await others.leave('a');
    const seen = renderHistory(name, { direction: 'forwards', limit: 10 });
    await vi.waitFor(() => expect(seen.current?.status).toBe('ready'), { timeout: 5000 });
    expect(summary(seen.current)).toEqual(['enter:a#1', 'enter:b#2', 'leave:a#1']);
  });

  test('live: true adds new presence events at the newest end, without duplicates', async () => {
    const name = uniqueRoomName('hist-live');
    const others = await crowd(name);
    await others.enter('old', { step: 0 });
    const seen = renderHistory(name, { live: true });
    await vi.waitFor(() => expect(seen.current?.status).toBe('ready'), { timeout: 5000 });
    expect(summary(seen.current)).toEqual(['enter:old#0']);

    await others.enter('new', { step: 1 });
    await vi.waitFor(() => expect(summary(seen.current)).toEqual(['enter:new#1', 'enter:old#0']));
    await others.leave('old');
    await vi.waitFor(() =>
      expect(summary(seen.current)).toEqual(['leave:old#0', 'enter:new#1', 'enter:old#0']),
    );
    // Fetching again returns the same events as history: still one of each.
    await act(() => seen.current!.refresh());
    expect(summary(seen.current)).toEqual(['leave:old#0', 'enter:new#1', 'enter:old#0']);
  });

  test('maxEvents keeps the newest events: live ones push the oldest out, and paging stops', async () => {
    const name = uniqueRoomName('hist-cap');
    const others = await crowd(name);
    await others.enter('a', { step: 1 });
    await others.enter('b', { step: 2 });
    await others.enter('c', { step: 3 });
    const seen = renderHistory(name, { live: true, limit: 2, maxEvents: 3 });
    await vi.waitFor(() => expect(seen.current?.status).toBe('ready'), { timeout: 5000 });
    expect(summary(seen.current)).toEqual(['enter:c#3', 'enter:b#2']);
    expect(seen.current?.hasNext).toBe(true);

    // Under the cap: a page adds what it holds.
    await others.enter('d', { step: 4 });
    await vi.waitFor(() =>
      expect(summary(seen.current)).toEqual(['enter:d#4', 'enter:c#3', 'enter:b#2']),
    );
    expect(seen.current?.hasNext).toBe(true);
    // Over it: the oldest goes, and older pages could only leave a gap, so there are none.
    await others.update('d', { step: 5 });
    await others.update('d', { step: 6 });
    await vi.waitFor(() =>
      expect(summary(seen.current)).toEqual(['update:d#6', 'update:d#5', 'enter:d#4']),
    );
    expect(seen.current?.hasNext).toBe(false);
    await act(() => seen.current!.loadMore());
    expect(summary(seen.current)).toEqual(['update:d#6', 'update:d#5', 'enter:d#4']);
  });

  test('events of one millisecond keep the order they happened in (msgSerial 9 → 10, index 9 → 10)', async () => {
    // One frozen millisecond: ids decide the order, and `X:10:0` / `X:0:10` sort before
    // `X:9:0` / `X:0:9` as strings.
    const instant = Date.now();
    const e = await emulator({ now: () => instant });
    const name = uniqueRoomName('hist-same-ms');
    const reader = new ChatClient(await realtime(e, { clientId: 'reader' }));
    const renderOn = (options: UsePresenceHistoryOptions) => {
      const seen = recorder<UsePresenceHistoryResult<Data>>();
      renderStrict(
        <ChatClientProvider client={reader}>
          <ChatRoomProvider name={name}>
            <Watch hook={() => usePresenceHistory<Data>(options)} into={seen} />
          </ChatRoomProvider>
        </ChatClientProvider>,
      );
      return seen;
    };
    const steps = (r: UsePresenceHistoryResult<Data> | undefined) =>
      r?.events.map((event) => event.data?.step);
    const ascending = Array.from({ length: 23 }, (_, step) => step);
    const descending = [...ascending].reverse();

    const liveForwards = renderOn({ live: true, direction: 'forwards' });
    const liveBackwards = renderOn({ live: true });
    await vi.waitFor(() => {
      expect(liveForwards.current?.status).toBe('ready');
      expect(liveBackwards.current?.status).toBe('ready');
    });

    // One connection: 12 enters queued while its channel attaches go out in one frame (indexes 0
    // to 11), then 11 updates in frames of their own (msgSerial 1 to 11).
    const producer = await realtime(e);
    const channel = producer.channels.get(`${name}::$chat`);
    const attached = channel.attach();
    const batch = Array.from({ length: 12 }, (_, i) =>
      channel.presence.enterClient(`m${i}`, { step: i }),
    );
    await attached;
    await Promise.all(batch);
    for (let i = 0; i < 11; i++) await channel.presence.updateClient(`m${i}`, { step: 12 + i });

    await vi.waitFor(() => expect(steps(liveForwards.current)).toEqual(ascending));
    await vi.waitFor(() => expect(steps(liveBackwards.current)).toEqual(descending));
    // Every event really shares the millisecond.
    expect(new Set(liveForwards.current?.events.map((event) => event.timestamp))).toEqual(
      new Set([instant]),
    );

    // The same from history, one page and in pages.
    const forwards = renderOn({ direction: 'forwards' });
    const paged = renderOn({ limit: 5 });
    await vi.waitFor(() => expect(steps(forwards.current)).toEqual(ascending));
    await vi.waitFor(() => expect(paged.current?.status).toBe('ready'));
    while (paged.current?.hasNext) await act(() => paged.current!.loadMore());
    expect(steps(paged.current)).toEqual(descending);
  });

  test('bad options throw invalid_argument in development, saying how to fix them', () => {
    const thrownFor = (options: UsePresenceHistoryOptions) =>
      renderError(
        <ChatClientProvider client={chatClient('reader')}>
          <ChatRoomProvider name={uniqueRoomName('hist-bad')}>
            <Watch hook={() => usePresenceHistory<Data>(options)} into={recorder()} />
          </ChatRoomProvider>
        </ChatClientProvider>,
      );
    const limit = thrownFor({ limit: 0 });
    expect(isPresenceKitError(limit) && limit.code).toBe('invalid_argument');
    expect((limit as Error).message).toMatch(/limit: 0: pass a whole number from 1 to 1000/);
    const capped = thrownFor({ maxEvents: 2.5 });
    expect(isPresenceKitError(capped) && capped.code).toBe('invalid_argument');
    expect((capped as Error).message).toMatch(/maxEvents: 2\.5: pass a whole number/);
  });

  test('a refused request surfaces as history_fetch_failed', async () => {
    const name = uniqueRoomName('hist-refused');
    const seen = recorder<UsePresenceHistoryResult<Data>>();
    renderStrict(
      <ChatClientProvider client={chatClient('me', { key: 'nosuch.key:secret', logLevel: 0 })}>
        <ChatRoomProvider name={name}>
          <Watch hook={() => usePresenceHistory<Data>()} into={seen} />
        </ChatRoomProvider>
      </ChatClientProvider>,
    );
    await vi.waitFor(() => expect(seen.current?.status).toBe('error'), { timeout: 5000 });
    expect(seen.current?.error?.code).toBe('history_fetch_failed');
    expect(seen.current?.error?.ablyCode).toBe(40101);
  });

  test('leaves no SDK listener after unmount', async () => {
    const name = uniqueRoomName('hist-listeners');
    const me = await participant('me', name);
    const before = roomListeners(me.room);
    const seen = recorder<UsePresenceHistoryResult<Data>>();
    const view = renderStrict(
      <Watch hook={() => usePresenceHistory<Data>({ room: me.room, live: true })} into={seen} />,
    );
    await vi.waitFor(() => expect(seen.current?.status).toBe('ready'), { timeout: 5000 });
    expect(roomListeners(me.room).channelPresence).toBe(before.channelPresence! + 1);
    view.unmount();
    await vi.waitFor(() => expect(roomListeners(me.room)).toEqual(before));
  });
});
