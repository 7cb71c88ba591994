import type { Route } from '../router.js';

/**
 * `GET /chat/v4/rooms/<room>/occupancy`: `{connections, presenceMembers}` of channel
 * `<room>::$chat`, for @ably/chat's `room.occupancy.get()`. Needs `channel-metadata` on that channel.
 */
export const chatRoutes: Route[] = [
  {
    method: 'GET',
    path: /^\/chat\/v\d+\/rooms\/([^/]+)\/occupancy$/,
    handler: (ctx) => {
      const channelName = `${ctx.param(0)}::$chat`;
      const app = ctx.authorize(channelName, 'channel-metadata');
      const channel = app.findChannel(channelName);
      ctx.send(200, {
        connections: channel?.attachments.size ?? 0,
        presenceMembers: channel?.presence.size ?? 0,
      });
    },
  },
];
