import { describe, expect, test, vi } from 'vitest';

import { createMemoryRoom } from '../testing/memory-room';
import { PresenceKitError } from './errors';
import { nextOccupancy, occupancyStatus, occupancyStore } from './occupancy-store';

const live = { live: true };
const down = { live: false };
const failure = new PresenceKitError('occupancy_fetch_failed');
const base = { usesEvents: true, misuse: undefined, fetchError: undefined, wasLive: false };

describe('nextOccupancy', () => {
  test('keeps the previous object for the same counts', () => {
    const previous = { connections: 2, presenceMembers: 1 };
    expect(nextOccupancy(previous, { connections: 2, presenceMembers: 1 })).toBe(previous);
    expect(nextOccupancy(previous, { connections: 3, presenceMembers: 1 })).toEqual({
      connections: 3,
      presenceMembers: 1,
    });
  });
});

describe('occupancyStatus', () => {
  const data = { connections: 1, presenceMembers: 0 };
  test('events: loading, then ready; stale once a live room is lost', () => {
    expect(occupancyStatus({ ...base, data: undefined }, live).status).toBe('loading');
    expect(occupancyStatus({ ...base, data }, live).status).toBe('ready');
    // A number while the room attaches for the first time is current.
    expect(occupancyStatus({ ...base, data }, down).status).toBe('ready');
    expect(occupancyStatus({ ...base, data, wasLive: true }, down).status).toBe('stale');
  });

  test('events: a failed fetch matters only while there is no number', () => {
    expect(occupancyStatus({ ...base, data: undefined, fetchError: failure }, live)).toEqual({
      status: 'error',
      error: failure,
    });
    expect(occupancyStatus({ ...base, data, fetchError: failure }, live).status).toBe('ready');
  });

  test('polling does not depend on the room; a failed poll keeps the number, stale', () => {
    const polled = { ...base, usesEvents: false, data };
    expect(occupancyStatus({ ...polled, wasLive: true }, down).status).toBe('ready');
    expect(occupancyStatus({ ...polled, fetchError: failure }, live).status).toBe('stale');
  });

  test('misuse wins', () => {
    const misuse = new PresenceKitError('occupancy_events_disabled');
    expect(occupancyStatus({ ...base, data, misuse }, live)).toEqual({
      status: 'error',
      error: misuse,
    });
  });
});

describe('occupancyStore on a memory room', () => {
  test('the last event is the first value, and events keep it live', async () => {
    const memory = createMemoryRoom({ members: [{ clientId: 'ada' }] });
    const store = occupancyStore(memory.room, 'auto', 15_000);
    expect(store.getSnapshot().data).toEqual({ connections: 2, presenceMembers: 1 });
    const off = store.subscribe(() => undefined);
    memory.enter('bob');
    await vi.waitFor(() =>
      expect(store.getSnapshot()).toMatchObject({
        data: { connections: 3, presenceMembers: 2 },
        status: 'ready',
      }),
    );
    off();
  });

  test("'events' on a room without them is occupancy_events_disabled", () => {
    const memory = createMemoryRoom({ occupancyEvents: false });
    const store = occupancyStore(memory.room, 'events', 15_000);
    expect(store.getSnapshot().error?.code).toBe('occupancy_events_disabled');
  });
});
