import type * as Ably from 'ably';
import { describe, expect, test, vi } from 'vitest';

import { createMemoryRoom } from '../testing/memory-room';
import {
  type Entry,
  orderedEvents,
  presenceHistoryStore,
  toHistoryEvent,
} from './presence-history-store';

function entry(id: string, timestamp: number, rank: number, connectionId = 'X'): Entry {
  return {
    event: { id, action: 'enter', clientId: 'ada', connectionId, data: undefined, timestamp },
    rank,
  };
}

describe('orderedEvents', () => {
  test('by time; within a millisecond, one connection by its numeric serials, others by rank', () => {
    const entries = [
      entry('X:10:0', 5, 1),
      entry('X:9:0', 5, 2),
      entry('Y:1:0', 5, 0, 'Y'),
      entry('X:1:0', 1, 3),
    ];
    const { events } = orderedEvents(entries, 'forwards', 10);
    expect(events.map((e) => e.id)).toEqual(['X:1:0', 'Y:1:0', 'X:9:0', 'X:10:0']);
    const backwards = orderedEvents(entries, 'backwards', 10).events.map((e) => e.id);
    expect(backwards).toEqual(['X:10:0', 'X:9:0', 'Y:1:0', 'X:1:0']);
  });

  test('keeps the newest maxEvents and says which were dropped', () => {
    const entries = [entry('X:1:0', 1, 1), entry('X:2:0', 2, 2), entry('X:3:0', 3, 3)];
    const { events, dropped } = orderedEvents(entries, 'forwards', 2);
    expect(events.map((e) => e.id)).toEqual(['X:2:0', 'X:3:0']);
    expect(dropped.map((e) => e.id)).toEqual(['X:1:0']);
  });
});

describe('toHistoryEvent', () => {
  test('keeps messages with an id and a known action', () => {
    const message = {
      id: 'X:1:0',
      action: 'enter',
      clientId: 'ada',
      connectionId: 'X',
      data: { a: 1 },
      timestamp: 7,
    } as Ably.PresenceMessage;
    expect(toHistoryEvent(message)).toMatchObject({ id: 'X:1:0', action: 'enter', timestamp: 7 });
    expect(toHistoryEvent({ ...message, id: undefined } as never)).toBeUndefined();
    expect(toHistoryEvent({ ...message, action: 'other' } as never)).toBeUndefined();
  });
});

describe('presenceHistoryStore on a memory room', () => {
  test('pages of history, newest first, then live events at the newest end', async () => {
    const memory = createMemoryRoom({ members: [{ clientId: 'ada' }, { clientId: 'bob' }] });
    const query = {
      limit: 1,
      direction: 'backwards',
      start: undefined,
      end: undefined,
      live: true,
      maxEvents: 10,
    } as const;
    const store = presenceHistoryStore(memory.room, query);
    const off = store.subscribe(() => undefined);
    await vi.waitFor(() => expect(store.getSnapshot().status).toBe('ready'));
    expect(store.getSnapshot()).toMatchObject({ hasNext: true });
    await store.loadMore();
    const who = () => store.getSnapshot().events.map((e) => `${e.action}:${e.clientId}`);
    expect(who()).toEqual(['enter:bob', 'enter:ada']);
    memory.leave('ada');
    await vi.waitFor(() => expect(who()).toEqual(['leave:ada', 'enter:bob', 'enter:ada']));
    off();
  });
});
