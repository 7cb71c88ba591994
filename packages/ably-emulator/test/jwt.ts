import { createHmac } from 'node:crypto';

/**
 * An HS256 JWT signed with a key (`appId.keyId:secret`), as any JWT library would make it, with
 * the claims exactly as given (`iat` and `exp` added).
 */
export function signedJwt(key: string, claims: Record<string, unknown>): string {
  const keyName = key.slice(0, key.indexOf(':'));
  const secret = key.slice(key.indexOf(':') + 1);
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const header = part({ typ: 'JWT', alg: 'HS256', kid: keyName });
  const payload = part({ iat: now, exp: now + 3600, ...claims });
  const sig = createHmac('sha256', secret).update(`${header}.${payload}`).digest('base64url');
  return `${header}.${payload}.${sig}`;
}
