import type { OutboundFrame } from '../protocol/codec.js';
import type { Attachment } from './channel.js';

/** Most frames a channel keeps for resumes; a client that missed more re-syncs instead. */
export const MAX_LOGGED_FRAMES = 1000;
/** Most bytes (of the formats encoded so far) a channel keeps for resumes. */
export const MAX_LOGGED_BYTES = 4 * 1024 * 1024;

/** One frame that set a channelSerial on its recipients (a MESSAGE or PRESENCE broadcast). */
interface LogEntry {
  /** Position of the frame's channelSerial (see `Channel.positionOf`). */
  readonly position: number;
  readonly frame: OutboundFrame;
  readonly presence: boolean;
  /** Which attachments it was for; pure in the attachment's modes and connection. */
  readonly include: (att: Attachment) => boolean;
  readonly bytes: number;
}

/** What an attachment missed, by kind (they are sent on either side of the ATTACHED). */
export interface Missed {
  presence: OutboundFrame[];
  messages: OutboundFrame[];
}

/**
 * The channel's latest serial-bearing frames, so that a resumed client gets what it missed.
 *
 * Frames the server wrote to a socket in the moments before it noticed the socket was dead are
 * lost, and nothing is written while the connection is away. On the resumed ATTACH the client says
 * the last channelSerial it saw; everything after it that was for this attachment is sent again,
 * in order. When the log no longer reaches back that far, continuity is lost and the client must
 * re-sync (ATTACHED without RESUMED).
 *
 * Kept per channel rather than per attachment: one entry per broadcast whatever the number of
 * recipients; who an entry was for is worked out again (`include`) when a client comes back.
 * Frames without a channelSerial (`[meta]occupancy`) are not kept: every ATTACHED is followed by
 * the current metrics anyway.
 */
export class ChannelLog {
  private entries: LogEntry[] = [];
  private head = 0;
  private bytes = 0;
  /** A client whose last serial is at or after this position missed nothing that was dropped. */
  private floor: number;

  constructor(position: number) {
    this.floor = position;
  }

  /** Records a frame just broadcast, evicting the oldest beyond the limits. */
  append(
    position: number,
    frame: OutboundFrame,
    presence: boolean,
    include: (att: Attachment) => boolean,
  ): void {
    const bytes = frame.retainedBytes();
    this.entries.push({ position, frame, presence, include, bytes });
    this.bytes += bytes;
    while (
      this.entries.length - this.head > MAX_LOGGED_FRAMES ||
      (this.bytes > MAX_LOGGED_BYTES && this.entries.length - this.head > 1)
    ) {
      const old = this.entries[this.head]!;
      this.entries[this.head++] = undefined as unknown as LogEntry;
      this.bytes -= old.bytes;
      this.floor = old.position;
    }
    if (this.head > 1024 && this.head * 2 > this.entries.length) {
      this.entries = this.entries.slice(this.head);
      this.head = 0;
    }
  }

  /**
   * The frames for `att` after position `after`, or `undefined` when some of them are no longer
   * kept. `lastIncluded` is the position of the last frame that was for `att`: when it is not
   * after `after`, nothing was missed, however little the log still holds.
   */
  framesAfter(after: number, att: Attachment, lastIncluded: number): Missed | undefined {
    const out: Missed = { presence: [], messages: [] };
    if (lastIncluded <= after) return out;
    if (after < this.floor) return undefined;
    for (let i = this.head; i < this.entries.length; i++) {
      const entry = this.entries[i]!;
      if (entry.position <= after || !entry.include(att)) continue;
      (entry.presence ? out.presence : out.messages).push(entry.frame);
    }
    return out;
  }

  /** Forgets every frame (no attachment is left that could resume). */
  clear(position: number): void {
    this.entries = [];
    this.head = 0;
    this.bytes = 0;
    this.floor = position;
  }
}
