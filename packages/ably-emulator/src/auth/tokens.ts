import { createHmac, timingSafeEqual } from 'node:crypto';
import { AblyError, Errors } from '../protocol/errors.js';
import { isRecord } from '../protocol/parse.js';
import type { App } from '../state/app.js';
import type { AppRegistry } from '../state/apps.js';
import { randomId } from '../state/ids.js';
import { Capability } from './capability.js';
import { UserClaims } from './user-claims.js';
import type { ApiKey } from './keys.js';
import type { Principal } from './principal.js';
import { checkRevocable, excessiveTtl, MAX_REVOCABLE_TTL_MS } from './revocation.js';

/** Default token lifetime, as Ably: one hour. */
export const DEFAULT_TOKEN_TTL_MS = 60 * 60 * 1000;
/** Longest token lifetime accepted, as Ably: 24 hours. */
export const MAX_TOKEN_TTL_MS = 24 * 60 * 60 * 1000;
/** How far a TokenRequest's timestamp may be from the server clock. */
const TOKEN_REQUEST_SKEW_MS = 10 * 60 * 1000;

/** An issued token, as the app stores it. */
export interface TokenRecord {
  readonly token: string;
  readonly keyName: string;
  readonly capability: Capability;
  /** A name, `*` for a wildcard token, or undefined for a token without clientId. */
  readonly clientId?: string;
  readonly issued: number;
  readonly expires: number;
  /** Issued by a key with `revocableTokens`: `revokeTokens` can invalidate it. */
  readonly revocable: boolean;
}

/** The TokenDetails JSON that `requestToken` answers with. */
export interface TokenDetails {
  token: string;
  keyName: string;
  issued: number;
  expires: number;
  capability: string;
  clientId?: string;
}

/** What a token may be asked for. */
export interface TokenParams {
  /** Lifetime in ms. @defaultValue 3600000 (one hour) */
  ttl?: number;
  /** Capability (JSON text, object or parsed); intersected with the key's. @defaultValue the key's */
  capability?: string | Record<string, unknown> | Capability;
  /** A clientId to bind, or `*` for a wildcard token. */
  clientId?: string;
}

/** The wire form of an issued token. */
export function toTokenDetails(record: TokenRecord): TokenDetails {
  const out: TokenDetails = {
    token: record.token,
    keyName: record.keyName,
    issued: record.issued,
    expires: record.expires,
    capability: record.capability.toString(),
  };
  if (record.clientId !== undefined) out.clientId = record.clientId;
  return out;
}

/**
 * Issues a token from a key. Validates ttl (40003), clientId (40012) and capability
 * (40000 malformed, 40160 nothing left after intersecting with the key's).
 */
export function issueToken(app: App, key: ApiKey, params: TokenParams = {}): TokenRecord {
  const ttl = params.ttl ?? DEFAULT_TOKEN_TTL_MS;
  checkTtl(ttl);
  if (key.revocableTokens && ttl > MAX_REVOCABLE_TTL_MS) throw excessiveTtl();
  if (params.clientId === '') {
    throw Errors.invalidClientId('A token clientId must not be empty: omit it or give a name.');
  }
  let capability = key.capability;
  if (params.capability !== undefined && params.capability !== '') {
    const requested =
      params.capability instanceof Capability
        ? params.capability
        : Capability.parse(params.capability);
    capability = key.capability.intersect(requested);
  }
  const issued = app.now();
  const record: TokenRecord = {
    token: `${app.id}.${randomId(18)}`,
    keyName: key.keyName,
    capability,
    ...(params.clientId !== undefined ? { clientId: params.clientId } : {}),
    issued,
    expires: issued + ttl,
    revocable: key.revocableTokens,
  };
  app.storeToken(record);
  return record;
}

/**
 * Handles the body of `POST /keys/<keyName>/requestToken`: a signed TokenRequest (mac checked,
 * protocol §9.2), or an unsigned one when the HTTP request itself was authenticated with that key.
 */
export function issueTokenFromRequest(
  registry: AppRegistry,
  pathKeyName: string,
  body: unknown,
  authenticatedWith: Principal | undefined,
): TokenRecord {
  if (!isRecord(body)) throw Errors.badRequest('The TokenRequest body must be a JSON object.');
  const found = registry.findKey(pathKeyName);
  if (!found) throw Errors.invalidCredentials(`No such key "${pathKeyName}". Check the key name.`);
  const { app, key } = found;
  const keyName = body['keyName'];
  if (keyName !== undefined && keyName !== pathKeyName) {
    throw Errors.invalidCredentials('TokenRequest keyName does not match the key in the URL.');
  }
  const clientId = body['clientId'];
  if (clientId !== undefined && clientId !== null && typeof clientId !== 'string') {
    throw Errors.invalidClientId('TokenRequest clientId must be a string.');
  }
  if (clientId === '') {
    throw Errors.invalidClientId('A token clientId must not be empty: omit it or give a name.');
  }
  const ttl = integerField(body, 'ttl');
  if (ttl !== undefined) checkTtl(ttl);
  const capability = body['capability'];
  if (capability !== undefined && capability !== null && typeof capability !== 'string') {
    throw Errors.badRequest('TokenRequest capability must be a JSON string.');
  }
  const mac = body['mac'];
  if (mac === undefined || mac === null) {
    // Unsigned requests are fine when the HTTP request itself proved possession of the key.
    if (authenticatedWith?.kind !== 'key' || authenticatedWith.keyName !== key.keyName) {
      throw Errors.invalidCredentials(
        'Unsigned TokenRequest: sign it (createTokenRequest) or authenticate with the key.',
      );
    }
  } else {
    const timestamp = integerField(body, 'timestamp');
    if (timestamp === undefined) {
      throw Errors.invalidParameter(
        'A signed TokenRequest needs a timestamp (ms since the epoch).',
      );
    }
    if (Math.abs(app.now() - timestamp) > TOKEN_REQUEST_SKEW_MS) {
      throw Errors.timestampNotCurrent(
        'TokenRequest timestamp is not current: create the request just before use (clock skew over 10 minutes?).',
      );
    }
    const nonce = body['nonce'];
    if (typeof nonce !== 'string' || nonce === '') {
      throw Errors.badRequest('TokenRequest nonce is missing.');
    }
    if (typeof mac !== 'string')
      throw Errors.invalidCredentials('TokenRequest mac must be a string.');
    // Signed as ably-js signs (RSA9, `createTokenRequest`), from the values the token is made of.
    const text =
      `${pathKeyName}\n${ttl ?? ''}\n${capability ?? ''}\n` +
      `${clientId ?? ''}\n${timestamp}\n${nonce}\n`;
    const expected = createHmac('sha256', key.secret).update(text).digest('base64');
    if (!safeEqual(expected, mac)) {
      throw Errors.invalidCredentials(
        'TokenRequest mac does not match: was it signed with this key?',
      );
    }
    if (!app.useNonce(key.keyName, nonce, timestamp)) {
      throw Errors.nonceReused('TokenRequest nonce already used: create a new TokenRequest.');
    }
  }
  return issueToken(app, key, {
    ...(ttl !== undefined ? { ttl } : {}),
    ...(capability ? { capability } : {}),
    ...(typeof clientId === 'string' ? { clientId } : {}),
  });
}

/** Throws 40003 unless `ttl` is a lifetime a token may have. */
function checkTtl(ttl: number): void {
  if (!Number.isFinite(ttl) || ttl <= 0 || ttl > MAX_TOKEN_TTL_MS) {
    throw Errors.invalidParameter(
      `Invalid token ttl ${String(ttl)}: give a lifetime in ms between 1 and ${MAX_TOKEN_TTL_MS}.`,
    );
  }
}

/**
 * A TokenRequest's `ttl` or `timestamp`: absent (or null), or an integer number of ms (TE4, TE5;
 * only keyName, clientId, nonce and mac are strings, TE2). Anything else is refused (40003)
 * rather than converted: `Number([x])` and `String([x])` both read an array as `x`, so a
 * converted value could differ from what the mac covers (an unsigned ttl of `[86400000]` made a
 * 24-hour token out of a request signed for the default hour).
 */
function integerField(
  body: Record<string, unknown>,
  name: 'ttl' | 'timestamp',
): number | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    throw Errors.invalidParameter(
      `TokenRequest ${name} must be an integer number of milliseconds, not ${JSON.stringify(value) ?? typeof value}.`,
    );
  }
  return value;
}

/** Authenticates a full key string (`appId.keyId:secret`). Throws 40101. */
export function authenticateKey(registry: AppRegistry, keyStr: string): Principal {
  const colon = keyStr.indexOf(':');
  const keyName = colon > 0 ? keyStr.slice(0, colon) : keyStr;
  const secret = colon > 0 ? keyStr.slice(colon + 1) : '';
  const found = registry.findKey(keyName);
  if (!found || !safeEqual(found.key.secret, secret)) {
    throw Errors.invalidCredentials(
      'Invalid key: not a key of this emulator. Use the key it printed at start (or an app you created).',
    );
  }
  return { app: found.app, keyName, capability: found.key.capability, kind: 'key' };
}

/**
 * Authenticates a token (opaque emulator token or an Ably JWT). Throws 4014x (40141 for a revoked
 * one).
 */
export function authenticateToken(registry: AppRegistry, token: string): Principal {
  const parts = token.split('.');
  if (parts.length === 3) {
    const jwt = tryJwt(registry, parts as [string, string, string], token);
    if (jwt) return checkRevocable(jwt);
  }
  const dot = token.lastIndexOf('.');
  const app = dot > 0 ? registry.get(token.slice(0, dot)) : undefined;
  const record = app?.tokens.get(token);
  if (!app || !record || !registry.findKey(record.keyName)) throw Errors.tokenUnrecognised();
  if (record.expires <= app.now()) throw Errors.tokenExpired();
  return checkRevocable({
    app,
    keyName: record.keyName,
    capability: record.capability,
    kind: 'token',
    ...(record.clientId !== undefined ? { clientId: record.clientId } : {}),
    expires: record.expires,
    token,
    issued: record.issued,
    revocable: record.revocable,
  });
}

function tryJwt(
  registry: AppRegistry,
  [h, p, s]: [string, string, string],
  token: string,
): Principal | undefined {
  let header: unknown;
  try {
    header = JSON.parse(Buffer.from(h, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (!isRecord(header) || typeof header['alg'] !== 'string') return undefined;
  if (header['alg'] !== 'HS256') throw Errors.invalidJwt('Unsupported JWT alg: sign with HS256.');
  const kid = header['kid'];
  const found = typeof kid === 'string' ? registry.findKey(kid) : undefined;
  if (!found) throw Errors.invalidJwt('JWT kid must be the keyName of a key of this emulator.');
  const sig = createHmac('sha256', found.key.secret).update(`${h}.${p}`).digest('base64url');
  if (!safeEqual(sig, s)) throw Errors.invalidJwt('JWT signature does not match the key secret.');
  let claims: unknown;
  try {
    claims = JSON.parse(Buffer.from(p, 'base64url').toString('utf8'));
  } catch {
    throw Errors.invalidJwt('JWT payload is not JSON.');
  }
  if (!isRecord(claims)) throw Errors.invalidJwt('JWT payload is not an object.');
  const exp = claims['exp'];
  if (typeof exp !== 'number') throw Errors.invalidJwt('JWT needs an exp claim (seconds).');
  const expires = exp * 1000;
  if (expires <= found.app.now()) throw Errors.tokenExpired();
  // Ably's claims are typed (JSON string capability, non-empty string clientId): one of another
  // type is refused like any malformed claim, not skipped. Skipping it would give an object
  // capability the key's full capability, and a numeric clientId an anonymous token.
  const capText = claims['x-ably-capability'];
  if (capText !== undefined && typeof capText !== 'string') {
    throw Errors.invalidJwt(
      'JWT x-ably-capability must be a JSON string (JSON.stringify the capability object).',
    );
  }
  const clientId = claims['x-ably-clientId'];
  if (clientId !== undefined && (typeof clientId !== 'string' || clientId === '')) {
    throw Errors.invalidJwt('JWT x-ably-clientId must be a non-empty string (or left out).');
  }
  let capability = found.key.capability;
  try {
    if (capText !== undefined)
      capability = found.key.capability.intersect(Capability.parse(capText));
  } catch (err) {
    if (err instanceof AblyError) throw Errors.invalidJwt(`JWT capability: ${err.message}`);
    throw err;
  }
  const userClaims = UserClaims.fromJwt(claims);
  const iat = claims['iat'];
  const revocationKey = claims['x-ably-revocation-key'];
  return {
    app: found.app,
    keyName: found.key.keyName,
    capability,
    kind: 'token',
    ...(clientId !== undefined ? { clientId } : {}),
    expires,
    token,
    ...(userClaims ? { claims: userClaims } : {}),
    ...(typeof iat === 'number' ? { issued: iat * 1000 } : {}),
    revocable: found.key.revocableTokens,
    ...(typeof revocationKey === 'string' ? { revocationKey } : {}),
  };
}

/**
 * Signs an Ably JWT (HS256) with a key, for tests of JWT auth.
 * @param claims - e.g. `{ 'x-ably-clientId': 'alice', 'x-ably-capability': '{"*":["*"]}' }`.
 */
export function signJwt(key: ApiKey, ttlMs: number, claims: Record<string, unknown> = {}): string {
  const now = Math.floor(Date.now() / 1000);
  const header = Buffer.from(
    JSON.stringify({ typ: 'JWT', alg: 'HS256', kid: key.keyName }),
  ).toString('base64url');
  const payload = Buffer.from(
    JSON.stringify({ iat: now, exp: now + Math.ceil(ttlMs / 1000), ...claims }),
  ).toString('base64url');
  const sig = createHmac('sha256', key.secret).update(`${header}.${payload}`).digest('base64url');
  return `${header}.${payload}.${sig}`;
}

function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}
