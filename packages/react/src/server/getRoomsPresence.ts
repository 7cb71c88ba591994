import * as Ably from 'ably';

import { PresenceKitError, toPresenceKitError } from '../core/errors';
import type { PresenceMember } from '../core/types';
import { type ServerSchemaOptions, assertSchemaOptions, checkMembers } from './check-members';
import { assertRestClient, assertRoomNames, roomChannelName } from './room-channel';
import { toPresenceMember } from './to-presence-member';

/**
 * Options for {@link getRoomsPresence}.
 *
 * @typeParam TData - The data type, inferred from `schema` when there is one.
 */
export interface GetRoomsPresenceOptions<TData = unknown> extends ServerSchemaOptions<TData> {
  /** The visitor's own client id, so their entries come back with `isSelf: true`. */
  clientId?: string;
}

/**
 * The presence of one room in a {@link getRoomsPresence} answer: either its members or why they
 * could not be fetched (one room failing does not fail the others).
 *
 * @typeParam TData - The shape of the presence data your app enters with.
 */
export type RoomPresence<TData = unknown> =
  | { readonly members: PresenceMember<TData>[]; readonly error: undefined }
  | { readonly members: undefined; readonly error: PresenceKitError };

/** Rooms per batch request, so a long list stays well under URL and batch limits. */
const ROOMS_PER_REQUEST = 100;

/**
 * The members of several chat rooms in one REST round trip (Ably's batch presence), for lobby and
 * directory pages rendered on the server. Each room's answer stands alone: a room the key may
 * not read comes back with an `error`, the others with their `members`.
 *
 * Batch presence returns each room's presence set in one piece (no paging); for one very large
 * room use {@link getPresenceMembers}.
 *
 * @typeParam TData - The shape of the presence data your app enters with.
 * @param rest - An `Ably.Rest` client created on the server with your API key.
 * @param rooms - Chat room names. Duplicates are fetched once. Names containing a comma cannot
 *   be batched and come back with an `invalid_argument` error.
 * @returns One entry per distinct room name.
 * @throws {@link PresenceKitError} `invalid_argument` when `rest` or `rooms` is not usable,
 *   `presence_fetch_failed` when the whole request fails (bad key, Ably unreachable).
 *
 * @example
 * ```tsx
 * const presence = await getRoomsPresence<{ name: string }>(rest, ['lobby', 'stage']);
 * const lobbyCount = presence.lobby?.members?.length ?? 0;
 * ```
 * With `schema`, each room's members are checked as by {@link getPresenceMembers}.
 */
export async function getRoomsPresence<TData = unknown>(
  rest: Ably.Rest,
  rooms: readonly string[],
  options: GetRoomsPresenceOptions<TData> = {},
): Promise<Record<string, RoomPresence<TData>>> {
  assertRestClient(rest, 'getRoomsPresence');
  assertRoomNames(rooms, 'getRoomsPresence');
  assertSchemaOptions(options, 'getRoomsPresence');
  const names = [...new Set(rooms)];
  const commaError = (room: string): RoomPresence<TData> => ({
    members: undefined,
    error: new PresenceKitError(
      'invalid_argument',
      `Room "${room}" has a comma in its name, which Ably's batch presence cannot express: ` +
        `fetch it with getPresenceMembers instead.`,
    ),
  });
  const batchable = names.filter((room) => !room.includes(','));

  const chunks: string[][] = [];
  for (let i = 0; i < batchable.length; i += ROOMS_PER_REQUEST) {
    chunks.push(batchable.slice(i, i + ROOMS_PER_REQUEST));
  }
  const answers = await Promise.all(
    chunks.map(async (chunk) => {
      try {
        return await rest.batchPresence(chunk.map(roomChannelName));
      } catch (cause) {
        throw toPresenceKitError(
          cause,
          'presence_fetch_failed',
          `Fetching the members of rooms ${chunk.map((r) => `"${r}"`).join(', ')} failed: check ` +
            `that the API key is valid`,
        );
      }
    }),
  );

  const byChannel = new Map<string, unknown>();
  for (const answer of answers) {
    for (const entry of resultsOf(answer)) {
      const channel = (entry as { channel?: unknown } | null)?.channel;
      if (typeof channel === 'string') byChannel.set(channel, entry);
    }
  }
  const decoded = await Promise.all(
    names.map((room) =>
      room.includes(',')
        ? Promise.resolve(commaError(room))
        : toRoomPresence<TData>(byChannel.get(roomChannelName(room)), room, options),
    ),
  );
  // Keyed in the order asked, so what a page renders from it is deterministic.
  const result: Record<string, RoomPresence<TData>> = {};
  names.forEach((room, i) => (result[room] = decoded[i]!));
  return result;
}

/**
 * The per-channel results of a batch presence answer. ably-js returns the body as Ably sent it:
 * `{ successCount, failureCount, results }` since protocol version 3, a bare array of results
 * before; its typings say an array of the former. All three are accepted.
 */
function resultsOf(answer: unknown): unknown[] {
  const nested = (value: unknown): unknown[] | undefined => {
    const results = (value as { results?: unknown } | null)?.results;
    return Array.isArray(results) ? results : undefined;
  };
  if (Array.isArray(answer)) return (answer as unknown[]).flatMap((item) => nested(item) ?? [item]);
  return nested(answer) ?? [];
}

async function toRoomPresence<TData>(
  entry: unknown,
  room: string,
  options: GetRoomsPresenceOptions<TData>,
): Promise<RoomPresence<TData>> {
  const { presence, error } = (entry ?? {}) as { presence?: unknown; error?: unknown };
  if (Array.isArray(presence)) {
    try {
      // Batch presence items arrive encoded (numeric action, JSON data as a string): decode them
      // the way a channel would.
      const messages = await Ably.Rest.PresenceMessage.fromEncodedArray(presence);
      const members = messages.map((m) => toPresenceMember<TData>(m, options.clientId));
      return { members: await checkMembers(members, options), error: undefined };
    } catch (cause) {
      return {
        members: undefined,
        error: toPresenceKitError(
          cause,
          'presence_fetch_failed',
          `The members of room "${room}" could not be decoded`,
        ),
      };
    }
  }
  const fix =
    error === undefined
      ? `Ably's batch presence answer has no entry for room "${room}"`
      : `Fetching the members of room "${room}" failed: check that the API key allows subscribe on "${roomChannelName(room)}"`;
  return {
    members: undefined,
    error: toPresenceKitError(
      error ?? { message: 'missing from the answer' },
      'presence_fetch_failed',
      fix,
    ),
  };
}
