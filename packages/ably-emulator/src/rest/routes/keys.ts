import {
  addRevocation,
  MAX_REVOCABLE_TTL_MS,
  MAX_REVOCATION_TARGETS,
  parseTarget,
  REAUTH_MARGIN_MS,
  type Revocation,
} from '../../auth/revocation.js';
import { issueTokenFromRequest, toTokenDetails } from '../../auth/tokens.js';
import { AblyError, Errors } from '../../protocol/errors.js';
import { isRecord } from '../../protocol/parse.js';
import type { ErrorInfoWire } from '../../protocol/types.js';
import type { Route } from '../router.js';

/** One target's outcome (TRS2 / TRF2). */
type TargetResult =
  | { target: string; issuedBefore: number; appliesAt: number }
  | { target: string; error: ErrorInfoWire };

/**
 * `POST /keys/<keyName>/requestToken`: exchanges a signed TokenRequest (mac checked, protocol
 * §9.2) — or an unsigned one sent with the key's Basic auth — for TokenDetails.
 *
 * `POST /keys/<keyName>/revokeTokens` (`auth.revokeTokens()`, RSA17): revokes the tokens that key
 * issued, as Ably's token revocation. Needs that key's Basic auth (40162 with a token, 40133 with
 * another key) and `revocableTokens` on it (40164). The body is `{targets, issuedBefore?,
 * allowReauthMargin?}`: 1-100 targets `clientId:<id>`, `revocationKey:<key>` (a JWT's
 * `x-ably-revocation-key` claim) or `channel:<resource>` (a resource exactly as in the token's
 * capability); `issuedBefore` defaults to now and may be at most an hour old, never in the
 * future (40003). Answers 201 `{successCount, failureCount, results}`, one
 * `{target, issuedBefore, appliesAt}` or `{target, error}` (40000, unknown type) per target.
 * Covered tokens are refused from `appliesAt` on with 40141 (REST and connect) and their live
 * connections get DISCONNECTED 40141; `allowReauthMargin` postpones that 30 s and sends those
 * connections an AUTH, asking them for a new token first.
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
  {
    method: 'POST',
    path: /^\/keys\/([^/]+)\/revokeTokens$/,
    handler: async (ctx) => {
      const keyName = ctx.param(0);
      const principal = ctx.principal();
      if (principal.kind !== 'key') {
        throw new AblyError(
          40162,
          401,
          'Cannot revoke tokens when using token auth: authenticate with the key that issued them (Basic auth).',
        );
      }
      if (principal.keyName !== keyName) {
        throw new AblyError(
          40133,
          401,
          'Can only revoke tokens using the same key that issued them.',
        );
      }
      const { app } = principal;
      if (!app.keys.get(keyName)?.revocableTokens) {
        throw new AblyError(
          40164,
          401,
          `Token revocation is not enabled for key "${keyName}": create the key with revocableTokens: true (before issuing the tokens).`,
        );
      }
      const body = await ctx.body();
      if (!isRecord(body)) throw Errors.badRequest('revokeTokens needs a JSON object {targets}.');
      const targets = body['targets'];
      if (!Array.isArray(targets) || targets.length === 0) {
        throw Errors.badRequest('revokeTokens needs "targets": an array of "type:value" strings.');
      }
      if (targets.length > MAX_REVOCATION_TARGETS) {
        throw Errors.badRequest(
          `Too many targets (${targets.length}): revoke at most ${MAX_REVOCATION_TARGETS} per request.`,
        );
      }
      const now = app.now();
      const given = body['issuedBefore'];
      if (given != null && (typeof given !== 'number' || !Number.isSafeInteger(given))) {
        throw Errors.invalidParameter('issuedBefore must be a timestamp in milliseconds.');
      }
      const issuedBefore = given ?? now;
      if (issuedBefore > now || issuedBefore < now - MAX_REVOCABLE_TTL_MS) {
        throw Errors.invalidParameter(
          'issuedBefore must not be in the future, nor more than an hour in the past.',
        );
      }
      const appliesAt = body['allowReauthMargin'] === true ? now + REAUTH_MARGIN_MS : now;
      const results = targets.map((target): TargetResult => {
        try {
          const revocation: Revocation = { ...parseTarget(target), issuedBefore, appliesAt };
          addRevocation(app, keyName, revocation);
          ctx.env.realtime.revokeTokens(app, keyName, revocation);
          return { target: target as string, issuedBefore, appliesAt };
        } catch (err) {
          if (!(err instanceof AblyError)) throw err;
          return { target: String(target), error: err.toWire() };
        }
      });
      const failureCount = results.filter((r) => 'error' in r).length;
      ctx.send(201, { successCount: results.length - failureCount, failureCount, results });
    },
  },
];
