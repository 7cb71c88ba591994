import { PresenceKitError } from '../core/errors';

// A visitor has two ids:
// - the visitor cookie: a random secret that only the server and the browser's cookie jar see;
// - the client id: what Ably publishes to every member of a room, derived from the cookie with a
//   server secret: clientId = base64url(HMAC-SHA256(K, cookie)) cut to 22 characters (132 bits),
//   where K = HMAC-SHA256(secret, "presencekit/visitor-client-id/v1").
// Knowing a client id does not help to forge a cookie for it: that takes the server secret.
// Deriving K first keeps the visitor's bytes away from the API key's secret itself, which also
// signs Ably token requests.

/**
 * The cookie {@link createTokenHandler} keeps each visitor's secret id in, unless told otherwise.
 * It is not the client id: {@link readClientId} turns it into that.
 */
export const VISITOR_COOKIE = 'presencekit_visitor';

/** What the handler writes: 32 random bytes, base64url. Anything else is replaced. */
const VALID_COOKIE_VALUE = /^[A-Za-z0-9_-]{43}$/;
const CLIENT_ID_LENGTH = 22;
const DERIVATION_LABEL = 'presencekit/visitor-client-id/v1';
const MIN_SECRET_LENGTH = 32;
const KEY_FORMAT = /^[^:\s]+:[^:.\s]+$/;

/**
 * Where cookies can be read from: a `Request`, a raw `Cookie` header, or a cookie store such as
 * the one Next.js `cookies()` returns.
 */
export type CookieSource =
  Request | string | { get(name: string): { value: string } | undefined } | null | undefined;

/** Where the secret that turns visitor cookies into client ids comes from. */
export interface VisitorSecretOptions {
  /** Your Ably API key: its secret is used unless `secret` is given. */
  key?: string | undefined;
  /** A secret of your own, at least 32 characters; see `TokenHandlerOptions.secret`. */
  secret?: string | undefined;
}

/**
 * The secret client ids are derived with: `secret` if given, else the API key's secret;
 * `undefined` when there is neither. Throws `invalid_argument`, never quoting the value, for a
 * malformed key or secret.
 *
 * @internal
 */
export function visitorSecret(options: VisitorSecretOptions, caller: string): string | undefined {
  const { key, secret } = options;
  if (key !== undefined && (typeof key !== 'string' || !KEY_FORMAT.test(key))) {
    throw new PresenceKitError(
      'invalid_argument',
      `${caller}: the key is not an Ably API key (expected "appId.keyId:secret", as shown in ` +
        `your Ably dashboard): check ABLY_API_KEY.`,
    );
  }
  if (secret !== undefined) {
    if (typeof secret !== 'string' || secret.length < MIN_SECRET_LENGTH) {
      throw new PresenceKitError(
        'invalid_argument',
        `${caller}: secret must be a string of at least ${MIN_SECRET_LENGTH} random characters ` +
          `(for example from \`openssl rand -base64 32\`), read from a server environment ` +
          `variable: it is what keeps one visitor from taking another's client id.`,
      );
    }
    return secret;
  }
  return key?.slice(key.indexOf(':') + 1);
}

/**
 * Derives client ids from visitor cookies with `secret` (see the top of this file). The result
 * is 22 characters of `A-Z a-z 0-9 _ -`: never a `.`, so `${clientId}.${suffix}` still starts
 * with exactly this visitor's id.
 *
 * @internal
 */
export function clientIdDeriver(secret: string): (visitorCookie: string) => Promise<string> {
  let key: Promise<CryptoKey> | undefined;
  return async (visitorCookie) => {
    key ??= derivationKey(secret);
    return base64url(await hmac(await key, visitorCookie)).slice(0, CLIENT_ID_LENGTH);
  };
}

/** A new visitor cookie value: 256 random bits, so no one can guess anyone's. @internal */
export function newVisitorCookie(): string {
  return base64url(crypto.getRandomValues(new Uint8Array(32)));
}

/**
 * The visitor cookie's value in `source`, or `undefined` when there is none or it is not one the
 * handler could have written.
 *
 * @internal
 */
export function readVisitorCookie(source: CookieSource, name: string): string | undefined {
  if (source == null) return undefined;
  if (typeof source !== 'string' && !('headers' in source)) {
    const value = source.get(name)?.value;
    return value !== undefined && VALID_COOKIE_VALUE.test(value) ? value : undefined;
  }
  const header = typeof source === 'string' ? source : source.headers.get('cookie');
  for (const part of header?.split(';') ?? []) {
    const eq = part.indexOf('=');
    if (eq === -1 || part.slice(0, eq).trim() !== name) continue;
    const value = part.slice(eq + 1).trim();
    if (VALID_COOKIE_VALUE.test(value)) return value;
  }
  return undefined;
}

/** The `Set-Cookie` value that stores a new visitor cookie. @internal */
export function visitorSetCookie(
  name: string,
  value: string,
  { maxAgeSeconds, secure }: { maxAgeSeconds: number; secure: boolean },
): string {
  // HttpOnly: page scripts never need the value (the token carries the client id), so an
  // injected script cannot read it. It does not stop a client from sending any value it likes:
  // that is why the value is a secret the client id is derived from, never the client id itself.
  // Lax: sent on same-site requests and top-level navigations only.
  return [
    `${name}=${value}`,
    'Path=/',
    `Max-Age=${maxAgeSeconds}`,
    'HttpOnly',
    'SameSite=Lax',
    ...(secure ? ['Secure'] : []),
  ].join('; ');
}

const encoder = new TextEncoder();

function encode(text: string): Uint8Array<ArrayBuffer> {
  return encoder.encode(text);
}

/** K: the secret's HMAC of a fixed label, the key client ids are derived with. */
async function derivationKey(secret: string): Promise<CryptoKey> {
  return hmacKey(await hmac(await hmacKey(encode(secret)), DERIVATION_LABEL));
}

function hmacKey(raw: Uint8Array<ArrayBuffer>): Promise<CryptoKey> {
  return crypto.subtle.importKey('raw', raw, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
}

async function hmac(key: CryptoKey, text: string): Promise<Uint8Array<ArrayBuffer>> {
  return new Uint8Array(await crypto.subtle.sign('HMAC', key, encode(text)));
}

/** base64url without padding, with no `Buffer`, so it also runs on edge runtimes. */
function base64url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}
