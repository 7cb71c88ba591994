import { screen } from '@testing-library/react';
import { inject, describe, expect, test, vi } from 'vitest';

import { renderStrict, uniqueRoomName } from '../../test/live';
import { useOccupancy } from '../hooks/useOccupancy';
import { usePresenceMembers } from '../hooks/usePresenceMembers';
import { TestPresenceProvider, createTestChatClient, createTestRoom } from './emulator';

function Room() {
  const { members } = usePresenceMembers();
  const { connections } = useOccupancy();
  return (
    <p data-testid="room">{`${connections ?? '-'}:${members.map((m) => m.clientId).join(',')}`}</p>
  );
}

describe('emulator helpers', () => {
  test('TestPresenceProvider renders components against the emulator; createTestRoom adds people', async () => {
    const emulator = inject('emulator');
    const name = uniqueRoomName('testing');
    const bob = await createTestRoom(emulator, name, { clientId: 'bob', enter: { hi: 1 } });
    const view = renderStrict(
      <TestPresenceProvider emulator={emulator} clientId="ada" room={name}>
        <Room />
      </TestPresenceProvider>,
    );
    await vi.waitFor(() => expect(screen.getByTestId('room').textContent).toBe('2:bob'), {
      timeout: 5000,
    });
    await bob.room.presence.leave();
    await vi.waitFor(() => expect(screen.getByTestId('room').textContent).toBe('2:'));
    view.unmount();
    // Our client went away: the room is back to bob alone.
    await vi.waitFor(async () => expect((await bob.room.occupancy.get()).connections).toBe(1), {
      timeout: 5000,
    });
    await bob.close();
    expect(bob.client.realtime.connection.state).toBe('closed');
  });

  test('createTestChatClient connects a real client as the given user', async () => {
    const client = createTestChatClient(inject('emulator'), { clientId: 'cy' });
    await vi.waitFor(() => expect(client.realtime.connection.state).toBe('connected'), {
      timeout: 5000,
    });
    expect(client.clientId).toBe('cy');
    client.realtime.close();
  });
});
