import { MessageAction } from '../protocol/actions.js';
import type { Channel, StoredMessage } from '../state/channel.js';

/** Ably Chat's message reaction types and the annotation types that carry them. */
export const REACTION_TYPES = {
  unique: 'reaction:unique.v1',
  distinct: 'reaction:distinct.v1',
  multiple: 'reaction:multiple.v1',
} as const;
export type ReactionType = keyof typeof REACTION_TYPES;

const ACTIONS: Record<number, string> = {
  [MessageAction.CREATE]: 'message.create',
  [MessageAction.UPDATE]: 'message.update',
  [MessageAction.DELETE]: 'message.delete',
};

/**
 * A chat message as the Chat REST API v4 answers it (@ably/chat `RestMessage`): `serial`, the
 * `version` (`serial`, `timestamp`, and for an update or delete who made it, why and its
 * metadata), `text`, `clientId`, `action` as a string, `metadata` and `headers` (`{}` when none),
 * `userClaim` when the sender's JWT had one, `timestamp` (when the message was created) and
 * `reactions` (the reaction types of its annotation summary; `{}` each when none).
 */
export function toRestChatMessage(channel: Channel, m: StoredMessage): Record<string, unknown> {
  const content = contentOf(m);
  const headers = m.extras?.['headers'];
  const userClaim = m.extras?.['userClaim'];
  const summary = channel.messageRecords.get(m.serial)?.summary.toWire() ?? {};
  return {
    serial: m.serial,
    version: {
      ...m.version,
      serial: m.version?.serial ?? m.serial,
      timestamp: m.version?.timestamp ?? m.timestamp,
    },
    text: typeof content['text'] === 'string' ? content['text'] : '',
    clientId: m.clientId ?? '',
    action: ACTIONS[m.action ?? 0] ?? 'message.create',
    metadata: isObject(content['metadata']) ? content['metadata'] : {},
    headers: isObject(headers) ? headers : {},
    ...(typeof userClaim === 'string' ? { userClaim } : {}),
    timestamp: m.timestamp,
    reactions: reactionsOf(summary),
  };
}

/** Chat's `reactions` (`unique`, `distinct`, `multiple`) out of an annotation summary. */
export function reactionsOf(summary: Record<string, unknown>): Record<ReactionType, unknown> {
  return {
    unique: summary[REACTION_TYPES.unique] ?? {},
    distinct: summary[REACTION_TYPES.distinct] ?? {},
    multiple: summary[REACTION_TYPES.multiple] ?? {},
  };
}

/** `{ text, metadata }` of a chat message's data (a JSON string, or an object from a publisher). */
function contentOf(m: StoredMessage): Record<string, unknown> {
  let data: unknown = m.data;
  if (typeof data === 'string' && m.encoding === 'json') {
    try {
      data = JSON.parse(data);
    } catch {
      data = undefined;
    }
  }
  return isObject(data) ? data : {};
}

function isObject(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    !(value instanceof Uint8Array)
  );
}
