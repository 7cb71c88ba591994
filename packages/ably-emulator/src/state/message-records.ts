import { AnnotationSummary } from './annotation-summary.js';
import type { StoredMessage } from './channel.js';

/** What a message gathers after it is published: its versions and its annotations' summary. */
export interface MessageRecord {
  /** Every version, oldest first: the message as published, then each update or delete. */
  readonly versions: StoredMessage[];
  readonly summary: AnnotationSummary;
}

/**
 * The records of a channel's messages that were updated, deleted or annotated, by message serial
 * (the other messages have none: their one version is in history). A record lives as long as its
 * message's history entry: it goes once the message was published longer ago than the retention.
 */
export class MessageRecords {
  private readonly records = new Map<string, { publishedAt: number; record: MessageRecord }>();

  /**
   * @param retentionMs - the channel's history retention (read on every check, so it may change).
   * @param now - the clock.
   */
  constructor(
    private readonly retentionMs: () => number,
    private readonly now: () => number,
  ) {}

  /** Number of records kept (expired ones dropped first). */
  get size(): number {
    this.prune();
    return this.records.size;
  }

  /** The record of a message, if it has one and its message is still retained. */
  get(serial: string): MessageRecord | undefined {
    const entry = this.records.get(serial);
    if (entry && entry.publishedAt < this.cutoff()) {
      this.records.delete(serial);
      return undefined;
    }
    return entry?.record;
  }

  /** The record of a retained message, made on first use with the message as its first version. */
  of(message: StoredMessage): MessageRecord {
    const existing = this.get(message.serial);
    if (existing) return existing;
    const record: MessageRecord = { versions: [message], summary: new AnnotationSummary() };
    this.records.set(message.serial, { publishedAt: message.timestamp, record });
    return record;
  }

  /**
   * Drops the records of messages past the retention. Records are made in the order messages are
   * first changed, not published, so this looks at every one: the emulator's sweep calls it (via
   * `Channel.isIdle`) now and then, and `get` checks the one it is asked for.
   */
  prune(): void {
    const cutoff = this.cutoff();
    for (const [serial, entry] of this.records) {
      if (entry.publishedAt < cutoff) this.records.delete(serial);
    }
  }

  private cutoff(): number {
    return this.now() - this.retentionMs();
  }
}
