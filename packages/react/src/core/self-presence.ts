import type { PresenceData, Room } from '@ably/chat';
import type * as Ably from 'ably';

import { type PresenceKitError, type PresenceKitErrorCode, toPresenceKitError } from './errors';
import { jsonEqual } from './presence-store';
import { type RoomLiveness, localIdentity, roomLiveness, watchLiveness } from './room-liveness';
import { roomStore } from './room-stores';
import { SharedStore } from './store';
import type { HookState, HookStatus } from './types';

/** What a {@link SelfPresence} holds. */
export interface SelfPresenceSnapshot extends HookState {
  /** `true` while the local client is in the room's presence set. */
  readonly isPresent: boolean;
}

/** ably-js reports a failed automatic re-enter (RTP17e) as a channel `update` with this code. */
const PRESENCE_AUTO_REENTRY_FAILED = 91004;

type Operation = 'enter' | 'update' | 'leave';

const FAILURE: Record<Operation, [PresenceKitErrorCode, string]> = {
  enter: [
    'presence_enter_failed',
    'Could not enter presence: check that the client has a clientId and the presence capability ' +
      'for this room; it is retried when the room is next attached',
  ],
  update: [
    'presence_update_failed',
    'Could not update presence data: check that the data is JSON and within the message size limit',
  ],
  leave: ['presence_leave_failed', 'Could not leave presence: the room may already be detached'],
};

/**
 * The local user's presence in one room, shared by every `usePresence` for that room: one enter
 * however many components want presence, one leave after the last is gone (one macrotask later,
 * so StrictMode's remount and re-renders cause no leave/enter churn).
 *
 * It keeps the user present across dropped connections: it never leaves because the connection
 * dropped, and whenever the room becomes live again it checks the presence set and re-enters if
 * the user is missing (ably-js re-enters by itself after most reconnections; this covers a detach,
 * a failed automatic re-entry and a removal by the server).
 */
export class SelfPresence extends SharedStore<SelfPresenceSnapshot> {
  /** Components that want to be present (auto-enter) and the data each last asked for. */
  private readonly holders = new Map<symbol, PresenceData | undefined>();
  /** Set by explicit enter/update (`true`) or leave (`false`); overrides the holders. */
  private explicit: boolean | undefined;
  private data: PresenceData | undefined;
  /** The data the presence set has for us (what the last successful enter/update sent). */
  private sentData: PresenceData | undefined;
  private present = false;
  /** Operations in flight; reconciling waits for them to settle. */
  private inFlight = 0;
  private error: PresenceKitError | undefined;
  private liveness: RoomLiveness = { state: 'pending', error: undefined };
  private verifySeq = 0;
  private cleanups: (() => void)[] = [];

  constructor(private readonly room: Room) {
    super({ isPresent: false, status: 'loading', error: undefined });
  }

  /** Registers a component that wants the user present with `data`; returns its release. */
  hold(data: PresenceData | undefined): () => void {
    const token = Symbol('usePresence');
    this.holders.set(token, data);
    this.data = data;
    this.reconcile();
    return () => {
      this.holders.delete(token);
      // Decided one macrotask later: StrictMode (or a component moving in the tree) holds again
      // synchronously, and must not cause a leave and a re-enter.
      setTimeout(() => this.reconcile(), 0);
    };
  }

  /** Changes the data of a holder (compared by value by the caller). */
  setData(data: PresenceData | undefined): void {
    this.data = data;
    this.reconcile();
  }

  /** Enters now (or updates the data if already present) and keeps the user present. */
  enter(data?: PresenceData): Promise<void> {
    if (data !== undefined) this.data = data;
    this.explicit = true;
    return this.run(this.present ? 'update' : 'enter');
  }

  /** Updates the data (entering if needed) and keeps the user present. */
  update(data?: PresenceData): Promise<void> {
    if (data !== undefined) this.data = data;
    this.explicit = true;
    return this.run(this.present ? 'update' : 'enter');
  }

  /** Leaves, and stops re-entering until `enter` or `update` is called. */
  leave(data?: PresenceData): Promise<void> {
    if (data !== undefined) this.data = data;
    this.explicit = false;
    return this.run('leave');
  }

  protected start(): void {
    const room = this.room;
    this.liveness = roomLiveness(room);
    this.cleanups.push(
      watchLiveness(room, () => {
        const previous = this.liveness;
        this.liveness = roomLiveness(room);
        const status = room.status as string;
        // A detached or failed channel has dropped our member (ably-js forgets it too).
        if (status === 'detached' || status === 'failed' || status === 'released') {
          this.present = false;
        }
        if (this.liveness.state === 'live' && previous.state !== 'live') this.verify();
        else this.publish();
      }),
    );
    const onChannelUpdate = (change: Ably.ChannelStateChange): void => {
      if (change.reason?.code === PRESENCE_AUTO_REENTRY_FAILED) {
        this.present = false;
        this.reconcile();
      }
    };
    room.channel.on('update', onChannelUpdate);
    this.cleanups.push(() => room.channel.off('update', onChannelUpdate));
    try {
      const { unsubscribe } = room.presence.subscribe((event) => {
        const { clientId, connectionId } = localIdentity(room);
        const member = event.member;
        if (member.clientId !== clientId || member.connectionId !== connectionId) return;
        if ((event.type as string) === 'leave' && this.present && this.inFlight === 0) {
          // Removed without asking (server-side, or another tool on this connection).
          this.present = false;
          this.reconcile();
        }
      });
      this.cleanups.push(unsubscribe);
    } catch {
      // Presence events are off for this room: we still enter and leave, we just cannot notice a
      // removal we did not ask for until the room is next attached.
    }
    if (this.liveness.state === 'live') this.verify();
    else this.publish();
  }

  protected stop(): void {
    for (const cleanup of this.cleanups.splice(0)) cleanup();
    const wasPresent = this.present;
    this.present = false;
    this.explicit = undefined;
    this.error = undefined;
    this.verifySeq++;
    this.snapshot = { isPresent: false, status: 'loading', error: undefined };
    if (wasPresent && roomLiveness(this.room).state !== 'failed') {
      // Nobody renders this any more; a failure here has nobody to report to, and the server
      // removes the member anyway when the connection closes or the room is released.
      this.room.presence.leave().catch(() => undefined);
    }
  }

  private get wanted(): boolean {
    return this.explicit ?? this.holders.size > 0;
  }

  /** Asks the presence set whether we are in it (after a reattach or reconnect), then reconciles. */
  private verify(): void {
    const seq = ++this.verifySeq;
    const { clientId, connectionId } = localIdentity(this.room);
    if (!clientId || !connectionId) {
      this.reconcile();
      return;
    }
    this.room.presence.get({ clientId, connectionId }).then(
      (members) => {
        if (seq !== this.verifySeq || !this.isRunning) return;
        this.present = members.length > 0;
        if (this.present) this.sentData = members[0]?.data as PresenceData | undefined;
        this.reconcile();
      },
      () => {
        if (seq !== this.verifySeq || !this.isRunning) return;
        this.reconcile();
      },
    );
  }

  /** Brings the presence set in line with what is wanted, one operation at a time. */
  private reconcile(): void {
    if (this.inFlight === 0 && this.isRunning && this.liveness.state === 'live') {
      const operation: Operation | undefined =
        this.wanted && !this.present
          ? 'enter'
          : this.wanted && !jsonEqual(this.sentData, this.data)
            ? 'update'
            : !this.wanted && this.present && this.explicit === undefined
              ? 'leave'
              : undefined;
      if (operation) {
        // A failure is reported through the snapshot's `error`; nobody awaits this call.
        this.run(operation).catch(() => undefined);
        return;
      }
    }
    this.publish();
  }

  private async run(operation: Operation): Promise<void> {
    this.inFlight++;
    this.publish();
    const data = this.data;
    try {
      const presence = this.room.presence;
      if (operation === 'leave') await presence.leave(data);
      else if (operation === 'update') await presence.update(data);
      else await presence.enter(data);
      this.present = operation !== 'leave';
      this.sentData = data;
      this.error = undefined;
    } catch (error) {
      const [code, fix] = FAILURE[operation];
      this.error = toPresenceKitError(error, code, fix);
      throw this.error;
    } finally {
      this.inFlight--;
      // Something may have changed meanwhile (new data, the last holder left): catch up.
      if (!this.error) this.reconcile();
      else this.publish();
    }
  }

  private publish(): void {
    const isPresent = this.present;
    const liveness = this.liveness;
    let status: HookStatus;
    let error = this.error;
    if (liveness.state === 'failed') {
      status = 'error';
      error = liveness.error;
    } else if (error) {
      status = 'error';
    } else if (liveness.state === 'live') {
      status = this.wanted && !isPresent ? 'loading' : 'ready';
    } else {
      status = isPresent ? 'stale' : 'loading';
    }
    const previous = this.snapshot;
    if (
      previous.isPresent === isPresent &&
      previous.status === status &&
      (previous.error === error || (error !== undefined && previous.error?.code === error.code))
    ) {
      return;
    }
    this.setSnapshot({ isPresent, status, error });
  }
}

/** The local user's presence controller for a room. */
export function selfPresence(room: Room): SelfPresence {
  return roomStore(room, 'self-presence', () => new SelfPresence(room));
}
