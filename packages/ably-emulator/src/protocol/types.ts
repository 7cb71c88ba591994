/**
 * Shapes of what travels on the wire. `data` is opaque to the server: a string, a JSON value,
 * or bytes (msgpack `bin`, held as a `Uint8Array`) that the codec converts for JSON clients.
 */

/** A message or presence payload as the client encoded it. */
export type WireData = string | number | boolean | Uint8Array | Record<string, unknown> | unknown[];

/** `error` member of frames and REST error bodies. */
export interface ErrorInfoWire {
  code: number;
  statusCode: number;
  message: string;
  href?: string;
}

/** A Message inside a MESSAGE frame or a history page. */
export interface WireMessage {
  id?: string;
  name?: string;
  data?: WireData;
  encoding?: string;
  clientId?: string;
  connectionId?: string;
  timestamp?: number;
  serial?: string;
  action?: number;
  extras?: Record<string, unknown>;
  version?: MessageVersionWire;
  /** `summary`: the aggregated annotations of the message, per annotation type (TM2u). */
  annotations?: { summary: Record<string, unknown> };
}

/** A message's `version` (TM2s): which version it is, when, by whom and why. */
export interface MessageVersionWire {
  serial?: string;
  timestamp?: number;
  clientId?: string;
  description?: string;
  metadata?: Record<string, string>;
}

/** An Annotation inside an ANNOTATION frame (either direction; RTAN, TAN). */
export interface WireAnnotation {
  id?: string;
  /** 0 `annotation.create`, 1 `annotation.delete`. */
  action?: number;
  /** The annotation's own serial (server-assigned). */
  serial?: string;
  /** The serial of the message it annotates. */
  messageSerial: string;
  /** `<namespace>:<summarization>.v1`, e.g. `reaction:distinct.v1`. */
  type: string;
  name?: string;
  count?: number;
  clientId?: string;
  connectionId?: string;
  timestamp?: number;
  data?: WireData;
  encoding?: string;
  extras?: Record<string, unknown>;
}

/** A PresenceMessage inside a PRESENCE or SYNC frame or a REST page. */
export interface WirePresenceMessage {
  id?: string;
  action: number;
  clientId?: string;
  connectionId?: string;
  timestamp?: number;
  data?: WireData;
  encoding?: string;
  extras?: Record<string, unknown>;
}

/** `connectionDetails` of CONNECTED. */
export interface ConnectionDetailsWire {
  connectionKey: string;
  clientId?: string;
  connectionStateTtl: number;
  maxIdleInterval: number;
  maxMessageSize: number;
  maxFrameSize: number;
  maxInboundRate: number;
  serverId: string;
}

/** One ProtocolMessage, in either direction. Absent fields are left out of the encoding. */
export interface ProtocolMessage {
  action: number;
  id?: string;
  channel?: string;
  channelSerial?: string;
  connectionId?: string;
  connectionKey?: string;
  timestamp?: number;
  msgSerial?: number;
  count?: number;
  flags?: number;
  error?: ErrorInfoWire;
  messages?: WireMessage[];
  presence?: WirePresenceMessage[];
  annotations?: WireAnnotation[];
  params?: Record<string, string>;
  connectionDetails?: ConnectionDetailsWire;
  auth?: { accessToken?: string };
  res?: { serials: (string | null)[] }[];
}
