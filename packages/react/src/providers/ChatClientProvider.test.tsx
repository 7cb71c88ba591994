import { describe, expect, test } from 'vitest';

import { chatClient, renderError } from '../../test/live';
import { isPresenceKitError } from '../core/errors';
import { usePresence } from '../hooks/usePresence';
import { ChatClientProvider } from './ChatClientProvider';
import { ChatRoomProvider } from './ChatRoomProvider';

function Hooked() {
  usePresence();
  return null;
}

/** What rendering `client` in the provider (with a room and a hook below) throws. */
function thrownFor(client: unknown): unknown {
  return renderError(
    <ChatClientProvider client={client as never}>
      <ChatRoomProvider name="x">
        <Hooked />
      </ChatRoomProvider>
    </ChatClientProvider>,
  );
}

describe('ChatClientProvider', () => {
  test.for([
    ['{}', {}, 'an object'],
    ['an Ably.Realtime', 'realtime', 'an object'],
    ['a string', 'my-key', '"my-key"'],
    ['a number', 42, '42'],
  ] as const)(
    'given %s instead of a ChatClient, throws invalid_argument saying to pass one',
    ([, value, shown]) => {
      const client = value === 'realtime' ? chatClient('me').realtime : value;
      const thrown = thrownFor(client);
      expect(isPresenceKitError(thrown) && thrown.code).toBe('invalid_argument');
      expect((thrown as Error).message).toBe(
        `<ChatClientProvider> got client: ${shown}: pass a ChatClient, e.g. new ChatClient(new Ably.Realtime({ authUrl })).`,
      );
    },
  );

  test('given no client, the provider below says the client is missing', () => {
    const thrown = thrownFor(undefined);
    expect(isPresenceKitError(thrown) && thrown.code).toBe('missing_client_provider');
  });
});
