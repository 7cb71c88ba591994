import type { ChatClient } from '@ably/chat';
import {
  type KeyboardEvent,
  type ReactNode,
  useEffect,
  useId,
  useRef,
  useState,
  useSyncExternalStore,
} from 'react';

import { mountedHooks } from '../core/hook-renders';
import { registryRooms } from '../core/registry-observer';
import { resync } from '../core/resync';
import type { RoomSource } from '../core/room-source';
import { useOptionalChatClient } from '../providers/useOptionalChatClient';
import { EventRing } from './event-ring';
import { RoomDetails } from './RoomDetails';
import { inspectRooms } from './inspect-rooms';
import { DEVTOOLS_CSS } from './styles';
// Nothing used: it makes every module the hooks entry reaches shared with this entry too, so the
// build splits chunks exactly as without the devtools and the hooks' production bundles stay
// byte for byte the same (bench 4 checks it).
import '../hooks';

/** Props for `<PresenceKitDevtools>`. */
export interface PresenceKitDevtoolsProps {
  /**
   * The client whose rooms to list. Defaults to the one from the nearest `<ChatClientProvider>`
   * (PresenceKit's or `@ably/chat/react`'s). Rooms that hooks get elsewhere (the `room` option,
   * the official `<ChatRoomProvider>`) are listed either way.
   */
  client?: ChatClient;
  /**
   * Start with the panel open.
   * @defaultValue `false`
   */
  initialIsOpen?: boolean;
  /**
   * Where the toggle button sits.
   * @defaultValue `'bottom-right'`
   */
  position?: 'bottom-right' | 'bottom-left';
  /**
   * How often the open panel reads the rooms again, in milliseconds. The panel polls on its own
   * schedule instead of subscribing, so the hooks it observes never render for it.
   * @defaultValue `500`
   */
  refreshMs?: number;
  /**
   * Presence events kept per room (the oldest are dropped).
   * @defaultValue `50`
   */
  maxEvents?: number;
}

/** The development build of `<PresenceKitDevtools>` (the entry renders nothing in production). */
export function DevtoolsPanel({
  client: clientProp,
  initialIsOpen = false,
  position = 'bottom-right',
  refreshMs = 500,
  maxEvents = 50,
}: PresenceKitDevtoolsProps): ReactNode {
  const contextClient = useOptionalChatClient();
  const client = clientProp ?? contextClient;
  const [open, setOpen] = useState(initialIsOpen);
  const [tick, setTick] = useState(0);
  const [ring] = useState(() => new EventRing(maxEvents));
  const toggleRef = useRef<HTMLButtonElement>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const panelId = useId();
  const headingId = useId();

  const registry = registryRooms(client);
  // Re-renders this panel (never the app) when the registry's room list changes.
  const registered = useSyncExternalStore(
    registry.subscribe,
    registry.getSnapshot,
    registry.getSnapshot,
  );
  const rooms = inspectRooms(registered, mountedHooks());

  // Listen for presence events while mounted, open or not, so the panel shows what happened
  // before it was opened. Rooms are followed as soon as they exist (the registry and each room
  // source say when), so the first enter is not missed. Listening to them starts nothing.
  useEffect(() => {
    const watched = new Map<RoomSource, () => void>();
    const follow = (): void => {
      const reports = inspectRooms(registry.getSnapshot(), mountedHooks());
      const sources = new Set(reports.map((report) => report.source));
      for (const [source, stop] of watched) {
        if (!sources.has(source)) {
          stop();
          watched.delete(source);
        }
      }
      for (const source of sources) {
        if (!watched.has(source)) watched.set(source, source.subscribe(follow));
      }
      ring.follow(reports.flatMap(({ room }) => (room ? [room] : [])));
    };
    follow();
    const stopRegistry = registry.subscribe(follow);
    // Hooks mount without telling anyone (counting must not notify): look for their rooms too.
    const timer = setInterval(follow, refreshMs);
    return () => {
      stopRegistry();
      clearInterval(timer);
      for (const stop of watched.values()) stop();
      ring.stop();
    };
  }, [ring, registry, refreshMs]);

  // Read everything again on the panel's own schedule while open.
  useEffect(() => {
    if (!open) return undefined;
    const timer = setInterval(() => setTick((tick) => tick + 1), refreshMs);
    return () => clearInterval(timer);
  }, [open, refreshMs]);
  // Opened from the button: focus moves into the panel (not when it starts open: the app keeps
  // its focus on load).
  const focusOnOpen = useRef(false);
  useEffect(() => {
    if (open && focusOnOpen.current) headingRef.current?.focus();
    focusOnOpen.current = false;
  }, [open]);

  const close = (): void => {
    setOpen(false);
    toggleRef.current?.focus();
  };
  const onKeyDown = (event: KeyboardEvent): void => {
    if (event.key === 'Escape') {
      event.stopPropagation();
      close();
    }
  };

  return (
    <div className="pkdt" data-position={position} data-open={open}>
      <style>{DEVTOOLS_CSS}</style>
      <button
        ref={toggleRef}
        type="button"
        className="pkdt-toggle"
        aria-expanded={open}
        aria-controls={open ? panelId : undefined}
        onClick={() => {
          if (open) return close();
          focusOnOpen.current = true;
          setOpen(true);
        }}
      >
        PresenceKit <span className="pkdt-count">{rooms.length}</span>
        <span className="pkdt-hidden"> {rooms.length === 1 ? 'room' : 'rooms'}</span>
      </button>
      {open && (
        <section
          id={panelId}
          className="pkdt-panel"
          aria-labelledby={headingId}
          onKeyDown={onKeyDown}
          data-ticks={tick}
        >
          <header className="pkdt-header">
            <h2 id={headingId} ref={headingRef} tabIndex={-1}>
              PresenceKit devtools
            </h2>
            <span className="pkdt-meta">
              {rooms.length} {rooms.length === 1 ? 'room' : 'rooms'},{' '}
              {rooms.reduce((hooks, room) => hooks + room.hooks.length, 0)} hooks
            </span>
            <button type="button" className="pkdt-button" onClick={close}>
              Close
            </button>
          </header>
          {/* Focusable: keyboard users scroll it (axe: scrollable-region-focusable). */}
          <div className="pkdt-body" tabIndex={0} role="group" aria-label="Rooms">
            {rooms.length === 0 ? (
              <p className="pkdt-empty">
                No rooms yet: mount a {'<ChatRoomProvider>'} or a PresenceKit hook.
              </p>
            ) : (
              rooms.map((report) => (
                <RoomDetails
                  key={report.id}
                  report={report}
                  events={report.room ? ring.events(report.room) : { events: [] }}
                  onResync={() => {
                    if (report.room) resync(report.room);
                    setTick((tick) => tick + 1);
                  }}
                />
              ))
            )}
          </div>
        </section>
      )}
    </div>
  );
}
