import { Errors } from '../../protocol/errors.js';
import { parseMessage } from '../../protocol/parse.js';
import { resolveIdentity } from '../../realtime/connect.js';
import { publishMessages } from '../../realtime/handlers/message.js';
import { effectiveClientId } from '../../realtime/presence.js';
import { randomId } from '../../state/ids.js';
import type { RestContext } from '../context.js';
import type { Route } from '../router.js';
import { sendHistoryPage } from './history-page.js';

/** Most messages one REST publish (or one batch publish spec) may carry. */
export const MAX_MESSAGES_PER_PUBLISH = 1000;

/**
 * Who a REST publisher is: its credentials, and the clientId ably-js sends as `X-Ably-ClientId`
 * (base64) with Basic auth (RSA7e2). Throws 40102/40012 as a realtime connect would.
 */
export function restIdentity(ctx: RestContext): ReturnType<typeof resolveIdentity> {
  const header = ctx.req.headers['x-ably-clientid'];
  const requested =
    typeof header === 'string' && header !== ''
      ? Buffer.from(header, 'base64').toString('utf8')
      : null;
  return resolveIdentity(ctx.principal(), requested);
}

/**
 * `GET /channels/<ch>/messages`: message history (REST and realtime `channel.history()`), with
 * `start`, `end`, `limit`, `direction` and `from_serial` (realtime `untilAttach`: only messages
 * up to the attach point). Needs `history`.
 *
 * `POST /channels/<ch>/messages`: publishes one message or an array, like a realtime publish
 * (same size limit 40009, clientId rules 40012, idempotent ids `<base>:<i>`, fan-out to realtime
 * subscribers). Answers 201 `{channel, messageId, serials}`. Needs `publish`.
 */
export const messageRoutes: Route[] = [
  {
    method: 'GET',
    path: /^\/channels\/([^/]+)\/messages$/,
    handler: (ctx) => {
      const name = ctx.param(0);
      const app = ctx.authorize(name, 'history');
      const fromSerial = ctx.query.get('from_serial') || undefined;
      sendHistoryPage(
        ctx,
        app.findChannel(name)?.messages,
        'messages',
        { from_serial: fromSerial },
        // Serials are sortable strings, and an ATTACHED channelSerial is one of them.
        fromSerial === undefined ? undefined : (m) => m.serial <= fromSerial,
      );
    },
  },
  {
    method: 'POST',
    path: /^\/channels\/([^/]+)\/messages$/,
    handler: async (ctx) => {
      const name = ctx.param(0);
      const app = ctx.authorize(name, 'publish');
      const body = await ctx.body();
      const raw = Array.isArray(body) ? body : body === undefined ? [] : [body];
      if (raw.length === 0) {
        throw Errors.badRequest('Nothing to publish: send a message object or a non-empty array.');
      }
      if (raw.length > MAX_MESSAGES_PER_PUBLISH) {
        throw Errors.badRequest(
          `Too many messages in one publish (${raw.length}): send at most ${MAX_MESSAGES_PER_PUBLISH}.`,
        );
      }
      const messages = raw.map(parseMessage);
      const identity = restIdentity(ctx);
      const idBase = randomId(9);
      const userClaim = ctx.principal().claims?.for(name);
      const serials = publishMessages(ctx.env.realtime, app.channel(name), messages, {
        idBase,
        clientIdOf: (explicit) => effectiveClientId({ identity }, explicit, false),
        ...(userClaim !== undefined ? { userClaim } : {}),
      });
      const firstId = messages[0]?.id;
      ctx.send(201, {
        channel: name,
        messageId: firstId === undefined ? idBase : firstId.replace(/:\d+$/, ''),
        serials,
      });
    },
  },
];
