// @vitest-environment node
import { ChatClient, LogLevel } from '@ably/chat';
import * as Ably from 'ably';
import { renderToString } from 'react-dom/server';
import { afterAll, describe, expect, test } from 'vitest';

import { FIXTURE_NOW, makeHistory, makePeople, person } from '../../test/fixtures/presence';
import type { PresenceMember } from '../core/types';
import { ChatClientProvider } from '../providers/ChatClientProvider';
import { ChatRoomProvider } from '../providers/ChatRoomProvider';
import { PresenceHistoryView } from './PresenceHistoryView';
import { PresenceList } from './PresenceList';
import { PresenceListView } from './PresenceListView';
import { ViewerCount } from './ViewerCount';
import { ViewerCountView } from './ViewerCountView';

// Server rendering in plain Node (no DOM): components must render to HTML without touching
// window or document, and the connected ones must paint `initialData`, not a placeholder.

const realtime = new Ably.Realtime({
  key: 'server.render:secret',
  clientId: 'me',
  autoConnect: false,
  logLevel: 0,
});
const client = new ChatClient(realtime, { logLevel: LogLevel.Silent });
afterAll(() => realtime.close());

describe('server rendering', () => {
  test('ViewerCountView: compact text and the exact accessible name', () => {
    const html = renderToString(<ViewerCountView count={1234} locale="en" />);
    expect(html).toContain('aria-label="1,234 watching"');
    expect(html).toContain('1.2K');
    expect(html).toContain('data-status="ready"');
  });

  test('PresenceListView: the first window of rows, with positions out of the total', () => {
    const html = renderToString(
      <PresenceListView members={makePeople(10_000)} variant="list" locale="en" />,
    );
    expect(html).toContain('aria-label="10,000 people here"');
    expect(html).toContain('aria-setsize="10000"');
    // 320 px / 44 px rows, plus overscan: a handful of rows, not ten thousand.
    expect(html.match(/<li /g)?.length).toBeLessThanOrEqual(16);
  });

  test('PresenceHistoryView with a fixed clock', () => {
    const html = renderToString(
      <PresenceHistoryView events={makeHistory(3)} now={FIXTURE_NOW} locale="en" />,
    );
    expect(html).toContain('<time');
    expect(html).toContain('now');
  });

  test('ViewerCount paints initialData on the server, never a placeholder', () => {
    const html = renderToString(
      <ChatClientProvider client={client}>
        <ChatRoomProvider name="ssr-room">
          <ViewerCount locale="en" initialData={{ connections: 42, presenceMembers: 7 }} />
        </ChatRoomProvider>
      </ChatClientProvider>,
    );
    expect(html).toContain('aria-label="42 watching"');
  });

  test('PresenceList paints initialData on the server, the local user first', () => {
    const members: PresenceMember[] = [
      person('ada', { name: 'Ada' }).connections[0]!,
      { ...person('me', { name: 'Me' }).connections[0]!, isSelf: true },
    ].map((m) => ({ ...m, data: m.data as never }));
    const html = renderToString(
      <ChatClientProvider client={client}>
        <ChatRoomProvider name="ssr-room">
          <PresenceList locale="en" variant="list" initialData={members} />
        </ChatRoomProvider>
      </ChatClientProvider>,
    );
    expect(html).toMatch(/<bdi>Me<\/bdi>.*\(you\).*<bdi>Ada<\/bdi>/);
  });
});
