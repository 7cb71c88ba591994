import type { ChatClient, Room } from '@ably/chat';
import {
  ChatClientProvider as OfficialClientProvider,
  ChatRoomProvider as OfficialRoomProvider,
} from '@ably/chat/react';
import { act, screen } from '@testing-library/react';
import * as Ably from 'ably';
import { useEffect, useState } from 'react';
import { describe, expect, test, vi } from 'vitest';

import {
  Watch,
  chatClient,
  dropSocket,
  emulatorOptions,
  participant,
  presenceEvents,
  recorder,
  renderError,
  renderStrict,
  roomListeners,
  uniqueRoomName,
} from '../../test/live';
import { emulator as dedicatedEmulator } from '../../test/server/emulator';
import { PresenceList } from '../components/PresenceList';
import type { PresenceMember } from '../core/types';
import { isPresenceKitError } from '../core/errors';
import { ChatClientProvider } from '../providers/ChatClientProvider';
import { ChatRoomProvider } from '../providers/ChatRoomProvider';
import { type UsePresenceResult, usePresence } from './usePresence';
import { type UsePresenceMembersResult, usePresenceMembers } from './usePresenceMembers';

type Data = { mood: string };

/** Members the observer sees, as `clientId:mood`. */
async function seenBy(room: Room): Promise<string[]> {
  const members = await room.presence.get();
  return members.map((m) => `${m.clientId}:${(m.data as Data | undefined)?.mood ?? ''}`).sort();
}

function inRoom(client: ChatClient, name: string, children: React.ReactNode) {
  return (
    <ChatClientProvider client={client}>
      <ChatRoomProvider name={name}>{children}</ChatRoomProvider>
    </ChatClientProvider>
  );
}

describe('usePresence', () => {
  test('enters on mount, updates by value, leaves on unmount, without StrictMode churn', async () => {
    const name = uniqueRoomName('self');
    const observer = await participant('observer', name);
    const events = presenceEvents(observer.room);
    const seen = recorder<UsePresenceResult<Data>>();
    let setMood: (mood: string) => void = () => {};
    function Me() {
      const [mood, set] = useState('hello');
      setMood = set;
      const result = usePresence<Data>({ mood });
      useEffect(() => seen.record(result));
      return null;
    }

    const view = renderStrict(inRoom(chatClient('me'), name, <Me />));
    await vi.waitFor(() => expect(seen.current?.isPresent).toBe(true), { timeout: 5000 });
    expect(seen.current?.status).toBe('ready');
    await vi.waitFor(async () => expect(await seenBy(observer.room)).toEqual(['me:hello']));

    act(() => setMood('hello')); // same value: nothing to send
    act(() => setMood('busy'));
    await vi.waitFor(async () => expect(await seenBy(observer.room)).toEqual(['me:busy']));

    view.unmount();
    await vi.waitFor(async () => expect(await seenBy(observer.room)).toEqual([]));
    // StrictMode mounted everything twice: still one enter, one update, one leave.
    expect(events).toEqual(['enter:me', 'update:me', 'leave:me']);
  });

  test('several components in one room: one enter, and one leave after the last', async () => {
    const name = uniqueRoomName('self-shared');
    const observer = await participant('observer', name);
    const events = presenceEvents(observer.room);
    let setShown: (n: number) => void = () => {};
    function Many() {
      const [shown, set] = useState(2);
      setShown = set;
      return (
        <>
          {Array.from({ length: shown }, (_, i) => (
            <One key={i} />
          ))}
        </>
      );
    }
    function One() {
      const { isPresent } = usePresence({ mood: 'x' });
      return <i>{isPresent ? 'in' : 'out'}</i>;
    }
    renderStrict(inRoom(chatClient('me'), name, <Many />));
    await vi.waitFor(() => expect(screen.getAllByText('in')).toHaveLength(2), { timeout: 5000 });
    act(() => setShown(1));
    await vi.waitFor(async () => expect(await seenBy(observer.room)).toEqual(['me:x']));
    act(() => setShown(0));
    await vi.waitFor(async () => expect(await seenBy(observer.room)).toEqual([]));
    expect(events).toEqual(['enter:me', 'leave:me']);
  });

  test('stays present across a dropped connection and its resume', async () => {
    const name = uniqueRoomName('self-drop');
    const observer = await participant('observer', name);
    const events = presenceEvents(observer.room);
    const client = chatClient('me');
    const seen = recorder<UsePresenceResult<Data>>();
    renderStrict(
      inRoom(client, name, <Watch hook={() => usePresence({ mood: 'on' })} into={seen} />),
    );
    await vi.waitFor(() => expect(seen.current?.isPresent).toBe(true), { timeout: 5000 });
    const connectionId = client.realtime.connection.id;

    const states: string[] = [];
    client.realtime.connection.on((change) => states.push(change.current));
    dropSocket(client.realtime);
    await vi.waitFor(() => expect(states).toContain('connected'), { timeout: 10_000 });
    console.log(
      states,
      seen.all.map((r) => `${r.status}:${r.isPresent}`),
    );
    await vi.waitFor(() => expect(seen.current?.status).toBe('ready'));
    expect(client.realtime.connection.id).toBe(connectionId); // resumed
    // Shown as stale while the connection was down, and present all along.
    const afterEnter = seen.all.slice(seen.all.findIndex((r) => r.isPresent));
    expect(afterEnter.map((r) => r.status)).toContain('stale');
    expect(afterEnter.every((r) => r.isPresent)).toBe(true);
    expect(await seenBy(observer.room)).toEqual(['me:on']);
    expect(events).toEqual(['enter:me']); // never left
  });

  test('is present again when the connection could not be resumed', async () => {
    const name = uniqueRoomName('self-noresume');
    const observer = await participant('observer', name);
    const client = chatClient('me');
    const seen = recorder<UsePresenceResult<Data>>();
    renderStrict(
      inRoom(client, name, <Watch hook={() => usePresence({ mood: 'new' })} into={seen} />),
    );
    await vi.waitFor(() => expect(seen.current?.isPresent).toBe(true), { timeout: 5000 });
    const before = client.realtime.connection.id;
    // An unknown connection key: the server cannot resume and hands out a new connection.
    (
      client.realtime.connection as unknown as { connectionManager: { connectionKey: string } }
    ).connectionManager.connectionKey = 'unknown!key';
    dropSocket(client.realtime);
    await vi.waitFor(() => expect(client.realtime.connection.id).not.toBe(before), {
      timeout: 10_000,
    });
    const now = client.realtime.connection.id;
    await vi.waitFor(
      async () => {
        const members = await observer.room.presence.get();
        expect(members.map((m) => `${m.clientId}@${m.connectionId}`)).toEqual([`me@${now}`]);
      },
      { timeout: 5000 },
    );
    await vi.waitFor(() => expect(seen.current?.status).toBe('ready'));
    expect(seen.current?.isPresent).toBe(true);
  });

  test('re-enters after the room was detached and attached again', async () => {
    const name = uniqueRoomName('self-detach');
    const observer = await participant('observer', name);
    const me = await participant('me', name);
    const seen = recorder<UsePresenceResult<Data>>();
    renderStrict(
      <Watch hook={() => usePresence({ mood: 'back' }, { room: me.room })} into={seen} />,
    );
    await vi.waitFor(() => expect(seen.current?.isPresent).toBe(true), { timeout: 5000 });
    await me.room.detach(); // the server drops our member; ably-js does not re-enter by itself
    await vi.waitFor(async () => expect(await seenBy(observer.room)).toEqual([]));
    expect(seen.current?.isPresent).toBe(false);
    await me.room.attach();
    await vi.waitFor(async () => expect(await seenBy(observer.room)).toEqual(['me:back']));
    await vi.waitFor(() => expect(seen.current?.isPresent).toBe(true));
  });

  test('autoEnter: false enters and leaves on demand; an explicit leave is not undone', async () => {
    const name = uniqueRoomName('self-manual');
    const observer = await participant('observer', name);
    const seen = recorder<UsePresenceResult<Data>>();
    renderStrict(
      inRoom(
        chatClient('me'),
        name,
        <Watch hook={() => usePresence<Data>(undefined, { autoEnter: false })} into={seen} />,
      ),
    );
    await vi.waitFor(() => expect(seen.current?.status).toBe('ready'), { timeout: 5000 });
    expect(seen.current?.isPresent).toBe(false);
    await act(() => seen.current!.enter({ mood: 'manual' }));
    await vi.waitFor(async () => expect(await seenBy(observer.room)).toEqual(['me:manual']));
    await act(() => seen.current!.leave());
    await vi.waitFor(() => expect(seen.current?.isPresent).toBe(false));
    expect(await seenBy(observer.room)).toEqual([]);
  });

  test('works under the official @ably/chat/react providers, with the member list', async () => {
    const name = uniqueRoomName('self-official');
    const observer = await participant('observer', name);
    function Me() {
      const { isPresent } = usePresence({ mood: 'official' });
      const { members } = usePresenceMembers();
      return (
        <p data-testid="me">{`${String(isPresent)}:${members.map((m) => m.clientId).join(',')}`}</p>
      );
    }
    renderStrict(
      <OfficialClientProvider client={chatClient('me')}>
        <OfficialRoomProvider name={name}>
          <Me />
        </OfficialRoomProvider>
      </OfficialClientProvider>,
    );
    await vi.waitFor(() => expect(screen.getByTestId('me').textContent).toBe('true:me'), {
      timeout: 5000,
    });
    expect(await seenBy(observer.room)).toEqual(['me:official']);
  });

  test('a wrong autoEnter type from JavaScript throws invalid_argument in development, and nothing is entered', async () => {
    const name = uniqueRoomName('self-auto-enter');
    const client = chatClient('me');
    const thrown = renderError(
      inRoom(
        client,
        name,
        <Watch
          hook={() => usePresence<Data>({ mood: 'x' }, { autoEnter: 'yes' as never })}
          into={recorder()}
        />,
      ),
    );
    expect(isPresenceKitError(thrown) && thrown.code).toBe('invalid_argument');
    expect((thrown as Error).message).toBe(
      'usePresence() got autoEnter: "yes": pass true or false.',
    );
    // Nothing was entered: the server has nobody in the room's presence set.
    const rest = new Ably.Rest(emulatorOptions({ logLevel: 0 }));
    expect((await rest.channels.get(`${name}::$chat`).presence.get()).items).toEqual([]);
  });

  test('a failed enter surfaces in error', async () => {
    const name = uniqueRoomName('self-error');
    // No clientId: Ably refuses presence for an anonymous client.
    const seen = recorder<UsePresenceResult<Data>>();
    renderStrict(
      inRoom(chatClient(null), name, <Watch hook={() => usePresence({ mood: 'x' })} into={seen} />),
    );
    await vi.waitFor(() => expect(seen.current?.status).toBe('error'), { timeout: 5000 });
    expect(seen.current?.error?.code).toBe('presence_enter_failed');
    expect(seen.current?.error?.message).toMatch(
      /^Could not enter presence: check that the client has a clientId/,
    );
    expect(seen.current?.isPresent).toBe(false);
  });

  test('leaves no SDK listener after unmount', async () => {
    const name = uniqueRoomName('self-listeners');
    const me = await participant('me', name);
    const before = roomListeners(me.room);
    const seen = recorder<UsePresenceResult<Data>>();
    const view = renderStrict(
      <Watch hook={() => usePresence({ mood: 'x' }, { room: me.room })} into={seen} />,
    );
    await vi.waitFor(() => expect(seen.current?.isPresent).toBe(true), { timeout: 5000 });
    view.unmount();
    await vi.waitFor(() => expect(roomListeners(me.room)).toEqual(before));
    await vi.waitFor(async () => expect(await me.room.presence.get()).toEqual([]));
  });
});

describe('usePresence in a full room', () => {
  test("a room at Ably's presence limit: presence_limit_reached, and the lists still show who is there", async () => {
    // Ably allows 200 members per channel; an emulator of our own keeps the room small.
    const e = await dedicatedEmulator({ maxPresenceMembers: 2 });
    const name = uniqueRoomName('self-full');
    const [, bob] = await Promise.all(
      ['ann', 'bob'].map(async (clientId) => {
        const room = await chatClient(clientId, e.clientOptions()).rooms.get(name);
        await room.attach();
        await room.presence.enter({ name: clientId.toUpperCase() });
        return room;
      }),
    );
    const seen = recorder<UsePresenceResult<{ name: string }>>();
    const listed = recorder<UsePresenceMembersResult<readonly PresenceMember[]>>();
    renderStrict(
      inRoom(
        chatClient('me', e.clientOptions()),
        name,
        <>
          <Watch hook={() => usePresence({ name: 'ME' })} into={seen} />
          <Watch hook={() => usePresenceMembers()} into={listed} />
          <PresenceList locale="en" variant="list" />
        </>,
      ),
    );
    await vi.waitFor(() => expect(seen.current?.status).toBe('error'), { timeout: 5000 });
    expect(seen.current?.error).toMatchObject({ code: 'presence_limit_reached', ablyCode: 91003 });
    expect(seen.current?.error?.message).toMatch(/useOccupancy\(\) or <ViewerCount>/);
    expect(seen.current?.isPresent).toBe(false);
    await vi.waitFor(() =>
      expect(listed.current?.members.map((m) => m.clientId).sort()).toEqual(['ann', 'bob']),
    );
    expect(listed.current?.status).toBe('ready');
    expect(screen.getByText('ANN')).toBeTruthy();
    expect(screen.getByText('BOB')).toBeTruthy();
    expect(e.channel(`${name}::$chat`).metrics.presenceMembers).toBe(2);

    // The app keeps working: the lists follow the room, and once there is room, enter() works.
    await bob!.presence.leave();
    await vi.waitFor(() => expect(listed.current?.members.map((m) => m.clientId)).toEqual(['ann']));
    await vi.waitFor(() => expect(screen.queryByText('BOB')).toBeNull());
    await act(() => seen.current!.enter());
    await vi.waitFor(() => expect(seen.current?.isPresent).toBe(true));
    expect(seen.current?.status).toBe('ready');
    expect(seen.current?.error).toBeUndefined();
    await vi.waitFor(() =>
      expect(listed.current?.members.map((m) => m.clientId).sort()).toEqual(['ann', 'me']),
    );
  });
});

describe('usePresence over a slow network', () => {
  test('50 ms each way: leaves on detach, re-enters on reattach, no ghost and nobody missing', async () => {
    // Every frame and REST call of these clients waits 50 ms each way: the re-entry races its
    // own reattach, the SYNC and the presence echoes, as on a real network.
    const e = await dedicatedEmulator({ latencyMs: 50 });
    const name = uniqueRoomName('self-latency');
    const myClient = chatClient('me', e.clientOptions());
    const room = async (client: ChatClient) => {
      const joined = await client.rooms.get(name);
      await joined.attach();
      return joined;
    };
    const [observer, me] = await Promise.all([
      room(chatClient('observer', e.clientOptions())),
      room(myClient),
    ]);
    const seen = recorder<UsePresenceResult<Data>>();
    const listed = recorder<UsePresenceMembersResult<readonly PresenceMember<Data>[]>>();
    renderStrict(
      <>
        <Watch hook={() => usePresence({ mood: 'back' }, { room: me })} into={seen} />
        <Watch hook={() => usePresenceMembers<Data>({ room: observer })} into={listed} />
      </>,
    );
    const members = () => listed.current?.members.map((m) => `${m.clientId}:${m.data?.mood}`);
    await vi.waitFor(() => expect(seen.current?.isPresent).toBe(true), { timeout: 5000 });
    await vi.waitFor(() => expect(members()).toEqual(['me:back']), { timeout: 5000 });

    await me.detach();
    await vi.waitFor(() => expect(members()).toEqual([]), { timeout: 5000 });
    expect(seen.current?.isPresent).toBe(false);
    await me.attach();
    await vi.waitFor(() => expect(members()).toEqual(['me:back']), { timeout: 5000 });
    await vi.waitFor(() => expect(seen.current?.isPresent).toBe(true));
    expect(seen.current?.status).toBe('ready');
    // One member on the server too, on the current connection.
    const server = e.channel(`${name}::$chat`).members;
    expect(server.map((m) => m.connectionId)).toEqual([myClient.realtime.connection.id]);
  });
});
