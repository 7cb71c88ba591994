import { ChatClient, type ChatClientOptions, type Room, type RoomOptions } from '@ably/chat';
import * as Ably from 'ably';
import { type ReactNode, useEffect, useState } from 'react';

import { ChatClientProvider } from '../providers/ChatClientProvider';
import { ChatRoomProvider } from '../providers/ChatRoomProvider';

/**
 * Where an emulator listens. A running `Emulator` from `@presencekit/ably-emulator` is one; so is
 * the `{ host, port, key }` a Vitest `globalSetup` passes to tests with `provide`/`inject`.
 */
export interface EmulatorEndpoint {
  readonly host: string;
  readonly port: number;
  readonly key: string;
}

/** Options of {@link createTestChatClient}. */
export interface TestChatClientOptions {
  /**
   * The user this client acts as; `null` for an anonymous client.
   * @defaultValue `'test-user'`
   */
  clientId?: string | null;
  /** More `ably` client options (they win over the emulator defaults). */
  ably?: Ably.ClientOptions;
  /** `@ably/chat` client options. */
  chat?: ChatClientOptions;
}

/**
 * A real `ChatClient` connected to an emulator: the SDK your app uses, no mocks, no network
 * beyond loopback. Close it with `client.realtime.close()` when the test ends.
 *
 * @example
 * ```ts
 * const emulator = await startEmulator(); // from @presencekit/ably-emulator
 * const client = createTestChatClient(emulator, { clientId: 'ada' });
 * ```
 */
export function createTestChatClient(
  emulator: EmulatorEndpoint,
  options: TestChatClientOptions = {},
): ChatClient {
  const { clientId = 'test-user', ably, chat } = options;
  const realtime = new Ably.Realtime({
    endpoint: emulator.host,
    port: emulator.port,
    tls: false,
    key: emulator.key,
    ...(clientId === null ? {} : { clientId }),
    ...ably,
  });
  return new ChatClient(realtime, chat);
}

/** What {@link createTestRoom} resolves to. */
export interface TestRoom {
  readonly client: ChatClient;
  /** The room, attached (and entered in presence when `enter` was given). */
  readonly room: Room;
  /** Releases the room and closes the client's connection. */
  close(): Promise<void>;
}

/** Options of {@link createTestRoom}. */
export interface TestRoomOptions extends TestChatClientOptions {
  /** Room options (for example `{ occupancy: { enableEvents: true } }`). */
  options?: RoomOptions;
  /** Enter presence with this data once attached (`true`: without data). */
  enter?: Record<string, unknown> | true;
}

/**
 * Another participant for your test, on its own connection: gets the room, attaches it and
 * optionally enters presence. Useful to populate a room before rendering, or to join, update and
 * leave while a component is on screen.
 *
 * @example
 * ```ts
 * const bob = await createTestRoom(emulator, 'lobby', { clientId: 'bob', enter: { name: 'Bob' } });
 * // ... render and assert ...
 * await bob.close();
 * ```
 */
export async function createTestRoom(
  emulator: EmulatorEndpoint,
  name: string,
  options: TestRoomOptions = {},
): Promise<TestRoom> {
  const client = createTestChatClient(emulator, options);
  try {
    const room = await client.rooms.get(name, options.options);
    await room.attach();
    if (options.enter) {
      await room.presence.enter(options.enter === true ? undefined : (options.enter as never));
    }
    return {
      client,
      room,
      close: async () => {
        await client.rooms.release(name);
        await closeRealtime(client.realtime);
      },
    };
  } catch (error) {
    await closeRealtime(client.realtime);
    throw error;
  }
}

function closeRealtime(realtime: Ably.Realtime): Promise<void> {
  return new Promise((resolve) => {
    const state = realtime.connection.state;
    if (state === 'closed' || state === 'failed' || state === 'initialized') {
      realtime.close();
      resolve();
      return;
    }
    const onState = (): void => {
      if (realtime.connection.state === 'closed' || realtime.connection.state === 'failed') {
        realtime.connection.off(onState);
        resolve();
      }
    };
    realtime.connection.on(onState);
    realtime.close();
  });
}

/**
 * Connects on mount and closes on unmount, one macrotask later: StrictMode's unmount-and-remount
 * keeps the same connection instead of closing it under the rooms that use it.
 */
class TestSession {
  private closeTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(readonly client: ChatClient) {}

  open(): () => void {
    if (this.closeTimer !== undefined) clearTimeout(this.closeTimer);
    this.closeTimer = undefined;
    this.client.realtime.connect();
    return () => {
      this.closeTimer = setTimeout(() => {
        this.closeTimer = undefined;
        void this.client.dispose().finally(() => this.client.realtime.close());
      }, 0);
    };
  }
}

/** Props for {@link TestPresenceProvider}. */
export interface TestPresenceProviderProps extends TestChatClientOptions {
  /** The emulator to connect to. */
  emulator: EmulatorEndpoint;
  /** The room name. */
  room: string;
  /** Room options. */
  options?: RoomOptions;
  children?: ReactNode;
}

/**
 * `<ChatClientProvider>` and `<ChatRoomProvider>` wired to an emulator, for rendering your own
 * components in tests exactly as they run in the app. The client connects on mount and is
 * closed after unmount.
 *
 * @example
 * ```tsx
 * render(
 *   <TestPresenceProvider emulator={emulator} clientId="ada" room="lobby">
 *     <WhoIsHere />
 *   </TestPresenceProvider>,
 * );
 * ```
 */
export function TestPresenceProvider({
  emulator,
  room,
  options,
  children,
  clientId,
  ably,
  chat,
}: TestPresenceProviderProps): ReactNode {
  // Creating a client that does not connect yet is free of side effects; the props are read once
  // (give the provider a `key` to start over with other ones).
  const [session] = useState(
    () =>
      new TestSession(
        createTestChatClient(emulator, { clientId, chat, ably: { ...ably, autoConnect: false } }),
      ),
  );
  useEffect(() => session.open(), [session]);
  const client = session.client;
  return (
    <ChatClientProvider client={client}>
      <ChatRoomProvider name={room} options={options}>
        {children}
      </ChatRoomProvider>
    </ChatClientProvider>
  );
}
