/**
 * The event stream of the presence benchmark: the same for every side and every run of a size.
 * Pure and seeded, so the final member list is known without asking anyone.
 */

import { seededRandom } from '@presencekit/test-utils';

export type Status = 'online' | 'away' | 'busy';

export interface PresenceEvent {
  action: 'enter' | 'update' | 'leave';
  clientId: string;
  status: Status;
}

export interface Stream {
  /** N enters. */
  enters: PresenceEvent[];
  /** Enters, updates and leaves, a third each (about), on the room of N. */
  churn: PresenceEvent[];
  /** clientId → status after the enters, and after the churn. */
  afterEnters: Map<string, Status>;
  afterChurn: Map<string, Status>;
}

const STATUSES: Status[] = ['online', 'away', 'busy'];

export function makeStream(members: number, churnEvents: number, seed = 7): Stream {
  const random = seededRandom(seed + members);
  const enters: PresenceEvent[] = [];
  const present = new Map<string, Status>();
  for (let i = 0; i < members; i++) {
    const event: PresenceEvent = { action: 'enter', clientId: `m-${i}`, status: 'online' };
    enters.push(event);
    present.set(event.clientId, event.status);
  }
  const afterEnters = new Map(present);
  const ids = [...present.keys()];
  let next = members;
  const churn: PresenceEvent[] = [];
  for (let i = 0; i < churnEvents; i++) {
    const roll = random();
    if (roll < 1 / 3 || ids.length === 0) {
      const clientId = `m-${next++}`;
      churn.push({ action: 'enter', clientId, status: 'online' });
      present.set(clientId, 'online');
      ids.push(clientId);
    } else {
      const index = Math.floor(random() * ids.length);
      const clientId = ids[index]!;
      if (roll < 2 / 3) {
        const status = STATUSES[Math.floor(random() * STATUSES.length)]!;
        churn.push({ action: 'update', clientId, status });
        present.set(clientId, status);
      } else {
        churn.push({ action: 'leave', clientId, status: present.get(clientId)! });
        present.delete(clientId);
        ids[index] = ids[ids.length - 1]!;
        ids.pop();
      }
    }
  }
  return { enters, churn, afterEnters, afterChurn: present };
}
