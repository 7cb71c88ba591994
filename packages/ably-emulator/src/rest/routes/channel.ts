import type { Route } from '../router.js';

/**
 * `GET /channels/<ch>`: channel details with occupancy metrics (`channel.status()`).
 * Needs the `channel-metadata` capability, as on Ably. An unknown channel is inactive with zeros.
 */
export const channelRoutes: Route[] = [
  {
    method: 'GET',
    path: /^\/channels\/([^/]+)$/,
    handler: (ctx) => {
      const name = ctx.param(0);
      const app = ctx.authorize(name, 'channel-metadata');
      const channel = app.findChannel(name);
      const metrics = channel
        ? channel.metrics()
        : {
            connections: 0,
            publishers: 0,
            subscribers: 0,
            presenceConnections: 0,
            presenceMembers: 0,
            presenceSubscribers: 0,
            objectPublishers: 0,
            objectSubscribers: 0,
          };
      ctx.send(200, {
        channelId: name,
        name,
        status: {
          isActive: metrics.connections > 0 || metrics.presenceMembers > 0,
          occupancy: { metrics },
        },
      });
    },
  },
];
