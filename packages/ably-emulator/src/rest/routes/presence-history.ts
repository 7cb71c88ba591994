import type { Route } from '../router.js';
import { sendHistoryPage } from './history-page.js';

/**
 * `GET /channels/<ch>/presence/history`: ENTER/UPDATE/LEAVE events as clients received them,
 * newest first by default, with `start`, `end`, `limit`, `direction`, `clientId` and
 * `connectionId`, and `Link` pagination. Kept for the channel's retention (about two minutes, or
 * the persisted retention in a `persisted` namespace). Needs `history`. `from_serial` (realtime
 * `untilAttach`) is accepted and ignored: presence events have no serial.
 */
export const presenceHistoryRoutes: Route[] = [
  {
    method: 'GET',
    path: /^\/channels\/([^/]+)\/presence\/history$/,
    handler: (ctx) => {
      const name = ctx.param(0);
      const app = ctx.authorize(name, 'history');
      sendHistoryPage(ctx, app.findChannel(name)?.presenceHistory, 'history', {
        clientId: ctx.query.get('clientId') ?? undefined,
        connectionId: ctx.query.get('connectionId') ?? undefined,
      });
    },
  },
];
