import type { PresenceData, Room } from '@ably/chat';

import type { OccupancyData, PresenceAction } from '../core/types';

/** A member to start a {@link MemoryRoom} with, or to enter later. */
export interface MemoryMemberInput<TData = PresenceData> {
  /** Who. */
  clientId: string;
  /**
   * Which connection; give two members the same `clientId` and different connections to model
   * one person on two devices.
   * @defaultValue `conn-<clientId>`
   */
  connectionId?: string;
  /** Their presence data. */
  data?: TData;
}

/** Room statuses a {@link MemoryRoom} can be put in (the `@ably/chat` `RoomStatus` values). */
export type MemoryRoomStatus =
  | 'initialized'
  | 'attaching'
  | 'attached'
  | 'detaching'
  | 'detached'
  | 'suspended'
  | 'failed'
  | 'released';

/** Connection states a {@link MemoryRoom} can be put in (the `ably` connection states). */
export type MemoryConnectionState =
  | 'initialized'
  | 'connecting'
  | 'connected'
  | 'disconnected'
  | 'suspended'
  | 'closing'
  | 'closed'
  | 'failed';

/** Options of {@link createMemoryRoom}. */
export interface MemoryRoomOptions<TData = PresenceData> {
  /** @defaultValue `'memory-room'` */
  name?: string;
  /**
   * The local user: what `usePresence` enters as, and who `isSelf` is.
   * @defaultValue `'you'`
   */
  clientId?: string;
  /** Members present from the start. */
  members?: readonly MemoryMemberInput<TData>[];
  /**
   * Fixed occupancy. Without it, occupancy follows the members: one connection per distinct
   * connection in presence plus the local one, and one presence member per member.
   */
  occupancy?: OccupancyData;
  /**
   * Whether the room has live occupancy events (`occupancy.enableEvents`).
   * @defaultValue `true`
   */
  occupancyEvents?: boolean;
  /**
   * Whether the room has presence events (`presence.enableEvents`).
   * @defaultValue `true`
   */
  presenceEvents?: boolean;
  /** @defaultValue `'attached'` */
  status?: MemoryRoomStatus;
}

/**
 * A room that lives in memory and does what you tell it: give `room` to any PresenceKit hook (the
 * `room` option or `<TestRoomProvider>`), then drive it with `enter`, `leave`, `setStatus`... For
 * stories, unit tests of your components and demos without a network. It implements the part of
 * `@ably/chat`'s `Room` the hooks use; for end-to-end tests prefer the emulator helpers.
 */
export interface MemoryRoom<TData = PresenceData> {
  /** The room to hand to the hooks. */
  readonly room: Room;
  /** Another member enters (or, if already present on that connection, updates). */
  enter(clientId: string, data?: TData, options?: { connectionId?: string }): void;
  /** A member changes their data. */
  update(clientId: string, data?: TData, options?: { connectionId?: string }): void;
  /** A member leaves. */
  leave(clientId: string, options?: { connectionId?: string }): void;
  /** Fixes the occupancy (`undefined`: follow the members again). */
  setOccupancy(occupancy: OccupancyData | undefined): void;
  /** Moves the room to a status, as the SDK would report it (with an optional reason). */
  setStatus(
    status: MemoryRoomStatus,
    error?: { message: string; code: number; statusCode?: number },
  ): void;
  /** Moves the connection to a state (for "reconnecting" UI). */
  setConnectionState(state: MemoryConnectionState): void;
  /** Reports a discontinuity (messages may have been missed), as the SDK does after a failed resume. */
  discontinuity(): void;
  /** Members present now, in join order. */
  members(): { clientId: string; connectionId: string; data: TData | undefined }[];
}

interface StoredMember {
  id: string;
  clientId: string;
  connectionId: string;
  data: unknown;
  timestamp: number;
}

interface StoredEvent extends StoredMember {
  action: PresenceAction;
}

type Listener<T> = (value: T) => void;

class Listeners<T> {
  private readonly set = new Set<Listener<T>>();
  add(listener: Listener<T>): () => void {
    this.set.add(listener);
    return () => this.set.delete(listener);
  }
  remove(listener: Listener<T>): void {
    this.set.delete(listener);
  }
  emit(value: T): void {
    for (const listener of [...this.set]) listener(value);
  }
  get size(): number {
    return this.set.size;
  }
}

/** An `ErrorInfo`-shaped error (`message`, `code`, `statusCode`), as the SDK rejects with. */
function sdkError(message: string, code: number, statusCode = 400): Error {
  return Object.assign(new Error(message), { code, statusCode });
}

const LOCAL_CONNECTION = 'memory-connection';

interface HistoryParams {
  limit?: number;
  direction?: 'backwards' | 'forwards';
  start?: number;
  end?: number;
}

interface Page<T> {
  items: T[];
  hasNext(): boolean;
  isLast(): boolean;
  next(): Promise<Page<T> | null>;
  first(): Promise<Page<T>>;
  current(): Promise<Page<T>>;
}

function paginate<T>(all: readonly T[], limit: number, offset = 0): Page<T> {
  const page: Page<T> = {
    items: all.slice(offset, offset + limit),
    hasNext: () => offset + limit < all.length,
    isLast: () => offset + limit >= all.length,
    next: () => Promise.resolve(page.hasNext() ? paginate(all, limit, offset + limit) : null),
    first: () => Promise.resolve(paginate(all, limit, 0)),
    current: () => Promise.resolve(page),
  };
  return page;
}

/**
 * Creates a {@link MemoryRoom}.
 *
 * @example
 * ```tsx
 * const memory = createMemoryRoom({ members: [{ clientId: 'ada', data: { name: 'Ada' } }] });
 * render(
 *   <TestRoomProvider room={memory.room}>
 *     <WhoIsHere />
 *   </TestRoomProvider>,
 * );
 * act(() => memory.enter('grace', { name: 'Grace' }));
 * ```
 */
export function createMemoryRoom<TData = PresenceData>(
  options: MemoryRoomOptions<TData> = {},
): MemoryRoom<TData> {
  const name = options.name ?? 'memory-room';
  const clientId = options.clientId ?? 'you';
  const occupancyEvents = options.occupancyEvents ?? true;
  const presenceEvents = options.presenceEvents ?? true;

  let status: MemoryRoomStatus = options.status ?? 'attached';
  let roomError: Error | undefined;
  let connectionState: MemoryConnectionState = 'connected';
  let fixedOccupancy = options.occupancy;
  let lastOccupancy: OccupancyData | undefined;
  let serial = 0;
  const members = new Map<string, StoredMember>();
  const history: StoredEvent[] = [];

  const statusListeners = new Listeners<{ current: string; previous: string; error?: Error }>();
  const discontinuityListeners = new Listeners<Error>();
  const presenceListeners = new Listeners<{ type: PresenceAction; member: unknown }>();
  const channelPresenceListeners = new Listeners<unknown>();
  const occupancyListeners = new Listeners<{ type: string; occupancy: OccupancyData }>();
  const channelUpdateListeners = new Listeners<unknown>();
  const connectionListeners = new Listeners<{ current: string; previous: string }>();

  const keyOf = (id: string, connection: string): string => `${connection}:${id}`;
  const now = (): number => Math.max(Date.now(), (history.at(-1)?.timestamp ?? 0) + 1);

  const occupancy = (): OccupancyData => {
    if (fixedOccupancy) return fixedOccupancy;
    const connections = new Set([...members.values()].map((m) => m.connectionId));
    if (status === 'attached') connections.add(LOCAL_CONNECTION);
    return { connections: connections.size, presenceMembers: members.size };
  };
  const publishOccupancy = (): void => {
    const next = occupancy();
    if (
      lastOccupancy &&
      lastOccupancy.connections === next.connections &&
      lastOccupancy.presenceMembers === next.presenceMembers
    ) {
      return;
    }
    lastOccupancy = next;
    if (occupancyEvents && status === 'attached') {
      occupancyListeners.emit({ type: 'occupancy.updated', occupancy: next });
    }
  };

  const sdkMember = (member: StoredMember, action: PresenceAction) => ({
    id: member.id,
    action,
    clientId: member.clientId,
    connectionId: member.connectionId,
    data: member.data,
    extras: undefined,
    timestamp: member.timestamp,
    updatedAt: new Date(member.timestamp),
  });

  const apply = (
    action: PresenceAction,
    who: string,
    connectionId: string,
    data: unknown,
  ): void => {
    const key = keyOf(who, connectionId);
    const existing = members.get(key);
    if (action === 'leave' && !existing) return;
    const timestamp = now();
    const member: StoredMember = {
      id: `${connectionId}:${++serial}:0`,
      clientId: who,
      connectionId,
      data: action === 'leave' ? (data ?? existing?.data) : data,
      timestamp,
    };
    const effective: PresenceAction = action !== 'leave' && !existing ? 'enter' : action;
    if (effective === 'leave') members.delete(key);
    else members.set(key, member);
    history.push({ ...member, action: effective });
    if (status === 'attached') {
      const message = sdkMember(member, effective);
      presenceListeners.emit({ type: effective, member: message });
      channelPresenceListeners.emit(message);
    }
    publishOccupancy();
  };

  /** The SDK refuses presence operations unless the room is attached (or attaching). */
  const notAttached = (operation: string): Error | undefined =>
    status !== 'attached' && status !== 'attaching'
      ? sdkError(`unable to ${operation}; room is not attached`, 102112)
      : undefined;

  const setStatus = (
    next: MemoryRoomStatus,
    error?: { message: string; code: number; statusCode?: number },
  ): void => {
    const previous = status;
    if (previous === next && !error) return;
    status = next;
    roomError = error ? sdkError(error.message, error.code, error.statusCode) : undefined;
    // Like the SDK: a detached or failed channel forgets the local member.
    if (next === 'detached' || next === 'failed') members.delete(keyOf(clientId, LOCAL_CONNECTION));
    statusListeners.emit({ current: next, previous, ...(roomError ? { error: roomError } : {}) });
    publishOccupancy();
  };

  for (const member of options.members ?? []) {
    const connectionId = member.connectionId ?? `conn-${member.clientId}`;
    const timestamp = now();
    const stored: StoredMember = {
      id: `${connectionId}:${++serial}:0`,
      clientId: member.clientId,
      connectionId,
      data: member.data,
      timestamp,
    };
    members.set(keyOf(member.clientId, connectionId), stored);
    history.push({ ...stored, action: 'enter' });
  }
  lastOccupancy = occupancy();

  const connection = {
    get state() {
      return connectionState;
    },
    id: LOCAL_CONNECTION,
    errorReason: undefined,
    on: (listener: (change: { current: string; previous: string }) => void) =>
      void connectionListeners.add(listener),
    off: (listener: (change: { current: string; previous: string }) => void) =>
      connectionListeners.remove(listener),
  };

  const presence = {
    get: (params?: { clientId?: string; connectionId?: string }) => {
      const refused = notAttached('get presence');
      if (refused) return Promise.reject(refused);
      return Promise.resolve(
        [...members.values()]
          .filter(
            (m) =>
              (!params?.clientId || m.clientId === params.clientId) &&
              (!params?.connectionId || m.connectionId === params.connectionId),
          )
          .map((m) => sdkMember(m, 'present')),
      );
    },
    isUserPresent: (id: string) =>
      Promise.resolve([...members.values()].some((m) => m.clientId === id)),
    enter: (data?: unknown) => localPresence('enter', data),
    update: (data?: unknown) => localPresence('update', data),
    leave: (data?: unknown) => localPresence('leave', data),
    subscribe: (listener: (event: { type: PresenceAction; member: unknown }) => void) => {
      if (!presenceEvents) {
        throw sdkError('unable to subscribe to presence; presence events are not enabled', 102108);
      }
      return { unsubscribe: presenceListeners.add(listener) };
    },
  };

  function localPresence(action: 'enter' | 'update' | 'leave', data: unknown): Promise<void> {
    const refused = notAttached(`${action} presence`);
    if (refused) return Promise.reject(refused);
    apply(action, clientId, LOCAL_CONNECTION, data);
    return Promise.resolve();
  }

  const room = {
    get name() {
      return name;
    },
    get status() {
      return status;
    },
    get error() {
      return roomError;
    },
    options: () => ({
      occupancy: { enableEvents: occupancyEvents },
      presence: { enableEvents: presenceEvents },
    }),
    onStatusChange: (listener: (change: { current: string; previous: string }) => void) => ({
      off: statusListeners.add(listener),
    }),
    onDiscontinuity: (listener: (error: Error) => void) => ({
      off: discontinuityListeners.add(listener),
    }),
    attach: () => {
      setStatus('attached');
      return Promise.resolve();
    },
    detach: () => {
      setStatus('detached');
      return Promise.resolve();
    },
    presence,
    occupancy: {
      get: () => Promise.resolve(occupancy()),
      subscribe: (listener: (event: { type: string; occupancy: OccupancyData }) => void) => {
        if (!occupancyEvents) {
          throw sdkError(
            'unable to subscribe to occupancy; occupancy events are not enabled in room options',
            102108,
          );
        }
        return { unsubscribe: occupancyListeners.add(listener) };
      },
      get current() {
        if (!occupancyEvents) {
          throw sdkError(
            'unable to get current occupancy; occupancy events are not enabled in room options',
            102108,
          );
        }
        return status === 'attached' ? occupancy() : undefined;
      },
    },
    channel: {
      name: `${name}::$chat`,
      get state() {
        return status === 'released' ? 'detached' : status;
      },
      client: { connection, auth: { clientId } },
      on: (_event: string, listener: (change: unknown) => void) =>
        void channelUpdateListeners.add(listener),
      off: (_event: string, listener: (change: unknown) => void) =>
        channelUpdateListeners.remove(listener),
      presence: {
        history: (params: HistoryParams = {}) => {
          const { limit = 100, direction = 'backwards', start, end } = params;
          const inWindow = history.filter(
            (e) =>
              (start === undefined || e.timestamp >= start) &&
              (end === undefined || e.timestamp <= end),
          );
          const ordered = direction === 'forwards' ? inWindow : [...inWindow].reverse();
          return Promise.resolve(
            paginate(
              ordered.map((e) => sdkMember(e, e.action)),
              limit,
            ),
          );
        },
        subscribe: (listener: (message: unknown) => void) => {
          channelPresenceListeners.add(listener);
          return Promise.resolve();
        },
        unsubscribe: (listener: (message: unknown) => void) =>
          channelPresenceListeners.remove(listener),
      },
    },
  };

  return {
    room: room as unknown as Room,
    enter: (who, data, opts) => apply('enter', who, opts?.connectionId ?? `conn-${who}`, data),
    update: (who, data, opts) => apply('update', who, opts?.connectionId ?? `conn-${who}`, data),
    leave: (who, opts) => apply('leave', who, opts?.connectionId ?? `conn-${who}`, undefined),
    setOccupancy: (next) => {
      fixedOccupancy = next;
      publishOccupancy();
    },
    setStatus,
    setConnectionState: (state) => {
      const previous = connectionState;
      if (previous === state) return;
      connectionState = state;
      connectionListeners.emit({ current: state, previous });
    },
    discontinuity: () => discontinuityListeners.emit(sdkError('discontinuity detected', 102100)),
    members: () =>
      [...members.values()].map((m) => ({
        clientId: m.clientId,
        connectionId: m.connectionId,
        data: m.data as TData | undefined,
      })),
  };
}
