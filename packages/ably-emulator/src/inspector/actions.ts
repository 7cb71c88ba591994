import { Action } from '../protocol/actions.js';
import { AblyError, Errors } from '../protocol/errors.js';
import { isRecord } from '../protocol/parse.js';
import { serverLeave } from '../realtime/presence.js';
import type { Realtime } from '../realtime/realtime.js';
import type { AppRegistry } from '../state/apps.js';
import type { Connection } from '../state/connection.js';
import { memberKey } from '../state/presence-set.js';
import type { InspectorAction } from './wire.js';

/** What the inspector's actions act on. */
export interface InspectorControls {
  readonly apps: AppRegistry;
  readonly realtime: Realtime;
  /** Keeps about `count` simulated visitors in a room of the default app; RangeError if it cannot. */
  setVisitors(room: string, count: number): void;
  /** Changes the simulated network latency; RangeError for values out of range. */
  setLatency(ms: number, jitterMs: number): void;
}

/** The channel-scoped error of a DETACHED the inspector sends (Ably: "channel operation failed"). */
const DETACHED_BY_INSPECTOR = new AblyError(
  90000,
  400,
  'Channel detached by the emulator inspector.',
);

const FIELDS: Record<InspectorAction['type'], Record<string, 'string' | 'integer'>> = {
  drop: { app: 'string', connectionId: 'string' },
  close: { app: 'string', connectionId: 'string' },
  detach: { app: 'string', connectionId: 'string', channel: 'string' },
  expireToken: { app: 'string', connectionId: 'string' },
  removeMember: { app: 'string', channel: 'string', clientId: 'string', connectionId: 'string' },
  setVisitors: { room: 'string', count: 'integer' },
  setLatency: { ms: 'integer', jitterMs: 'integer' },
};

/** An action from an untrusted body; 40000 naming what is wrong otherwise. */
export function parseAction(body: unknown): InspectorAction {
  if (!isRecord(body) || typeof body.type !== 'string' || !Object.hasOwn(FIELDS, body.type)) {
    throw Errors.badRequest(
      `Expected an action: {"type": one of ${Object.keys(FIELDS).join(', ')}, ...}.`,
    );
  }
  for (const [field, kind] of Object.entries(FIELDS[body.type as InspectorAction['type']])) {
    const value = body[field];
    const ok =
      kind === 'string'
        ? typeof value === 'string' && value !== ''
        : typeof value === 'number' && Number.isInteger(value);
    if (!ok) {
      throw Errors.badRequest(
        `Action "${body.type}" needs "${field}" (${kind === 'string' ? 'a non-empty string' : 'an integer'}).`,
      );
    }
  }
  return body as unknown as InspectorAction;
}

function connectionOf(controls: InspectorControls, appId: string, id: string): Connection {
  const conn = controls.realtime.connection(id);
  if (!conn || conn.app.id !== appId || conn.state === 'closed') {
    throw Errors.notFound(`No connection ${id} in app ${appId}: it may have closed.`);
  }
  return conn;
}

function label(conn: Connection): string {
  return conn.clientId === undefined ? conn.id : `${conn.id} (${conn.clientId})`;
}

/** A connection that is connected and has a socket, for the actions that act on the socket. */
function withSocket(conn: Connection, what: string): Connection {
  if (conn.state !== 'connected') {
    throw Errors.badRequest(`Connection ${label(conn)} is not connected (${conn.state}).`);
  }
  if (!conn.transport) {
    throw Errors.badRequest(
      `Connection ${label(conn)} is a simulated visitor: it has no socket to ${what}. Close it, or change the room's visitors.`,
    );
  }
  return conn;
}

/**
 * Carries out an action (validated by {@link parseAction}) and says what it did; throws an
 * AblyError (40400 for what is gone, 40000 for what cannot be done) otherwise.
 */
export function runAction(action: InspectorAction, controls: InspectorControls): string {
  const rt = controls.realtime;
  switch (action.type) {
    case 'drop': {
      const conn = withSocket(connectionOf(controls, action.app, action.connectionId), 'drop');
      // As a client that lost the network: no CLOSE, and it cannot come back (its resumes fail)
      // until its members have left, so the leave grace shows in every other client.
      conn.offline = true;
      conn.transport!.terminate?.();
      rt.dropTransport(conn, 'dropped from the inspector');
      return `Dropped ${label(conn)}: its members leave in ${conn.settings.remainPresentForMs} ms, then it may resume.`;
    }
    case 'close': {
      const conn = connectionOf(controls, action.app, action.connectionId);
      // CLOSED first: the SDK's connection becomes `closed` rather than reconnecting.
      conn.send({ action: Action.CLOSED });
      rt.closeConnection(conn, 'closed from the inspector');
      return `Closed ${label(conn)}: its members left.`;
    }
    case 'detach': {
      const conn = connectionOf(controls, action.app, action.connectionId);
      const att = conn.attachments.get(action.channel);
      if (!att) {
        throw Errors.notFound(`Connection ${label(conn)} is not attached to ${action.channel}.`);
      }
      // A DETACHED the client did not ask for: it re-attaches at once (RTL13a) and re-enters.
      conn.send({
        action: Action.DETACHED,
        channel: action.channel,
        error: DETACHED_BY_INSPECTOR.toWire(),
      });
      rt.detachChannel(conn, att.channel);
      return `Detached ${label(conn)} from ${action.channel}: its members there left.`;
    }
    case 'expireToken': {
      const conn = withSocket(connectionOf(controls, action.app, action.connectionId), 'expire');
      if (conn.principal.kind !== 'token') {
        throw Errors.badRequest(`Connection ${label(conn)} uses a key, not a token.`);
      }
      // As when the token's time runs out (Realtime.armTokenExpiry): the SDK renews and resumes.
      conn.send({ action: Action.DISCONNECTED, error: Errors.tokenExpired().toWire() });
      rt.dropTransport(conn, 'token expired (inspector)');
      return `Expired the token of ${label(conn)}: the SDK renews it if it can.`;
    }
    case 'removeMember': {
      const app = controls.apps.get(action.app);
      const channel = app?.findChannel(action.channel);
      const member = channel?.presence.get(memberKey(action.clientId, action.connectionId));
      if (!channel || !member) {
        throw Errors.notFound(
          `${action.clientId} (connection ${action.connectionId}) is not present on ${action.channel}.`,
        );
      }
      serverLeave(channel, [member]);
      rt.occupancyChanged(channel);
      return `Removed ${action.clientId} from ${action.channel}.`;
    }
    case 'setVisitors':
      controls.setVisitors(action.room, action.count);
      return `${action.room} keeps about ${action.count} simulated visitors.`;
    case 'setLatency':
      controls.setLatency(action.ms, action.jitterMs);
      return `Latency is ${action.ms} ms ± ${action.jitterMs} ms each way.`;
  }
}
