import type { RoomOptions } from '@ably/chat';
import { ChatRoomProvider } from '@ably/chat/react';
import { PresenceHistory, PresenceList, ViewerCount } from '@presencekit/react';
import { useState } from 'react';

import { ChatPanel } from './ChatPanel';
import { JoinForm } from './JoinForm';
import { Me } from './Me';
import { RoomSwitcher } from './RoomSwitcher';
import { type DemoConfig, ROOMS, type RoomName, type VisitorProfile } from './rooms';

// Live occupancy events: the count moves the moment someone arrives, without polling. One
// constant: the room's provider compares options by reference.
const ROOM_OPTIONS: RoomOptions = { occupancy: { enableEvents: true } };

function roomFromHash(): RoomName {
  const name = window.location.hash.slice(1);
  return (ROOMS as readonly string[]).includes(name) ? (name as RoomName) : 'lobby';
}

/**
 * The demo page: rooms on the left; the current room in the middle (who is here, then the
 * timeline of joins and leaves); its chat on the right.
 */
export function App({ backend }: { backend: DemoConfig['backend'] }) {
  const [room, setRoom] = useState<RoomName>(roomFromHash);
  const [profile, setProfile] = useState<VisitorProfile | null>(null);

  const selectRoom = (name: RoomName) => {
    window.history.replaceState(null, '', `#${name}`);
    setRoom(name);
  };

  return (
    <div className="demo">
      <header className="demo-header">
        <h1>PresenceKit live demo</h1>
        <p>
          Who is in a room and how many are watching, live. The visitors are simulated by the{' '}
          {backend === 'emulator' ? 'local Ably emulator' : 'app'}; open this page in a second tab
          and join: that is a second visitor, and this tab sees them arrive. Once in, chat: edit or
          delete what you said, react to anyone&apos;s messages.
        </p>
      </header>

      <RoomSwitcher current={room} onSelect={selectRoom} />

      <ChatRoomProvider name={room} options={ROOM_OPTIONS}>
        <main className="demo-room" aria-labelledby="room-title">
          <div className="demo-room-header">
            <h2 id="room-title">#{room}</h2>
            <ViewerCount className="demo-viewer-count" data-testid="viewer-count" />
            <PresenceList max={6} aria-label={`People in ${room}`} />
          </div>

          <JoinForm profile={profile} onChange={setProfile} />
          {profile && <Me profile={profile} />}

          <h3>In the room</h3>
          <PresenceList
            variant="list"
            leftGraceMs={4000}
            maxHeight={440}
            data-testid="member-list"
            aria-label={`Members of ${room}`}
          />
        </main>

        <aside className="demo-timeline" aria-labelledby="timeline-title">
          <h3 id="timeline-title">Joins and leaves</h3>
          <PresenceHistory limit={25} />
        </aside>

        {/* A new panel per room: its messages and subscription belong to that room. */}
        <ChatPanel key={room} profile={profile} />
      </ChatRoomProvider>

      <footer className="demo-footer">
        Connected to {backend === 'emulator' ? 'the PresenceKit emulator on this machine' : 'Ably'}{' '}
        with a token from <code>/api/ably-token</code>; the API key stays on the server.
      </footer>
    </div>
  );
}
