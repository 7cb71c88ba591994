// @vitest-environment node
import { ChatClient } from '@ably/chat';
import { describe, expect, test } from 'vitest';

import { PresenceKitError } from '../core/errors';
import { getOccupancy } from './getOccupancy';
import { getRoomsOccupancy } from './getRoomsOccupancy';
import { emulator, enterMembers, realtime, rest } from '../../test/server/emulator';

describe('getOccupancy', () => {
  test('returns the connections and presence members the emulator holds', async () => {
    const e = await emulator();
    // Two viewers attached through @ably/chat, three members entered from a third connection.
    for (const clientId of ['viewer-1', 'viewer-2']) {
      const chat = new ChatClient(await realtime(e, { clientId }));
      const room = await chat.rooms.get('lobby');
      await room.attach();
    }
    await enterMembers(e, 'lobby', ['ada', 'bea', 'chen']);

    const occupancy = await getOccupancy(rest(e), 'lobby');

    const { metrics } = e.channel('lobby::$chat');
    expect(occupancy).toEqual({
      connections: metrics.connections,
      presenceMembers: metrics.presenceMembers,
    });
    expect(occupancy).toEqual({ connections: 3, presenceMembers: 3 });
  });

  test('an unused room is empty, and names are URL-encoded', async () => {
    const e = await emulator();
    await enterMembers(e, 'room/with space?', ['ada']);
    expect(await getOccupancy(rest(e), 'nobody-here')).toEqual({
      connections: 0,
      presenceMembers: 0,
    });
    expect(await getOccupancy(rest(e), 'room/with space?')).toEqual({
      connections: 1,
      presenceMembers: 1,
    });
  });

  test('a refused request is an occupancy_fetch_failed error carrying Ably’s code', async () => {
    const e = await emulator();
    const wrongSecret = rest(e, { key: `${e.key.split(':')[0]}:not-the-secret` });
    const error = await getOccupancy(wrongSecret, 'lobby').catch((err: unknown) => err);
    expect(error).toBeInstanceOf(PresenceKitError);
    expect(error).toMatchObject({ code: 'occupancy_fetch_failed', statusCode: 401 });
    expect((error as PresenceKitError).ablyCode).toBeGreaterThanOrEqual(40100);
    expect((error as Error).message).toMatch(/room "lobby".*API key/);
  });

  test('a token without channel-metadata on the room is refused with 40160', async () => {
    const e = await emulator();
    const token = e.createToken({ capability: { 'lobby::$chat': ['subscribe'] } });
    const limited = rest(e, { key: undefined, token: token.token });
    await expect(getOccupancy(limited, 'lobby')).rejects.toMatchObject({
      code: 'occupancy_fetch_failed',
      ablyCode: 40160,
    });
  });

  test('bad arguments are invalid_argument errors that say what to pass', async () => {
    const e = await emulator();
    await expect(getOccupancy(rest(e), '')).rejects.toMatchObject({
      code: 'invalid_argument',
      message: expect.stringContaining('room name') as unknown,
    });
    await expect(getOccupancy('emulator.root:secret' as never, 'lobby')).rejects.toMatchObject({
      code: 'invalid_argument',
      message: expect.stringContaining('new Ably.Rest') as unknown,
    });
  });
});

describe('getRoomsOccupancy', () => {
  test('fetches every room once and reports failures per room', async () => {
    const e = await emulator();
    await enterMembers(e, 'lobby', ['ada', 'bea']);
    await enterMembers(e, 'stage', ['chen']);

    const result = await getRoomsOccupancy(rest(e), ['lobby', 'stage', 'empty', 'lobby']);
    expect(result.rooms).toEqual({
      lobby: { connections: 1, presenceMembers: 2 },
      stage: { connections: 1, presenceMembers: 1 },
      empty: { connections: 0, presenceMembers: 0 },
    });
    expect(Object.keys(result.rooms)).toEqual(['lobby', 'stage', 'empty']);
    expect(result.errors).toEqual({});

    const token = e.createToken({ capability: { 'lobby::$chat': ['channel-metadata'] } });
    const limited = await getRoomsOccupancy(rest(e, { key: undefined, token: token.token }), [
      'lobby',
      'stage',
    ]);
    expect(limited.rooms).toEqual({ lobby: { connections: 1, presenceMembers: 2 } });
    expect(limited.errors.stage).toMatchObject({ code: 'occupancy_fetch_failed', ablyCode: 40160 });
  });
});
