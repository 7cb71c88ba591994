import type { Route } from '../router.js';

/** `GET /time`: `[ms]`, used by `client.time()` and `auth.queryTime`. No auth. */
export const timeRoutes: Route[] = [
  {
    method: 'GET',
    path: /^\/time$/,
    handler: (ctx) => ctx.send(200, [ctx.env.options.now()]),
  },
];
