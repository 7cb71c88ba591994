import type { ChatClient } from '@ably/chat';
import { expect, test, vi } from 'vitest';

import { type RegistryRoom, publishRooms, registryRooms } from './registry-observer';
import { constantStore } from './store';

const room = (name: string): RegistryRoom => ({
  name,
  ...constantStore({ room: undefined, error: undefined }),
});

const settled = () => new Promise<void>((resolve) => queueMicrotask(resolve));

test('a client starts with no rooms; a publish with other rooms notifies, the same rooms do not', async () => {
  const client = {} as ChatClient;
  const store = registryRooms(client);
  expect(store.getSnapshot()).toEqual([]);
  const listener = vi.fn();
  store.subscribe(listener);
  const lobby = room('lobby');
  publishRooms(client, () => [lobby]);
  // Not during the caller's render: a microtask later.
  expect(store.getSnapshot()).toEqual([]);
  await settled();
  const snapshot = store.getSnapshot();
  expect(snapshot).toEqual([lobby]);
  publishRooms(client, () => new Set([lobby]).values());
  await settled();
  expect(store.getSnapshot()).toBe(snapshot);
  expect(listener).toHaveBeenCalledTimes(1);
  publishRooms(client, () => [room('stage')]);
  publishRooms(client, () => []);
  await settled();
  expect(store.getSnapshot()).toEqual([]);
  expect(listener).toHaveBeenCalledTimes(2);
  // Clients do not share their lists.
  expect(registryRooms({} as ChatClient).getSnapshot()).toEqual([]);
});
