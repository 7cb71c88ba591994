import * as Ably from 'ably';

import { isPresenceKitError, PresenceKitError, toPresenceKitError } from '../core/errors';
import {
  clientIdDeriver,
  newVisitorCookie,
  readVisitorCookie,
  VISITOR_COOKIE,
  visitorSecret,
  visitorSetCookie,
} from './visitor-id';
import { assertRoomNames, describe, roomChannelName } from './room-channel';

/** Options for {@link createTokenHandler}. */
export interface TokenHandlerOptions {
  /**
   * Your Ably API key (`appId.keyId:secret`), read on the server, for example
   * `process.env.ABLY_API_KEY`. It signs token requests and never leaves the server.
   *
   * `undefined` is accepted when the handler is created (so a build without the variable still
   * works) but every request then answers 500 with a message saying what to set.
   */
  key: string | undefined;
  /**
   * The server secret that turns each visitor's cookie into their client id. Unset, the API key's
   * secret is used, which needs no setup. Set it (at least 32 random characters, for example from
   * `openssl rand -base64 32`, kept in a server environment variable) to keep visitors' client
   * ids when you rotate the API key, or to use one id scheme across several keys.
   *
   * Changing the secret (or, without it, the key) gives every visitor a new client id: their
   * cookie stays, but it derives to a different id, so presence history and anything your app
   * stored under the old ids no longer match them. Give {@link readClientId} the same value.
   *
   * @defaultValue the secret part of `key`
   */
  secret?: string;
  /**
   * The chat rooms a token may use, or a function of the request that returns them (for example
   * from a `?room=` parameter you validate). Tokens get `operations` on `<room>::$chat` and on
   * nothing else.
   */
  rooms: readonly string[] | ((request: Request) => readonly string[] | Promise<readonly string[]>);
  /**
   * What a token may do in those rooms.
   * @defaultValue `['subscribe', 'presence', 'history', 'channel-metadata']`: see members and
   * events, enter presence, read presence history, read occupancy.
   */
  operations?: readonly Ably.capabilityOp[];
  /**
   * Token lifetime in milliseconds; the Ably client asks for a new one before it expires.
   * @defaultValue `3_600_000` (one hour)
   */
  ttlMs?: number;
  /** The cookie that keeps each visitor's secret id (see {@link createTokenHandler}). */
  cookie?: {
    /** @defaultValue {@link VISITOR_COOKIE} */
    name?: string;
    /** @defaultValue one year */
    maxAgeSeconds?: number;
    /** Add `Secure`. @defaultValue `true` when the request URL is https */
    secure?: boolean;
  };
  /**
   * Chooses the client id the token is issued for; return a non-empty string other than `'*'`.
   * Without it, that is `visitorClientId`: the id derived from the visitor's cookie, the same on
   * every request with that cookie, and what {@link readClientId} returns. Return your signed-in
   * user's id instead, or a variant of `visitorClientId` (one per browser tab, say).
   *
   * Whatever you return is who the browser becomes in Ably, so build it only from what the
   * visitor cannot choose: your own session, or `visitorClientId`. A value taken from the request
   * as it comes (a query parameter, a header, a cookie of your own you do not verify) lets anyone
   * pick someone else's id. Adding to `visitorClientId` is safe: it never contains `.`, so
   * `${visitorClientId}.${tab}` always starts with the caller's own id, whatever `tab` is.
   */
  clientId?: (request: Request, visitor: { visitorClientId: string }) => string | Promise<string>;
}

const DEFAULT_OPERATIONS: readonly Ably.capabilityOp[] = [
  'subscribe',
  'presence',
  'history',
  'channel-metadata',
];
const ONE_YEAR_SECONDS = 365 * 24 * 60 * 60;

/**
 * A route handler that gives the browser an Ably token request, so the browser connects with
 * token auth and the API key stays on the server. The token can only touch the listed rooms and
 * is bound to the visitor's client id.
 *
 * Each visitor gets an HttpOnly cookie ({@link VISITOR_COOKIE}) on their first request, holding
 * a random secret; their client id is an HMAC of that secret with the API key's secret (or your
 * `secret`). Client ids are public (every member of a room sees them), but one cannot be turned
 * back into a cookie, so no visitor can get a token as another by sending a cookie of their
 * choosing; a cookie the handler did not write is replaced by a new identity. This was chosen
 * over a signed cookie holding the client id because nothing has to be verified: code that reads
 * the raw cookie gets a value that matches no one, never an id it forgot to check. Read the
 * visitor's client id on the server with {@link readClientId}.
 *
 * It is a plain `(Request) => Promise<Response>`: export it as `GET`/`POST` of a Next.js route
 * handler, or adapt it to any server that speaks Fetch. Point the browser's Ably client at it
 * with `authUrl`.
 *
 * Answers: 200 with the token request JSON; 405 for a method other than GET or POST; 500 with
 * `{ error: { code, message } }` when the handler is misconfigured (also logged).
 *
 * @throws {@link PresenceKitError} `invalid_argument` at creation for a malformed key or option.
 *
 * @example
 * ```ts
 * // app/api/ably-token/route.ts
 * import { createTokenHandler } from '@presencekit/react/server';
 * export const GET = createTokenHandler({ key: process.env.ABLY_API_KEY, rooms: ['lobby'] });
 *
 * // in the browser
 * const realtime = new Ably.Realtime({ authUrl: '/api/ably-token' });
 * ```
 */
export function createTokenHandler(
  options: TokenHandlerOptions,
): (request: Request) => Promise<Response> {
  const settings = validate(options);
  let rest: Ably.Rest | undefined;

  return async function tokenHandler(request: Request): Promise<Response> {
    if (request.method !== 'GET' && request.method !== 'POST') {
      return json(405, errorBody('invalid_argument', 'Use GET or POST.'), { allow: 'GET, POST' });
    }
    try {
      // No derivation secret only happens without a key: one message covers both.
      if (settings.key === undefined || settings.deriveClientId === undefined) {
        throw new PresenceKitError(
          'invalid_argument',
          'The token handler has no Ably API key: set ABLY_API_KEY (or whatever you pass as ' +
            '{ key }) in the server environment; never in browser code.',
        );
      }
      rest ??= new Ably.Rest({ key: settings.key, logLevel: 0 });

      const existing = readVisitorCookie(request, settings.cookieName);
      const visitorCookie = existing ?? newVisitorCookie();
      const visitorClientId = await settings.deriveClientId(visitorCookie);
      const clientId = settings.clientId
        ? await settings.clientId(request, { visitorClientId })
        : visitorClientId;
      if (typeof clientId !== 'string' || clientId === '' || clientId === '*') {
        throw new PresenceKitError(
          'invalid_argument',
          `The token handler's clientId option returned ${describe(clientId)}: return a non-empty ` +
            `string that identifies the visitor (not "*").`,
        );
      }
      const rooms =
        typeof settings.rooms === 'function' ? await settings.rooms(request) : settings.rooms;
      assertRoomNames(rooms, 'createTokenHandler rooms()');
      if (rooms.length === 0) {
        throw new PresenceKitError(
          'invalid_argument',
          'The token handler was given no rooms for this request: return at least one room name.',
        );
      }
      const capability = Object.fromEntries(
        rooms.map((room) => [roomChannelName(room), [...settings.operations]]),
      );

      let tokenRequest: Ably.TokenRequest;
      try {
        tokenRequest = await rest.auth.createTokenRequest({
          clientId,
          capability,
          ttl: settings.ttlMs,
        });
      } catch (cause) {
        throw toPresenceKitError(
          cause,
          'invalid_argument',
          'Signing the Ably token request failed: check the API key',
        );
      }

      const headers: Record<string, string> = {};
      if (existing === undefined) {
        const secure = settings.secure ?? new URL(request.url).protocol === 'https:';
        headers['set-cookie'] = visitorSetCookie(settings.cookieName, visitorCookie, {
          maxAgeSeconds: settings.maxAgeSeconds,
          secure,
        });
      }
      return json(200, tokenRequest, headers);
    } catch (cause) {
      const error = isPresenceKitError(cause)
        ? cause
        : toPresenceKitError(cause, 'unknown', 'The token handler failed');
      console.error(error);
      return json(500, errorBody(error.code, error.message));
    }
  };
}

interface Settings {
  key: string | undefined;
  rooms: TokenHandlerOptions['rooms'];
  operations: readonly Ably.capabilityOp[];
  ttlMs: number;
  cookieName: string;
  maxAgeSeconds: number;
  secure: boolean | undefined;
  clientId: TokenHandlerOptions['clientId'];
  deriveClientId: ((visitorCookie: string) => Promise<string>) | undefined;
}

function validate(options: TokenHandlerOptions): Settings {
  const fail = (message: string): never => {
    throw new PresenceKitError('invalid_argument', `createTokenHandler: ${message}`);
  };
  if (typeof options !== 'object' || options === null) {
    fail(
      'pass an options object, for example { key: process.env.ABLY_API_KEY, rooms: ["lobby"] }.',
    );
  }
  const { key, rooms, operations = DEFAULT_OPERATIONS, ttlMs = 3_600_000, cookie = {} } = options;
  // Checks the key and the secret; its messages never quote them.
  const secret = visitorSecret(options, 'createTokenHandler');
  if (typeof rooms !== 'function') assertRoomNames(rooms, 'createTokenHandler');
  if (!Array.isArray(operations) || operations.length === 0) {
    fail('operations must be a non-empty array such as ["subscribe", "presence"].');
  }
  if (!Number.isInteger(ttlMs) || ttlMs < 10_000 || ttlMs > 86_400_000) {
    fail(
      `ttlMs must be a whole number of milliseconds from 10000 to 86400000, got ${String(ttlMs)}.`,
    );
  }
  const cookieName = cookie.name ?? VISITOR_COOKIE;
  if (!/^[A-Za-z0-9_-]+$/.test(cookieName)) {
    fail('cookie.name may only contain letters, digits, "_" and "-".');
  }
  const maxAgeSeconds = cookie.maxAgeSeconds ?? ONE_YEAR_SECONDS;
  if (!Number.isInteger(maxAgeSeconds) || maxAgeSeconds <= 0) {
    fail('cookie.maxAgeSeconds must be a positive whole number.');
  }
  if (options.clientId !== undefined && typeof options.clientId !== 'function') {
    fail('clientId must be a function (request, { visitorClientId }) => string.');
  }
  return {
    key,
    rooms,
    operations,
    ttlMs,
    cookieName,
    maxAgeSeconds,
    secure: cookie.secure,
    clientId: options.clientId,
    deriveClientId: secret === undefined ? undefined : clientIdDeriver(secret),
  };
}

function errorBody(code: string, message: string): { error: { code: string; message: string } } {
  return { error: { code, message } };
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: {
      'content-type': 'application/json',
      // A token request is per visitor and single-use: no cache may keep or share it.
      'cache-control': 'no-store, private',
      ...headers,
    },
  });
}
