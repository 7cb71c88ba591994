import { Profiler, useEffect } from 'react';
import { renderToString } from 'react-dom/server';
import { screen } from '@testing-library/react';
import { describe, expect, test, vi } from 'vitest';

import {
  Watch,
  chatClient,
  crowd,
  participant,
  recorder,
  renderStrict,
  roomListeners,
  uniqueRoomName,
} from '../../test/live';
import { shallow } from '../core/shallow';
import type { PresenceMember, PresencePerson } from '../core/types';
import { ChatClientProvider } from '../providers/ChatClientProvider';
import { ChatRoomProvider } from '../providers/ChatRoomProvider';
import { type UsePresenceMembersResult, usePresenceMembers } from './usePresenceMembers';

type Data = { name?: string; mood?: string };

function Members({ log }: { log?: UsePresenceMembersResult<readonly PresenceMember<Data>[]>[] }) {
  const result = usePresenceMembers<Data>();
  useEffect(() => {
    log?.push(result);
  });
  return (
    <ul data-testid="members" data-status={result.status} data-count={result.count}>
      {result.members.map((m) => (
        <li key={m.key}>{`${m.clientId}:${m.data?.mood ?? ''}${m.leftAt ? ':left' : ''}`}</li>
      ))}
    </ul>
  );
}

const list = () => screen.getByTestId('members');
const names = () => [...list().querySelectorAll('li')].map((li) => li.textContent);

function inRoom(name: string, children: React.ReactNode, clientId = 'me') {
  return (
    <ChatClientProvider client={chatClient(clientId)}>
      <ChatRoomProvider name={name}>{children}</ChatRoomProvider>
    </ChatClientProvider>
  );
}

describe('usePresenceMembers', () => {
  test('members present before mount appear together in one render', async () => {
    const name = uniqueRoomName('pm-before');
    const others = await crowd(name);
    const N = 40;
    await Promise.all(
      Array.from({ length: N }, (_, i) => others.enter(`user-${i}`, { mood: 'ok' })),
    );
    const log: UsePresenceMembersResult<readonly PresenceMember<Data>[]>[] = [];

    renderStrict(inRoom(name, <Members log={log} />));

    await vi.waitFor(() => expect(list().dataset.status).toBe('ready'), { timeout: 5000 });
    expect(names()).toHaveLength(N);
    const nonEmpty = log.filter((r) => r.members.length > 0);
    // The first list painted is the whole room, never a partial one being filled in.
    expect(nonEmpty[0]?.members).toHaveLength(N);
    expect(log.filter((r) => r.members.length === 0).every((r) => r.status === 'loading')).toBe(
      true,
    );
  });

  test('applies enters, updates and leaves', async () => {
    const name = uniqueRoomName('pm-live');
    renderStrict(inRoom(name, <Members />));
    await vi.waitFor(() => expect(list().dataset.status).toBe('ready'), { timeout: 5000 });
    expect(names()).toEqual([]);

    const { room } = await participant('ann', name, { enter: { mood: 'happy' } });
    await vi.waitFor(() => expect(names()).toEqual(['ann:happy']));
    await room.presence.update({ mood: 'busy' });
    await vi.waitFor(() => expect(names()).toEqual(['ann:busy']));
    const others = await crowd(name);
    await others.enter('bea', { mood: 'new' });
    await vi.waitFor(() => expect(names()).toEqual(['ann:busy', 'bea:new']));
    expect(list().dataset.count).toBe('2');
    await room.presence.leave();
    await vi.waitFor(() => expect(names()).toEqual(['bea:new']));
    expect(list().dataset.count).toBe('1');
  });

  test('a burst of 500 enters costs a handful of renders, not 500', async () => {
    const name = uniqueRoomName('pm-burst');
    let commits = 0;
    renderStrict(
      inRoom(
        name,
        <Profiler id="members" onRender={() => (commits += 1)}>
          <Members />
        </Profiler>,
      ),
    );
    await vi.waitFor(() => expect(list().dataset.status).toBe('ready'), { timeout: 5000 });
    const others = await crowd(name);
    commits = 0;
    await Promise.all(Array.from({ length: 500 }, (_, i) => others.enter(`fan-${i}`)));
    await vi.waitFor(() => expect(list().dataset.count).toBe('500'), { timeout: 10_000 });
    expect(names()).toHaveLength(500);
    // At most one render per animation frame, however many events arrive.
    expect(commits).toBeGreaterThan(0);
    expect(commits).toBeLessThan(40);
  });

  test("groupBy: 'clientId' gives one entry per person with their connections", async () => {
    const name = uniqueRoomName('pm-group');
    await participant('pat', name, { enter: { mood: 'laptop' } });
    await new Promise((resolve) => setTimeout(resolve, 5));
    await participant('pat', name, { enter: { mood: 'phone' } });
    await participant('quinn', name, { enter: true });
    const people = recorder<UsePresenceMembersResult<readonly PresencePerson<Data>[]>>();
    renderStrict(
      inRoom(
        name,
        <Watch
          hook={() => usePresenceMembers<Data, 'clientId'>({ groupBy: 'clientId' })}
          into={people}
        />,
        'pat',
      ),
    );
    await vi.waitFor(() => expect(people.current?.status).toBe('ready'), { timeout: 5000 });
    expect(people.current?.count).toBe(2);
    const pat = people.current?.members.find((p) => p.clientId === 'pat');
    expect(pat?.connections).toHaveLength(2);
    expect(pat?.data).toEqual({ mood: 'phone' }); // the most recently updated connection
    expect(pat?.isSelf).toBe(true);
    expect(people.current?.members.find((p) => p.clientId === 'quinn')?.isSelf).toBe(false);
  });

  test('a selector with shallow re-renders only when the selection changes', async () => {
    const name = uniqueRoomName('pm-select');
    const { room } = await participant('rob', name, { enter: { mood: 'a' } });
    const seen = recorder<UsePresenceMembersResult<string[]>>();
    // The same store without a selector: it shows when the updates have arrived.
    const whole = recorder<UsePresenceMembersResult<readonly PresenceMember<Data>[]>>();
    renderStrict(
      inRoom(
        name,
        <>
          <Watch
            hook={() =>
              usePresenceMembers<Data, 'connection', string[]>({
                selector: (members) => members.map((m) => m.clientId),
                isEqual: shallow,
              })
            }
            into={seen}
          />
          <Watch hook={() => usePresenceMembers<Data>()} into={whole} />
        </>,
      ),
    );
    await vi.waitFor(() => expect(seen.current?.status).toBe('ready'), { timeout: 5000 });
    expect(seen.current?.members).toEqual(['rob']);
    const settled = seen.commits;
    const selected = seen.current?.members;
    await room.presence.update({ mood: 'b' });
    await room.presence.update({ mood: 'c' });
    // Both updates reached the hooks (and rendered the list without a selector) without changing
    // the selection.
    await vi.waitFor(() => expect(whole.current?.members[0]?.data).toEqual({ mood: 'c' }));
    expect(seen.commits).toBe(settled);
    expect(seen.current?.members).toBe(selected);
    const others = await crowd(name);
    await others.enter('sam');
    await vi.waitFor(() => expect(seen.current?.members).toEqual(['rob', 'sam']));
    expect(seen.commits).toBeGreaterThan(settled);
  });

  test('leftGraceMs keeps members who left, marked and not counted, then drops them', async () => {
    const name = uniqueRoomName('pm-grace');
    const { room } = await participant('tia', name, { enter: { mood: 'x' } });
    const seen = recorder<UsePresenceMembersResult<readonly PresenceMember<Data>[]>>();
    renderStrict(
      inRoom(
        name,
        <Watch hook={() => usePresenceMembers<Data>({ leftGraceMs: 600 })} into={seen} />,
      ),
    );
    await vi.waitFor(() => expect(seen.current?.members.map((m) => m.clientId)).toEqual(['tia']), {
      timeout: 5000,
    });
    await room.presence.leave();
    await vi.waitFor(() => expect(seen.current?.members[0]?.leftAt).toBeTypeOf('number'));
    expect(seen.current?.count).toBe(0);
    await vi.waitFor(() => expect(seen.current?.members).toEqual([]), { timeout: 3000 });
  });

  test('resyncs after the room detaches and reattaches', async () => {
    const name = uniqueRoomName('pm-resync');
    const me = await participant('me', name);
    const others = await crowd(name);
    await others.enter('uma');
    const seen = recorder<UsePresenceMembersResult<readonly PresenceMember<Data>[]>>();
    renderStrict(<Watch hook={() => usePresenceMembers<Data>({ room: me.room })} into={seen} />);
    await vi.waitFor(() => expect(seen.current?.members.map((m) => m.clientId)).toEqual(['uma']), {
      timeout: 5000,
    });
    await me.room.detach();
    await vi.waitFor(() => expect(seen.current?.status).toBe('stale'));
    // While we are detached, the room changes: no event reaches us.
    await others.leave('uma');
    await others.enter('vic');
    await me.room.attach();
    await vi.waitFor(() => expect(seen.current?.members.map((m) => m.clientId)).toEqual(['vic']));
    expect(seen.current?.status).toBe('ready');
  });

  test('leaves no SDK listener after unmount', async () => {
    const name = uniqueRoomName('pm-listeners');
    const { room } = await participant('me', name, { enter: true });
    const before = roomListeners(room);
    const view = renderStrict(
      <>
        <ListOf room={room} />
        <ListOf room={room} />
      </>,
    );
    await vi.waitFor(() => expect(screen.getAllByText('me')).toHaveLength(2), { timeout: 5000 });
    expect(roomListeners(room).presence).toBe(before.presence! + 1); // one shared subscription
    view.unmount();
    await vi.waitFor(() => expect(roomListeners(room)).toEqual(before));
  });

  test('a room with presence events off reports how to fix it', async () => {
    const name = uniqueRoomName('pm-off');
    const seen = recorder<UsePresenceMembersResult<readonly PresenceMember<Data>[]>>();
    renderStrict(
      <ChatClientProvider client={chatClient('me')}>
        <ChatRoomProvider name={name} options={{ presence: { enableEvents: false } }}>
          <Watch hook={() => usePresenceMembers<Data>()} into={seen} />
        </ChatRoomProvider>
      </ChatClientProvider>,
    );
    await vi.waitFor(() => expect(seen.current?.status).toBe('error'), { timeout: 5000 });
    expect(seen.current?.error?.code).toBe('presence_events_disabled');
    expect(seen.current?.error?.message).toMatch(/remove presence: \{ enableEvents: false \}/);
  });

  test('server rendering paints initialData', () => {
    const initialData: PresenceMember<Data>[] = [
      {
        key: 'c1:wes',
        clientId: 'wes',
        connectionId: 'c1',
        data: { mood: 'ssr' },
        extras: undefined,
        updatedAt: 1,
        isSelf: false,
        isCurrentConnection: false,
      },
    ];
    function Ssr() {
      const { members, status } = usePresenceMembers<Data>({ initialData });
      return <p>{`${status}:${members.map((m) => m.data?.mood).join(',')}`}</p>;
    }
    const html = renderToString(inRoom(uniqueRoomName('pm-ssr'), <Ssr />));
    expect(html).toContain('loading:ssr');
  });
});

function ListOf({ room }: { room: import('@ably/chat').Room }) {
  const { members } = usePresenceMembers({ room });
  return (
    <>
      {members.map((m) => (
        <span key={m.key}>{m.clientId}</span>
      ))}
    </>
  );
}
