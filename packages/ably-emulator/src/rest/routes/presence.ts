import { PresenceAction } from '../../protocol/actions.js';
import { Errors } from '../../protocol/errors.js';
import { memberToWire } from '../../realtime/presence.js';
import type { PresenceMember } from '../../state/presence-set.js';
import { itemsFor, parseLimit } from '../http.js';
import type { Route } from '../router.js';

/**
 * `GET /channels/<ch>/presence`: the current members (action PRESENT), filtered by `clientId`
 * and `connectionId`, in a stable order, `limit` per page (default 100, at most 1000), with an
 * offset cursor and `Link` pagination. Needs `subscribe` or `presence`.
 */
export const presenceRoutes: Route[] = [
  {
    method: 'GET',
    path: /^\/channels\/([^/]+)\/presence$/,
    handler: (ctx) => {
      const name = ctx.param(0);
      const app = ctx.authorize(name, 'subscribe', 'presence');
      const q = ctx.query;
      const limit = parseLimit(q);
      const clientId = q.get('clientId') ?? undefined;
      const connectionId = q.get('connectionId') ?? undefined;
      const cursorRaw = q.get('cursor') ?? undefined;
      const offset = cursorRaw === undefined ? 0 : Number(cursorRaw);
      if (!Number.isInteger(offset) || offset < 0) {
        throw Errors.invalidParameter(
          'Invalid cursor: follow the Link header instead of building one.',
        );
      }
      const page: PresenceMember[] = [];
      let matched = 0;
      let more = false;
      const channel = app.findChannel(name);
      if (channel) {
        for (const m of channel.presence.values()) {
          if (clientId !== undefined && m.clientId !== clientId) continue;
          if (connectionId !== undefined && m.connectionId !== connectionId) continue;
          if (matched++ < offset) continue;
          if (page.length === limit) {
            more = true;
            break;
          }
          page.push(m);
        }
      }
      const items = itemsFor(
        page.map((m) => memberToWire(m, PresenceAction.PRESENT)),
        ctx.bodyFormat,
      );
      ctx.sendPage(
        items,
        'presence',
        { limit, clientId, connectionId },
        cursorRaw,
        more ? String(offset + limit) : undefined,
      );
    },
  },
];
