import { describe, expect, test, vi } from 'vitest';

import { createMemoryRoom } from '../testing/memory-room';
import { PresenceKitError } from './errors';
import {
  type SelfPresenceState,
  nextOperation,
  selfPresence,
  selfPresenceStatus,
} from './self-presence';

const idle: SelfPresenceState = {
  held: false,
  explicit: undefined,
  present: false,
  data: undefined,
  sentData: undefined,
};

describe('nextOperation', () => {
  test('held and absent: enter; present with other data: update; same data: nothing', () => {
    expect(nextOperation({ ...idle, held: true })).toBe('enter');
    const present = { ...idle, held: true, present: true, sentData: { a: 1 } };
    expect(nextOperation({ ...present, data: { a: 2 } })).toBe('update');
    // Compared by value, not by identity.
    expect(nextOperation({ ...present, data: { a: 1 } })).toBeUndefined();
  });

  test('nobody holds presence any more: leave, unless enter or leave was called', () => {
    expect(nextOperation({ ...idle, present: true })).toBe('leave');
    // `enter()` keeps the user present without holders; `leave()` runs its own leave, and
    // holders coming and going do not undo either.
    expect(nextOperation({ ...idle, present: true, explicit: true })).toBeUndefined();
    expect(nextOperation({ ...idle, held: true, present: true, explicit: false })).toBeUndefined();
    expect(nextOperation({ ...idle, held: true, explicit: false })).toBeUndefined();
    expect(nextOperation({ ...idle, explicit: true })).toBe('enter');
  });
});

describe('selfPresenceStatus', () => {
  const failure = new PresenceKitError('presence_enter_failed');
  test('loading until present, or until live when presence is not wanted', () => {
    expect(selfPresenceStatus({ ...idle, held: true }, { live: true }, undefined).status).toBe(
      'loading',
    );
    expect(selfPresenceStatus(idle, { live: true }, undefined).status).toBe('ready');
    expect(selfPresenceStatus({ ...idle, present: true }, { live: false }, undefined).status).toBe(
      'stale',
    );
  });

  test('a failed operation is the error, unless the room itself failed', () => {
    expect(selfPresenceStatus(idle, { live: true }, failure)).toEqual({
      status: 'error',
      error: failure,
    });
    const roomFailed = new PresenceKitError('room_failed');
    expect(selfPresenceStatus(idle, { live: false, error: roomFailed }, failure).error).toBe(
      roomFailed,
    );
  });
});

describe('selfPresence on a memory room', () => {
  test('one enter for two holders, an update by value, one leave after both are gone', async () => {
    const memory = createMemoryRoom();
    const store = selfPresence(memory.room);
    const off = store.subscribe(() => undefined);
    const releaseA = store.hold({ name: 'Ada' });
    const releaseB = store.hold({ name: 'Ada' });
    await vi.waitFor(() => expect(store.getSnapshot().isPresent).toBe(true));
    expect(memory.members()).toEqual([
      expect.objectContaining({ clientId: 'you', data: { name: 'Ada' } }),
    ]);
    store.hold({ name: 'Ada Lovelace' });
    await vi.waitFor(() => expect(memory.members()[0]?.data).toEqual({ name: 'Ada Lovelace' }));
    releaseA();
    releaseB();
    off();
  });

  test('re-enters after the room comes back from a detach', async () => {
    const memory = createMemoryRoom();
    const store = selfPresence(memory.room);
    const off = store.subscribe(() => undefined);
    const release = store.hold(undefined);
    await vi.waitFor(() => expect(memory.members()).toHaveLength(1));
    memory.setStatus('detached');
    await vi.waitFor(() => expect(store.getSnapshot().isPresent).toBe(false));
    memory.setStatus('attached');
    await vi.waitFor(() => expect(store.getSnapshot()).toMatchObject({ isPresent: true }));
    expect(memory.members()).toHaveLength(1);
    release();
    off();
  });
});
