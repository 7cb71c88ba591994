'use client';

import type { OccupancyData } from '@presencekit/react';
import { useRoomsOccupancy } from '@presencekit/react';
import Link from 'next/link';

/** Room links with live occupancy (REST, polled), starting from the server's numbers. */
export function RoomDirectory({
  rooms,
  initialData,
}: {
  rooms: readonly string[];
  initialData: Record<string, OccupancyData>;
}) {
  const { rooms: occupancy } = useRoomsOccupancy(rooms, { initialData, pollIntervalMs: 5000 });
  return (
    <ul className="room-directory">
      {rooms.map((room) => (
        <li key={room}>
          <Link href={`/rooms/${room}`}>#{room}</Link>
          <span
            data-room-occupancy={room}
          >{`${occupancy[room]?.connections ?? '…'} connected`}</span>
        </li>
      ))}
    </ul>
  );
}
