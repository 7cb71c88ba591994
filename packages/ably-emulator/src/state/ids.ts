import { randomBytes } from 'node:crypto';

/**
 * A random URL-safe id (`[A-Za-z0-9_-]`). Never contains `:` or `.`, so it is safe as a
 * connectionId (presence ids are split on `:`), a key secret, a token or a SYNC id.
 */
export function randomId(bytes = 9): string {
  return randomBytes(bytes).toString('base64url');
}
