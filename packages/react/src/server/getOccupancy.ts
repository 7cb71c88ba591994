import type * as Ably from 'ably';

import { PresenceKitError, toPresenceKitError } from '../core/errors';
import type { OccupancyData } from '../core/types';
import { assertRestClient, assertRoomName } from './room-channel';

/** The version of the Chat REST API `@ably/chat` 1.x speaks (its `ChatApi` sends the same). */
const CHAT_API_VERSION = 4;

/**
 * How many are in a chat room right now, fetched over REST: the same request `@ably/chat`'s
 * `room.occupancy.get()` makes, without attaching to anything. Use it in a Server Component or
 * route handler and pass the result to `useOccupancy({ initialData })` or
 * `<ViewerCount initialData>` so the first HTML already holds the right number.
 *
 * The key behind `rest` needs the `channel-metadata` capability on `<room>::$chat`.
 *
 * @param rest - An `Ably.Rest` client created on the server with your API key.
 * @param room - The chat room name, as given to `<ChatRoomProvider name>`.
 * @returns `{ connections, presenceMembers }`.
 * @throws {@link PresenceKitError} `invalid_argument` for a bad argument, `occupancy_fetch_failed`
 *   when Ably refuses or cannot be reached (`ablyCode`/`statusCode` say why).
 *
 * @example
 * ```tsx
 * // app/rooms/[room]/page.tsx (a Server Component)
 * const occupancy = await getOccupancy(rest, room);
 * return <ViewerCount initialData={occupancy} />;
 * ```
 */
export async function getOccupancy(rest: Ably.Rest, room: string): Promise<OccupancyData> {
  assertRestClient(rest, 'getOccupancy');
  assertRoomName(room, 'getOccupancy');
  const fix = `Fetching the occupancy of room "${room}" failed: check that the API key is valid and allows channel-metadata on "${room}::$chat"`;
  let response: Ably.HttpPaginatedResponse<unknown>;
  try {
    response = await rest.request(
      'GET',
      `/chat/v${CHAT_API_VERSION}/rooms/${encodeURIComponent(room)}/occupancy`,
      CHAT_API_VERSION,
      null,
      null,
      null,
    );
  } catch (cause) {
    throw toPresenceKitError(cause, 'occupancy_fetch_failed', fix);
  }
  if (!response.success) {
    throw toPresenceKitError(
      {
        code: response.errorCode,
        statusCode: response.statusCode,
        message: response.errorMessage || `HTTP ${response.statusCode}`,
      },
      'occupancy_fetch_failed',
      fix,
    );
  }
  return parseOccupancy(response.items[0], room);
}

/** Validates the body: a number that is not a count would be painted as-is. */
function parseOccupancy(body: unknown, room: string): OccupancyData {
  const { connections, presenceMembers } = (body ?? {}) as Record<string, unknown>;
  if (isCount(connections) && isCount(presenceMembers)) return { connections, presenceMembers };
  throw new PresenceKitError(
    'occupancy_fetch_failed',
    `The occupancy of room "${room}" came back malformed (expected { connections, presenceMembers } ` +
      `as counts): check that the Ably client points at Ably or the PresenceKit emulator.`,
  );
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}
