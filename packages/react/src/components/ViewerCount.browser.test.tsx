import '../styles/presencekit.css';

import type { RoomOptions } from '@ably/chat';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { render } from 'vitest-browser-react';

import { expectNoAxeViolations } from '../../test/browser/axe';
import { ErrorBoundary } from '../../test/browser/ErrorBoundary';
import { uniqueRoomName } from '@presencekit/test-utils';

import { closeLiveClients, createLiveClient } from '../../test/browser/live';
import { isPresenceKitError } from '../core/errors';
import { ChatClientProvider } from '../providers/ChatClientProvider';
import { ChatRoomProvider } from '../providers/ChatRoomProvider';
import { ViewerCount, type ViewerCountProps } from './ViewerCount';

afterEach(closeLiveClients);

const withEvents: RoomOptions = { occupancy: { enableEvents: true } };

/** Another participant: own connection, room attached, optionally entered in presence. */
async function participant(clientId: string, room: string, enter: boolean) {
  const client = createLiveClient(clientId);
  const r = await client.chat.rooms.get(room, withEvents);
  await r.attach();
  if (enter) await r.presence.enter({ name: clientId });
  return client;
}

function renderCount(room: string, props: ViewerCountProps) {
  const viewer = createLiveClient('viewer');
  return render(
    <ChatClientProvider client={viewer.chat}>
      <ChatRoomProvider name={room} options={withEvents}>
        <ViewerCount locale="en" {...props} />
      </ChatRoomProvider>
    </ChatClientProvider>,
  );
}

describe('<ViewerCount> live against the emulator (real ably + @ably/chat, token auth)', () => {
  test('counts presence members and follows enters and leaves', async () => {
    const room = uniqueRoomName('vc');
    const alice = await participant('alice', room, true);
    await participant('bob', room, true);
    const screen = await renderCount(room, { metric: 'presenceMembers', label: 'present' });
    const status = screen.getByRole('status');
    await expect.poll(() => status.element().getAttribute('aria-label')).toBe('2 present');
    await expect.element(status).toHaveAttribute('data-status', 'ready');
    await expect.element(status).toHaveAttribute('data-metric', 'presenceMembers');

    await participant('carol', room, true);
    await expect.poll(() => status.element().getAttribute('aria-label')).toBe('3 present');
    await alice.close();
    await expect
      .poll(() => status.element().getAttribute('aria-label'), { timeout: 5000 })
      .toBe('2 present');
    await expectNoAxeViolations(screen.container);
  });

  test('counts connections, including viewers not in presence', async () => {
    const room = uniqueRoomName('vc');
    await participant('lurker-1', room, false);
    await participant('lurker-2', room, false);
    const screen = await renderCount(room, {});
    // Two lurkers and this viewer.
    await expect
      .poll(() => screen.getByRole('status').element().getAttribute('aria-label'))
      .toBe('3 watching');
  });

  test("metric 'people' counts one person on two devices once", async () => {
    const room = uniqueRoomName('vc');
    await participant('dana', room, true);
    await participant('dana', room, true);
    await participant('eli', room, true);
    const screen = await renderCount(room, {
      metric: 'people',
      label: (_, plural) => (plural === 'one' ? 'person' : 'people'),
    });
    const status = screen.getByRole('status');
    await expect.poll(() => status.element().getAttribute('aria-label')).toBe('2 people');
    await expect.element(status).toHaveAttribute('data-metric', 'people');
  });

  test('outside a room provider it throws one sentence that says how to fix it', async () => {
    const viewer = createLiveClient('viewer');
    const onError = vi.fn();
    vi.spyOn(console, 'error').mockImplementation(() => {});
    await render(
      <ChatClientProvider client={viewer.chat}>
        <ErrorBoundary onError={onError}>
          <ViewerCount />
        </ErrorBoundary>
      </ChatClientProvider>,
    );
    await expect.poll(() => onError.mock.calls.length).toBeGreaterThan(0);
    const error: unknown = onError.mock.calls[0]?.[0];
    expect(isPresenceKitError(error) && error.code).toBe('missing_room_provider');
    expect((error as Error).message).toMatch(/<ChatRoomProvider name=/);
  });
});
