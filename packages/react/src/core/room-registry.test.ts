import type { Room } from '@ably/chat';
import { describe, expect, test } from 'vitest';

import { createMemoryRoom } from '../testing/memory-room';
import { needsAttach } from './room-entry';
import { roomOptionsKey } from './room-registry';

describe('roomOptionsKey', () => {
  test('equal for options equal by value, whatever the key order', () => {
    const a = roomOptionsKey({
      occupancy: { enableEvents: true },
      presence: { enableEvents: true },
    });
    const b = roomOptionsKey({
      presence: { enableEvents: true },
      occupancy: { enableEvents: true },
    });
    expect(a).toBe(b);
    expect(roomOptionsKey(undefined)).toBe(roomOptionsKey({}));
    expect(roomOptionsKey({ occupancy: { enableEvents: false } })).not.toBe(a);
  });
});

describe('needsAttach', () => {
  const room = (status: 'initialized' | 'attaching' | 'attached' | 'detached'): Room =>
    createMemoryRoom({ status }).room;
  test('only a room someone wants attached that is not attached or attaching', () => {
    expect(needsAttach(room('initialized'), 1)).toBe(true);
    expect(needsAttach(room('detached'), 2)).toBe(true);
    expect(needsAttach(room('attached'), 1)).toBe(false);
    expect(needsAttach(room('attaching'), 1)).toBe(false);
    expect(needsAttach(room('initialized'), 0)).toBe(false);
    expect(needsAttach(undefined, 1)).toBe(false);
  });
});
