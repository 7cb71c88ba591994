import type * as Ably from 'ably';

import type { PresenceKitError } from '../core/errors';
import type { OccupancyData } from '../core/types';
import { getOccupancy } from './getOccupancy';
import { assertRestClient, assertRoomNames } from './room-channel';

/** What {@link getRoomsOccupancy} resolves to. */
export interface RoomsOccupancy {
  /**
   * Occupancy of every room that answered, by room name: pass it as
   * `useRoomsOccupancy(names, { initialData: result.rooms })`.
   */
  readonly rooms: Record<string, OccupancyData>;
  /** Why a room is missing from `rooms`, by room name. Empty when all answered. */
  readonly errors: Record<string, PresenceKitError>;
}

/** Requests in flight at once, so a directory of 500 rooms does not open 500 sockets. */
const CONCURRENCY = 8;

/**
 * Occupancy of several chat rooms over REST, for lobby and directory pages rendered on the
 * server. One room failing does not fail the others: it is listed in `errors` instead.
 *
 * @param rest - An `Ably.Rest` client created on the server with your API key.
 * @param rooms - Chat room names; duplicates are fetched once.
 * @throws {@link PresenceKitError} `invalid_argument` when `rest` or `rooms` is not usable.
 *
 * @example
 * ```tsx
 * const { rooms } = await getRoomsOccupancy(rest, ['lobby', 'stage']);
 * return <RoomDirectory initialData={rooms} />; // a client component calling useRoomsOccupancy
 * ```
 */
export async function getRoomsOccupancy(
  rest: Ably.Rest,
  rooms: readonly string[],
): Promise<RoomsOccupancy> {
  assertRestClient(rest, 'getRoomsOccupancy');
  assertRoomNames(rooms, 'getRoomsOccupancy');
  const names = [...new Set(rooms)];
  const answers = new Map<string, OccupancyData | PresenceKitError>();
  const queue = [...names];
  const worker = async (): Promise<void> => {
    for (let room = queue.shift(); room !== undefined; room = queue.shift()) {
      answers.set(room, await getOccupancy(rest, room).catch((error: PresenceKitError) => error));
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, names.length) }, worker));
  // Built in the order asked, not the order answered, so renders are deterministic.
  const result: RoomsOccupancy = { rooms: {}, errors: {} };
  for (const room of names) {
    const answer = answers.get(room);
    if (answer instanceof Error) result.errors[room] = answer;
    else if (answer) result.rooms[room] = answer;
  }
  return result;
}
