import type { App } from '../state/app.js';
import type { Capability } from './capability.js';
import type { UserClaims } from './user-claims.js';

/** Who is making a request or holding a connection, once their key or token checked out. */
export interface Principal {
  readonly app: App;
  /** The key that authenticated the request or issued the token. */
  readonly keyName: string;
  readonly capability: Capability;
  readonly kind: 'key' | 'token';
  /** A token's clientId: a name, `*` (wildcard), or undefined (none). Always undefined for keys. */
  readonly clientId?: string;
  /** A token's expiry (ms since the epoch). */
  readonly expires?: number;
  /** The token string, for token auth. */
  readonly token?: string;
  /** A JWT's user claims (`ably.channel.*`, `ably.room.*`), added to what it publishes. */
  readonly claims?: UserClaims;
  /** When the token was issued (ms since the epoch; a JWT's `iat`). */
  readonly issued?: number;
  /** The token came from a key with `revocableTokens`: `revokeTokens` can invalidate it. */
  readonly revocable?: boolean;
  /** A JWT's `x-ably-revocation-key` claim (the `revocationKey:` revocation target). */
  readonly revocationKey?: string;
}
