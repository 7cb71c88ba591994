import { issueTokenFromRequest, toTokenDetails } from '../../auth/tokens.js';
import { AblyError } from '../../protocol/errors.js';
import type { Route } from '../router.js';

/**
 * `POST /keys/<keyName>/requestToken`: exchanges a signed TokenRequest (mac checked, protocol
 * §9.2) — or an unsigned one sent with the key's Basic auth — for TokenDetails.
 */
export const keyRoutes: Route[] = [
  {
    method: 'POST',
    path: /^\/keys\/([^/]+)\/requestToken$/,
    handler: async (ctx) => {
      const body = await ctx.body();
      let principal;
      try {
        principal = ctx.optionalPrincipal();
      } catch (err) {
        // A bad Authorization header does not matter when the request is signed.
        if (!(err instanceof AblyError)) throw err;
      }
      const record = issueTokenFromRequest(ctx.env.apps, ctx.param(0), body, principal);
      ctx.send(200, toTokenDetails(record));
    },
  },
];
