import { MessageAction } from '../protocol/actions.js';
import { Errors } from '../protocol/errors.js';
import type { WireMessage } from '../protocol/types.js';
import type { Channel, StoredMessage } from '../state/channel.js';
import { messageSize, type PublishOrigin, publishMessages } from './handlers/message.js';
import { changeMessage, getMessage } from './mutable-messages.js';
import type { Realtime } from './realtime.js';

/** The name of the channel messages that are Ably Chat messages (CHA-M4l). */
export const CHAT_MESSAGE_NAME = 'chat.message';

/** The channel of an Ably Chat room (@ably/chat: `<room>::$chat`). */
export function chatChannelName(room: string): string {
  return `${room}::$chat`;
}

/** What a chat message says: its text, and the optional metadata and headers of its sender. */
export interface ChatMessageContent {
  text: string;
  metadata?: Record<string, unknown>;
  headers?: Record<string, unknown>;
}

/** Who edits or deletes a message, and why (the new version's `clientId`, `description`, `metadata`). */
export interface ChatOperation {
  clientId?: string;
  description?: string;
  metadata?: Record<string, string>;
}

/**
 * A chat message as a channel message, the way Ably Chat carries it (@ably/chat
 * `message-parser.ts`): name `chat.message`, `data` `{ text, metadata }` (JSON, so it decodes to
 * an object in both wire formats), the headers in `extras.headers`.
 */
function toChannelMessage(
  content: ChatMessageContent,
): Pick<WireMessage, 'data' | 'encoding' | 'extras'> {
  return {
    data: JSON.stringify({
      text: content.text,
      ...(content.metadata !== undefined ? { metadata: content.metadata } : {}),
    }),
    encoding: 'json',
    ...(content.headers !== undefined ? { extras: { headers: content.headers } } : {}),
  };
}

/**
 * Sends a chat message to a room's channel: a `chat.message` publish with every rule of a
 * channel publish (size 40009, clientId 40012, `idBase` as the message id so a retried
 * idempotency key gives back the first message, history, fan-out to subscribers, the origin's
 * user claim in `extras.userClaim`). Returns the message as stored.
 */
export function sendChatMessage(
  rt: Realtime,
  channel: Channel,
  content: ChatMessageContent,
  origin: PublishOrigin & { messageId?: string },
): StoredMessage {
  const message: WireMessage = {
    name: CHAT_MESSAGE_NAME,
    ...toChannelMessage(content),
    ...(origin.messageId !== undefined ? { id: origin.messageId } : {}),
  };
  const [serial] = publishMessages(rt, channel, [message], origin);
  return getMessage(channel, serial!);
}

/**
 * Replaces a chat message's text, metadata and headers (PUT semantics: what is left out is
 * removed; its user claim stays the sender's) as a `message.update` version. 40400 for a message
 * that is not a retained chat message; 40009 when the new version does not fit in
 * `maxMessageSize`, as for a send (an edit must not grow a message past the limit).
 */
export function updateChatMessage(
  rt: Realtime,
  channel: Channel,
  serial: string,
  content: ChatMessageContent,
  operation: ChatOperation,
): StoredMessage {
  const current = getChatMessage(channel, serial);
  const next = toChannelMessage(content);
  const userClaim = current.extras?.['userClaim'];
  if (userClaim !== undefined) next.extras = { ...next.extras, userClaim };
  const size = messageSize({ name: CHAT_MESSAGE_NAME, clientId: current.clientId, ...next });
  if (size > rt.options.maxMessageSize) {
    throw Errors.messageTooLarge(size, rt.options.maxMessageSize);
  }
  return changeMessage(channel, serial, {
    action: MessageAction.UPDATE,
    content: next,
    ...operation,
  });
}

/** Marks a chat message deleted (a `message.delete` version; its content stays). 40400 as above. */
export function deleteChatMessage(
  channel: Channel,
  serial: string,
  operation: ChatOperation,
): StoredMessage {
  getChatMessage(channel, serial);
  return changeMessage(channel, serial, { action: MessageAction.DELETE, ...operation });
}

/** The latest version of a retained chat message; 40400 for any other serial. */
export function getChatMessage(channel: Channel, serial: string): StoredMessage {
  const message = getMessage(channel, serial);
  if (message.name !== CHAT_MESSAGE_NAME) {
    throw Errors.notFound(
      `Message "${serial}" of channel "${channel.name}" is not a chat message.`,
    );
  }
  return message;
}

/** Whether a stored message is a chat message (what the chat history lists). */
export function isChatMessage(m: StoredMessage): boolean {
  return m.name === CHAT_MESSAGE_NAME && m.action !== undefined && m.action <= MessageAction.DELETE;
}
