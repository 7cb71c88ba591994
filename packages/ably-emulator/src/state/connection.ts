import type { WireFormat } from '../protocol/codec.js';
import { OutboundFrame } from '../protocol/codec.js';
import type { ProtocolMessage } from '../protocol/types.js';
import type { Principal } from '../auth/principal.js';
import type { App } from './app.js';
import type { Attachment } from './channel.js';
import { randomId } from './ids.js';

/** A socket (or a stand-in for simulated visitors) that frames are written to. */
export interface Transport {
  readonly format: WireFormat;
  /**
   * Queues one frame in the transport's format (a text frame for JSON, binary for msgpack).
   * Frames reach the socket in the order they were sent, before a later `close()`.
   */
  send(frame: OutboundFrame): void;
  /** Closes the socket; must be safe to call more than once. */
  close(code: number, reason: string): void;
  /** Destroys the socket without a closing handshake (a network failure). */
  terminate?(): void;
}

/**
 * How a connection may use clientIds:
 * - `bound`: it is `clientId`; any other explicit clientId is refused (40012);
 * - `wildcard`: any explicit clientId is allowed (`clientId`, if set, is the default);
 * - `anonymous`: a token without clientId; no presence, no explicit clientIds.
 */
export type IdentityMode = 'bound' | 'wildcard' | 'anonymous';

/** Life of the server-side connection (it outlives sockets while resumable). */
export type ConnectionState = 'connected' | 'dropped' | 'closed';

/**
 * A realtime connection's server-side state. It survives its socket for `connectionStateTtl`
 * after an abrupt drop so the client can resume with the same id.
 */
export class Connection {
  /** Never contains `:` (presence ids are split on it). */
  readonly id: string;
  /** Current resume key; replaced on every (re)connect. */
  key: string;
  transport: Transport | null;
  state: ConnectionState = 'connected';
  /** Attachments by channel name. */
  readonly attachments = new Map<string, Attachment>();
  /** Highest msgSerial processed; re-sent serials at or below it are ACKed, not re-applied. */
  msgSerialFrontier = -1;
  /**
   * What the connection may still send under `maxInboundRate` (messages; may go below zero after
   * a big frame), and when (ms) that was worked out.
   */
  inbound = { budget: Number.NaN, at: 0 };
  /**
   * Dropped as if its client had lost the network (the inspector's Drop): its resumes are refused
   * until its members have left, so the leave grace shows. Cleared by the next resume.
   */
  offline = false;
  /** Timers owned by the connection lifecycle; cleared on close. */
  readonly timers: {
    leave?: NodeJS.Timeout;
    expire?: NodeJS.Timeout;
    token?: NodeJS.Timeout;
  } = {};

  constructor(
    readonly app: App,
    public principal: Principal,
    readonly identity: { clientId: string | undefined; mode: IdentityMode },
    readonly settings: {
      format: WireFormat;
      /** Deliver own MESSAGEs back (`echo=false` turns it off). */
      echo: boolean;
      /** How long members stay after an abrupt drop. */
      remainPresentForMs: number;
    },
    transport: Transport | null,
  ) {
    this.id = randomId(9);
    this.key = Connection.newKey(this.id);
    this.transport = transport;
  }

  /** A fresh unguessable connectionKey. */
  static newKey(id: string): string {
    return `${randomId(12)}!${id}`;
  }

  /** Whether `text` has the form of a key {@link newKey} makes (whether or not it is still live). */
  static isKey(text: string): boolean {
    return /^[\w-]{16}![\w-]{12}$/.test(text);
  }

  get clientId(): string | undefined {
    return this.identity.clientId;
  }

  /** Writes a connection-level frame (ACK, NACK, CONNECTED, ...). Dropped when no socket. */
  send(msg: ProtocolMessage | OutboundFrame): void {
    const transport = this.transport;
    if (!transport) return;
    transport.send(msg instanceof OutboundFrame ? msg : new OutboundFrame(msg));
  }
}
