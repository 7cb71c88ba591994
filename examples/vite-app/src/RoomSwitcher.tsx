import { useRoomsOccupancy } from '@presencekit/react';

import { ROOMS, type RoomName } from './rooms';

/** Every room with its live occupancy, without attaching to the rooms (REST, polled, shared). */
export function RoomSwitcher({
  current,
  onSelect,
}: {
  current: RoomName;
  onSelect: (room: RoomName) => void;
}) {
  const { rooms } = useRoomsOccupancy(ROOMS, { pollIntervalMs: 2000 });
  return (
    <nav className="demo-rooms" aria-label="Rooms">
      <h2>Rooms</h2>
      <ul>
        {ROOMS.map((name) => {
          const connections = rooms[name]?.connections;
          return (
            <li key={name}>
              <button
                type="button"
                aria-current={name === current ? 'page' : undefined}
                onClick={() => onSelect(name)}
                data-room={name}
              >
                <span>#{name}</span>
                <span
                  className="demo-room-occupancy"
                  aria-label={`${connections ?? 'unknown'} connected`}
                >
                  {connections ?? '…'}
                </span>
              </button>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
