import {
  type PresenceData,
  type PresenceEvent,
  PresenceEventType,
  type Room,
  RoomStatus,
} from '@ably/chat';
import type * as Ably from 'ably';

import { type PresenceKitError, type PresenceKitErrorCode, toPresenceKitError } from './errors';
import {
  type RoomLiveness,
  localIdentity,
  roomLiveness,
  statusOf,
  watchRoom,
} from './room-liveness';
import { roomStore } from './room-stores';
import { jsonEqual } from './shallow';
import { type ExternalStore, SharedStore, same } from './store';
import type { HookState } from './types';

/** What a {@link SelfPresence} holds. */
export interface SelfPresenceSnapshot extends HookState {
  /** `true` while the local client is in the room's presence set. */
  readonly isPresent: boolean;
}

/** The local user's presence in one room; see {@link selfPresence}. */
export interface SelfPresence extends ExternalStore<SelfPresenceSnapshot> {
  /** Registers a component that wants the user present with `data`; returns its release. */
  readonly hold: (data: PresenceData | undefined) => () => void;
  /** Enters, or updates the data if already present, and keeps the user present. */
  readonly enter: (data?: PresenceData) => Promise<void>;
  /** Leaves, and stops re-entering until `enter` is called. */
  readonly leave: (data?: PresenceData) => Promise<void>;
}

/** One call to the SDK's presence. */
export type Operation = 'enter' | 'update' | 'leave';

/** What the local user's presence is and should be. */
export interface SelfPresenceState {
  /** Some component holds presence (auto-enter). */
  readonly held: boolean;
  /** Set by `enter` (`true`) or `leave` (`false`); overrides the holders. */
  readonly explicit: boolean | undefined;
  /** The local client is in the presence set. */
  readonly present: boolean;
  /** The data the user should be present with. */
  readonly data: PresenceData | undefined;
  /** The data the presence set has for us (what the last successful enter/update sent). */
  readonly sentData: PresenceData | undefined;
}

const FAILURE: Record<Operation, PresenceKitErrorCode> = {
  enter: 'presence_enter_failed',
  update: 'presence_update_failed',
  leave: 'presence_leave_failed',
};

/** How to fix a failed operation; development only (production builds keep the code). */
const FIX: Record<Operation, string> | undefined =
  process.env.NODE_ENV !== 'production'
    ? {
        enter:
          'Could not enter presence: check that the client has a clientId and the presence ' +
          'capability for this room; it is retried when the room is next attached',
        update:
          'Could not update presence data: check that the data is JSON and within the message ' +
          'size limit',
        leave: 'Could not leave presence: the room may already be detached',
      }
    : undefined;

/** Room statuses in which the channel has dropped our member (ably-js forgets it too). */
const DROPPED = [RoomStatus.Detached, RoomStatus.Failed, RoomStatus.Released];

const LOADING: SelfPresenceSnapshot = { isPresent: false, status: 'loading', error: undefined };

// Pure transitions.

/** Whether the user should be present: what `enter`/`leave` said last, else whether held. */
export function wantsPresence(state: SelfPresenceState): boolean {
  return state.explicit ?? state.held;
}

/**
 * The operation that brings the presence set in line with what is wanted, if any: enter when
 * wanted and absent, update when the data changed by value, leave when nobody holds presence any
 * more (an explicit `enter`/`leave` is never undone by holders coming and going).
 */
export function nextOperation(state: SelfPresenceState): Operation | undefined {
  if (wantsPresence(state)) {
    if (!state.present) return 'enter';
    return jsonEqual(state.sentData, state.data) ? undefined : 'update';
  }
  return state.present && state.explicit === undefined ? 'leave' : undefined;
}

/**
 * The snapshot's status: a failed room or connection wins, then the last failed operation; the
 * user counts as settled when present, or when the room is live and presence is not wanted.
 */
export function selfPresenceStatus(
  state: SelfPresenceState,
  liveness: RoomLiveness,
  error: PresenceKitError | undefined,
): HookState {
  if (error && !liveness.error) return { status: 'error', error };
  return statusOf(liveness, state.present || (liveness.live && !wantsPresence(state)));
}

/**
 * The local user's presence in one room, shared by every `usePresence` for that room: one enter
 * however many components want presence, one leave after the last is gone (one macrotask later,
 * so StrictMode's remount and re-renders cause no leave/enter churn).
 *
 * It keeps the user present across dropped connections: it never leaves because the connection
 * dropped, and whenever the room becomes live again (or after a discontinuity) it checks the
 * presence set and re-enters if the user is missing (ably-js re-enters by itself after most
 * reconnections; this covers a detach, a failed automatic re-entry and a removal by the server).
 */
class RoomSelfPresence extends SharedStore<SelfPresenceSnapshot> implements SelfPresence {
  readonly #room: Room;
  /** Components that want to be present (auto-enter). */
  readonly #holders = new Set<symbol>();
  #explicit: boolean | undefined;
  #data: PresenceData | undefined;
  #sentData: PresenceData | undefined;
  #present = false;
  /** Operations in flight; reconciling waits for them to settle. */
  #inFlight = 0;
  #error: PresenceKitError | undefined;
  /** Bumped by each check of the presence set; an older answer is dropped. */
  #verifySeq = 0;

  constructor(room: Room) {
    super(LOADING);
    this.#room = room;
  }

  #state(): SelfPresenceState {
    return {
      held: this.#holders.size > 0,
      explicit: this.#explicit,
      present: this.#present,
      data: this.#data,
      sentData: this.#sentData,
    };
  }

  #publish(): void {
    const status = selfPresenceStatus(this.#state(), roomLiveness(this.#room), this.#error);
    this.set(same(this.getSnapshot(), { isPresent: this.#present, ...status }));
  }

  /** Brings the presence set in line with what is wanted, one operation at a time. */
  readonly #reconcile = (): void => {
    const ready = this.#inFlight === 0 && this.running && roomLiveness(this.#room).live;
    const operation = ready ? nextOperation(this.#state()) : undefined;
    // A failure is reported through the snapshot's `error`; nobody awaits this call.
    if (operation) void this.#run(operation).catch(() => undefined);
    else this.#publish();
  };

  async #run(operation: Operation): Promise<void> {
    this.#inFlight++;
    this.#publish();
    const sent = this.#data;
    try {
      await this.#room.presence[operation](sent);
      this.#present = operation !== 'leave';
      this.#sentData = sent;
      this.#error = undefined;
    } catch (cause) {
      throw (this.#error = toPresenceKitError(cause, FAILURE[operation], FIX?.[operation]));
    } finally {
      this.#inFlight--;
      // Something may have changed meanwhile (new data, the last holder left): catch up.
      if (this.#error) this.#publish();
      else this.#reconcile();
    }
  }

  /** Asks the presence set whether we are in it (after a reattach or reconnect), then reconciles. */
  #verify(): void {
    const seq = ++this.#verifySeq;
    const { clientId, connectionId } = localIdentity(this.#room);
    if (!clientId || !connectionId) return this.#reconcile();
    this.#room.presence.get({ clientId, connectionId }).then(
      (members) => {
        if (seq !== this.#verifySeq) return;
        this.#present = members.length > 0;
        if (this.#present) this.#sentData = members[0]?.data as PresenceData | undefined;
        this.#reconcile();
      },
      () => seq === this.#verifySeq && this.#reconcile(),
    );
  }

  #dropped(): void {
    this.#present = false;
    this.#reconcile();
  }

  /** Our own member left without us asking (server-side, or another tool on this connection). */
  readonly #onPresence = ({ type, member }: PresenceEvent): void => {
    const self = localIdentity(this.#room);
    const ours = member.clientId === self.clientId && member.connectionId === self.connectionId;
    if (type === PresenceEventType.Leave && ours && this.#present && this.#inFlight === 0) {
      this.#dropped();
    }
  };

  /** ably-js reports a failed automatic re-enter (RTP17e) as a channel update with 91004. */
  readonly #onChannelUpdate = (change: Ably.ChannelStateChange): void => {
    if (change.reason?.code === 91004) this.#dropped();
  };

  #onRoomChange(resumed: boolean): void {
    if (DROPPED.includes(this.#room.status)) this.#present = false;
    if (resumed) this.#verify();
    else this.#publish();
  }

  protected start(): () => void {
    const room = this.#room;
    const stops = [
      watchRoom(room, (resumed) => this.#onRoomChange(resumed)),
      () => room.channel.off('update', this.#onChannelUpdate),
    ];
    room.channel.on('update', this.#onChannelUpdate);
    try {
      stops.push(room.presence.subscribe(this.#onPresence).unsubscribe);
    } catch {
      // Presence events are off for this room: we still enter and leave, we just cannot notice a
      // removal we did not ask for until the room is next attached.
    }
    if (roomLiveness(room).live) this.#verify();
    else this.#publish();
    return () => {
      for (const stop of stops) stop();
      this.#verifySeq++;
      // Nobody renders this any more; a failure here has nobody to report to, and the server
      // removes the member anyway when the connection closes or the room is released.
      if (this.#present && !roomLiveness(room).error) room.presence.leave().catch(() => undefined);
      this.#present = false;
      this.#explicit = this.#error = undefined;
      this.set(LOADING);
    };
  }

  hold(data: PresenceData | undefined): () => void {
    const token = Symbol();
    this.#holders.add(token);
    this.#data = data;
    this.#reconcile();
    return () => {
      this.#holders.delete(token);
      // Decided one macrotask later: StrictMode (or a component moving in the tree) holds again
      // synchronously, and must not cause a leave and a re-enter.
      setTimeout(this.#reconcile, 0);
    };
  }

  enter(data?: PresenceData): Promise<void> {
    if (data !== undefined) this.#data = data;
    this.#explicit = true;
    return this.#run(this.#present ? 'update' : 'enter');
  }

  leave(data?: PresenceData): Promise<void> {
    if (data !== undefined) this.#data = data;
    this.#explicit = false;
    return this.#run('leave');
  }
}

/** The local user's presence controller for a room. */
export function selfPresence(room: Room): SelfPresence {
  return roomStore(room, 'self-presence', () => new RoomSelfPresence(room));
}
