import { authenticateToken } from '../../auth/tokens.js';
import { Errors, toAblyError } from '../../protocol/errors.js';
import type { ProtocolMessage } from '../../protocol/types.js';
import type { Connection } from '../../state/connection.js';
import type { Realtime } from '../realtime.js';

/**
 * AUTH (`auth.authorize()` while connected): swap in the new token and answer with a fresh
 * CONNECTED for the same connection; without it `authorize()` never resolves. A token for another
 * app or clientId fails the connection. Attached channels are held to the new capability
 * ({@link Realtime.applyCredentials}): those it no longer allows fail with 40160.
 */
export function handleAuth(rt: Realtime, conn: Connection, msg: ProtocolMessage): void {
  const token = msg.auth?.accessToken;
  if (!token) {
    rt.failConnection(conn, Errors.badRequest('AUTH needs auth.accessToken.'));
    return;
  }
  let principal;
  try {
    principal = authenticateToken(rt.apps, token);
  } catch (err) {
    rt.failConnection(conn, toAblyError(err));
    return;
  }
  if (principal.app !== conn.app) {
    rt.failConnection(conn, Errors.incompatibleCredentials('The new token is for another app.'));
    return;
  }
  const tokenClientId = principal.clientId;
  if (conn.identity.mode === 'bound' && tokenClientId !== '*' && tokenClientId !== conn.clientId) {
    rt.failConnection(
      conn,
      Errors.incompatibleCredentials(
        `The new token's clientId ${JSON.stringify(tokenClientId ?? null)} differs from the connection's "${conn.clientId}".`,
      ),
    );
    return;
  }
  rt.sendConnected(conn);
  // After CONNECTED, which resolves authorize(): then the channels the new token no longer
  // allows fail (RTC8a1: "soon after the token update").
  rt.applyCredentials(conn, principal);
}
