// @vitest-environment node
import { ChatClient } from '@ably/chat';
import { describe, expect, test } from 'vitest';

import { emulator, enterMembers, realtime, rest } from '../../test/server/emulator';
import { getPresenceMembers } from './getPresenceMembers';

describe('getPresenceMembers', () => {
  test('follows every page and returns members shaped like the client hooks’ members', async () => {
    const e = await emulator();
    const ids = Array.from({ length: 7 }, (_, i) => `user-${i}`);
    await enterMembers(e, 'lobby', ids, (id) => ({ name: `Name of ${id}`, status: 'online' }));

    const members = await getPresenceMembers<{ name: string }>(rest(e), 'lobby', {
      pageSize: 3,
      clientId: 'user-4',
    });

    const fromEmulator = e.channel('lobby::$chat').members;
    expect(members).toHaveLength(7);
    expect(members.map((m) => m.clientId).sort()).toEqual(
      fromEmulator.map((m) => m.clientId).sort(),
    );
    const self = members.find((m) => m.clientId === 'user-4');
    expect(self).toEqual({
      key: `${self?.connectionId}:user-4`,
      clientId: 'user-4',
      connectionId: fromEmulator[0]?.connectionId,
      data: { name: 'Name of user-4', status: 'online' },
      extras: undefined,
      updatedAt: expect.any(Number) as unknown,
      isSelf: true,
      isCurrentConnection: false,
    });
    expect(members.filter((m) => m.isSelf)).toHaveLength(1);
    expect(new Set(members.map((m) => m.key)).size).toBe(7);
  });

  test('sees members entered through @ably/chat and stops at maxMembers', async () => {
    const e = await emulator();
    for (const clientId of ['ada', 'bea', 'chen']) {
      const room = await new ChatClient(await realtime(e, { clientId })).rooms.get('stage');
      await room.attach();
      await room.presence.enter({ name: clientId });
    }
    const all = await getPresenceMembers(rest(e), 'stage');
    expect(all.map((m) => m.clientId).sort()).toEqual(['ada', 'bea', 'chen']);
    expect(all.map((m) => m.data)).toContainEqual({ name: 'bea' });
    expect(all.every((m) => !m.isSelf)).toBe(true);

    expect(await getPresenceMembers(rest(e), 'stage', { maxMembers: 2, pageSize: 1 })).toHaveLength(
      2,
    );
    expect(await getPresenceMembers(rest(e), 'stage', { maxMembers: 0 })).toEqual([]);
    expect(await getPresenceMembers(rest(e), 'empty-room')).toEqual([]);
  });

  test('errors: refused requests and bad options', async () => {
    const e = await emulator();
    const token = e.createToken({ capability: { 'other::$chat': ['subscribe'] } });
    await expect(
      getPresenceMembers(rest(e, { key: undefined, token: token.token }), 'lobby'),
    ).rejects.toMatchObject({ code: 'presence_fetch_failed', ablyCode: 40160 });
    await expect(getPresenceMembers(rest(e), 'lobby', { pageSize: 5000 })).rejects.toMatchObject({
      code: 'invalid_argument',
      message: expect.stringContaining('pageSize') as unknown,
    });
    await expect(getPresenceMembers(rest(e), 'lobby', { maxMembers: -1 })).rejects.toMatchObject({
      code: 'invalid_argument',
    });
    await expect(getPresenceMembers(rest(e), undefined as never)).rejects.toMatchObject({
      code: 'invalid_argument',
    });
  });
});
