import { ChatClient, type OccupancyEvent, type PresenceEvent } from '@ably/chat';
import { describe, expect, test, vi } from 'vitest';
import { emulator, FORMATS, realtime } from './helpers.js';

describe.each(FORMATS)('@ably/chat over $name', ({ useBinaryProtocol }) => {
  test('room attach, presence enter/get/subscribe, occupancy events and get()', async () => {
    const e = await emulator();
    const aliceRt = await realtime(e, { clientId: 'alice', useBinaryProtocol });
    const bobRt = await realtime(e, { clientId: 'bob', useBinaryProtocol });
    const alice = new ChatClient(aliceRt);
    const bob = new ChatClient(bobRt);

    const aliceRoom = await alice.rooms.get('lobby', { occupancy: { enableEvents: true } });
    const occupancy: OccupancyEvent[] = [];
    aliceRoom.occupancy.subscribe((ev) => occupancy.push(ev));
    const presenceEvents: PresenceEvent[] = [];
    aliceRoom.presence.subscribe((ev) => presenceEvents.push(ev));
    await aliceRoom.attach();

    // The first event reflects us being in the room.
    await vi.waitFor(() =>
      expect(occupancy.at(-1)?.occupancy).toEqual({ connections: 1, presenceMembers: 0 }),
    );

    const bobRoom = await bob.rooms.get('lobby', { occupancy: { enableEvents: true } });
    await bobRoom.attach();
    await bobRoom.presence.enter({ name: 'Bob', status: 'online' });

    await vi.waitFor(() =>
      expect(occupancy.at(-1)?.occupancy).toEqual({ connections: 2, presenceMembers: 1 }),
    );
    await vi.waitFor(() => expect(presenceEvents.map((p) => p.type)).toContain('enter'));
    const enter = presenceEvents.find((p) => String(p.type) === 'enter')!;
    expect(enter.member.clientId).toBe('bob');
    expect(enter.member.data).toEqual({ name: 'Bob', status: 'online' });
    expect(enter.member.updatedAt).toBeInstanceOf(Date);

    const members = await aliceRoom.presence.get();
    expect(members.map((m) => m.clientId)).toEqual(['bob']);
    expect(await aliceRoom.presence.isUserPresent('bob')).toBe(true);

    expect(await aliceRoom.occupancy.get()).toEqual({ connections: 2, presenceMembers: 1 });
    expect(e.channel('lobby::$chat').metrics.presenceMembers).toBe(1);

    await bobRoom.presence.update({ name: 'Bob', status: 'busy' });
    await vi.waitFor(() => expect(presenceEvents.at(-1)?.type).toBe('update'));
    expect(presenceEvents.at(-1)?.member.data).toEqual({ name: 'Bob', status: 'busy' });

    await bob.rooms.release('lobby');
    await vi.waitFor(() => expect(presenceEvents.at(-1)?.type).toBe('leave'));
    await vi.waitFor(() =>
      expect(occupancy.at(-1)?.occupancy).toEqual({ connections: 1, presenceMembers: 0 }),
    );
    expect(await aliceRoom.occupancy.get()).toEqual({ connections: 1, presenceMembers: 0 });
  });
});
