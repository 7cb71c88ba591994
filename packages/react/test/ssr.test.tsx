// @vitest-environment node
import { renderToString } from 'react-dom/server';
import { expect, test } from 'vitest';

import {
  ChatClientProvider,
  ChatRoomProvider,
  useOccupancy,
  usePresence,
  usePresenceHistory,
  usePresenceMembers,
  useRoomsOccupancy,
} from '../src/hooks';
import { PresenceKitDevtools } from '../src/devtools';
import { chatClient } from './live';

// No DOM here: importing the hooks and rendering them on the server must neither touch `window`
// nor connect; every hook renders its explicit server snapshot.
test('every hook renders on a server without a DOM', () => {
  expect(typeof window).toBe('undefined');
  function Page() {
    const occupancy = useOccupancy({ initialData: { connections: 9, presenceMembers: 4 } });
    const members = usePresenceMembers();
    const self = usePresence({ name: 'server' });
    const history = usePresenceHistory();
    const lobby = useRoomsOccupancy(['a'], {
      initialData: { a: { connections: 3, presenceMembers: 1 } },
    });
    return (
      <p>
        {[
          `occ=${occupancy.connections}/${occupancy.status}`,
          `members=${members.members.length}/${members.status}`,
          `self=${String(self.isPresent)}/${self.status}`,
          `history=${history.events.length}/${history.status}`,
          `lobby=${lobby.rooms.a?.connections}/${lobby.status}`,
        ].join(' ')}
      </p>
    );
  }
  const client = chatClient('ssr', { autoConnect: false });
  const html = renderToString(
    <ChatClientProvider client={client}>
      <ChatRoomProvider name="ssr-room">
        <Page />
      </ChatRoomProvider>
    </ChatClientProvider>,
  );
  expect(html).toContain(
    'occ=9/loading members=0/loading self=false/loading history=0/loading lobby=3/loading',
  );
  expect(client.realtime.connection.state).toBe('initialized');
});

test('<PresenceKitDevtools> imports and renders on a server without a DOM or a connection', () => {
  expect(typeof window).toBe('undefined');
  const client = chatClient('ssr-devtools', { autoConnect: false });
  const html = renderToString(
    <ChatClientProvider client={client}>
      <ChatRoomProvider name="ssr-devtools-room">
        <PresenceKitDevtools initialIsOpen />
      </ChatRoomProvider>
    </ChatClientProvider>,
  );
  expect(html).toContain('PresenceKit devtools');
  expect(client.realtime.connection.state).toBe('initialized');
});
