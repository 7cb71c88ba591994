import { authenticateKey, authenticateToken } from '../auth/tokens.js';
import type { Principal } from '../auth/principal.js';
import { Action } from '../protocol/actions.js';
import { OutboundFrame, type WireFormat } from '../protocol/codec.js';
import { AblyError, Errors, toAblyError } from '../protocol/errors.js';
import type { ErrorInfoWire } from '../protocol/types.js';
import { Connection, type IdentityMode, type Transport } from '../state/connection.js';
import type { Realtime, SocketSession } from './realtime.js';

/** The wire format a connect request asks for (`format=msgpack`, else JSON). */
export function formatOf(query: URLSearchParams): WireFormat {
  return query.get('format') === 'msgpack' ? 'msgpack' : 'json';
}

/**
 * Decides who a connection is (protocol §2.3, §9.5) from its credentials and the requested
 * clientId. Throws 40102 when they disagree, 40012 for an unusable clientId.
 */
export function resolveIdentity(
  principal: Principal,
  requested: string | null,
): { clientId: string | undefined; mode: IdentityMode } {
  if (requested === '' || requested === '*') {
    throw Errors.invalidClientId(
      `Invalid clientId ${JSON.stringify(requested)} in the connection request: use a real name.`,
    );
  }
  if (principal.kind === 'key') {
    return requested === null
      ? { clientId: undefined, mode: 'wildcard' }
      : { clientId: requested, mode: 'bound' };
  }
  const tokenClientId = principal.clientId;
  if (tokenClientId === undefined) {
    if (requested !== null) {
      throw Errors.incompatibleCredentials(
        `Token has no clientId but the client asked for "${requested}": issue the token with that clientId.`,
      );
    }
    return { clientId: undefined, mode: 'anonymous' };
  }
  if (tokenClientId === '*') {
    return { clientId: requested ?? '*', mode: 'wildcard' };
  }
  if (requested !== null && requested !== tokenClientId) {
    throw Errors.incompatibleCredentials(
      `Mismatched clientId: the token is for "${tokenClientId}" but the client asked for "${requested}".`,
    );
  }
  return { clientId: tokenClientId, mode: 'bound' };
}

/**
 * A WebSocket was opened at `/`: authenticate, then answer CONNECTED: resumed (same id, no error),
 * or new; a new one after a `resume` or `recover` key that could not be used carries the reason
 * (RTN15c7, RTN16l): 80018 for a key that is not a connection key at all, 80008 for one whose
 * connection is gone (closed, expired, or of an emulator that has since restarted). Auth
 * failures are not HTTP errors: the upgrade succeeded, so the client gets one ERROR frame and a
 * close 1000, and reports the real code (protocol §2.2).
 */
export function handleConnect(
  rt: Realtime,
  session: SocketSession,
  transport: Transport,
  query: URLSearchParams,
): void {
  let principal: Principal;
  let identity: { clientId: string | undefined; mode: IdentityMode };
  try {
    const key = query.get('key');
    const token = query.get('access_token');
    if (key !== null) principal = authenticateKey(rt.apps, key);
    else if (token !== null) principal = authenticateToken(rt.apps, token);
    else {
      throw Errors.invalidCredentials(
        'No credentials in the connection request: give the client a key, token or authCallback.',
      );
    }
    identity = resolveIdentity(principal, query.get('clientId'));
  } catch (err) {
    const error = err instanceof AblyError ? err : toAblyError(err);
    rt.options.log(`connection refused: ${error.code} ${error.message}`);
    transport.send(new OutboundFrame({ action: Action.ERROR, error: error.toWire() }));
    transport.close(1000, 'authentication failed');
    return;
  }

  const resumeKey = query.get('resume') ?? query.get('recover');
  let resumeFailure: ErrorInfoWire | undefined;
  if (resumeKey !== null) {
    const previous = rt.byConnectionKey(resumeKey);
    if (previous?.offline && previous.state === 'dropped' && previous.timers.leave !== undefined) {
      // Still "offline": the attempt fails as on a dead network (no frame at all); the SDK retries.
      if (transport.terminate) transport.terminate();
      else transport.close(1000, 'offline');
      return;
    }
    if (
      previous &&
      previous.state !== 'closed' &&
      previous.app === principal.app &&
      previous.clientId === identity.clientId &&
      previous.settings.format === transport.format
    ) {
      resume(rt, session, previous, transport, principal);
      return;
    }
    resumeFailure = (
      Connection.isKey(resumeKey) ? Errors.connectionExpired() : Errors.invalidConnectionKey()
    ).toWire();
  }

  const remain = Number(query.get('remainPresentFor'));
  const conn = new Connection(
    principal.app,
    principal,
    identity,
    {
      format: transport.format,
      echo: query.get('echo') !== 'false',
      // Capped at the connection's state TTL: members leave then anyway, and a larger value
      // would overflow setTimeout (which then fires at once, the opposite of what was asked).
      remainPresentForMs:
        query.has('remainPresentFor') && Number.isInteger(remain) && remain >= 0
          ? Math.min(remain, rt.options.connectionStateTtlMs)
          : rt.options.leaveGraceMs,
    },
    transport,
  );
  rt.register(conn);
  session.connection = conn;
  rt.sendConnected(conn, resumeFailure);
  rt.armTokenExpiry(conn, principal);
  rt.options.log(
    `connection ${conn.id} opened (${transport.format}${conn.clientId ? `, clientId ${conn.clientId}` : ''})`,
  );
}

/** Moves a resumable connection to a new socket, keeping its id, attachments and msgSerials. */
function resume(
  rt: Realtime,
  session: SocketSession,
  conn: Connection,
  transport: Transport,
  principal: Principal,
): void {
  const old = conn.transport;
  if (old) {
    // The old socket still looked alive: frames written to it may be lost. Each re-ATTACH says
    // what the client last saw, and gets the rest again.
    for (const att of conn.attachments.values()) att.paused = true;
    conn.transport = null;
    old.close(1000, 'superseded by a resumed transport');
  }
  clearTimeout(conn.timers.leave);
  clearTimeout(conn.timers.expire);
  conn.timers.leave = conn.timers.expire = undefined;
  conn.transport = transport;
  conn.state = 'connected';
  conn.offline = false;
  session.connection = conn;
  rt.rekey(conn);
  rt.sendConnected(conn);
  // A resume may bring a renewed token with another capability: held to it like an AUTH.
  rt.applyCredentials(conn, principal);
  rt.options.log(`connection ${conn.id} resumed`);
}
