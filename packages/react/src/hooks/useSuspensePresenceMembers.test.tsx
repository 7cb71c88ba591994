import { act, screen } from '@testing-library/react';
import { useEffect } from 'react';
import { describe, expect, test, vi } from 'vitest';

import { chatClient, participant, renderStrict, uniqueRoomName } from '../../test/live';
import { Suspended, suspenseLog } from '../../test/suspense';
import { isPresenceKitError } from '../core/errors';
import type { PresenceMember } from '../core/types';
import { ChatClientProvider } from '../providers/ChatClientProvider';
import { ChatRoomProvider } from '../providers/ChatRoomProvider';
import { useSuspensePresenceMembers } from './useSuspensePresenceMembers';

type Profile = { name: string };

function Names({
  initialData,
  statuses,
}: {
  initialData?: PromiseLike<readonly PresenceMember<Profile>[]>;
  statuses: string[];
}) {
  const { members, count, status } = useSuspensePresenceMembers<Profile>({
    groupBy: 'clientId',
    initialData,
  });
  const text = `${count}:${members.map((p) => p.data?.name ?? p.clientId).join(',')}`;
  useEffect(() => {
    statuses.push(status);
    shown.push(text);
  });
  return <output data-testid="names">{text}</output>;
}

/** Every list a `Names` committed, in order. */
const shown: string[] = [];
const names = () => screen.queryByTestId('names')?.textContent;

function inRoom(name: string, children: React.ReactNode, options?: object) {
  return (
    <ChatClientProvider client={chatClient('me')}>
      <ChatRoomProvider name={name} options={options}>
        {children}
      </ChatRoomProvider>
    </ChatClientProvider>
  );
}

describe('useSuspensePresenceMembers', () => {
  test('suspends until the presence set synced, then follows joins and leaves without suspending again', async () => {
    const name = uniqueRoomName('suspense-members');
    await participant('ada', name, { enter: { name: 'Ada' } });
    await participant('grace', name, { enter: { name: 'Grace' } });
    shown.length = 0;
    const boundary = suspenseLog();
    const statuses: string[] = [];
    renderStrict(
      inRoom(
        name,
        <Suspended log={boundary}>
          <Names statuses={statuses} />
        </Suspended>,
      ),
    );
    expect(screen.getByTestId('fallback')).toBeTruthy();

    // The whole synced set on the first render after the fallback, never a part of it.
    await vi.waitFor(() => expect(names()).toBe('2:Ada,Grace'), { timeout: 5000 });
    expect(shown[0]).toBe('2:Ada,Grace');
    const katherine = await participant('katherine', name, { enter: { name: 'Katherine' } });
    await vi.waitFor(() => expect(names()).toBe('3:Ada,Grace,Katherine'), { timeout: 5000 });
    await katherine.room.presence.leave();
    await vi.waitFor(() => expect(names()).toBe('2:Ada,Grace'), { timeout: 5000 });

    expect(boundary.fallbacks).toBe(1);
    expect(boundary.errors).toEqual([]);
    expect(statuses.every((s) => s === 'ready' || s === 'stale')).toBe(true);
  });

  test('a promised initialData is shown (stale) until the live list has synced', async () => {
    const name = uniqueRoomName('suspense-members-initial');
    await participant('ada', name, { enter: { name: 'Ada' } });
    let resolve!: (members: PresenceMember<Profile>[]) => void;
    const initialData = new Promise<PresenceMember<Profile>[]>((done) => (resolve = done));
    const boundary = suspenseLog();
    const statuses: string[] = [];
    renderStrict(
      inRoom(
        name,
        <Suspended log={boundary}>
          <Names initialData={initialData} statuses={statuses} />
        </Suspended>,
      ),
    );
    expect(screen.getByTestId('fallback')).toBeTruthy();
    await act(async () => {
      resolve([
        {
          key: 'c1:server',
          clientId: 'server',
          connectionId: 'c1',
          data: { name: 'From the server' },
          extras: undefined,
          updatedAt: 1,
          isSelf: false,
          isCurrentConnection: false,
        },
      ]);
      await initialData;
    });
    expect(statuses[0]).toBe('stale');
    await vi.waitFor(() => expect(names()).toBe('1:Ada'), { timeout: 5000 });
    expect(statuses.at(-1)).toBe('ready');
    expect(boundary.fallbacks).toBe(1);
  });

  test('presence events off: the error reaches the boundary after suspending', async () => {
    const name = uniqueRoomName('suspense-members-error');
    const boundary = suspenseLog();
    const silence = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      renderStrict(
        inRoom(
          name,
          <Suspended log={boundary}>
            <Names statuses={[]} />
          </Suspended>,
          { presence: { enableEvents: false } },
        ),
      );
      expect(screen.getByTestId('fallback')).toBeTruthy();
      await vi.waitFor(() => expect(boundary.errors.length).toBeGreaterThan(0), { timeout: 5000 });
    } finally {
      silence.mockRestore();
    }
    expect(isPresenceKitError(boundary.errors[0])).toBe(true);
    expect(boundary.errors[0]).toMatchObject({ code: 'presence_events_disabled' });
    expect(boundary.fallbacks).toBe(1);
  });
});
