import type { Principal } from '../auth/principal.js';
import { covers, type Revocation, revocationOf } from '../auth/revocation.js';
import { Action, Flag } from '../protocol/actions.js';
import { decodeValue, OutboundFrame } from '../protocol/codec.js';
import { AblyError, Errors, toAblyError } from '../protocol/errors.js';
import { parseProtocolMessage, RefusedItems } from '../protocol/parse.js';
import type { ConnectionDetailsWire, ErrorInfoWire, ProtocolMessage } from '../protocol/types.js';
import type { ResolvedOptions } from '../options.js';
import type { App } from '../state/app.js';
import type { AppRegistry } from '../state/apps.js';
import type { Channel } from '../state/channel.js';
import { Connection, type Transport } from '../state/connection.js';
import { handleAnnotation } from './handlers/annotation.js';
import { handleAttach } from './handlers/attach.js';
import { handleAuth } from './handlers/auth.js';
import { handleClose } from './handlers/close.js';
import { handleDetach } from './handlers/detach.js';
import { handleHeartbeat } from './handlers/heartbeat.js';
import { handleMessage } from './handlers/message.js';
import { handlePresence } from './handlers/presence.js';
import { handleSync } from './handlers/sync.js';
import { grantedModes } from './modes.js';
import { occupancyChanged, receivesOccupancy } from './occupancy.js';
import { serverLeave } from './presence.js';

/** A handler for one inbound action. */
type Handler = (rt: Realtime, conn: Connection, msg: ProtocolMessage) => void;

/** Which function handles which action: the whole inbound protocol at a glance. */
const HANDLERS: Partial<Record<number, Handler>> = {
  [Action.HEARTBEAT]: handleHeartbeat,
  [Action.CLOSE]: handleClose,
  [Action.DISCONNECT]: (rt, conn) => rt.dropTransport(conn, 'client sent DISCONNECT'),
  [Action.AUTH]: handleAuth,
  [Action.ATTACH]: handleAttach,
  [Action.DETACH]: handleDetach,
  [Action.PRESENCE]: handlePresence,
  [Action.MESSAGE]: handleMessage,
  [Action.SYNC]: handleSync,
  // ACTIVATE is for push (not emulated); the protocol says to ignore it.
  [Action.ACTIVATE]: () => {},
  [Action.OBJECT]: unsupportedWithSerial('LiveObjects'),
  [Action.ANNOTATION]: handleAnnotation,
};

function unsupportedWithSerial(feature: string): Handler {
  return (rt, conn, msg) =>
    rt.withMsgSerial(conn, msg, () => {
      throw Errors.badRequest(`${feature} are not supported by the emulator.`);
    });
}

/** The per-socket handle the transport layer keeps. */
export interface SocketSession {
  connection: Connection | undefined;
}

/**
 * The realtime protocol engine: owns live connections and dispatches every inbound frame to its
 * handler. Transport-agnostic: sockets are {@link Transport}s.
 */
export class Realtime {
  private readonly byKey = new Map<string, Connection>();
  private readonly byId = new Map<string, Connection>();
  private readonly heartbeat = new OutboundFrame({ action: Action.HEARTBEAT });
  /** Revocations postponed by `allowReauthMargin`, waiting to be enforced. */
  private readonly revocationTimers = new Set<NodeJS.Timeout>();

  constructor(
    readonly options: ResolvedOptions,
    readonly apps: AppRegistry,
    readonly serverId: string,
  ) {}

  /** Number of connections not closed (including dropped ones still resumable). */
  get connectionCount(): number {
    return this.byId.size;
  }

  /** A connection by id. */
  connection(id: string): Connection | undefined {
    return this.byId.get(id);
  }

  /** All live or resumable connections. */
  connections(): IterableIterator<Connection> {
    return this.byId.values();
  }

  /** Registers a new connection (also used for simulated visitors). */
  register(conn: Connection): void {
    this.byId.set(conn.id, conn);
    this.byKey.set(conn.key, conn);
    conn.app.connections.add(conn);
    conn.app.observer?.connectionChanged(conn);
  }

  /** Looks a connection up by its resume key. */
  byConnectionKey(key: string): Connection | undefined {
    return this.byKey.get(key);
  }

  /** Gives a connection a fresh resume key (on every new CONNECTED). */
  rekey(conn: Connection): void {
    this.byKey.delete(conn.key);
    conn.key = Connection.newKey(conn.id);
    this.byKey.set(conn.key, conn);
  }

  /** `connectionDetails` for CONNECTED. */
  connectionDetails(conn: Connection): ConnectionDetailsWire {
    const o = this.options;
    const details: ConnectionDetailsWire = {
      connectionKey: conn.key,
      connectionStateTtl: o.connectionStateTtlMs,
      maxIdleInterval: o.maxIdleIntervalMs,
      maxMessageSize: o.maxMessageSize,
      maxFrameSize: o.maxFrameSize,
      // The enforced rate when there is one; otherwise what was always reported (not enforced).
      maxInboundRate: o.maxInboundRate || 1000,
      serverId: this.serverId,
    };
    if (conn.clientId !== undefined) details.clientId = conn.clientId;
    return details;
  }

  /** Sends CONNECTED (first frame of every transport; also the answer to AUTH). */
  sendConnected(conn: Connection, error?: ErrorInfoWire): void {
    conn.send({
      action: Action.CONNECTED,
      connectionId: conn.id,
      connectionKey: conn.key,
      connectionDetails: this.connectionDetails(conn),
      ...(error ? { error } : {}),
    });
    // A resume or new credentials (AUTH) end here too.
    conn.app.observer?.connectionChanged(conn);
  }

  /** Sends one protocol HEARTBEAT to every connected socket (browsers need them, RTN23). */
  sendHeartbeats(): void {
    for (const conn of this.byId.values()) if (conn.transport) conn.send(this.heartbeat);
  }

  /**
   * Handles one inbound frame. Nothing a client sends can throw out of here: malformed frames
   * get an Ably error on that connection only.
   */
  receive(session: SocketSession, transport: Transport, raw: Buffer | string): void {
    const conn = session.connection;
    if (!conn || conn.transport !== transport) return;
    let msg: ProtocolMessage;
    try {
      msg = parseProtocolMessage(decodeValue(raw, transport.format));
    } catch (err) {
      if (err instanceof RefusedItems && err.envelope.msgSerial !== undefined) {
        // Only this publish fails: a NACK, through withMsgSerial like any other answer to a serial.
        this.withMsgSerial(conn, err.envelope, () => {
          throw err.error;
        });
        return;
      }
      this.failConnection(conn, err instanceof RefusedItems ? err.error : toAblyError(err));
      return;
    }
    const handler = HANDLERS[msg.action];
    try {
      if (handler) {
        handler(this, conn, msg);
      } else if (msg.msgSerial !== undefined) {
        this.withMsgSerial(conn, msg, () => {
          throw Errors.badRequest(`Unknown ProtocolMessage action ${msg.action}.`);
        });
      } else if (msg.channel !== undefined) {
        this.channelError(
          conn,
          msg.channel,
          Errors.badRequest(`Unknown ProtocolMessage action ${msg.action}.`),
        );
      } else {
        this.failConnection(
          conn,
          Errors.badRequest(`Unknown ProtocolMessage action ${msg.action}.`),
        );
      }
    } catch (err) {
      const error = toAblyError(err);
      this.options.log(`error on connection ${conn.id}: ${error.message}`);
      this.failConnection(conn, error);
    }
  }

  /**
   * Runs the processing of a frame that carries a msgSerial and answers it with exactly one ACK
   * (with `res`) or NACK. A serial at or below the connection's frontier was already processed
   * (a re-send after resume): it is ACKed again without being applied twice.
   */
  withMsgSerial(
    conn: Connection,
    msg: ProtocolMessage,
    process: () => { serials: (string | null)[] } | void,
  ): void {
    const msgSerial = msg.msgSerial;
    if (msgSerial === undefined || msgSerial < 0) {
      this.failConnection(conn, Errors.badRequest(`Action ${msg.action} needs a msgSerial.`));
      return;
    }
    if (msgSerial <= conn.msgSerialFrontier) {
      conn.send({ action: Action.ACK, msgSerial, count: 1 });
      return;
    }
    conn.msgSerialFrontier = msgSerial;
    let result: { serials: (string | null)[] } | void;
    try {
      this.spendInbound(conn, msg);
      result = process();
    } catch (err) {
      if (!(err instanceof AblyError)) this.options.log(`internal error: ${String(err)}`);
      conn.send({ action: Action.NACK, msgSerial, count: 1, error: toAblyError(err).toWire() });
      return;
    }
    conn.send({ action: Action.ACK, msgSerial, count: 1, ...(result ? { res: [result] } : {}) });
  }

  /**
   * Counts a MESSAGE, PRESENCE or ANNOTATION frame's items against `maxInboundRate` (a budget of that many
   * messages, refilled continuously at that rate; a frame goes through while any is left) and
   * throws 42911 when none is: that frame is NACKed, the connection lives on.
   */
  private spendInbound(conn: Connection, msg: ProtocolMessage): void {
    const rate = this.options.maxInboundRate;
    if (
      rate === 0 ||
      (msg.action !== Action.MESSAGE &&
        msg.action !== Action.PRESENCE &&
        msg.action !== Action.ANNOTATION)
    )
      return;
    // Wall-clock time, not the `now` option: tests freeze that clock, and a rate is real time.
    const now = Date.now();
    const inbound = conn.inbound;
    inbound.budget = Number.isNaN(inbound.budget)
      ? rate
      : Math.min(rate, inbound.budget + ((now - inbound.at) * rate) / 1000);
    inbound.at = now;
    if (inbound.budget <= 0) throw Errors.inboundRateExceeded(rate);
    inbound.budget -= Math.max(
      1,
      (msg.messages?.length ?? 0) + (msg.presence?.length ?? 0) + (msg.annotations?.length ?? 0),
    );
  }

  /** Sends a channel-scoped ERROR: only that channel fails on the client. */
  channelError(conn: Connection, channel: string, error: AblyError): void {
    conn.send({ action: Action.ERROR, channel, error: error.toWire() });
  }

  /**
   * Fails one channel for a connection: a channel-scoped ERROR, and the end of its attachment
   * if it has one (its members leave, occupancy updates), as a failed channel is not attached.
   */
  failChannel(conn: Connection, name: string, error: AblyError): void {
    this.channelError(conn, name, error);
    const att = conn.attachments.get(name);
    if (att) this.detachChannel(conn, att.channel);
  }

  /**
   * Puts new credentials on a live connection (AUTH, or a resume with a renewed token) and holds
   * every attachment to them at once, as Ably does (RTC8a1): a channel the new capability no
   * longer allows, or allows none of the requested modes of, fails (channel ERROR 40160; its
   * members leave); the others get the modes it grants for what the client asked, narrower or
   * wider, without a new ATTACHED. Members leave a channel whose PRESENCE mode went: the client
   * could no longer update them or even leave. Occupancy follows.
   */
  applyCredentials(conn: Connection, principal: Principal): void {
    conn.principal = principal;
    this.armTokenExpiry(conn, principal);
    for (const att of [...conn.attachments.values()]) {
      const channel = att.channel;
      let granted;
      try {
        granted = grantedModes(principal.capability, channel.name, att.requested);
      } catch (err) {
        this.failChannel(conn, att.name, toAblyError(err));
        continue;
      }
      const occupancy = receivesOccupancy(att.params, granted.modes, granted.ops);
      if (granted.modes === att.modes && occupancy === att.occupancy) continue;
      const lostPresence = (att.modes & ~granted.modes & Flag.PRESENCE) !== 0;
      channel.updateAttachment(att, granted.modes, occupancy);
      if (lostPresence) serverLeave(channel, channel.presence.ofConnection(conn.id));
      this.occupancyChanged(channel);
    }
  }

  /** Sends a connection ERROR (fatal for the client), closes the socket and discards the connection. */
  failConnection(conn: Connection, error: AblyError): void {
    this.options.log(`connection ${conn.id} failed: ${error.code} ${error.message}`);
    conn.send({ action: Action.ERROR, error: error.toWire() });
    this.closeConnection(conn, 'failed');
  }

  /** Notes an occupancy change on a channel. */
  occupancyChanged(channel: Channel): void {
    occupancyChanged(channel, this.options.occupancyDebounceMs);
  }

  /**
   * Removes one connection's attachment to a channel, with an implicit leave of its members
   * (broadcast to the others).
   */
  detachChannel(conn: Connection, channel: Channel): void {
    const att = channel.removeAttachment(conn.id);
    if (att) conn.attachments.delete(att.name);
    serverLeave(channel, channel.presence.ofConnection(conn.id), conn.id);
    this.occupancyChanged(channel);
  }

  /** Detaches every channel of a connection (close, failure, leave timeout). */
  detachAll(conn: Connection): void {
    for (const att of [...conn.attachments.values()]) this.detachChannel(conn, att.channel);
  }

  /**
   * Ends a connection for good: members leave at once, attachments go, the socket closes
   * (code 1000) and the connection can no longer be resumed.
   */
  closeConnection(conn: Connection, reason: string): void {
    if (conn.state === 'closed') return;
    conn.state = 'closed';
    clearConnectionTimers(conn);
    this.detachAll(conn);
    this.byId.delete(conn.id);
    this.byKey.delete(conn.key);
    conn.app.connections.delete(conn);
    const transport = conn.transport;
    conn.transport = null;
    transport?.close(1000, reason);
    conn.app.observer?.connectionChanged(conn);
  }

  /**
   * The socket went away without CLOSE (or the client sent DISCONNECT): keep the connection
   * resumable for connectionStateTtl; its members leave after the grace period unless it resumes.
   */
  dropTransport(conn: Connection, reason: string): void {
    if (conn.state !== 'connected') return;
    const transport = conn.transport;
    conn.transport = null;
    conn.state = 'dropped';
    transport?.close(1000, reason);
    for (const att of conn.attachments.values()) att.paused = true;
    clearTimeout(conn.timers.leave);
    conn.timers.leave = setTimeout(() => {
      conn.timers.leave = undefined;
      if (conn.state === 'dropped') this.detachAll(conn);
    }, conn.settings.remainPresentForMs);
    clearTimeout(conn.timers.expire);
    conn.timers.expire = setTimeout(() => {
      conn.timers.expire = undefined;
      if (conn.state === 'dropped') this.closeConnection(conn, 'connection state expired');
    }, this.options.connectionStateTtlMs);
    this.options.log(`connection ${conn.id} dropped (${reason})`);
    conn.app.observer?.connectionChanged(conn);
  }

  /** The transport layer reports a closed socket. */
  transportClosed(session: SocketSession, transport: Transport): void {
    const conn = session.connection;
    if (conn && conn.transport === transport) this.dropTransport(conn, 'socket closed');
  }

  /** Starts (or restarts) the timer that disconnects a connection when its token expires. */
  armTokenExpiry(conn: Connection, principal: Principal): void {
    clearTimeout(conn.timers.token);
    conn.timers.token = undefined;
    if (principal.expires === undefined) return;
    const delay = Math.min(Math.max(0, principal.expires - conn.app.now()), 2 ** 31 - 1);
    conn.timers.token = setTimeout(() => {
      conn.timers.token = undefined;
      if (conn.state !== 'connected') return;
      // RTN15h2: DISCONNECTED with 40142 makes the client renew its token and resume.
      conn.send({ action: Action.DISCONNECTED, error: Errors.tokenExpired().toWire() });
      this.dropTransport(conn, 'token expired');
    }, delay);
  }

  /**
   * Enforces a token revocation of `keyName`'s tokens on live connections: those whose token it
   * covers get DISCONNECTED with 40141 (a token error: the SDK renews its token, when it can, and
   * resumes), at once or at `appliesAt`. Postponed (`allowReauthMargin`), they are first sent an
   * AUTH, asking for a new token (RTN22), which then no longer matches.
   */
  revokeTokens(app: App, keyName: string, revocation: Revocation): void {
    const delay = revocation.appliesAt - app.now();
    if (delay <= 0) {
      this.disconnectRevoked(app);
      return;
    }
    for (const conn of app.connections) {
      const p = conn.principal;
      if (
        conn.state === 'connected' &&
        p.keyName === keyName &&
        p.revocable &&
        covers(revocation, p)
      )
        conn.send({ action: Action.AUTH });
    }
    const timer = setTimeout(() => {
      this.revocationTimers.delete(timer);
      this.disconnectRevoked(app);
    }, delay);
    timer.unref();
    this.revocationTimers.add(timer);
  }

  /** Disconnects (40141) every live connection of an app whose token is revoked now. */
  private disconnectRevoked(app: App): void {
    for (const conn of [...app.connections]) {
      if (conn.state !== 'connected' || !revocationOf(conn.principal)) continue;
      conn.send({ action: Action.DISCONNECTED, error: Errors.tokenRevoked().toWire() });
      this.dropTransport(conn, 'token revoked');
    }
  }

  /** Closes every connection of an app (app deleted). */
  closeApp(app: App): void {
    for (const conn of [...app.connections]) {
      conn.send({
        action: Action.ERROR,
        error: Errors.invalidCredentials('The app of this connection was deleted.').toWire(),
      });
      this.closeConnection(conn, 'app deleted');
    }
  }

  /**
   * Closes everything (emulator stop). Every socket closes before any state is torn down, as when
   * a server goes away: clients are not sent LEAVEs for each other first (their UIs would show
   * everyone leaving, then everyone re-entering once they reconnect to the next server).
   */
  closeAll(): void {
    for (const timer of this.revocationTimers) clearTimeout(timer);
    this.revocationTimers.clear();
    const all = [...this.byId.values()];
    for (const conn of all) {
      const transport = conn.transport;
      conn.transport = null;
      transport?.close(1000, 'emulator stopping');
    }
    for (const conn of all) this.closeConnection(conn, 'emulator stopping');
  }
}

function clearConnectionTimers(conn: Connection): void {
  clearTimeout(conn.timers.leave);
  clearTimeout(conn.timers.expire);
  clearTimeout(conn.timers.token);
  conn.timers.leave = conn.timers.expire = conn.timers.token = undefined;
}

export { clearConnectionTimers };
