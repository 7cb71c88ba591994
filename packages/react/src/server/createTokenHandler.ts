import * as Ably from 'ably';

import { isPresenceKitError, PresenceKitError, toPresenceKitError } from '../core/errors';
import { CLIENT_ID_COOKIE, clientIdSetCookie, readClientIdCookie } from './client-id-cookie';
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
  /** The cookie that keeps each visitor's client id. */
  cookie?: {
    /** @defaultValue {@link CLIENT_ID_COOKIE} */
    name?: string;
    /** @defaultValue one year */
    maxAgeSeconds?: number;
    /** Add `Secure`. @defaultValue `true` when the request URL is https */
    secure?: boolean;
  };
  /**
   * Derives the client id the token is issued for. By default it is the id in the cookie (a new
   * random one on a first visit). Use it to issue tokens for your signed-in user instead; return
   * a non-empty string other than `'*'`.
   */
  clientId?: (request: Request, visitor: { cookieClientId: string }) => string | Promise<string>;
}

const DEFAULT_OPERATIONS: readonly Ably.capabilityOp[] = [
  'subscribe',
  'presence',
  'history',
  'channel-metadata',
];
const ONE_YEAR_SECONDS = 365 * 24 * 60 * 60;
const KEY_FORMAT = /^[^:\s]+:[^:.\s]+$/;

/**
 * A route handler that gives the browser an Ably token request, so the browser connects with
 * token auth and the API key stays on the server. The token is bound to a client id kept in an
 * HttpOnly cookie (created on the first request) and can only touch the listed rooms.
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
      if (settings.key === undefined) {
        throw new PresenceKitError(
          'invalid_argument',
          'The token handler has no Ably API key: set ABLY_API_KEY (or whatever you pass as ' +
            '{ key }) in the server environment; never in browser code.',
        );
      }
      rest ??= new Ably.Rest({ key: settings.key, logLevel: 0 });

      const existing = readClientIdCookie(request, settings.cookieName);
      const cookieClientId = existing ?? crypto.randomUUID();
      const clientId = settings.clientId
        ? await settings.clientId(request, { cookieClientId })
        : cookieClientId;
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
        headers['set-cookie'] = clientIdSetCookie(settings.cookieName, cookieClientId, {
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
  if (key !== undefined && (typeof key !== 'string' || !KEY_FORMAT.test(key))) {
    // The message never quotes the value: it may be the secret.
    fail(
      'the key is not an Ably API key (expected "appId.keyId:secret", as shown in your Ably ' +
        'dashboard): check ABLY_API_KEY.',
    );
  }
  if (typeof rooms !== 'function') assertRoomNames(rooms, 'createTokenHandler');
  if (!Array.isArray(operations) || operations.length === 0) {
    fail('operations must be a non-empty array such as ["subscribe", "presence"].');
  }
  if (!Number.isInteger(ttlMs) || ttlMs < 10_000 || ttlMs > 86_400_000) {
    fail(
      `ttlMs must be a whole number of milliseconds from 10000 to 86400000, got ${String(ttlMs)}.`,
    );
  }
  const cookieName = cookie.name ?? CLIENT_ID_COOKIE;
  if (!/^[A-Za-z0-9_-]+$/.test(cookieName)) {
    fail('cookie.name may only contain letters, digits, "_" and "-".');
  }
  const maxAgeSeconds = cookie.maxAgeSeconds ?? ONE_YEAR_SECONDS;
  if (!Number.isInteger(maxAgeSeconds) || maxAgeSeconds <= 0) {
    fail('cookie.maxAgeSeconds must be a positive whole number.');
  }
  if (options.clientId !== undefined && typeof options.clientId !== 'function') {
    fail('clientId must be a function (request, { cookieClientId }) => string.');
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
