import { Errors } from '../protocol/errors.js';
import { randomId } from '../state/ids.js';
import { Capability } from './capability.js';

/** An API key of an app: `keyName` is `appId.keyId`, the full key is `keyName:secret`. */
export interface ApiKey {
  readonly appId: string;
  readonly keyId: string;
  readonly keyName: string;
  readonly secret: string;
  readonly capability: Capability;
  /**
   * Tokens it issues can be revoked (`POST /keys/<keyName>/revokeTokens`); they then live at
   * most an hour, as on Ably.
   */
  readonly revocableTokens: boolean;
}

// The same pattern ably-js validates keys with: one ':' and a secret without '.' or ':'.
const KEY_PATTERN = /^([^:\s]+)\.([^:.\s]+):([^:.\s]+)$/;

/** Splits `appId.keyId:secret`, or returns undefined when the string is not a key. */
export function parseKeyString(
  key: string,
): { appId: string; keyId: string; keyName: string; secret: string } | undefined {
  const m = KEY_PATTERN.exec(key);
  if (!m) return undefined;
  const [, appId = '', keyId = '', secret = ''] = m;
  return { appId, keyId, keyName: `${appId}.${keyId}`, secret };
}

/** Builds a key, generating the id and secret when not given. Throws 40003 for a malformed key. */
export function createApiKey(
  appId: string,
  capability: Capability,
  given?: { keyId?: string; secret?: string; revocableTokens?: boolean },
): ApiKey {
  const keyId = given?.keyId ?? randomId(4);
  const secret = given?.secret ?? randomId(24);
  const parsed = parseKeyString(`${appId}.${keyId}:${secret}`);
  if (!parsed || parsed.appId !== appId) {
    throw Errors.invalidParameter(
      `Invalid key "${appId}.${keyId}:…": use letters, digits, "-" or "_" in the app id, key id and secret.`,
    );
  }
  return {
    appId,
    keyId,
    keyName: parsed.keyName,
    secret,
    capability,
    revocableTokens: given?.revocableTokens === true,
  };
}

/** The full key string clients configure (`key` option). */
export function keyString(key: ApiKey): string {
  return `${key.keyName}:${key.secret}`;
}
