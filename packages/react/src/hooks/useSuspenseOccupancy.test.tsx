import { act, screen } from '@testing-library/react';
import { useEffect } from 'react';
import { describe, expect, test, vi } from 'vitest';

import { chatClient, participant, renderStrict, uniqueRoomName } from '../../test/live';
import { Suspended, suspenseLog } from '../../test/suspense';
import { isPresenceKitError } from '../core/errors';
import type { OccupancyData } from '../core/types';
import { ChatClientProvider } from '../providers/ChatClientProvider';
import { ChatRoomProvider } from '../providers/ChatRoomProvider';
import {
  type UseSuspenseOccupancyOptions,
  type UseSuspenseOccupancyResult,
  useSuspenseOccupancy,
} from './useSuspenseOccupancy';

const EVENTS = { occupancy: { enableEvents: true } };

function Count({
  log,
  ...options
}: UseSuspenseOccupancyOptions & { log: UseSuspenseOccupancyResult[] }) {
  const result = useSuspenseOccupancy(options);
  useEffect(() => void log.push(result));
  return (
    <output data-testid="count" data-status={result.status}>
      {`${result.connections}/${result.presenceMembers}`}
    </output>
  );
}

const count = () => screen.queryByTestId('count')?.textContent;

describe('useSuspenseOccupancy', () => {
  test('suspends until the first count, then follows the room without suspending again', async () => {
    const name = uniqueRoomName('suspense-occ');
    await participant('alice', name, { enter: true, options: EVENTS });
    const boundary = suspenseLog();
    const log: UseSuspenseOccupancyResult[] = [];
    renderStrict(
      <ChatClientProvider client={chatClient('me')}>
        <ChatRoomProvider name={name} options={EVENTS}>
          <Suspended log={boundary}>
            <Count log={log} />
          </Suspended>
        </ChatRoomProvider>
      </ChatClientProvider>,
    );
    expect(screen.getByTestId('fallback')).toBeTruthy();
    expect(count()).toBeUndefined();

    await vi.waitFor(() => expect(count()).toBe('2/1'), { timeout: 5000 });
    // Live updates: two more viewers, one of them entering presence.
    await participant('bob', name, { options: EVENTS });
    await participant('carol', name, { enter: true, options: EVENTS });
    await vi.waitFor(() => expect(count()).toBe('4/2'), { timeout: 5000 });

    expect(boundary.fallbacks).toBe(1);
    expect(boundary.errors).toEqual([]);
    // Every committed result had numbers: Suspense replaced the loading state.
    expect(log.length).toBeGreaterThan(1);
    for (const result of log) {
      expect(typeof result.connections).toBe('number');
      expect(['ready', 'stale']).toContain(result.status);
    }
  });

  test('without occupancy events: suspends until the first REST fetch, then polls', async () => {
    const name = uniqueRoomName('suspense-occ-poll');
    await participant('alice', name);
    const boundary = suspenseLog();
    renderStrict(
      <ChatClientProvider client={chatClient('me')}>
        <ChatRoomProvider name={name}>
          <Suspended log={boundary}>
            <Count log={[]} />
          </Suspended>
        </ChatRoomProvider>
      </ChatClientProvider>,
    );
    expect(screen.getByTestId('fallback')).toBeTruthy();
    await vi.waitFor(() => expect(count()).toMatch(/^[12]\/0$/), { timeout: 5000 });
    expect(boundary.fallbacks).toBe(1);
  });

  test('a promised initialData: suspends until it settles, shows it, then goes live', async () => {
    const name = uniqueRoomName('suspense-occ-initial');
    let resolve!: (data: OccupancyData) => void;
    const initialData = new Promise<OccupancyData>((done) => (resolve = done));
    const boundary = suspenseLog();
    const log: UseSuspenseOccupancyResult[] = [];
    renderStrict(
      <ChatClientProvider client={chatClient('me')}>
        {/* Not attached: the first live value is the REST fetch that starts once it commits. */}
        <ChatRoomProvider name={name} options={EVENTS} attach={false}>
          <Suspended log={boundary}>
            <Count log={log} initialData={initialData} />
          </Suspended>
        </ChatRoomProvider>
      </ChatClientProvider>,
    );
    expect(screen.getByTestId('fallback')).toBeTruthy();
    await act(async () => {
      resolve({ connections: 41, presenceMembers: 7 });
      await initialData;
    });
    expect(log[0]).toMatchObject({ connections: 41, presenceMembers: 7, status: 'stale' });
    // Then the room's own numbers: nobody attached.
    await vi.waitFor(() => expect(count()).toBe('0/0'), { timeout: 5000 });
    expect(screen.getByTestId('count').dataset.status).toBe('ready');
    expect(boundary.fallbacks).toBe(1);
  });

  test('an error reaches the nearest error boundary as a PresenceKitError', async () => {
    const name = uniqueRoomName('suspense-occ-error');
    const boundary = suspenseLog();
    const silence = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      renderStrict(
        <ChatClientProvider client={chatClient('me')}>
          {/* Events asked of a room that has them off. */}
          <ChatRoomProvider name={name}>
            <Suspended log={boundary}>
              <Count log={[]} updates="events" />
            </Suspended>
          </ChatRoomProvider>
        </ChatClientProvider>,
      );
      await vi.waitFor(() => expect(boundary.errors.length).toBeGreaterThan(0), { timeout: 5000 });
    } finally {
      silence.mockRestore();
    }
    const [error] = boundary.errors;
    expect(isPresenceKitError(error)).toBe(true);
    expect(error).toMatchObject({ code: 'occupancy_events_disabled' });
    expect(screen.getByText('render failed')).toBeTruthy();
  });

  test('a rejected initialData promise reaches the error boundary with a code', async () => {
    const name = uniqueRoomName('suspense-occ-rejected');
    const boundary = suspenseLog();
    const initialData = Promise.reject(new Error('REST down'));
    const silence = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      renderStrict(
        <ChatClientProvider client={chatClient('me')}>
          <ChatRoomProvider name={name}>
            <Suspended log={boundary}>
              <Count log={[]} initialData={initialData} />
            </Suspended>
          </ChatRoomProvider>
        </ChatClientProvider>,
      );
      await vi.waitFor(() => expect(boundary.errors.length).toBeGreaterThan(0));
    } finally {
      silence.mockRestore();
    }
    expect(boundary.errors[0]).toMatchObject({ code: 'occupancy_fetch_failed' });
    expect((boundary.errors[0] as Error).message).toContain('REST down');
  });
});
