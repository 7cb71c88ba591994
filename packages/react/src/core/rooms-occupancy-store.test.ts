import { describe, expect, test } from 'vitest';

import { PresenceKitError } from './errors';
import { combine, nextRoomEntry, withInitialOccupancy } from './rooms-occupancy-store';
import type { RoomOccupancyEntry } from './types';

const loading: RoomOccupancyEntry = {
  connections: undefined,
  presenceMembers: undefined,
  status: 'loading',
  error: undefined,
};
const failure = new PresenceKitError('occupancy_fetch_failed');

describe('nextRoomEntry', () => {
  test('an answer is ready; a failure is an error until there are counts, then stale', () => {
    const ready = nextRoomEntry(loading, { connections: 4, presenceMembers: 2 });
    expect(ready).toMatchObject({ connections: 4, presenceMembers: 2, status: 'ready' });
    expect(nextRoomEntry(loading, undefined, failure)).toMatchObject({ status: 'error' });
    expect(nextRoomEntry(ready, undefined, failure)).toMatchObject({
      connections: 4,
      status: 'stale',
      error: failure,
    });
    expect(nextRoomEntry(ready, { connections: 4, presenceMembers: 2 })).toBe(ready);
  });
});

describe('combine', () => {
  test('the worst status of the rooms and the first error', () => {
    const ready = nextRoomEntry(loading, { connections: 1, presenceMembers: 0 });
    const failed = nextRoomEntry(loading, undefined, failure);
    expect(combine(['a', 'b'], [ready, loading])).toMatchObject({ status: 'loading' });
    expect(combine(['a', 'b'], [ready, failed])).toMatchObject({ status: 'error', error: failure });
    expect(combine(['a'], []).rooms.a).toEqual(loading);
  });
});

describe('withInitialOccupancy', () => {
  test('fills rooms without an answer; the same object when there is nothing to fill', () => {
    const snapshot = combine(['a'], []);
    const filled = withInitialOccupancy(snapshot, { a: { connections: 9, presenceMembers: 3 } });
    expect(filled.rooms.a).toMatchObject({ connections: 9, status: 'loading' });
    expect(withInitialOccupancy(snapshot, undefined)).toBe(snapshot);
  });
});
