import type { Room, RoomOptions } from '@ably/chat';
import { type ReactNode, useState } from 'react';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { userEvent } from 'vitest/browser';
import { render } from 'vitest-browser-react';

import { uniqueRoomName } from '@presencekit/test-utils';

import { expectNoAxeViolations } from '../../test/browser/axe';
import { closeLiveClients, createLiveClient } from '../../test/browser/live';
import { useOccupancy } from '../hooks/useOccupancy';
import { usePresence } from '../hooks/usePresence';
import { usePresenceMembers } from '../hooks/usePresenceMembers';
import { ChatClientProvider } from '../providers/ChatClientProvider';
import { ChatRoomProvider } from '../providers/ChatRoomProvider';
import { PresenceKitDevtools } from '.';

afterEach(closeLiveClients);

const withEvents: RoomOptions = { occupancy: { enableEvents: true } };

/** Another participant on its own connection, present in `room`. */
async function participant(clientId: string, room: string): Promise<Room> {
  const client = createLiveClient(clientId);
  const joined = await client.chat.rooms.get(room, withEvents);
  await joined.attach();
  await joined.presence.enter({ name: clientId });
  return joined;
}

/** Render calls per component of the app, counted in the body (StrictMode's double calls too). */
const renders = new Map<string, number>();
const countRender = (name: string) => renders.set(name, (renders.get(name) ?? 0) + 1);

function Members() {
  countRender('Members');
  const { members, status } = usePresenceMembers<{ name: string }>();
  return (
    <p data-testid="members" data-status={status}>
      {members.map((m) => m.clientId).join(',')}
    </p>
  );
}

function Me() {
  countRender('Me');
  const { status } = usePresence({ name: 'Alice' });
  return <p data-testid="me">{status}</p>;
}

function Watching() {
  countRender('Watching');
  const { connections, status } = useOccupancy();
  return (
    <p data-testid="watching" data-status={status}>
      {connections}
    </p>
  );
}

/** Mounts its children only once `show` is called: a parent whose state never touches the app. */
function Later({ children, show }: { children: ReactNode; show: (open: () => void) => void }) {
  const [shown, setShown] = useState(false);
  show(() => setShown(true));
  return shown ? children : null;
}

/** Events travel through the emulator: more than `vi.waitFor`'s default second on a busy machine. */
const WAIT = { timeout: 5000 };

const panel = () => document.querySelector<HTMLElement>('.pkdt-panel');
const roomSection = (name: string) =>
  document.querySelector<HTMLElement>(`.pkdt-room[data-room="${name}"]`);

describe('<PresenceKitDevtools> against the emulator (real ably + @ably/chat)', () => {
  test('lists the rooms, hooks, members and presence events of a tree; keyboard and axe', async () => {
    const lobby = uniqueRoomName('dt-lobby');
    const stage = uniqueRoomName('dt-stage');
    const alice = createLiveClient('alice');
    await participant('bob', lobby);
    const screen = await render(
      <ChatClientProvider client={alice.chat}>
        <ChatRoomProvider name={lobby} options={withEvents}>
          <Me />
          <Members />
          <Watching />
        </ChatRoomProvider>
        <ChatRoomProvider name={stage}>
          <Watching />
        </ChatRoomProvider>
        <PresenceKitDevtools />
      </ChatClientProvider>,
    );
    await expect
      .poll(() => screen.getByTestId('members').element().textContent, WAIT)
      .toBe('bob,alice');

    // Closed: only the toggle, which says how many rooms there are.
    const toggle = screen.getByRole('button', { name: /PresenceKit/ });
    await expect.element(toggle).toHaveAttribute('aria-expanded', 'false');
    await expect.element(toggle).toHaveAccessibleName('PresenceKit 2 rooms');
    expect(panel()).toBeNull();

    // Opened from the keyboard: focus moves into the panel.
    (toggle.element() as HTMLElement).focus();
    await userEvent.keyboard('{Enter}');
    await expect.element(toggle).toHaveAttribute('aria-expanded', 'true');
    await expect
      .element(screen.getByRole('heading', { name: 'PresenceKit devtools' }))
      .toHaveFocus();

    await vi.waitFor(() => {
      const section = roomSection(lobby);
      expect(section?.querySelector('.pkdt-badge')?.textContent).toBe('attached');
      const hooks = [...section!.querySelectorAll('tr[data-hook]')].map((row) =>
        row.getAttribute('data-hook'),
      );
      expect(hooks).toEqual(['usePresence()', 'usePresenceMembers()', 'useOccupancy()']);
      for (const cell of section!.querySelectorAll('td[data-renders]')) {
        expect(Number(cell.getAttribute('data-renders'))).toBeGreaterThan(0);
      }
      expect(section!.textContent).toContain('alice (you)');
      expect(section!.textContent).toContain('bob');
      expect(section!.textContent).toMatch(/You\s*present \(ready\)/);
      expect(section!.textContent).toMatch(/2 connections, 2 present/);
      // Bob entered before the devtools mounted; Alice's own enter came after.
      expect(section!.querySelector('.pkdt-events li[data-type="enter"]')?.textContent).toContain(
        'alice',
      );
    }, WAIT);
    expect(roomSection(stage)?.querySelector('tr[data-hook]')?.getAttribute('data-hook')).toBe(
      'useOccupancy()',
    );

    // A newcomer shows up in the members and in the events, newest first.
    await participant('carol', lobby);
    await vi.waitFor(() => {
      const section = roomSection(lobby)!;
      expect(section.querySelector('.pkdt-events li')?.textContent).toMatch(/enter carol/);
      expect(section.textContent).toContain('Members (3)');
    }, WAIT);

    await expectNoAxeViolations(panel()!);

    // Escape closes it and gives focus back to the toggle.
    await userEvent.keyboard('{Escape}');
    await expect.element(toggle).toHaveAttribute('aria-expanded', 'false');
    await expect.element(toggle).toHaveFocus();
    expect(panel()).toBeNull();
  });

  test("shows a room's error with its code and how-to-fix sentence (a capability refusal)", async () => {
    const allowed = uniqueRoomName('dt-allowed');
    const refused = uniqueRoomName('dt-refused');
    const client = createLiveClient('limited', { [`${allowed}::$chat`]: ['*'] });
    await render(
      <ChatClientProvider client={client.chat}>
        <ChatRoomProvider name={refused}>
          <Watching />
        </ChatRoomProvider>
        <PresenceKitDevtools initialIsOpen />
      </ChatClientProvider>,
    );
    await vi.waitFor(
      () => {
        const section = roomSection(refused);
        expect(section?.querySelector('.pkdt-badge')?.textContent).toBe('error');
        const error = section!.querySelector('.pkdt-error');
        expect(error?.getAttribute('data-code')).toBe('room_attach_failed');
        expect(error?.textContent).toContain(
          `Could not attach room "${refused}": check the client's capabilities for this channel`,
        );
        expect(error?.textContent).toMatch(/Ably 4016\d/);
      },
      { timeout: 10_000 },
    );
    await expectNoAxeViolations(panel()!);
  });

  test('"Resync" fetches the room again through the recovery path the stores already have', async () => {
    const lobby = uniqueRoomName('dt-resync');
    const alice = createLiveClient('alice');
    await participant('bob', lobby);
    const screen = await render(
      <ChatClientProvider client={alice.chat}>
        <ChatRoomProvider name={lobby} options={withEvents}>
          <Members />
          <Watching />
        </ChatRoomProvider>
        <PresenceKitDevtools initialIsOpen />
      </ChatClientProvider>,
    );
    await expect.poll(() => screen.getByTestId('members').element().textContent, WAIT).toBe('bob');
    // Both stores have their first data, so every fetch from here on is the resync's.
    await expect
      .poll(() => screen.getByTestId('watching').element().getAttribute('data-status'), WAIT)
      .toBe('ready');
    const room = await alice.chat.rooms.get(lobby, withEvents);
    // Observed, not replaced: the real SDK methods still run.
    const getPresence = vi.spyOn(room.presence, 'get');
    const getOccupancy = vi.spyOn(room.occupancy, 'get');

    await screen.getByRole('button', { name: `Resync ${lobby}` }).click();
    await expect.poll(() => getPresence.mock.calls.length, WAIT).toBe(1);
    await expect.poll(() => getOccupancy.mock.calls.length, WAIT).toBeGreaterThanOrEqual(1);
    await expect.poll(() => getPresence.mock.results[0]?.type).toBe('return');
    await expect.element(screen.getByTestId('members')).toHaveAttribute('data-status', 'ready');
    await expect.element(screen.getByTestId('members')).toHaveTextContent('bob');
  });

  test('counts renders without causing any: mounting and opening it re-renders no hook', async () => {
    const lobby = uniqueRoomName('dt-renders');
    const alice = createLiveClient('alice');
    await participant('bob', lobby);
    let showDevtools = () => {};
    const screen = await render(
      <ChatClientProvider client={alice.chat}>
        <ChatRoomProvider name={lobby} options={withEvents}>
          <Members />
          <Watching />
        </ChatRoomProvider>
        <Later show={(open) => (showDevtools = open)}>
          <PresenceKitDevtools initialIsOpen refreshMs={50} />
        </Later>
      </ChatClientProvider>,
    );
    await expect.poll(() => screen.getByTestId('members').element().textContent, WAIT).toBe('bob');
    await expect.element(screen.getByTestId('watching')).toHaveAttribute('data-status', 'ready');
    // Settled: nothing else is going to happen in the room.
    const before = new Map(renders);
    const appStyle = () => {
      const style = getComputedStyle(screen.getByTestId('members').element());
      return [style.font, style.color, style.margin, getComputedStyle(document.body).font];
    };
    const styleBefore = appStyle();

    showDevtools();
    // Let the panel read the rooms several times on its own schedule.
    const row = () =>
      roomSection(lobby)?.querySelector('tr[data-hook="usePresenceMembers()"] td[data-renders]');
    await vi.waitFor(() => expect(row()).toBeTruthy(), WAIT);
    const shown = Number(row()!.getAttribute('data-renders'));
    const ticks = Number(panel()?.dataset.ticks ?? 0);
    await expect.poll(() => Number(panel()?.dataset.ticks ?? 0), WAIT).toBeGreaterThan(ticks + 5);
    expect(renders.get('Members')).toBe(before.get('Members'));
    expect(renders.get('Watching')).toBe(before.get('Watching'));
    expect(Number(row()!.getAttribute('data-renders'))).toBe(shown);
    // Its styles stay inside it.
    expect(appStyle()).toEqual(styleBefore);

    // The count follows the hook's own renders: a newcomer re-renders the member list.
    await participant('carol', lobby);
    await expect
      .poll(() => screen.getByTestId('members').element().textContent, WAIT)
      .toBe('bob,carol');
    await expect
      .poll(() => Number(row()!.getAttribute('data-renders')), WAIT)
      .toBeGreaterThan(shown);
    expect(renders.get('Members')).toBeGreaterThan(before.get('Members')!);
  });

  test('follows a provider that switches rooms, without React warnings', async () => {
    const first = uniqueRoomName('dt-first');
    const second = uniqueRoomName('dt-second');
    const alice = createLiveClient('alice');
    const errors = vi.spyOn(console, 'error');
    let switchRoom = () => {};
    function Page({ onSwitch }: { onSwitch: (switchTo: () => void) => void }) {
      const [room, setRoom] = useState(first);
      onSwitch(() => setRoom(second));
      return (
        <ChatRoomProvider name={room}>
          <Watching />
        </ChatRoomProvider>
      );
    }
    await render(
      <ChatClientProvider client={alice.chat}>
        <Page onSwitch={(switchTo) => (switchRoom = switchTo)} />
        <PresenceKitDevtools initialIsOpen />
      </ChatClientProvider>,
    );
    await vi.waitFor(() => expect(roomSection(first)).toBeTruthy(), WAIT);
    switchRoom();
    await vi.waitFor(() => {
      expect(roomSection(second)?.querySelector('.pkdt-badge')?.textContent).toBe('attached');
      // The first room is released shortly after its last provider left.
      expect(roomSection(first)).toBeNull();
    }, WAIT);
    expect(errors).not.toHaveBeenCalled();
    errors.mockRestore();
  });
});
