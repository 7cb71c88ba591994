import { AnnotationAction } from '../../protocol/actions.js';
import { Errors } from '../../protocol/errors.js';
import { isRecord } from '../../protocol/parse.js';
import type { WireAnnotation } from '../../protocol/types.js';
import { publishAnnotations } from '../../realtime/annotations.js';
import { chatChannelName, getChatMessage } from '../../realtime/chat-messages.js';
import { effectiveClientId } from '../../realtime/presence.js';
import type { Channel } from '../../state/channel.js';
import { randomId } from '../../state/ids.js';
import { REACTION_TYPES, type ReactionType, reactionsOf } from '../chat-message.js';
import type { RestContext } from '../context.js';
import type { Route } from '../router.js';
import { restIdentity } from './messages.js';

const REACTIONS = String.raw`^\/chat\/v4\/rooms\/([^/]+)\/messages\/([^/]+)`;

/**
 * Ably Chat message reactions (REST v4, @ably/chat `chat-api.ts`). A reaction is an annotation of
 * the message of type `reaction:unique.v1`, `reaction:distinct.v1` or `reaction:multiple.v1`:
 * subscribers get the message's new summary (`message.summary`), and attachments with the
 * `annotation_subscribe` mode (chat's `rawMessageReactions`) the annotation itself.
 *
 * - `POST …/messages/<serial>/reactions` `{type, name, count?}` (`count` for `multiple` only):
 *   adds one (201). Needs `annotation-publish`.
 * - `DELETE …/messages/<serial>/reactions?type=&name=` (`name` not needed for `unique`): removes
 *   the caller's (200). Needs `annotation-publish`.
 * - `GET …/messages/<serial>/client-reactions?forClientId=`: the reactions of one client (the
 *   caller by default): the summary restricted to the names it reacted with, itself the only client
 *   listed, the totals the message's. Needs `subscribe` or `history`.
 *
 * 40400 for a message that is not a retained chat message; 40003 for an unknown type or a missing
 * name.
 */
export const chatReactionRoutes: Route[] = [
  {
    method: 'POST',
    path: new RegExp(`${REACTIONS}\\/reactions$`),
    handler: async (ctx) => {
      const target = reactionTarget(ctx);
      const body = await ctx.body();
      if (!isRecord(body)) {
        throw Errors.badRequest(
          'Send {"type": "distinct", "name": "👍"} (and "count" for multiple).',
        );
      }
      const type = reactionType(body['type']);
      const name = body['name'];
      if (typeof name !== 'string' || name === '') {
        throw Errors.invalidParameter('name must be the reaction, e.g. "👍".');
      }
      const count = body['count'];
      if (
        type === 'multiple' &&
        count != null &&
        (typeof count !== 'number' || !Number.isInteger(count) || count < 1)
      ) {
        throw Errors.invalidParameter('count must be a positive integer.');
      }
      react(ctx, target, {
        action: AnnotationAction.CREATE,
        type: REACTION_TYPES[type],
        name,
        ...(type === 'multiple' && typeof count === 'number' ? { count } : {}),
      });
      ctx.send(201, {});
    },
  },
  {
    method: 'DELETE',
    path: new RegExp(`${REACTIONS}\\/reactions$`),
    handler: (ctx) => {
      const target = reactionTarget(ctx);
      const type = reactionType(ctx.query.get('type'));
      const name = ctx.query.get('name') ?? undefined;
      if (type !== 'unique' && !name) {
        throw Errors.invalidParameter(`Deleting a ${type} reaction needs its name.`);
      }
      react(ctx, target, {
        action: AnnotationAction.DELETE,
        type: REACTION_TYPES[type],
        ...(type !== 'unique' && name ? { name } : {}),
      });
      ctx.send(200, {});
    },
  },
  {
    method: 'GET',
    path: new RegExp(`${REACTIONS}\\/client-reactions$`),
    handler: (ctx) => {
      const name = chatChannelName(ctx.param(0));
      const app = ctx.authorize(name, 'subscribe', 'history');
      const channel = app.findChannel(name);
      const serial = ctx.param(1);
      if (!channel) throw Errors.notFound(`No message "${serial}" in room "${ctx.param(0)}".`);
      getChatMessage(channel, serial);
      const clientId =
        ctx.query.get('forClientId') ||
        effectiveClientId({ identity: restIdentity(ctx) }, undefined, false);
      const summary = channel.messageRecords.get(serial)?.summary;
      const mine = clientId && clientId !== '*' && summary ? summary.forClient(clientId) : {};
      ctx.send(200, reactionsOf(mine));
    },
  },
];

/**
 * The channel of the path's message, once the caller may react (`annotation-publish`, 40160) and
 * the message is a retained chat message (40400): checked before the request body is read.
 */
function reactionTarget(ctx: RestContext): Channel {
  const name = chatChannelName(ctx.param(0));
  const app = ctx.authorize(name, 'annotation-publish');
  const serial = ctx.param(1);
  const channel = app.findChannel(name);
  if (!channel) throw Errors.notFound(`No message "${serial}" in room "${ctx.param(0)}".`);
  getChatMessage(channel, serial);
  return channel;
}

/** Publishes one reaction annotation on the path's message, as the caller (see the routes). */
function react(
  ctx: RestContext,
  channel: Channel,
  annotation: Omit<WireAnnotation, 'messageSerial'>,
): void {
  const name = channel.name;
  const serial = ctx.param(1);
  const identity = restIdentity(ctx);
  const userClaim = ctx.principal().claims?.for(name);
  publishAnnotations(ctx.env.realtime, channel, [{ ...annotation, messageSerial: serial }], {
    idBase: randomId(9),
    clientIdOf: (explicit) => effectiveClientId({ identity }, explicit, false),
    ...(userClaim !== undefined ? { userClaim } : {}),
  });
}

function reactionType(value: unknown): ReactionType {
  if (value === 'unique' || value === 'distinct' || value === 'multiple') return value;
  throw Errors.invalidParameter(
    `Invalid reaction type ${JSON.stringify(value)}: use "unique", "distinct" or "multiple".`,
  );
}
