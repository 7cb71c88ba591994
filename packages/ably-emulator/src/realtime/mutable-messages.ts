import { Action, Flag, MessageAction } from '../protocol/actions.js';
import { OutboundFrame } from '../protocol/codec.js';
import { Errors } from '../protocol/errors.js';
import type { MessageVersionWire, WireMessage } from '../protocol/types.js';
import type { Channel, StoredMessage } from '../state/channel.js';
import { broadcast } from './fanout.js';

/** A stored message's serial (the key its history entries are sorted by). */
export const serialOf = (m: StoredMessage): string => m.serial;

/** The latest version of a retained message, by serial. */
export function findMessage(channel: Channel, serial: string): StoredMessage | undefined {
  return channel.messages.find(serial, serialOf);
}

/** The latest version of a retained message; 40400 when the channel has no such message. */
export function getMessage(channel: Channel, serial: string): StoredMessage {
  const message = findMessage(channel, serial);
  if (!message) {
    throw Errors.notFound(
      `No message with serial "${serial}" on channel "${channel.name}" (or it is older than the history retention).`,
    );
  }
  return message;
}

/** What an update or a delete does to a message, and the operation's details (its `version`). */
export interface MessageChange {
  action: typeof MessageAction.UPDATE | typeof MessageAction.DELETE;
  /**
   * The new content; every field of it replaces the old one, and one left out is removed (PUT
   * semantics). Absent: the content stays (a delete).
   */
  content?: Pick<WireMessage, 'data' | 'encoding' | 'extras'>;
  /** Who made the change. */
  clientId?: string;
  description?: string;
  metadata?: Record<string, string>;
}

/**
 * Applies an update or delete to a retained message (40400 otherwise), as Ably does for mutable
 * messages: the new version keeps the message's `serial` and `timestamp` (when it was created)
 * and gets a `version` with a new serial (sorting after every earlier one), the time of the
 * change and who made it and why. It replaces the message in history, in the place of the
 * original, joins the message's versions, and goes to subscribers as a MESSAGE with the action
 * (`message.update` / `message.delete`), so they can reconcile it by serial and version.
 * Returns the new version.
 */
export function changeMessage(
  channel: Channel,
  serial: string,
  change: MessageChange,
): StoredMessage {
  const current = getMessage(channel, serial);
  const timestamp = channel.app.now();
  const version: MessageVersionWire = {
    serial: channel.nextSerial(),
    timestamp,
    ...(change.clientId !== undefined ? { clientId: change.clientId } : {}),
    ...(change.description !== undefined ? { description: change.description } : {}),
    ...(change.metadata !== undefined ? { metadata: change.metadata } : {}),
  };
  const next: StoredMessage = { ...current, action: change.action, version };
  if (change.content) {
    delete next.data;
    delete next.encoding;
    delete next.extras;
    Object.assign(next, definedOnly(change.content));
  }
  channel.messageRecords.of(current).versions.push(next);
  channel.messages.replace(serial, serialOf, next);
  broadcastMessages(channel, [next], timestamp);
  return next;
}

/**
 * Every version of a retained message, oldest first: the message as published, then each update
 * or delete (40400 when there is no such message).
 */
export function messageVersions(channel: Channel, serial: string): StoredMessage[] {
  const message = getMessage(channel, serial);
  return channel.messageRecords.get(serial)?.versions ?? [message];
}

/**
 * Sends server-made MESSAGEs (versions, summaries) to every attachment with SUBSCRIBE, with the
 * channel's current serial, kept in the channel's log for resumes like any other MESSAGE.
 */
export function broadcastMessages(
  channel: Channel,
  messages: WireMessage[],
  timestamp: number,
): void {
  const frame = new OutboundFrame({
    action: Action.MESSAGE,
    channel: channel.name,
    channelSerial: channel.serial,
    timestamp,
    messages,
  });
  broadcast(channel, frame, (a) => (a.modes & Flag.SUBSCRIBE) !== 0, {
    channelSerial: channel.serial,
    presence: false,
  });
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
