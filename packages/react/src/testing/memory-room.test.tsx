import { act, screen } from '@testing-library/react';
import { describe, expect, test, vi } from 'vitest';

import { Watch, recorder, renderStrict } from '../../test/live';
import { type UseOccupancyResult, useOccupancy } from '../hooks/useOccupancy';
import { usePresence } from '../hooks/usePresence';
import { type UsePresenceHistoryResult, usePresenceHistory } from '../hooks/usePresenceHistory';
import {
  type UsePresenceMemberIdsResult,
  usePresenceMemberIds,
} from '../hooks/usePresenceMemberIds';
import { usePresenceMembers } from '../hooks/usePresenceMembers';
import { createMemoryRoom } from './memory-room';
import { TestRoomProvider } from './TestRoomProvider';

type Data = { name: string };

function Who() {
  const { members, count, status } = usePresenceMembers<Data>();
  return (
    <p data-testid="who" data-status={status}>
      {`${count}:${members.map((m) => `${m.data?.name ?? m.clientId}${m.isSelf ? '*' : ''}`).join(',')}`}
    </p>
  );
}
const who = () => screen.getByTestId('who');

describe('createMemoryRoom', () => {
  test('drives the real hooks: members, enters, updates, leaves and occupancy', async () => {
    const memory = createMemoryRoom<Data>({
      members: [{ clientId: 'ada', data: { name: 'Ada' } }],
    });
    const occupancy = recorder<UseOccupancyResult>();
    renderStrict(
      <TestRoomProvider room={memory.room}>
        <Who />
        <Watch hook={useOccupancy} into={occupancy} />
      </TestRoomProvider>,
    );
    await vi.waitFor(() => expect(who().textContent).toBe('1:Ada'));
    expect(who().dataset.status).toBe('ready');
    await vi.waitFor(() => expect(occupancy.current?.connections).toBe(2)); // Ada + us

    act(() => memory.enter('grace', { name: 'Grace' }));
    await vi.waitFor(() => expect(who().textContent).toBe('2:Ada,Grace'));
    act(() => memory.update('ada', { name: 'Ada L.' }));
    await vi.waitFor(() => expect(who().textContent).toBe('2:Ada L.,Grace'));
    act(() => memory.leave('ada'));
    await vi.waitFor(() => expect(who().textContent).toBe('1:Grace'));
    await vi.waitFor(() => expect(occupancy.current?.presenceMembers).toBe(1));

    act(() => memory.setOccupancy({ connections: 1200, presenceMembers: 40 }));
    await vi.waitFor(() => expect(occupancy.current?.connections).toBe(1200));
  });

  test('status changes show as stale and recover with a resync', async () => {
    const memory = createMemoryRoom<Data>({
      members: [{ clientId: 'ada', data: { name: 'Ada' } }],
    });
    renderStrict(
      <TestRoomProvider room={memory.room}>
        <Who />
      </TestRoomProvider>,
    );
    await vi.waitFor(() => expect(who().dataset.status).toBe('ready'));
    act(() => memory.setConnectionState('disconnected'));
    await vi.waitFor(() => expect(who().dataset.status).toBe('stale'));
    act(() => memory.setConnectionState('connected'));
    await vi.waitFor(() => expect(who().dataset.status).toBe('ready'));
    act(() =>
      memory.setStatus('failed', { message: 'channel denied', code: 40160, statusCode: 401 }),
    );
    await vi.waitFor(() => expect(who().dataset.status).toBe('error'));
  });

  test('usePresence enters the local user, and history records it all', async () => {
    const memory = createMemoryRoom<Data>({ clientId: 'me' });
    const history = recorder<UsePresenceHistoryResult<Data>>();
    function Me() {
      usePresence<Data>({ name: 'Me' });
      return null;
    }
    const view = renderStrict(
      <TestRoomProvider room={memory.room}>
        <Me />
        <Who />
        <Watch hook={() => usePresenceHistory<Data>({ live: true })} into={history} />
      </TestRoomProvider>,
    );
    await vi.waitFor(() => expect(who().textContent).toBe('1:Me*'));
    expect(memory.members()).toEqual([
      { clientId: 'me', connectionId: 'memory-connection', data: { name: 'Me' } },
    ]);
    await vi.waitFor(() =>
      expect(history.current?.events.map((e) => `${e.action}:${e.clientId}`)).toEqual(['enter:me']),
    );
    view.unmount();
    await vi.waitFor(() => expect(memory.members()).toEqual([]));
  });

  test('a leave and a join in the same frame give new ids, an update keeps them', async () => {
    const memory = createMemoryRoom({ members: [{ clientId: 'ada' }] });
    const ids = recorder<UsePresenceMemberIdsResult>();
    renderStrict(
      <TestRoomProvider room={memory.room}>
        <Watch hook={usePresenceMemberIds} into={ids} />
        <Who />
      </TestRoomProvider>,
    );
    await vi.waitFor(() => expect(ids.current?.ids).toEqual(['conn-ada:ada']));
    const first = ids.current?.ids;
    act(() => {
      memory.leave('ada');
      memory.enter('bob');
    });
    await vi.waitFor(() => expect(ids.current?.ids).toEqual(['conn-bob:bob']));
    const second = ids.current?.ids;
    expect(second).not.toBe(first);
    act(() => memory.update('bob', { name: 'Bob' }));
    await vi.waitFor(() => expect(who().textContent).toBe('1:Bob')); // the update was rendered
    expect(ids.current?.ids).toBe(second);
  });

  test('a room with presence events off gives the same error as a real one', async () => {
    const memory = createMemoryRoom({ presenceEvents: false });
    renderStrict(
      <TestRoomProvider room={memory.room}>
        <Who />
      </TestRoomProvider>,
    );
    await vi.waitFor(() => expect(who().dataset.status).toBe('error'));
  });
});
