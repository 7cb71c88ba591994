import { describe, expect, test, vi } from 'vitest';

import { createMemoryRoom } from '../testing/memory-room';
import { PresenceSet, earliestLeft, presenceStore } from './presence-store';
import type { PresenceMember } from './types';

const ready = { status: 'ready', error: undefined } as const;

function member(clientId: string, connectionId: string, updatedAt = 1): PresenceMember {
  return {
    key: `${connectionId}:${clientId}`,
    clientId,
    connectionId,
    data: undefined,
    extras: undefined,
    updatedAt,
    isSelf: false,
    isCurrentConnection: false,
  };
}

describe('PresenceSet', () => {
  test('members in join order, people grouped by clientId, counts of those present', () => {
    const set = new PresenceSet(0);
    set.put(member('ada', 'c1'));
    set.put(member('bob', 'c2'));
    set.put(member('ada', 'c3', 5));
    const snapshot = set.snapshot(ready);
    expect(snapshot.ids).toEqual(['c1:ada', 'c2:bob', 'c3:ada']);
    expect(snapshot.count).toBe(3);
    expect(snapshot.peopleIds).toEqual(['ada', 'bob']);
    expect(snapshot.people.get('ada')?.connections.map((c) => c.connectionId)).toEqual([
      'c3',
      'c1',
    ]);
    expect(snapshot.peopleCount).toBe(2);
  });

  test('snapshots keep their identity while nothing changed; ids while nobody joined or left', () => {
    const set = new PresenceSet(0);
    set.put(member('ada', 'c1'));
    const first = set.snapshot(ready);
    expect(set.snapshot(ready)).toBe(first);
    set.put({ ...member('ada', 'c1'), data: { mood: 'x' } });
    const second = set.snapshot(ready);
    expect(second).not.toBe(first);
    expect(second.ids).toBe(first.ids);
    // An equal member (by value) is no change.
    set.put({ ...member('ada', 'c1'), data: { mood: 'x' } });
    expect(set.snapshot(ready)).toBe(second);
  });

  test('with a grace period, a member who left is kept with leftAt and not counted', () => {
    const set = new PresenceSet(1000);
    set.put(member('ada', 'c1'));
    set.leave('c1:ada');
    const snapshot = set.snapshot(ready);
    expect(snapshot.list[0]?.leftAt).toEqual(expect.any(Number));
    expect(snapshot.count).toBe(0);
    expect(snapshot.people.get('ada')?.leftAt).toEqual(expect.any(Number));
    expect(earliestLeft(set)).toBe(snapshot.list[0]?.leftAt);
    set.remove(snapshot.list[0]!);
    expect(set.snapshot(ready).list).toEqual([]);
  });

  test('without one, leaving removes the member', () => {
    const set = new PresenceSet(0);
    set.put(member('ada', 'c1'));
    set.leave('c1:ada');
    expect(set.snapshot(ready)).toMatchObject({ ids: [], count: 0, peopleIds: [] });
    expect(earliestLeft(set)).toBeUndefined();
  });
});

describe('presenceStore on a memory room', () => {
  test('the whole list once synced, then each event', async () => {
    const memory = createMemoryRoom({ members: [{ clientId: 'ada' }, { clientId: 'bob' }] });
    const store = presenceStore(memory.room, 0);
    expect(store.getSnapshot()).toMatchObject({ status: 'loading', list: [] });
    const off = store.subscribe(() => undefined);
    await vi.waitFor(() =>
      expect(store.getSnapshot()).toMatchObject({ status: 'ready', count: 2 }),
    );
    memory.enter('cy');
    memory.leave('ada');
    await vi.waitFor(() =>
      expect(store.getSnapshot().list.map((m) => m.clientId)).toEqual(['bob', 'cy']),
    );
    off();
  });

  test('a room with presence events off is presence_events_disabled', async () => {
    const memory = createMemoryRoom({ presenceEvents: false });
    const store = presenceStore(memory.room, 0);
    const off = store.subscribe(() => undefined);
    await vi.waitFor(() =>
      expect(store.getSnapshot().error?.code).toBe('presence_events_disabled'),
    );
    off();
  });
});
