import type * as Ably from 'ably';

import { PresenceKitError, toPresenceKitError } from './errors';
import type { OccupancyData } from './types';

/** The version of the Chat REST API `@ably/chat` 1.x speaks (its `ChatApi` sends the same). */
const CHAT_API_VERSION = 4;

/**
 * How many are in a chat room, over REST: the request `@ably/chat`'s `room.occupancy.get()` makes,
 * without attaching to anything. `client` is an `Ably.Rest`, or an `Ably.Realtime` (the same
 * `request`). Throws `occupancy_fetch_failed` when Ably refuses, cannot be reached or answers
 * with something that is not two counts (a number that is not a count would be painted as-is).
 *
 * @internal
 */
export async function requestOccupancy(
  client: Pick<Ably.Rest, 'request'>,
  room: string,
): Promise<OccupancyData> {
  const fix =
    process.env.NODE_ENV !== 'production'
      ? `Fetching the occupancy of room "${room}" failed: check that the API key is valid and allows channel-metadata on "${room}::$chat"`
      : undefined;
  let response: Ably.HttpPaginatedResponse<unknown>;
  try {
    response = await client.request(
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
  const { connections, presenceMembers } = (response.items[0] ?? {}) as Record<string, unknown>;
  if (isCount(connections) && isCount(presenceMembers)) return { connections, presenceMembers };
  throw new PresenceKitError(
    'occupancy_fetch_failed',
    process.env.NODE_ENV !== 'production'
      ? `The occupancy of room "${room}" is not two counts: check that the Ably client points at Ably ` +
          `or the PresenceKit emulator.`
      : undefined,
  );
}

function isCount(value: unknown): value is number {
  return Number.isInteger(value) && (value as number) >= 0;
}
