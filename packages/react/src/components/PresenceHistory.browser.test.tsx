import '../styles/presencekit.css';

import { afterEach, describe, expect, test } from 'vitest';
import { userEvent } from 'vitest/browser';
import { render } from 'vitest-browser-react';

import { expectNoAxeViolations } from '../../test/browser/axe';
import { uniqueRoomName } from '@presencekit/test-utils';

import { closeLiveClients, createLiveClient } from '../../test/browser/live';
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
    const room = uniqueRoomName('ph');
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
    const room = uniqueRoomName('ph');
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
    // No more pages: the button is gone and focus stayed in the timeline (its scroller).
    await expect.element(screen.getByRole('button')).not.toBeInTheDocument();
    const scroller = group.element().querySelector('.pk-presence-history__viewport');
    expect(document.activeElement).toBe(scroller);
  });

  test('a long live session keeps at most maxEvents, the newest, in a windowed timeline', async () => {
    const room = uniqueRoomName('ph');
    const eve = await participant('eve', room);
    await eve.presence.enter({ name: 'Eve', step: 0 });
    const screen = await renderHistory(room, { maxEvents: 60 });
    const group = screen.getByRole('group').element();
    await expect.poll(() => texts(group)).toEqual(['Eve joined']);
    for (let i = 1; i <= 150; i++) await eve.presence.update({ name: 'Eve', step: i });
    // Capped at 60 entries (the newest), of which only those in view are in the DOM.
    await expect.poll(() => group.querySelector('li')?.getAttribute('aria-setsize')).toBe('60');
    expect(group.querySelectorAll('li').length).toBeLessThanOrEqual(20);
    // At the bottom: the oldest kept is an update; the join was dropped.
    const scroller = group.querySelector<HTMLElement>('.pk-presence-history__viewport')!;
    scroller.scrollTop = scroller.scrollHeight;
    await expect
      .poll(() => group.querySelector('li:last-child')?.getAttribute('aria-posinset'))
      .toBe('60');
    expect(texts(group).at(-1)).toBe('Eve updated their status');
    expect(texts(group)).not.toContain('Eve joined');
    expect(group.querySelectorAll('li').length).toBeLessThanOrEqual(20);
    await expectNoAxeViolations(screen.container);
  });
});
