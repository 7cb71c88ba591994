import { AblyError, Errors } from './errors.js';
import type {
  ProtocolMessage,
  WireAnnotation,
  WireData,
  WireMessage,
  WirePresenceMessage,
} from './types.js';

/**
 * A frame whose envelope is well-formed but whose messages or presence items are refused (data
 * nested too deep, an unsupported data type, a malformed item): only that publish fails, with a
 * NACK when the frame has a msgSerial, not the whole connection.
 */
export class RefusedItems extends Error {
  constructor(
    /** The frame without its items. */
    readonly envelope: ProtocolMessage,
    readonly error: AblyError,
  ) {
    super(error.message);
    this.name = 'RefusedItems';
  }
}

/**
 * Turns a decoded inbound value into a ProtocolMessage, copying only known fields of the right
 * type. Anything a client sends is untrusted: wrong types are rejected with 40000 here so the
 * handlers never see them. Throws {@link RefusedItems} when only the items are at fault.
 */
export function parseProtocolMessage(value: unknown): ProtocolMessage {
  if (!isRecord(value)) throw Errors.badRequest('A ProtocolMessage must be an object.');
  const action = value['action'];
  if (typeof action !== 'number' || !Number.isInteger(action)) {
    throw Errors.badRequest('ProtocolMessage.action must be an integer.');
  }
  const msg: ProtocolMessage = { action };
  const id = optString(value, 'id');
  if (id !== undefined) msg.id = id;
  const channel = optString(value, 'channel');
  if (channel !== undefined) msg.channel = channel;
  const channelSerial = optString(value, 'channelSerial');
  if (channelSerial !== undefined) msg.channelSerial = channelSerial;
  const msgSerial = optInt(value, 'msgSerial');
  if (msgSerial !== undefined) msg.msgSerial = msgSerial;
  const flags = optInt(value, 'flags');
  if (flags !== undefined) msg.flags = flags;
  const params = value['params'];
  if (params != null) {
    if (!isRecord(params)) throw Errors.badRequest('ProtocolMessage.params must be a map.');
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(params)) {
      if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') {
        out[k] = String(v);
      }
    }
    msg.params = out;
  }
  const auth = value['auth'];
  if (auth != null) {
    if (!isRecord(auth)) throw Errors.badRequest('ProtocolMessage.auth must be a map.');
    const accessToken = optString(auth, 'accessToken');
    msg.auth = accessToken === undefined ? {} : { accessToken };
  }
  try {
    const messages = value['messages'];
    if (messages != null) {
      if (!Array.isArray(messages))
        throw Errors.badRequest('ProtocolMessage.messages must be an array.');
      msg.messages = messages.map(parseMessage);
    }
    const presence = value['presence'];
    if (presence != null) {
      if (!Array.isArray(presence))
        throw Errors.badRequest('ProtocolMessage.presence must be an array.');
      msg.presence = presence.map(parsePresence);
    }
    const annotations = value['annotations'];
    if (annotations != null) {
      if (!Array.isArray(annotations))
        throw Errors.badRequest('ProtocolMessage.annotations must be an array.');
      msg.annotations = annotations.map(parseAnnotation);
    }
  } catch (err) {
    if (err instanceof AblyError) throw new RefusedItems(msg, err);
    throw err;
  }
  return msg;
}

/** Validates one Message (realtime MESSAGE item or REST publish body item). */
export function parseMessage(value: unknown): WireMessage {
  if (!isRecord(value)) throw Errors.badRequest('Each message must be an object.');
  const out: WireMessage = {};
  copyString(value, out, 'id');
  copyString(value, out, 'name');
  copyString(value, out, 'encoding');
  copyString(value, out, 'clientId');
  const data = parseData(value['data']);
  if (data !== undefined) out.data = data;
  const action = optInt(value, 'action');
  if (action !== undefined) out.action = action;
  const extras = value['extras'];
  if (extras != null) {
    if (!isRecord(extras)) throw Errors.badRequest('Message extras must be an object.');
    checkValue(extras, 'Message extras');
    out.extras = extras;
  }
  return out;
}

/** Validates one inbound PresenceMessage. */
export function parsePresence(value: unknown): WirePresenceMessage {
  if (!isRecord(value)) throw Errors.badRequest('Each presence message must be an object.');
  const action = optInt(value, 'action');
  if (action === undefined) throw Errors.badRequest('PresenceMessage.action must be an integer.');
  const out: WirePresenceMessage = { action };
  copyString(value, out, 'id');
  copyString(value, out, 'encoding');
  copyString(value, out, 'clientId');
  const data = parseData(value['data']);
  if (data !== undefined) out.data = data;
  const extras = value['extras'];
  if (extras != null) {
    if (!isRecord(extras)) throw Errors.badRequest('Presence extras must be an object.');
    checkValue(extras, 'Presence extras');
    out.extras = extras;
  }
  return out;
}

/**
 * Validates one inbound Annotation (RTAN1, what `channel.annotations.publish()` sends): a
 * `messageSerial` and a `type` are required, `action` is 0 (create, the default) or 1 (delete),
 * `count` a positive integer. Server-set fields (`serial`, `timestamp`, `connectionId`) are not
 * taken from the client.
 */
export function parseAnnotation(value: unknown): WireAnnotation {
  if (!isRecord(value)) throw Errors.badRequest('Each annotation must be an object.');
  const messageSerial = optString(value, 'messageSerial');
  if (!messageSerial) {
    throw Errors.badRequest(
      'Annotation.messageSerial must be the serial of the message annotated.',
    );
  }
  const type = optString(value, 'type');
  if (!type) {
    throw Errors.badRequest('Annotation.type is required, e.g. "reaction:distinct.v1".');
  }
  const out: WireAnnotation = { messageSerial, type };
  const action = optInt(value, 'action');
  if (action !== undefined) {
    if (action !== 0 && action !== 1) {
      throw Errors.badRequest(
        'Annotation.action must be 0 (annotation.create) or 1 (annotation.delete).',
      );
    }
    out.action = action;
  }
  const count = optInt(value, 'count');
  if (count !== undefined) {
    if (count < 1) throw Errors.invalidParameter('Annotation.count must be a positive integer.');
    out.count = count;
  }
  copyString(value, out, 'id');
  copyString(value, out, 'name');
  copyString(value, out, 'clientId');
  copyString(value, out, 'encoding');
  const data = parseData(value['data']);
  if (data !== undefined) out.data = data;
  const extras = value['extras'];
  if (extras != null) {
    if (!isRecord(extras)) throw Errors.badRequest('Annotation extras must be an object.');
    checkValue(extras, 'Annotation extras');
    out.extras = extras;
  }
  return out;
}

function parseData(data: unknown): WireData | undefined {
  if (data == null) return undefined;
  if (typeof data === 'string' || typeof data === 'number' || typeof data === 'boolean') {
    return data;
  }
  // isView, not instanceof: a decoded object whose prototype was set to a Buffer is no Buffer.
  if (ArrayBuffer.isView(data) && data instanceof Uint8Array) {
    return Buffer.isBuffer(data) ? data : Buffer.from(data);
  }
  if (Array.isArray(data) || isRecord(data)) {
    checkValue(data, 'Message data');
    return data as WireData;
  }
  throw Errors.invalidData('Unsupported message data type.');
}

/**
 * Deepest nesting accepted in data and extras. JSON.parse takes any depth, but encoding such a
 * value again (fan-out, SYNC, REST) overflows the stack: one client's presence data would then
 * fail every connection that attaches to the channel.
 */
export const MAX_NESTING = 256;

/**
 * Checks a value kept as is (data, extras) before anything stores it. Throws 40013 when it nests
 * deeper than {@link MAX_NESTING}, and 40000 for an object whose prototype is not
 * `Object.prototype`: msgpack decoding assigns a `__proto__` key as the prototype, so
 * `{"__proto__": <bytes>}` would pass for a Buffer and break every later encode of it.
 * Iterative, so any depth is safe.
 */
export function checkValue(value: unknown, what: string): void {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    if (ArrayBuffer.isView(v)) continue;
    if (depth > MAX_NESTING) {
      throw Errors.invalidData(`${what} is nested deeper than ${MAX_NESTING} levels.`);
    }
    if (!Array.isArray(v) && Object.getPrototypeOf(v) !== Object.prototype) {
      throw Errors.badRequest(`${what} has a "__proto__" key; rename it.`);
    }
    for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push([child, depth + 1]);
  }
}

/** True for a plain object (not an array, not bytes). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    !(value instanceof Uint8Array)
  );
}

function optString(obj: Record<string, unknown>, key: string): string | undefined {
  const v = obj[key];
  if (v == null) return undefined;
  if (typeof v !== 'string') throw Errors.badRequest(`Field "${key}" must be a string.`);
  return v;
}

function optInt(obj: Record<string, unknown>, key: string): number | undefined {
  const v = obj[key];
  if (v == null) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v)) {
    throw Errors.badRequest(`Field "${key}" must be an integer.`);
  }
  return v;
}

function copyString<T extends object>(from: Record<string, unknown>, to: T, key: keyof T & string) {
  const v = optString(from, key);
  if (v !== undefined) (to as Record<string, unknown>)[key] = v;
}
