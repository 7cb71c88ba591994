import { Flag } from '../protocol/actions.js';
import type { WireMessage, WirePresenceMessage } from '../protocol/types.js';
import type { App } from './app.js';
import { ChannelLog } from './channel-log.js';
import type { Connection } from './connection.js';
import { HistoryStore } from './history.js';
import { MessageRecords } from './message-records.js';
import { PresenceSet } from './presence-set.js';

/** Inband occupancy metrics, as `[meta]occupancy` and `GET /channels/<ch>` report them. */
export interface OccupancyMetrics {
  connections: number;
  publishers: number;
  subscribers: number;
  presenceConnections: number;
  presenceMembers: number;
  presenceSubscribers: number;
  objectPublishers: number;
  objectSubscribers: number;
}

/**
 * A stored message: what was published, with server-assigned id, serial and timestamp. After an
 * update or delete it is the latest version (same serial and timestamp, a newer `version`).
 */
export type StoredMessage = WireMessage & {
  id: string;
  timestamp: number;
  serial: string;
  connectionId?: string;
};

/** A stored presence event (ENTER, UPDATE or LEAVE). */
export type StoredPresence = WirePresenceMessage & {
  id: string;
  timestamp: number;
  clientId: string;
  connectionId: string;
};

/** One connection's attachment to one channel. */
export interface Attachment {
  readonly connection: Connection;
  readonly channel: Channel;
  /**
   * The name the client attached with, which every frame for it carries: the channel's own
   * name, or one with a `[?params]` qualifier (`[?rewind=1]room` for channel `room`).
   */
  readonly name: string;
  /** Mode bits the client's last ATTACH asked for (0: none, so the default modes it may have). */
  requested: number;
  /** Granted mode bits (requested ∩ capability). */
  modes: number;
  /** Channel params echoed in ATTACHED (e.g. `occupancy`). */
  params: Record<string, string>;
  /** Is sent `[meta]occupancy` events: asked for them and may read them (`receivesOccupancy`). */
  occupancy: boolean;
  /**
   * Nothing is written for it: its connection is away, or resumed and the client has not
   * re-attached the channel yet. The re-ATTACH sends what was missed (from the channel's log).
   */
  paused: boolean;
  /** Channel position when it was made (nothing from before was for it). */
  readonly since: number;
  /** Position of the last logged frame that was for it, written or not. */
  lastPosition: number;
}

const COUNTED_MODES = {
  publishers: Flag.PUBLISH,
  subscribers: Flag.SUBSCRIBE,
  presenceConnections: Flag.PRESENCE,
  presenceSubscribers: Flag.PRESENCE_SUBSCRIBE,
  objectPublishers: Flag.OBJECT_PUBLISH,
  objectSubscribers: Flag.OBJECT_SUBSCRIBE,
} as const;
type CountedMode = keyof typeof COUNTED_MODES;

/**
 * A channel of one app: attachments, the presence set, message and presence history, and
 * occupancy counters kept incrementally (reading metrics is O(1)).
 */
export class Channel {
  /** Attachments by connectionId. */
  readonly attachments = new Map<string, Attachment>();
  readonly presence = new PresenceSet();
  readonly messages: HistoryStore<StoredMessage>;
  /** Versions and annotation summaries of the messages that were updated, deleted or annotated. */
  readonly messageRecords: MessageRecords;
  readonly presenceHistory: HistoryStore<StoredPresence>;
  /** The latest MESSAGE and PRESENCE broadcasts, for clients that resume. */
  readonly log = new ChannelLog(0);
  /** The namespace: the part of the name before the first `:` (none when there is no `:`). */
  readonly namespace: string | undefined;
  /** Bookkeeping of the occupancy publisher (realtime layer). */
  occupancyState: { timer: NodeJS.Timeout | undefined; last: string | undefined } = {
    timer: undefined,
    last: undefined,
  };
  /** Attachments that asked for occupancy events. */
  occupancySubscribers = 0;

  private readonly counts: Record<CountedMode, number> = {
    publishers: 0,
    subscribers: 0,
    presenceConnections: 0,
    presenceSubscribers: 0,
    objectPublishers: 0,
    objectSubscribers: 0,
  };
  private readonly epoch = Date.now().toString(36);
  private seq = 0;

  constructor(
    readonly name: string,
    readonly app: App,
  ) {
    const colon = name.indexOf(':');
    this.namespace = colon > 0 ? name.slice(0, colon) : undefined;
    const retention = () => app.retentionFor(this.namespace);
    this.messages = new HistoryStore<StoredMessage>(retention, app.now);
    this.messageRecords = new MessageRecords(retention, app.now);
    this.presenceHistory = new HistoryStore<StoredPresence>(retention, app.now);
  }

  /** The current channel serial: always truthy, changes with every message or presence event. */
  get serial(): string {
    return this.serialOf(this.seq);
  }

  /**
   * Advances and returns the channel serial (also used as a message `serial`, a version serial or
   * an annotation serial: each new one sorts after every earlier one, as strings too).
   */
  nextSerial(): string {
    return this.serialOf(++this.seq);
  }

  /** Where the channel serial is now, as a number: each message or presence event adds one. */
  get position(): number {
    return this.seq;
  }

  /** The position of one of this channel's serials; `undefined` for anything else. */
  positionOf(serial: string): number | undefined {
    const prefix = `${this.epoch}-`;
    if (!serial.startsWith(prefix)) return undefined;
    const digits = serial.slice(prefix.length);
    if (!/^\d{12,}$/.test(digits)) return undefined;
    const position = Number(digits);
    return position <= this.seq ? position : undefined;
  }

  private serialOf(seq: number): string {
    return `${this.epoch}-${String(seq).padStart(12, '0')}`;
  }

  /** Adds an attachment and counts it. */
  addAttachment(att: Attachment): void {
    this.attachments.set(att.connection.id, att);
    this.count(att.modes, 1);
    if (att.occupancy) this.occupancySubscribers++;
    this.app.observer?.attachmentChanged(att, true);
  }

  /** Changes an attachment's modes or occupancy opt-in, keeping counters right. */
  updateAttachment(att: Attachment, modes: number, occupancy: boolean): void {
    this.count(att.modes, -1);
    if (att.occupancy) this.occupancySubscribers--;
    att.modes = modes;
    att.occupancy = occupancy;
    this.count(att.modes, 1);
    if (att.occupancy) this.occupancySubscribers++;
  }

  /** Removes a connection's attachment; returns it when there was one. */
  removeAttachment(connectionId: string): Attachment | undefined {
    const att = this.attachments.get(connectionId);
    if (!att) return undefined;
    this.attachments.delete(connectionId);
    this.presence.forgetConnection(connectionId);
    this.count(att.modes, -1);
    if (att.occupancy) this.occupancySubscribers--;
    if (this.attachments.size === 0) this.log.clear(this.seq);
    this.app.observer?.attachmentChanged(att, false);
    return att;
  }

  private count(modes: number, delta: number): void {
    for (const key of Object.keys(COUNTED_MODES) as CountedMode[]) {
      if (modes & COUNTED_MODES[key]) this.counts[key] += delta;
    }
  }

  /** Current occupancy metrics. */
  metrics(): OccupancyMetrics {
    return {
      connections: this.attachments.size,
      publishers: this.counts.publishers,
      subscribers: this.counts.subscribers,
      presenceConnections: this.counts.presenceConnections,
      presenceMembers: this.presence.size,
      presenceSubscribers: this.counts.presenceSubscribers,
      objectPublishers: this.counts.objectPublishers,
      objectSubscribers: this.counts.objectSubscribers,
    };
  }

  /** True when nothing refers to the channel any more and it may be forgotten. */
  isIdle(): boolean {
    return (
      this.attachments.size === 0 &&
      this.presence.size === 0 &&
      this.occupancyState.timer === undefined &&
      this.messages.size === 0 &&
      this.messageRecords.size === 0 &&
      this.presenceHistory.size === 0
    );
  }
}
