import { ChatRoomProvider, ViewerCountView } from '@presencekit/react';
import { getOccupancy, getPresenceMembers, readClientId } from '@presencekit/react/server';
import { cookies } from 'next/headers';
import { notFound } from 'next/navigation';
import { Suspense } from 'react';

import { ablyRest } from '../../../lib/ably-server';
import { isRoom, type Profile, ROOM_OPTIONS } from '../../../lib/rooms';
import { JoinForm } from './JoinForm';
import { LiveCount } from './LiveCount';
import { RoomMembers } from './RoomMembers';

export const dynamic = 'force-dynamic';

/**
 * A room page whose viewer count and member list are in the server-rendered HTML: fetched here
 * over REST and handed, as promises, to Suspense hooks (`initialData`). The page does not wait
 * for them: its shell streams at once with the fallbacks, the count and the list stream in as
 * each fetch resolves, then stay live in the browser. This is a Server Component importing the
 * client entry (`@presencekit/react`) directly.
 */
export default async function RoomPage({ params }: { params: Promise<{ room: string }> }) {
  const { room } = await params;
  if (!isRoom(room)) notFound();

  const rest = ablyRest();
  // The visitor's client id, derived from the token route's cookie with the same key as the route,
  // so their own entries say "(you)" already. (The cookie itself is a secret, not the id.)
  const clientId = await readClientId(await cookies(), { key: process.env.ABLY_API_KEY });
  // Not awaited: each <Suspense> below streams its part once its fetch resolves.
  const occupancy = getOccupancy(rest, room);
  const members = getPresenceMembers<Profile>(rest, room, { clientId, maxMembers: 500 });

  return (
    <ChatRoomProvider name={room} options={ROOM_OPTIONS}>
      <main className="page room">
        <div className="room-header">
          <h1>#{room}</h1>
          <Suspense fallback={<ViewerCountView count={undefined} status="loading" />}>
            <LiveCount initialData={occupancy} />
          </Suspense>
        </div>
        <p className="room-note">
          The count and the list came with the HTML (fetched on the server over REST, streamed) and
          are now live: open this page in another browser and join.
        </p>
        <JoinForm />
        <h2>In the room</h2>
        <Suspense fallback={<p className="room-note">Loading who is here…</p>}>
          <RoomMembers initialData={members} />
        </Suspense>
      </main>
    </ChatRoomProvider>
  );
}
