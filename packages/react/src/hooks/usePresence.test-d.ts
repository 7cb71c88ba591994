// Type-level tests: checked by `tsc` (`pnpm typecheck`, part of `npm test`); nothing runs.
import { expectTypeOf, test } from 'vitest';

import type { PresenceKitError } from '../core/errors';
import type { HookStatus } from '../core/types';
import { useOccupancy } from './useOccupancy';
import { usePresence } from './usePresence';
import { usePresenceHistory } from './usePresenceHistory';
import { useRoomsOccupancy } from './useRoomsOccupancy';

type Profile = { name: string; status?: 'online' | 'away' };

test('usePresence: the data type flows to enter, update and leave', () => {
  const self = usePresence<Profile>({ name: 'Ada' });
  expectTypeOf(self.isPresent).toEqualTypeOf<boolean>();
  expectTypeOf(self.status).toEqualTypeOf<HookStatus>();
  expectTypeOf(self.error).toEqualTypeOf<PresenceKitError | undefined>();
  expectTypeOf(self.update).parameter(0).toEqualTypeOf<Profile | undefined>();
  expectTypeOf(usePresence({ name: 'Ada' }).enter)
    .parameter(0)
    .toEqualTypeOf<{ name: string } | undefined>();
  // @ts-expect-error data of the wrong shape
  usePresence<Profile>({ name: 1 });
  // @ts-expect-error autoEnter is a boolean
  usePresence<Profile>({ name: 'Ada' }, { autoEnter: 'yes' });
});

test('useOccupancy: counts are unknown until loaded', () => {
  const { connections, presenceMembers, refresh } = useOccupancy({ updates: 'poll' });
  expectTypeOf(connections).toEqualTypeOf<number | undefined>();
  expectTypeOf(presenceMembers).toEqualTypeOf<number | undefined>();
  expectTypeOf(refresh).returns.toEqualTypeOf<Promise<void>>();
  // @ts-expect-error not an update mode
  useOccupancy({ updates: 'push' });
});

test('usePresenceHistory: events carry the data type', () => {
  const { events, hasNext } = usePresenceHistory<Profile>({ limit: 10, live: true });
  expectTypeOf(events[0]!.data).toEqualTypeOf<Profile | undefined>();
  expectTypeOf(events[0]!.action).toEqualTypeOf<
    'enter' | 'leave' | 'update' | 'present' | 'absent'
  >();
  expectTypeOf(hasNext).toEqualTypeOf<boolean>();
  // @ts-expect-error not a direction
  usePresenceHistory({ direction: 'sideways' });
});

test('useRoomsOccupancy: one entry per room name', () => {
  const { rooms } = useRoomsOccupancy(['lobby', 'stage']);
  expectTypeOf(rooms.lobby?.connections).toEqualTypeOf<number | undefined>();
  // @ts-expect-error room names are a list
  useRoomsOccupancy('lobby');
});
