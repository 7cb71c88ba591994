import type { PresenceData, Room } from '@ably/chat';
import type * as Ably from 'ably';

import { type PresenceKitError, type PresenceKitErrorCode, toPresenceKitError } from './errors';
import { localIdentity, roomLiveness, statusOf, watchRoom } from './room-liveness';
import { roomStore } from './room-stores';
import { jsonEqual } from './shallow';
import { type SharedStore, same, sharedStore } from './store';
import type { HookState } from './types';

/** What a {@link SelfPresence} holds. */
export interface SelfPresenceSnapshot extends HookState {
  /** `true` while the local client is in the room's presence set. */
  readonly isPresent: boolean;
}

/** The local user's presence in one room; see {@link selfPresence}. */
export interface SelfPresence extends SharedStore<SelfPresenceSnapshot> {
  /** Registers a component that wants the user present with `data`; returns its release. */
  readonly hold: (data: PresenceData | undefined) => () => void;
  /** Enters, or updates the data if already present, and keeps the user present. */
  readonly enter: (data?: PresenceData) => Promise<void>;
  /** Leaves, and stops re-entering until `enter` is called. */
  readonly leave: (data?: PresenceData) => Promise<void>;
}

type Operation = 'enter' | 'update' | 'leave';

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
function createSelfPresence(room: Room): SelfPresence {
  /** Components that want to be present (auto-enter). */
  const holders = new Set<symbol>();
  /** Set by `enter` (`true`) or `leave` (`false`); overrides the holders. */
  let explicit: boolean | undefined;
  let data: PresenceData | undefined;
  /** The data the presence set has for us (what the last successful enter/update sent). */
  let sentData: PresenceData | undefined;
  let present = false;
  /** Operations in flight; reconciling waits for them to settle. */
  let inFlight = 0;
  let error: PresenceKitError | undefined;
  let verifySeq = 0;

  const wanted = (): boolean => explicit ?? holders.size > 0;

  const publish = (): void => {
    const liveness = roomLiveness(room);
    store.set(
      same(store.getSnapshot(), {
        isPresent: present,
        ...(liveness.error || !error
          ? statusOf(liveness, present || (liveness.live && !wanted()))
          : { status: 'error', error }),
      }),
    );
  };

  /** Brings the presence set in line with what is wanted, one operation at a time. */
  const reconcile = (): void => {
    if (inFlight === 0 && store.running() && roomLiveness(room).live) {
      const operation: Operation | undefined = wanted()
        ? !present
          ? 'enter'
          : !jsonEqual(sentData, data)
            ? 'update'
            : undefined
        : present && explicit === undefined
          ? 'leave'
          : undefined;
      // A failure is reported through the snapshot's `error`; nobody awaits this call.
      if (operation) return void run(operation).catch(() => undefined);
    }
    publish();
  };

  const run = async (operation: Operation): Promise<void> => {
    inFlight++;
    publish();
    const sent = data;
    try {
      await room.presence[operation](sent);
      present = operation !== 'leave';
      sentData = sent;
      error = undefined;
    } catch (cause) {
      throw (error = toPresenceKitError(cause, FAILURE[operation], FIX?.[operation]));
    } finally {
      inFlight--;
      // Something may have changed meanwhile (new data, the last holder left): catch up.
      if (error) publish();
      else reconcile();
    }
  };

  /** Asks the presence set whether we are in it (after a reattach or reconnect), then reconciles. */
  const verify = (): void => {
    const seq = ++verifySeq;
    const { clientId, connectionId } = localIdentity(room);
    if (!clientId || !connectionId) return reconcile();
    room.presence.get({ clientId, connectionId }).then(
      (members) => {
        if (seq !== verifySeq) return;
        present = members.length > 0;
        if (present) sentData = members[0]?.data as PresenceData | undefined;
        reconcile();
      },
      () => seq === verifySeq && reconcile(),
    );
  };

  const dropped = (): void => {
    present = false;
    reconcile();
  };

  const store = sharedStore<SelfPresenceSnapshot>(
    { isPresent: false, status: 'loading', error: undefined },
    () => {
      const stops = [
        watchRoom(room, (resumed) => {
          // A detached or failed channel has dropped our member (ably-js forgets it too).
          if (['detached', 'failed', 'released'].includes(room.status)) present = false;
          if (resumed) verify();
          else publish();
        }),
      ];
      // ably-js reports a failed automatic re-enter (RTP17e) as a channel update with 91004.
      const onUpdate = (change: Ably.ChannelStateChange): void => {
        if (change.reason?.code === 91004) dropped();
      };
      room.channel.on('update', onUpdate);
      stops.push(() => room.channel.off('update', onUpdate));
      try {
        stops.push(
          room.presence.subscribe(({ type, member }) => {
            const self = localIdentity(room);
            // Removed without asking (server-side, or another tool on this connection).
            if (
              (type as string) === 'leave' &&
              member.clientId === self.clientId &&
              member.connectionId === self.connectionId &&
              present &&
              inFlight === 0
            ) {
              dropped();
            }
          }).unsubscribe,
        );
      } catch {
        // Presence events are off for this room: we still enter and leave, we just cannot notice a
        // removal we did not ask for until the room is next attached.
      }
      if (roomLiveness(room).live) verify();
      else publish();
      return () => {
        for (const stop of stops) stop();
        verifySeq++;
        // Nobody renders this any more; a failure here has nobody to report to, and the server
        // removes the member anyway when the connection closes or the room is released.
        if (present && !roomLiveness(room).error) room.presence.leave().catch(() => undefined);
        present = false;
        explicit = error = undefined;
        store.set({ isPresent: false, status: 'loading', error: undefined });
      };
    },
  );

  return Object.assign(store, {
    hold(held: PresenceData | undefined) {
      const token = Symbol();
      holders.add(token);
      data = held;
      reconcile();
      return () => {
        holders.delete(token);
        // Decided one macrotask later: StrictMode (or a component moving in the tree) holds again
        // synchronously, and must not cause a leave and a re-enter.
        setTimeout(reconcile, 0);
      };
    },
    enter(next?: PresenceData) {
      if (next !== undefined) data = next;
      explicit = true;
      return run(present ? 'update' : 'enter');
    },
    leave(next?: PresenceData) {
      if (next !== undefined) data = next;
      explicit = false;
      return run('leave');
    },
  });
}

/** The local user's presence controller for a room. */
export function selfPresence(room: Room): SelfPresence {
  return roomStore(room, 'self-presence', () => createSelfPresence(room));
}
