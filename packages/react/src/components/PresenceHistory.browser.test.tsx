import '../styles/presencekit.css';

import { afterEach, describe, expect, test } from 'vitest';
import { userEvent } from 'vitest/browser';
import { render } from 'vitest-browser-react';

import { expectNoAxeViolations } from '../../test/browser/axe';
import { closeLiveClients, createLiveClient, uniqueRoom } from '../../test/browser/live';
import { ChatClientProvider } from '../providers/ChatClientProvider';
import { ChatRoomProvider } from '../providers/ChatRoomProvider';
import { PresenceHistory, type PresenceHistoryProps } from './PresenceHistory';

afterEach(closeLiveClients);

async function participant(clientId: string, room: string) {
  const client = createLiveClient(clientId);
  const r = await client.chat.rooms.get(room);
  await r.attach();
  return r;
}

function renderHistory(room: string, props: PresenceHistoryProps = {}) {
  const viewer = createLiveClient('viewer');
  return render(
    <ChatClientProvider client={viewer.chat}>
      <ChatRoomProvider name={room}>
        <PresenceHistory locale="en" {...props} />
      </ChatRoomProvider>
    </ChatClientProvider>,
  );
}

const texts = (root: Element) =>
  Array.from(root.querySelectorAll('.pk-presence-history__text')).map((t) => t.textContent);

describe('<PresenceHistory> live against the emulator (real ably + @ably/chat, token auth)', () => {
  test('shows past joins, leaves and updates, newest first, then live ones', async () => {
    const room = uniqueRoom('ph');
    const alice = await participant('alice', room);
    await alice.presence.enter({ name: 'Alice' });
    await alice.presence.update({ name: 'Alice', status: 'away' });
    const bob = await participant('bob', room);
    await bob.presence.enter({ name: 'Bob <img src=x>' });
    await bob.presence.leave();

    const screen = await renderHistory(room);
    const group = screen.getByRole('group', { name: 'Presence history' });
    await expect
      .poll(() => texts(group.element()))
      .toEqual([
        'Bob <img src=x> left',
        'Bob <img src=x> joined',
        'Alice updated their status',
        'Alice joined',
      ]);
    expect(group.element().querySelector('img[src="x"]')).toBeNull();
    expect(group.element().querySelector('time')?.textContent).toBe('now');

    const carol = await participant('carol', room);
    await carol.presence.enter({ name: 'Carol' });
    await expect.poll(() => texts(group.element())[0]).toBe('Carol joined');
    await expectNoAxeViolations(screen.container);
  });

  test('"load more" pages through older events', async () => {
    const room = uniqueRoom('ph');
    const dora = await participant('dora', room);
    for (let i = 0; i < 5; i++) await dora.presence.update({ name: 'Dora', step: i });

    const screen = await renderHistory(room, { limit: 2, live: false });
    const group = screen.getByRole('group');
    await expect.poll(() => group.element().querySelectorAll('li').length).toBe(2);
    const more = screen.getByRole('button', { name: 'Load more' });
    more.element().focus();
    await userEvent.keyboard('{Enter}');
    await expect.poll(() => group.element().querySelectorAll('li').length).toBe(4);
    await userEvent.keyboard('{Enter}');
    await expect.poll(() => group.element().querySelectorAll('li').length).toBe(5);
    // No more pages: the button is gone and focus stayed in the timeline.
    await expect.element(screen.getByRole('button')).not.toBeInTheDocument();
    await expect.element(screen.getByRole('list')).toHaveFocus();
  });
});
