import { PresenceKitError } from '../core/errors';

/**
 * The Ably channel behind an `@ably/chat` room: chat keeps presence, occupancy and presence
 * history of room `lobby` on channel `lobby::$chat` (see `@ably/chat` `room.ts`).
 *
 * @internal
 */
export function roomChannelName(room: string): string {
  return `${room}::$chat`;
}

/**
 * Throws `invalid_argument` unless `room` is a non-empty string. `helper` names the caller so the
 * message points at the line to fix.
 *
 * @internal
 */
export function assertRoomName(room: unknown, helper: string): asserts room is string {
  if (typeof room !== 'string' || room.length === 0) {
    throw new PresenceKitError(
      'invalid_argument',
      `${helper} needs a room name (a non-empty string), got ${describe(room)}: pass the same name ` +
        `you give <ChatRoomProvider name="…">.`,
    );
  }
}

/**
 * Throws `invalid_argument` unless `rooms` is an array of room names.
 *
 * @internal
 */
export function assertRoomNames(rooms: unknown, helper: string): asserts rooms is string[] {
  if (!Array.isArray(rooms)) {
    throw new PresenceKitError(
      'invalid_argument',
      `${helper} needs an array of room names, got ${describe(rooms)}: pass for example ['lobby', 'stage'].`,
    );
  }
  for (const room of rooms) assertRoomName(room, helper);
}

/**
 * Throws `invalid_argument` unless `rest` looks like an `Ably.Rest` client: a common slip is
 * passing the API key string or a `ChatClient` instead.
 *
 * @internal
 */
export function assertRestClient(rest: unknown, helper: string): void {
  const candidate = rest as { request?: unknown; channels?: { get?: unknown } } | null;
  if (
    typeof candidate !== 'object' ||
    candidate === null ||
    typeof candidate.request !== 'function' ||
    typeof candidate.channels?.get !== 'function'
  ) {
    throw new PresenceKitError(
      'invalid_argument',
      `${helper} needs an Ably REST client as its first argument, got ${describe(rest)}: pass ` +
        `new Ably.Rest({ key: process.env.ABLY_API_KEY }) (created on the server only).`,
    );
  }
}

/** A short, secret-free description of a bad value for error messages. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return value.length === 0 ? 'an empty string' : 'a string';
  return typeof value === 'object' ? 'an object' : typeof value;
}
