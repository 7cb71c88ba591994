/** The cookie {@link createTokenHandler} keeps each visitor's client id in, unless told otherwise. */
export const CLIENT_ID_COOKIE = 'presencekit_client_id';

/**
 * What a client id cookie may hold: what the handler writes (a UUID) or a similar opaque id. The
 * cookie comes from the browser, so anything else is treated as absent and replaced.
 */
const VALID_COOKIE_VALUE = /^[A-Za-z0-9_-]{8,64}$/;

/**
 * Reads the visitor's client id from a `Cookie` header (or a `Request`), as
 * {@link createTokenHandler} wrote it. `undefined` when there is none or it is malformed.
 *
 * Use it where the framework gives no cookie helper; in Next.js,
 * `(await cookies()).get(CLIENT_ID_COOKIE)?.value` reads the same value.
 *
 * @param source - A `Request`, or the raw `Cookie` header value.
 * @param name - The cookie name. @defaultValue {@link CLIENT_ID_COOKIE}
 */
export function readClientIdCookie(
  source: Request | string | null | undefined,
  name: string = CLIENT_ID_COOKIE,
): string | undefined {
  const header =
    typeof source === 'string' || source == null ? source : source.headers.get('cookie');
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq === -1 || part.slice(0, eq).trim() !== name) continue;
    const value = part.slice(eq + 1).trim();
    if (VALID_COOKIE_VALUE.test(value)) return value;
  }
  return undefined;
}

/** The `Set-Cookie` value that stores a new client id. */
export function clientIdSetCookie(
  name: string,
  value: string,
  { maxAgeSeconds, secure }: { maxAgeSeconds: number; secure: boolean },
): string {
  // HttpOnly: page scripts never need it (the token carries the client id), so XSS cannot
  // steal or swap it. Lax: sent on same-site requests and top-level navigations only.
  return [
    `${name}=${value}`,
    'Path=/',
    `Max-Age=${maxAgeSeconds}`,
    'HttpOnly',
    'SameSite=Lax',
    ...(secure ? ['Secure'] : []),
  ].join('; ');
}
