import '../styles/presencekit.css';

import type { JsonObject } from '@ably/chat';
import { afterEach, beforeAll, describe, expect, inject, test } from 'vitest';
import { render } from 'vitest-browser-react';

import { expectNoAxeViolations } from '../../test/browser/axe';
import { uniqueRoomName } from '@presencekit/test-utils';

import { closeLiveClients, createLiveClient } from '../../test/browser/live';
import { requestsContaining, watchRequests } from '../../test/browser/seen-requests';
import { ChatClientProvider } from '../providers/ChatClientProvider';
import { ChatRoomProvider } from '../providers/ChatRoomProvider';
import { safeAvatarUrl } from './helpers/safe-avatar-url';
import { PresenceKitAvatarProvider } from './PresenceKitAvatarProvider';
import { PresenceList, type PresenceListProps } from './PresenceList';

beforeAll(watchRequests);
afterEach(closeLiveClients);

/** Another participant: own connection, room attached, entered with `data`. */
async function participant(clientId: string, room: string, data: JsonObject) {
  const client = createLiveClient(clientId);
  const r = await client.chat.rooms.get(room);
  await r.attach();
  await r.presence.enter(data);
  return { client, room: r };
}

function renderList(room: string, props: PresenceListProps = {}) {
  const viewer = createLiveClient('me');
  return render(
    <ChatClientProvider client={viewer.chat}>
      <ChatRoomProvider name={room}>
        <PresenceList locale="en" variant="list" {...props} />
      </ChatRoomProvider>
    </ChatClientProvider>,
  );
}

const names = (root: Element) =>
  Array.from(root.querySelectorAll('.pk-presence-list__name')).map((n) => n.textContent);

describe('<PresenceList> live against the emulator (real ably + @ably/chat, token auth)', () => {
  test('the local user first as "(you)", one row per person, data read safely', async () => {
    const room = uniqueRoomName('pl');
    await participant('alice', room, {
      name: 'Alice',
      status: 'away',
      avatar: 'javascript:alert(1)',
    });
    await participant('bob', room, { name: 'Bob' });
    await participant('bob', room, { name: 'Bob' });
    // The local user, present from another tab (same clientId as the viewer).
    await participant('me', room, { name: 'Me Myself' });
    const screen = await renderList(room);
    const group = screen.getByRole('group');
    await expect
      .poll(() => names(group.element()))
      .toEqual(['Me Myself (you)', 'Alice', 'Bob on 2 devices']);
    await expect.element(group).toHaveAccessibleName('3 people here');
    await expect.element(group).toHaveAttribute('data-status', 'ready');
    const alice = group.element().querySelectorAll('li')[1]!;
    expect(alice.getAttribute('data-status')).toBe('away');
    expect(alice.querySelector('img')).toBeNull();
    await expectNoAxeViolations(screen.container);
  });

  test('joins, status updates and leaves apply; leftGraceMs keeps leavers briefly', async () => {
    const room = uniqueRoomName('pl');
    const carol = await participant('carol', room, { name: 'Carol' });
    const screen = await renderList(room, { leftGraceMs: 60_000 });
    const root = () => screen.getByRole('group').element();
    await expect.poll(() => names(root())).toEqual(['Carol']);

    await participant('dave', room, { name: 'Dave <b>bold</b>' });
    await expect.poll(() => names(root())).toEqual(['Carol', 'Dave <b>bold</b>']);
    expect(root().querySelector('b')).toBeNull();

    await carol.room.presence.update({ name: 'Carol', status: 'busy' });
    await expect.poll(() => root().querySelector('li')?.getAttribute('data-status')).toBe('busy');

    await carol.room.presence.leave();
    await expect.poll(() => root().querySelector('li')?.getAttribute('data-status')).toBe('left');
    await expect.element(screen.getByRole('group')).toHaveAccessibleName('1 person here');
  });

  test('simulated visitors: the emulator serves their avatars on loopback, so they are refused unless the app allows its emulator', async () => {
    const { simulatedRoom, endpoint, port } = inject('browserEmulator');
    const origin = `http://${endpoint}:${port}`;
    // Their presence data, read with the SDK: each avatar is the emulator's http URL.
    const reader = createLiveClient('avatar-reader');
    const readerRoom = await reader.chat.rooms.get(simulatedRoom);
    await readerRoom.attach();
    const members = await readerRoom.presence.get();
    expect(members.length).toBeGreaterThan(0);
    const avatars = members
      .map((m) => (m.data as { avatar?: unknown } | undefined)?.avatar)
      .filter((a) => a !== undefined);
    expect(avatars.length).toBeGreaterThan(0);
    for (const avatar of avatars) {
      expect(typeof avatar === 'string' && avatar.startsWith(`${origin}/avatars/`)).toBe(true);
      expect(avatar).toMatch(/\/avatars\/sim-simulated-lobby-\d+\.svg$/);
      // A loopback address: any member could point everyone's browser at it.
      expect(safeAvatarUrl(avatar)).toBeUndefined();
    }
    const slotsOf = (root: Element) => Array.from(root.querySelectorAll('.pk-avatar'));

    // By default: initials for everyone, and nothing fetched from the emulator's avatar route.
    const refused = await renderList(simulatedRoom, { variant: 'stack', max: 20 });
    const refusedGroup = refused.getByRole('group').element();
    await expect.poll(() => slotsOf(refusedGroup).length).toBeGreaterThan(3);
    expect(slotsOf(refusedGroup).every((slot) => slot.hasAttribute('data-fallback'))).toBe(true);
    expect(refusedGroup.querySelector('img')).toBeNull();
    expect(await requestsContaining('/avatars/sim-simulated-lobby-')).toEqual([]);
    await refused.unmount();

    // The app allows its own emulator, once for every component, and keeps the rule for the rest.
    const allowEmulator = (url: string) =>
      new URL(url).origin === origin ? url : safeAvatarUrl(url);
    const viewer = createLiveClient('me');
    const screen = await render(
      <ChatClientProvider client={viewer.chat}>
        <ChatRoomProvider name={simulatedRoom}>
          <PresenceKitAvatarProvider avatarUrl={allowEmulator}>
            <PresenceList locale="en" max={20} />
          </PresenceKitAvatarProvider>
        </ChatRoomProvider>
      </ChatClientProvider>,
    );
    const group = screen.getByRole('group');
    await expect.poll(() => slotsOf(group.element()).length).toBeGreaterThan(3);
    // Images where there is an avatar (decoded by Chromium), initials where there is none.
    await expect
      .poll(() =>
        slotsOf(group.element()).every((slot) => {
          const img = slot.querySelector('img');
          if (!img) return slot.hasAttribute('data-fallback');
          return img.complete && img.naturalWidth > 0 && img.src.startsWith(`${origin}/avatars/`);
        }),
      )
      .toBe(true);
    expect(group.element().querySelectorAll('img').length).toBeGreaterThan(0);
    expect(group.element().querySelector('img[src^="data:"]')).toBeNull();
    await expectNoAxeViolations(screen.container);
  });
});
