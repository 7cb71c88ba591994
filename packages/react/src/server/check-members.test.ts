// @vitest-environment node
import * as v from 'valibot';
import { describe, expect, test } from 'vitest';
import { z } from 'zod';

import type { InvalidPresenceData } from '../core/standard-schema';
import { emulator, enterMembers, rest } from '../../test/server/emulator';
import { getPresenceMembers } from './getPresenceMembers';
import { getRoomsPresence } from './getRoomsPresence';

const Profile = z.object({ name: z.string().min(1), status: z.string().default('online') });

describe('server helpers with a schema', () => {
  test('getPresenceMembers: invalid members are left out and reported; data is the output', async () => {
    const e = await emulator();
    await enterMembers(e, 'lobby', ['ada', 'bob', 'eve'], (id) =>
      id === 'eve' ? { name: 42 } : { name: id.toUpperCase() },
    );
    const failures: InvalidPresenceData[] = [];

    const members = await getPresenceMembers(rest(e), 'lobby', {
      schema: Profile,
      onInvalidData: (failure) => failures.push(failure),
    });

    expect(members.map((m) => [m.clientId, m.data]).sort()).toEqual([
      ['ada', { name: 'ADA', status: 'online' }],
      ['bob', { name: 'BOB', status: 'online' }],
    ]);
    expect(failures).toEqual([
      expect.objectContaining({
        clientId: 'eve',
        data: { name: 42 },
        issues: expect.any(Array) as unknown,
      }),
    ]);
  });

  test("invalidData: 'flag' keeps them; asynchronous checks are awaited (valibot)", async () => {
    const e = await emulator();
    await enterMembers(e, 'stage', ['ada', 'eve'], (id) => ({ name: id === 'eve' ? '' : id }));
    const Async = v.objectAsync({
      name: v.pipeAsync(
        v.string(),
        v.checkAsync(async (name) => Promise.resolve(name.length > 0), 'a name'),
      ),
    });

    const presence = await getRoomsPresence(rest(e), ['stage'], {
      schema: Async,
      invalidData: 'flag',
    });

    const members = presence.stage?.members ?? [];
    expect(members.map((m) => [m.clientId, m.data, m.invalid?.[0]?.message]).sort()).toEqual([
      ['ada', { name: 'ada' }, undefined],
      ['eve', undefined, 'a name'],
    ]);
  });

  test('a schema that is not one is refused with invalid_argument', async () => {
    const e = await emulator();
    await expect(
      getPresenceMembers(rest(e), 'lobby', { schema: {} as never }),
    ).rejects.toMatchObject({ code: 'invalid_argument' });
  });
});
