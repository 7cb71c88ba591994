/** The rooms of this example. */
export const ROOMS = ['lobby', 'stage', 'backstage'] as const;

/** Room options shared by every `<ChatRoomProvider>` of this app: live occupancy events. */
export const ROOM_OPTIONS = { occupancy: { enableEvents: true } };

/** What this app enters presence with. */
export interface Profile {
  name: string;
  status: 'online' | 'away' | 'busy';
}

/** `true` for one of {@link ROOMS}. */
export function isRoom(name: string): name is (typeof ROOMS)[number] {
  return (ROOMS as readonly string[]).includes(name);
}
