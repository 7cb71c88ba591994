import '../styles/presencekit.css';

import { afterEach, describe, expect, test } from 'vitest';
import { render } from 'vitest-browser-react';
import { z } from 'zod';

import { uniqueRoomName } from '@presencekit/test-utils';

import { closeLiveClients, createLiveClient } from '../../test/browser/live';
import { presenceSchema } from '../core/presence-schema';
import type { InvalidPresenceData } from '../core/standard-schema';
import { ChatClientProvider } from '../providers/ChatClientProvider';
import { ChatRoomProvider } from '../providers/ChatRoomProvider';
import { PresenceHistory } from './PresenceHistory';
import { PresenceList } from './PresenceList';

afterEach(closeLiveClients);

const failures: InvalidPresenceData[] = [];
// Made once, outside the components, as the docs ask.
const Profile = presenceSchema(z.object({ name: z.string().min(1).max(40) }), {
  onInvalidData: (failure) => failures.push(failure),
});

async function participant(clientId: string, room: string, data: unknown) {
  const client = createLiveClient(clientId);
  const r = await client.chat.rooms.get(room);
  await r.attach();
  await r.presence.enter(data as never);
  return r;
}

function inRoom(room: string, children: React.ReactNode) {
  const viewer = createLiveClient('viewer');
  return (
    <ChatClientProvider client={viewer.chat}>
      <ChatRoomProvider name={room}>{children}</ChatRoomProvider>
    </ChatClientProvider>
  );
}

const names = (root: Element) =>
  Array.from(root.querySelectorAll('.pk-presence-list__name')).map((n) => n.textContent);
const texts = (root: Element) =>
  Array.from(root.querySelectorAll('.pk-presence-history__text')).map((t) => t.textContent);

describe('components with a schema, live against the emulator', () => {
  test('<PresenceList schema> leaves out invalid members; invalidData="flag" shows them by id', async () => {
    const room = uniqueRoomName('schema-list');
    await participant('alice', room, { name: 'Alice' });
    await participant('mallory', room, { name: 'x'.repeat(500) });

    const screen = await render(
      inRoom(
        room,
        <>
          <div data-testid="excluded">
            <PresenceList locale="en" variant="list" schema={Profile} />
          </div>
          <div data-testid="flagged">
            <PresenceList locale="en" variant="list" schema={Profile} invalidData="flag" />
          </div>
        </>,
      ),
    );

    await expect.poll(() => names(screen.getByTestId('excluded').element())).toEqual(['Alice']);
    await expect
      .poll(() => names(screen.getByTestId('flagged').element()).sort())
      .toEqual(['Alice', 'mallory']);
    expect(failures.filter((f) => f.clientId === 'mallory')).toHaveLength(1);
  });

  test('<PresenceHistory schema> leaves out events whose data fails', async () => {
    const room = uniqueRoomName('schema-history');
    const alice = await participant('alice', room, { name: 'Alice' });
    await alice.presence.update({ name: '' });
    await alice.presence.update({ name: 'Alice B' });

    const screen = await render(
      inRoom(room, <PresenceHistory locale="en" schema={Profile} direction="forwards" />),
    );

    const group = screen.getByRole('group', { name: 'Presence history' });
    await expect
      .poll(() => texts(group.element()))
      .toEqual(['Alice joined', 'Alice B updated their status']);
  });
});
