// @vitest-environment node
import { describe, expect, test } from 'vitest';

import { emulator, enterMembers, rest } from '../../test/server/emulator';
import { getRoomsPresence } from './getRoomsPresence';

describe('getRoomsPresence', () => {
  test('members of several rooms in one batch, decoded like channel presence', async () => {
    const e = await emulator();
    await enterMembers(e, 'lobby', ['ada', 'bea'], (id) => ({ name: id, tags: ['x'] }));
    await enterMembers(e, 'stage', ['chen'], () => 'plain text');

    const result = await getRoomsPresence<{ name: string }>(
      rest(e),
      ['lobby', 'stage', 'empty', 'lobby'],
      { clientId: 'bea' },
    );

    expect(Object.keys(result)).toEqual(['lobby', 'stage', 'empty']);
    const lobby = result.lobby?.members ?? [];
    expect(lobby.map((m) => m.clientId).sort()).toEqual(['ada', 'bea']);
    expect(lobby.find((m) => m.clientId === 'ada')).toMatchObject({
      data: { name: 'ada', tags: ['x'] },
      isSelf: false,
      isCurrentConnection: false,
    });
    expect(lobby.find((m) => m.clientId === 'bea')?.isSelf).toBe(true);
    expect(result.stage?.members?.map((m) => m.data)).toEqual(['plain text']);
    expect(result.empty).toEqual({ members: [], error: undefined });
    expect(lobby.map((m) => m.connectionId)).toEqual(
      e.channel('lobby::$chat').members.map((m) => m.connectionId),
    );
  });

  test('a room the key may not read fails alone; a comma in a name cannot be batched', async () => {
    const e = await emulator();
    await enterMembers(e, 'lobby', ['ada']);
    const token = e.createToken({ capability: { 'lobby::$chat': ['subscribe'] } });
    const limited = rest(e, { key: undefined, token: token.token });

    const result = await getRoomsPresence(limited, ['lobby', 'stage', 'a,b']);
    expect(result.lobby?.members?.map((m) => m.clientId)).toEqual(['ada']);
    expect(result.stage?.members).toBeUndefined();
    expect(result.stage?.error).toMatchObject({ code: 'presence_fetch_failed', ablyCode: 40160 });
    expect(result['a,b']?.error).toMatchObject({ code: 'invalid_argument' });
  });

  test('a refused request rejects as a whole; bad arguments are invalid_argument', async () => {
    const e = await emulator();
    const wrong = rest(e, { key: `${e.key.split(':')[0]}:wrong` });
    await expect(getRoomsPresence(wrong, ['lobby'])).rejects.toMatchObject({
      code: 'presence_fetch_failed',
      statusCode: 401,
    });
    await expect(getRoomsPresence(rest(e), 'lobby' as never)).rejects.toMatchObject({
      code: 'invalid_argument',
      message: expect.stringContaining('array of room names') as unknown,
    });
  });
});
