import { getRoomsOccupancy } from '@presencekit/react/server';

import { ablyRest } from '../lib/ably-server';
import { ROOMS } from '../lib/rooms';
import { RoomDirectory } from './RoomDirectory';

// Occupancy is per request, never cached at build time.
export const dynamic = 'force-dynamic';

/** The lobby: every room with its occupancy, in the HTML, then polled live in the browser. */
export default async function Home() {
  const { rooms } = await getRoomsOccupancy(ablyRest(), ROOMS);
  return (
    <main className="page">
      <h1>Rooms</h1>
      <RoomDirectory rooms={ROOMS} initialData={rooms} />
    </main>
  );
}
