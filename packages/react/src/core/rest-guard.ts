import type * as Ably from 'ably';

import { PresenceKitError, type PresenceKitErrorCode } from './errors';
import { cached, noop } from './store';

/**
 * The parts of ably-js 2.x's client this reads that its typings do not show (all optional: if a
 * future version drops one, the guard does less, never more).
 */
interface Internals {
  auth: {
    method?: string;
    tokenDetails?: { token?: string; expires?: number; issued?: number } | null;
  };
  serverTimeOffset?: number | null;
}

/** Renew a token this long (at most) before it expires, so it cannot expire in flight. */
const RENEW_MARGIN_MS = 10_000;
/** How often a pending request checks whether ably-js is renewing the token in a loop. */
const WATCH_MS = 100;

const clocks = new WeakMap<object, Promise<unknown>>();
const renewals = new WeakMap<object, Promise<unknown>>();

/** `start()`, or the call of it still in flight for `key`: concurrent requests share one. */
function shared(
  map: WeakMap<object, Promise<unknown>>,
  key: object,
  start: () => Promise<unknown>,
) {
  return cached(map, key, () => start().finally(() => map.delete(key)));
}

/**
 * Runs one of the hooks' REST requests (occupancy, presence history) on `realtime` so that an
 * expired token cannot send it into ably-js 2.28's endless retry: on a 40142 it renews the token
 * and retries with the headers it had built, which still carry the expired one, for ever
 * (ably/ably-js#2193). So, with token auth, before the request: make sure the SDK knows the
 * server time (one `time()` per client), which lets it drop an expired `TokenDetails` itself; and
 * renew a token that expires within seconds (so it cannot expire in flight), or a JWT string past
 * its `exp` (the SDK sees no expiry in a bare string). If the loop starts anyway (an opaque token
 * string, whose expiry nobody can see), the request is given up with a `code` error saying how to
 * fix the auth setup, instead of hanging for ever. The SDK's loop itself cannot be stopped from
 * outside; it ends when a renewal fails.
 *
 * @internal
 */
export async function guardRest<T>(
  realtime: Ably.Realtime | undefined,
  code: PresenceKitErrorCode,
  request: () => Promise<T>,
): Promise<T> {
  if (!realtime) return request();
  const client = realtime as unknown as Internals;
  // Basic auth (a key) has no token to expire.
  if (client.auth.method !== 'token') return request();
  // A failure is fine (an old server, a blocked route): the SDK then learns expiry the hard way.
  if (client.serverTimeOffset == null)
    await shared(clocks, realtime, () => realtime.time()).catch(noop);
  const token = client.auth.tokenDetails;
  const expires = token?.expires ?? jwtExpiry(token?.token);
  const left = (expires ?? Infinity) - Date.now() - (client.serverTimeOffset ?? 0);
  // A short-lived token (tests, demos) is renewed in its last quarter, not before every request.
  const margin = Math.min(RENEW_MARGIN_MS, ((expires ?? 0) - (token?.issued ?? 0)) / 4);
  // An expired TokenDetails the SDK now drops by itself (it knows the time); one about to expire,
  // or a JWT string (whose `exp` the SDK does not read), is renewed here. On a Realtime client
  // that has not connected yet, `authorize()` connects it.
  if (left < margin && !(token?.expires && left < 0)) {
    await shared(renewals, realtime, () => realtime.auth.authorize());
  }
  return watched(client, code, request());
}

/**
 * `pending`, or a rejection once the token has been replaced twice while it is still pending: a
 * renewal per expired-token retry, the loop, which never ends by itself.
 */
function watched<T>(
  client: Internals,
  code: PresenceKitErrorCode,
  pending: Promise<T>,
): Promise<T> {
  let last = client.auth.tokenDetails?.token;
  let renewed = 0;
  let timer: ReturnType<typeof setInterval> | undefined;
  const loop = new Promise<never>((_, reject) => {
    timer = setInterval(() => {
      const token = client.auth.tokenDetails?.token;
      if (token && token !== last) {
        last = token;
        renewed++;
      }
      if (renewed > 1) {
        reject(
          new PresenceKitError(
            code,
            process.env.NODE_ENV !== 'production'
              ? 'Ably refused an expired token (40142) that ably-js retries for ever (ably-js#2193): ' +
                  'return TokenDetails or a TokenRequest from authCallback/authUrl, not a token string.'
              : undefined,
            { ablyCode: 40142, statusCode: 401 },
          ),
        );
      }
    }, WATCH_MS);
  });
  // The abandoned request may still settle (or fail) later: nobody is waiting for it then.
  pending.catch(noop);
  return Promise.race([pending, loop]).finally(() => clearInterval(timer));
}

/** A JWT's `exp` in milliseconds, or `undefined` for anything else. */
function jwtExpiry(token: string | undefined): number | undefined {
  const payload = token?.split('.');
  if (payload?.length !== 3) return undefined;
  try {
    const { exp } = JSON.parse(atob(payload[1]!.replace(/-/g, '+').replace(/_/g, '/'))) as {
      exp?: unknown;
    };
    return typeof exp === 'number' ? exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}
