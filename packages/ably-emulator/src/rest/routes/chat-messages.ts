import type { Operation } from '../../auth/capability.js';
import { Errors } from '../../protocol/errors.js';
import { checkValue, isRecord } from '../../protocol/parse.js';
import {
  type ChatMessageContent,
  type ChatOperation,
  chatChannelName,
  deleteChatMessage,
  getChatMessage,
  isChatMessage,
  sendChatMessage,
  updateChatMessage,
} from '../../realtime/chat-messages.js';
import { IDEMPOTENCY_WINDOW_MS } from '../../realtime/handlers/message.js';
import { messageVersions } from '../../realtime/mutable-messages.js';
import { effectiveClientId } from '../../realtime/presence.js';
import type { App } from '../../state/app.js';
import type { Channel, StoredMessage } from '../../state/channel.js';
import { randomId } from '../../state/ids.js';
import { toRestChatMessage } from '../chat-message.js';
import type { RestContext } from '../context.js';
import { parseDirection, parseLimit } from '../http.js';
import type { Route } from '../router.js';
import { sendHistoryPage } from './history-page.js';
import { restIdentity } from './messages.js';

/** `/chat/v4/rooms/<room>/messages`, the part of the path every route here starts with. */
const MESSAGES = String.raw`^\/chat\/v4\/rooms\/([^/]+)\/messages`;

/**
 * The Ably Chat REST API v4 for messages, as @ably/chat 1.4 calls it through
 * `realtime.request(method, path, 4, params, body)` (its `chat-api.ts`). Messages are the
 * `chat.message` messages of channel `<room>::$chat`: realtime subscribers get every create,
 * update and delete as it happens, and channel history has them too.
 *
 * - `POST …/messages` `{text, metadata?, headers?}` (`?idempotencyKey=`): sends (201). Needs
 *   `publish` and an identified client (40012).
 * - `GET …/messages`: history, paged with `limit`, `direction` (backwards by default), `start`,
 *   `end`, and `fromSerial` (only messages at or before that serial: `historyBeforeSubscribe`'s
 *   subscription point). Each message in its latest version, where it was first sent. Needs `history`.
 * - `GET …/messages/<serial>`: one message (40400 when unknown). Needs `history`.
 * - `PUT …/messages/<serial>` `{message: {text, metadata?, headers?}, description?, metadata?}`:
 *   updates (200). Needs `message-update-any`, or `message-update-own` for the caller's own message.
 * - `POST …/messages/<serial>/delete` `{description?, metadata?}`: deletes (200). Needs
 *   `message-delete-any`, or `message-delete-own` for the caller's own message.
 * - `GET …/messages/<serial>/versions`: every version, oldest first (paged). Needs `history`.
 *
 * Answers are @ably/chat `RestMessage`s (see {@link toRestChatMessage}).
 */
export const chatMessageRoutes: Route[] = [
  {
    method: 'POST',
    path: new RegExp(`${MESSAGES}$`),
    handler: async (ctx) => {
      const name = chatChannelName(ctx.param(0));
      const app = ctx.authorize(name, 'publish');
      const content = chatContent(await ctx.body(), 'The message');
      const clientId = identifiedClientId(ctx, 'Sending a chat message');
      const userClaim = ctx.principal().claims?.for(name);
      const key = ctx.query.get('idempotencyKey');
      const message = sendChatMessage(ctx.env.realtime, app.channel(name), content, {
        idBase: randomId(9),
        ...(key ? { messageId: key } : {}),
        clientIdOf: () => clientId,
        ...(userClaim !== undefined ? { userClaim } : {}),
      });
      ctx.send(201, toRestChatMessage(app.channel(name), message));
    },
  },
  {
    method: 'GET',
    path: new RegExp(`${MESSAGES}$`),
    handler: (ctx) => {
      const name = chatChannelName(ctx.param(0));
      const app = ctx.authorize(name, 'history');
      const channel = app.findChannel(name);
      const fromSerial = ctx.query.get('fromSerial') || undefined;
      sendHistoryPage(
        ctx,
        channel?.messages,
        'messages',
        { fromSerial },
        // Serials sort as strings; the subscription point is a channelSerial, one of them.
        (m) => isChatMessage(m) && (fromSerial === undefined || m.serial <= fromSerial),
        (items) => items.map((m) => toRestChatMessage(channel!, m)),
      );
    },
  },
  {
    method: 'GET',
    path: new RegExp(`${MESSAGES}\\/([^/]+)$`),
    handler: (ctx) => {
      const channel = readableChannel(ctx);
      ctx.send(200, toRestChatMessage(channel, getChatMessage(channel, ctx.param(1))));
    },
  },
  {
    method: 'PUT',
    path: new RegExp(`${MESSAGES}\\/([^/]+)$`),
    handler: async (ctx) => {
      const target = changeTarget(ctx, 'update');
      const body = await ctx.body();
      if (!isRecord(body)) {
        throw Errors.badRequest(
          'Send {"message": {"text": "..."}, "description"?: "...", "metadata"?: {...}}.',
        );
      }
      const content = chatContent(body['message'], 'message');
      const operation = operationOf(body);
      change(ctx, target, operation, (channel, serial, op) =>
        updateChatMessage(ctx.env.realtime, channel, serial, content, op),
      );
    },
  },
  {
    method: 'POST',
    path: new RegExp(`${MESSAGES}\\/([^/]+)\\/delete$`),
    handler: async (ctx) => {
      const target = changeTarget(ctx, 'delete');
      const body = await ctx.body();
      if (body !== undefined && !isRecord(body)) {
        throw Errors.badRequest('Send {"description"?: "...", "metadata"?: {...}}.');
      }
      const operation = operationOf(body ?? {});
      change(ctx, target, operation, deleteChatMessage);
    },
  },
  {
    method: 'GET',
    path: new RegExp(`${MESSAGES}\\/([^/]+)\\/versions$`),
    handler: (ctx) => {
      const channel = readableChannel(ctx);
      const serial = ctx.param(1);
      getChatMessage(channel, serial);
      sendArrayPage(ctx, messageVersions(channel, serial), 'versions', (m) =>
        toRestChatMessage(channel, m),
      );
    },
  },
];

/** The room's channel after checking the caller may read its history (40160), or 40400. */
function readableChannel(ctx: RestContext): Channel {
  const name = chatChannelName(ctx.param(0));
  const app = ctx.authorize(name, 'history');
  const channel = app.findChannel(name);
  if (!channel) throw Errors.notFound(`No message "${ctx.param(1)}" in room "${ctx.param(0)}".`);
  return channel;
}

/** The caller's clientId; 40012 when it has none (a key without clientId, or a `*` token). */
function identifiedClientId(ctx: RestContext, what: string): string {
  const clientId = effectiveClientId({ identity: restIdentity(ctx) }, undefined, false);
  if (clientId === undefined || clientId === '*') {
    throw Errors.invalidClientId(
      `${what} needs an identified client: give the client a clientId (or a token with one).`,
    );
  }
  return clientId;
}

/** The message an update or delete is for, and who makes it. */
interface ChangeTarget {
  channel: Channel;
  serial: string;
  clientId: string;
}

/**
 * Checks that the caller may update or delete the path's message, before anything of the request
 * body is read: the capability the Chat docs list, `…-any`, or `…-own` when the message is the
 * caller's (40160 otherwise), an identified caller (40012) and a retained chat message (40400).
 */
function changeTarget(ctx: RestContext, kind: 'update' | 'delete'): ChangeTarget {
  const name = chatChannelName(ctx.param(0));
  const any: Operation = kind === 'update' ? 'message-update-any' : 'message-delete-any';
  const own: Operation = kind === 'update' ? 'message-update-own' : 'message-delete-own';
  const app: App = ctx.authorize(name, any, own);
  const clientId = identifiedClientId(ctx, `To ${kind} a chat message`);
  const channel = app.findChannel(name);
  const serial = ctx.param(1);
  if (!channel) throw Errors.notFound(`No message "${serial}" in room "${ctx.param(0)}".`);
  const message = getChatMessage(channel, serial);
  if (!ctx.principal().capability.allows(name, any) && message.clientId !== clientId) {
    throw Errors.notPermitted(
      `Only the sender may ${kind} this message with the "${own}" capability; ${kind === 'update' ? 'editing' : 'deleting'} other clients' messages needs "${any}".`,
    );
  }
  return { channel, serial, clientId };
}

/**
 * Applies an update or delete and answers the new version. A retried `idempotencyKey` (within
 * the idempotency window) answers the version the first request made instead of making another.
 */
function change(
  ctx: RestContext,
  { channel, serial, clientId }: ChangeTarget,
  operation: Omit<ChatOperation, 'clientId'>,
  apply: (channel: Channel, serial: string, op: ChatOperation) => StoredMessage,
): void {
  const key = ctx.query.get('idempotencyKey');
  const done = key ? recentChange(channel, key) : undefined;
  const version = done ?? apply(channel, serial, { ...operation, clientId });
  if (key && !done) rememberChange(channel, key, version);
  ctx.send(200, toRestChatMessage(channel, version));
}

/** Recent update/delete results by idempotency key, per channel, oldest first. */
const recentChanges = new WeakMap<Channel, Map<string, { version: StoredMessage; at: number }>>();

function recentChange(channel: Channel, key: string): StoredMessage | undefined {
  const recent = recentChanges.get(channel);
  if (!recent) return undefined;
  const cutoff = channel.app.now() - IDEMPOTENCY_WINDOW_MS;
  for (const [k, { at }] of recent) {
    if (at >= cutoff) break;
    recent.delete(k);
  }
  return recent.get(key)?.version;
}

function rememberChange(channel: Channel, key: string, version: StoredMessage): void {
  let recent = recentChanges.get(channel);
  if (!recent) {
    recent = new Map<string, { version: StoredMessage; at: number }>();
    recentChanges.set(channel, recent);
  }
  recent.set(key, { version, at: channel.app.now() });
}

/**
 * A chat message's content from a request body: `text` (a string, 40003 otherwise), `metadata`
 * (an object) and `headers` (an object of strings, numbers and booleans), both optional.
 */
function chatContent(value: unknown, what: string): ChatMessageContent {
  if (!isRecord(value)) throw Errors.badRequest(`${what} must be an object like {"text": "hi"}.`);
  const text = value['text'];
  if (typeof text !== 'string') throw Errors.invalidParameter(`${what}.text must be a string.`);
  const content: ChatMessageContent = { text };
  const metadata = value['metadata'];
  if (metadata != null) {
    if (!isRecord(metadata)) throw Errors.invalidParameter(`${what}.metadata must be an object.`);
    checkValue(metadata, `${what}.metadata`);
    content.metadata = metadata;
  }
  const headers = value['headers'];
  if (headers != null) {
    if (!isRecord(headers)) throw Errors.invalidParameter(`${what}.headers must be an object.`);
    checkValue(headers, `${what}.headers`);
    for (const [k, v] of Object.entries(headers)) {
      if (v !== null && !['string', 'number', 'boolean'].includes(typeof v)) {
        throw Errors.invalidParameter(
          `${what}.headers.${k} must be a string, number or boolean (headers are a flat map).`,
        );
      }
    }
    content.headers = headers;
  }
  return content;
}

/** An update's or delete's `description` (a string) and `metadata` (strings by key). */
function operationOf(body: Record<string, unknown>): Omit<ChatOperation, 'clientId'> {
  const out: Omit<ChatOperation, 'clientId'> = {};
  const description = body['description'];
  if (description != null) {
    if (typeof description !== 'string') {
      throw Errors.invalidParameter('description must be a string.');
    }
    out.description = description;
  }
  const metadata = body['metadata'];
  if (metadata != null) {
    if (!isRecord(metadata) || Object.values(metadata).some((v) => typeof v !== 'string')) {
      throw Errors.invalidParameter('metadata must be an object of strings.');
    }
    checkValue(metadata, 'metadata');
    out.metadata = metadata as Record<string, string>;
  }
  return out;
}

/**
 * Answers one page of an in-memory list (`limit`, `direction` forwards by default, and a
 * `cursor` that is the index to continue from), with the `Link` header of any paged resource.
 */
function sendArrayPage<T>(
  ctx: RestContext,
  all: readonly T[],
  word: string,
  present: (item: T) => unknown,
): void {
  const q = ctx.query;
  const limit = parseLimit(q);
  const direction = q.get('direction') ? parseDirection(q) : 'forwards';
  const ordered = direction === 'forwards' ? all : [...all].reverse();
  const rawCursor = q.get('cursor') ?? undefined;
  const start = rawCursor === undefined ? 0 : Number(rawCursor);
  if (!Number.isInteger(start) || start < 0) {
    throw Errors.invalidParameter(
      'Invalid cursor: follow the Link header instead of building one.',
    );
  }
  const page = ordered.slice(start, start + limit);
  const next = start + limit < ordered.length ? String(start + limit) : undefined;
  ctx.sendPage(page.map(present), word, { limit, direction }, rawCursor, next);
}
