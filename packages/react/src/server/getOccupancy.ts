import type * as Ably from 'ably';

import { requestOccupancy } from '../core/request-occupancy';
import type { OccupancyData } from '../core/types';
import { assertRestClient, assertRoomName } from './room-channel';

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
  return requestOccupancy(rest, room);
}
