import type { WireData } from '../protocol/types.js';

/**
 * A member of a channel's presence set, with the id and timestamp of its latest ENTER/UPDATE so
 * a SYNC compares correctly with concurrent broadcasts (newness rule, protocol §6.2).
 */
export interface PresenceMember {
  /** `clientId:connectionId`. */
  readonly key: string;
  id: string;
  readonly clientId: string;
  readonly connectionId: string;
  timestamp: number;
  data?: WireData;
  encoding?: string;
  extras?: Record<string, unknown>;
}

/**
 * Bytes a member's `data` holds, as sent (a string's UTF-8, binary's length, anything else its
 * JSON): what counts against a channel's total presence data (91006).
 */
export function memberDataSize(data: WireData | undefined): number {
  if (data === undefined) return 0;
  if (typeof data === 'string') return Buffer.byteLength(data);
  if (data instanceof Uint8Array) return data.byteLength;
  return JSON.stringify(data)?.length ?? 0;
}

/** Member key as Ably defines it: one member per (clientId, connectionId). */
export function memberKey(clientId: string, connectionId: string): string {
  return `${clientId}:${connectionId}`;
}

/**
 * A channel's presence set. Every operation is O(1) except listing; a per-connection index makes
 * "this connection left" cost O(its own members), not O(all members).
 */
export class PresenceSet {
  private readonly members = new Map<string, PresenceMember>();
  private readonly byConnection = new Map<string, Set<string>>();
  /**
   * Per connection, the id of each member's own latest LEAVE while that member is absent. A late
   * auto re-entry (RTP17g) carries an older id and must lose to it (RTP2b2); forgotten with the
   * connection's attachment, since no message of that connection can arrive after it.
   */
  private readonly leftByConnection = new Map<string, Map<string, string>>();
  /** Bumped on every change; lets callers cache derived views (e.g. encoded SYNC pages). */
  version = 0;
  /** The members' data together, in bytes ({@link memberDataSize}). */
  dataBytes = 0;

  get size(): number {
    return this.members.size;
  }

  get(key: string): PresenceMember | undefined {
    return this.members.get(key);
  }

  /** Adds or replaces a member. */
  set(member: PresenceMember): void {
    this.leftByConnection.get(member.connectionId)?.delete(member.key);
    this.dataBytes +=
      memberDataSize(member.data) - memberDataSize(this.members.get(member.key)?.data);
    this.members.set(member.key, member);
    let keys = this.byConnection.get(member.connectionId);
    if (!keys) this.byConnection.set(member.connectionId, (keys = new Set()));
    keys.add(member.key);
    this.version++;
  }

  /** Removes a member; returns it when it was present. */
  delete(key: string): PresenceMember | undefined {
    const member = this.members.get(key);
    if (!member) return undefined;
    this.members.delete(key);
    this.dataBytes -= memberDataSize(member.data);
    const keys = this.byConnection.get(member.connectionId);
    keys?.delete(key);
    if (keys?.size === 0) this.byConnection.delete(member.connectionId);
    this.version++;
    return member;
  }

  /** Records the id of a member's own LEAVE (it is absent now). */
  recordLeave(key: string, connectionId: string, id: string): void {
    let left = this.leftByConnection.get(connectionId);
    if (!left) this.leftByConnection.set(connectionId, (left = new Map<string, string>()));
    left.set(key, id);
  }

  /** The id of the member's own latest LEAVE, while it stays absent. */
  leaveId(key: string, connectionId: string): string | undefined {
    return this.leftByConnection.get(connectionId)?.get(key);
  }

  /** Forgets what one connection's members left with (its attachment is gone). */
  forgetConnection(connectionId: string): void {
    this.leftByConnection.delete(connectionId);
  }

  /** Members entered through one connection. */
  ofConnection(connectionId: string): PresenceMember[] {
    const keys = this.byConnection.get(connectionId);
    if (!keys) return [];
    const out: PresenceMember[] = [];
    for (const key of keys) {
      const m = this.members.get(key);
      if (m) out.push(m);
    }
    return out;
  }

  /** All members in a stable (insertion) order. */
  values(): IterableIterator<PresenceMember> {
    return this.members.values();
  }
}
