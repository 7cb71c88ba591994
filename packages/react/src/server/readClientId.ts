import { PresenceKitError } from '../core/errors';
import {
  clientIdDeriver,
  type CookieSource,
  readVisitorCookie,
  VISITOR_COOKIE,
  type VisitorSecretOptions,
  visitorSecret,
} from './visitor-id';

/**
 * Options for {@link readClientId}: the `key`, `secret` and `cookie.name` your
 * {@link createTokenHandler} has. Passing the handler's own options object works.
 */
export interface ReadClientIdOptions extends VisitorSecretOptions {
  /** The visitor cookie, if you renamed it in the handler. */
  cookie?: {
    /** @defaultValue {@link VISITOR_COOKIE} */
    name?: string | undefined;
  };
}

/**
 * The visitor's client id, exactly as {@link createTokenHandler} issues tokens for it (when its
 * `clientId` option is not used): pass it to `getPresenceMembers`/`getRoomsPresence` so a
 * server-rendered list marks the visitor's own entries "(you)". `undefined` when the request has
 * no visitor cookie yet (the first page before any token) or one the handler did not write.
 *
 * The cookie holds a secret, not the client id: the client id is derived from it with the API
 * key's secret (or your `secret`), so give this the same `key`/`secret` as the handler.
 *
 * @param source - A `Request`, the raw `Cookie` header, or a cookie store such as Next.js
 * `await cookies()`.
 * @throws {@link PresenceKitError} `invalid_argument` when given neither `key` nor `secret`, or a
 * malformed one.
 *
 * @example
 * ```ts
 * // A Next.js Server Component
 * const clientId = await readClientId(await cookies(), { key: process.env.ABLY_API_KEY });
 * const members = await getPresenceMembers(rest, 'lobby', { clientId });
 * ```
 */
export async function readClientId(
  source: CookieSource,
  options: ReadClientIdOptions,
): Promise<string | undefined> {
  const secret = visitorSecret(options, 'readClientId');
  if (secret === undefined) {
    throw new PresenceKitError(
      'invalid_argument',
      'readClientId: pass the key (or secret) your token handler uses, for example ' +
        '{ key: process.env.ABLY_API_KEY }: client ids are derived with it.',
    );
  }
  const visitorCookie = readVisitorCookie(source, options.cookie?.name ?? VISITOR_COOKIE);
  return visitorCookie === undefined ? undefined : clientIdDeriver(secret)(visitorCookie);
}
