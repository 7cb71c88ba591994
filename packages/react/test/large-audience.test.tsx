import type { JsonObject } from '@ably/chat';
import { screen } from '@testing-library/react';
import { useEffect } from 'react';
import { describe, expect, test, vi } from 'vitest';

import { PresenceList } from '../src/components/PresenceList';
import { ViewerCount } from '../src/components/ViewerCount';
import {
  ChatClientProvider,
  ChatRoomProvider,
  type UsePresenceResult,
  type UsePresenceMembersResult,
  type PresenceMember,
  useOccupancy,
  usePresence,
  usePresenceMembers,
} from '../src/hooks';
import { type Recorder, Watch, chatClient, recorder, renderStrict, uniqueRoomName } from './live';
import { emulator as dedicatedEmulator } from './server/emulator';

const EVENTS = { occupancy: { enableEvents: true } };

/** The large-audience recipe: a count of connections, the list, "+N others", the user's presence. */
function Audience({ into }: { into: Recorder<UsePresenceResult> }) {
  const { connections } = useOccupancy();
  const self = usePresence<JsonObject>({ name: 'Me' });
  useEffect(() => into.record(self));
  return (
    <>
      <ViewerCount locale="en" data-testid="count" />
      <PresenceList locale="en" max={5} total={connections} data-testid="list" />
    </>
  );
}

describe("a room past Ably's default presence limit (200)", () => {
  test('the 201st member is refused with presence_limit_reached; the list keeps 200 and the count every connection', async () => {
    const e = await dedicatedEmulator();
    const name = uniqueRoomName('large-audience');
    // 200 members from one server-side connection (enterClient), as a bot or backend would.
    const crowd = chatClient(null, e.clientOptions({ logLevel: 0 })).realtime.channels.get(
      `${name}::$chat`,
    );
    await crowd.attach();
    await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        crowd.presence.enterClient(`fan-${i}`, { name: `Fan ${i}` }),
      ),
    );
    // The 201st, straight from the SDK: Ably's 91003.
    const late = await chatClient('late', e.clientOptions({ logLevel: 0 })).rooms.get(name, EVENTS);
    await late.attach();
    await expect(late.presence.enter({ name: 'Late' })).rejects.toMatchObject({ code: 91003 });

    const self = recorder<UsePresenceResult>();
    const listed = recorder<UsePresenceMembersResult<readonly PresenceMember[]>>();
    renderStrict(
      <ChatClientProvider client={chatClient('me', e.clientOptions({ logLevel: 0 }))}>
        <ChatRoomProvider name={name} options={EVENTS}>
          <Audience into={self} />
          <Watch hook={() => usePresenceMembers()} into={listed} />
        </ChatRoomProvider>
      </ChatClientProvider>,
    );

    await vi.waitFor(() => expect(self.current?.error?.code).toBe('presence_limit_reached'), {
      timeout: 10_000,
    });
    expect(self.current).toMatchObject({ status: 'error', isPresent: false });
    expect(self.current?.error?.ablyCode).toBe(91003);
    expect(self.current?.error?.message).toMatch(/useOccupancy\(\) or <ViewerCount>/);

    // The list: the 200 members there are, whole; the count: every connection (crowd, late, me).
    await vi.waitFor(() => expect(listed.current?.members).toHaveLength(200), { timeout: 10_000 });
    expect(listed.current?.status).toBe('ready');
    expect(e.channel(`${name}::$chat`).metrics).toMatchObject({
      connections: 3,
      presenceMembers: 200,
    });
    await vi.waitFor(() =>
      expect(screen.getByTestId('count').getAttribute('aria-label')).toBe('3 watching'),
    );
    const list = screen.getByTestId('list');
    expect(list.getAttribute('aria-label')).toBe('200 people here');
    expect(list.dataset.status).toBe('ready');
    // Five avatars and "+195" for the rest.
    expect(list.querySelectorAll('.pk-avatar')).toHaveLength(5);
    expect(screen.getByRole('button', { name: /195/ })).toBeTruthy();
  });
});
