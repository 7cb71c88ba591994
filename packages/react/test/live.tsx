import { ChatClient, type Room, type RoomOptions } from '@ably/chat';
import { act, cleanup, render, type RenderResult } from '@testing-library/react';
import * as Ably from 'ably';
import { type ReactNode, StrictMode, useEffect } from 'react';
import { afterEach, inject, vi } from 'vitest';

import { closeRealtime, listenerCount, uniqueRoomName } from '@presencekit/test-utils';

/**
 * Shared helpers for the integration tests: real `ably` + `@ably/chat` clients talking to the
 * emulator started by `emulator-setup.ts`. Everything a test opens here is closed after it.
 */

const opened: Ably.Realtime[] = [];

afterEach(async () => {
  // Unmount first (Vitest globals are off, so Testing Library does not do it by itself).
  cleanup();
  // Let close frames go out before the next test.
  await Promise.all(opened.splice(0).map((realtime) => closeRealtime(realtime)));
});

/** Re-exported so a test file gets every live helper from one import. */
export { uniqueRoomName };

/** Options that point the real SDK at the emulator. */
export function emulatorOptions(extra: Ably.ClientOptions = {}): Ably.ClientOptions {
  const { host, port, key } = inject('emulator');
  return { endpoint: host, port, tls: false, key, ...extra };
}

/** A `ChatClient` on its own connection, closed after the test (`null`: no clientId). */
export function chatClient(clientId: string | null, extra: Ably.ClientOptions = {}): ChatClient {
  const realtime = new Ably.Realtime(
    emulatorOptions({ ...(clientId === null ? {} : { clientId }), ...extra }),
  );
  opened.push(realtime);
  return new ChatClient(realtime);
}

/** Another participant: its own client, the room attached, optionally entered in presence. */
export async function participant(
  clientId: string,
  roomName: string,
  { enter, options }: { enter?: Record<string, unknown> | true; options?: RoomOptions } = {},
): Promise<{ client: ChatClient; room: Room }> {
  const client = chatClient(clientId);
  const room = await client.rooms.get(roomName, options);
  await room.attach();
  if (enter) await room.presence.enter(enter === true ? undefined : (enter as never));
  return { client, room };
}

/** Renders under `<StrictMode>`, as every hook test must. */
export function renderStrict(ui: ReactNode): RenderResult {
  return render(<StrictMode>{ui}</StrictMode>);
}

/** Lets pending SDK callbacks and React updates run. */
export async function flush(ms = 0): Promise<void> {
  await act(async () => {
    await new Promise((resolve) => setTimeout(resolve, ms));
  });
}

/**
 * Every SDK-side listener attached to a room, by emitter (reads SDK internals on purpose: the point
 * is to prove that unmounting leaves nothing behind).
 */
export function roomListeners(room: Room): Record<string, number> {
  const r = room as unknown as {
    occupancy: { _emitter: unknown };
    presence: { _emitter: unknown; _stateEmitter: unknown };
    lifecycle: { _emitter: unknown };
    lifecycleManager: { _eventEmitter: unknown };
    channel: Ably.RealtimeChannel & {
      subscriptions: unknown;
      presence: { subscriptions: unknown };
      client: Ably.Realtime;
    };
  };
  return {
    occupancy: listenerCount(r.occupancy._emitter),
    presence: listenerCount(r.presence._emitter),
    presenceState: listenerCount(r.presence._stateEmitter),
    roomStatus: listenerCount(r.lifecycle._emitter),
    discontinuity: listenerCount(r.lifecycleManager._eventEmitter),
    channelState: listenerCount(r.channel),
    channelMessages: listenerCount(r.channel.subscriptions),
    channelPresence: listenerCount(r.channel.presence.subscriptions),
    connection: listenerCount(r.channel.client.connection),
  };
}

/**
 * A connection that enters many members at once (`enterClient` on the room's channel: one socket,
 * many clientIds), for rooms that are full before a component mounts or bursts of joins.
 */
export async function crowd(roomName: string): Promise<{
  enter: (clientId: string, data?: Record<string, unknown>) => Promise<void>;
  update: (clientId: string, data?: Record<string, unknown>) => Promise<void>;
  leave: (clientId: string) => Promise<void>;
  realtime: Ably.Realtime;
}> {
  const realtime = new Ably.Realtime(emulatorOptions());
  opened.push(realtime);
  const channel = realtime.channels.get(`${roomName}::$chat`);
  await channel.attach();
  return {
    enter: (clientId, data) => channel.presence.enterClient(clientId, data),
    update: (clientId, data) => channel.presence.updateClient(clientId, data),
    leave: (clientId) => channel.presence.leaveClient(clientId),
    realtime,
  };
}

/** What a {@link Watch} saw: the last committed value, every committed value, and how many. */
export interface Recorder<T> {
  current: T | undefined;
  readonly all: T[];
  commits: number;
  record(value: T): void;
}

export function recorder<T>(): Recorder<T> {
  const r: Recorder<T> = {
    current: undefined,
    all: [],
    commits: 0,
    record(value) {
      r.current = value;
      r.all.push(value);
      r.commits += 1;
    },
  };
  return r;
}

/**
 * Calls `hook` in a component and records each committed result (in an effect, so StrictMode's
 * extra render does not count). Renders nothing unless `render` is given.
 */
export function Watch<T>({
  hook,
  into,
  render,
}: {
  hook: () => T;
  into: Recorder<T>;
  render?: (value: T) => ReactNode;
}): ReactNode {
  const value = hook();
  useEffect(() => into.record(value));
  return render ? render(value) : null;
}

/**
 * Closes the client's WebSocket under it, as a network failure would: no DISCONNECT or CLOSE is
 * sent, the server keeps its members for the grace period, and the client reconnects and resumes.
 */
export function dropSocket(realtime: Ably.Realtime): string | undefined {
  const manager = (
    realtime.connection as unknown as {
      connectionManager: {
        activeProtocol: { getTransport(): { wsConnection?: { close(): void } } } | null;
      };
    }
  ).connectionManager;
  const socket = manager.activeProtocol?.getTransport().wsConnection;
  if (!socket) throw new Error('dropSocket: the client has no open WebSocket');
  const connectionId = realtime.connection.id;
  socket.close();
  return connectionId;
}

/** Every presence event a room sees, in order, as `action:clientId`. */
export function presenceEvents(room: Room): string[] {
  const events: string[] = [];
  room.presence.subscribe((event) => events.push(`${event.type}:${event.member.clientId}`));
  return events;
}

/**
 * Renders `ui` (under StrictMode) expecting it to throw during render, and returns what it threw;
 * React's console report of the error is silenced. Throws if nothing was thrown.
 */
export function renderError(ui: ReactNode): unknown {
  const silence = vi.spyOn(console, 'error').mockImplementation(() => {});
  try {
    renderStrict(ui);
  } catch (error) {
    return error;
  } finally {
    silence.mockRestore();
  }
  throw new Error('renderError: rendering did not throw');
}
