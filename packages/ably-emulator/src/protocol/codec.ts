import msgpack from '@ably/msgpack-js';
import { Errors } from './errors.js';
import type {
  ProtocolMessage,
  WireAnnotation,
  WireData,
  WireMessage,
  WirePresenceMessage,
} from './types.js';

/** The two wire formats. Node ably-js defaults to msgpack, browsers to JSON. */
export type WireFormat = 'json' | 'msgpack';

/** An encoded frame: JSON goes in text frames, msgpack in binary frames. */
export type EncodedFrame = string | Buffer;

/**
 * Encodes a value for a format. JSON output never contains a serialised Buffer: bytes become
 * base64 (message/presence `data` gets `/base64` appended to its encoding first, see
 * {@link toJsonSafe}; any other stray bytes are caught by the replacer).
 */
export function encodeValue(value: unknown, format: WireFormat): EncodedFrame {
  if (format === 'msgpack') {
    // sparse=true drops null/undefined keys exactly as ably-js does.
    return msgpack.encode(value, true) ?? Buffer.alloc(0);
  }
  return JSON.stringify(value, bytesReplacer);
}

function bytesReplacer(this: unknown, key: string, value: unknown): unknown {
  // Buffer.toJSON runs before a replacer sees the value, so look at the holder's original.
  const original = (this as Record<string, unknown>)[key];
  if (original instanceof Uint8Array) return Buffer.from(original).toString('base64');
  return value;
}

/** Decodes one inbound frame. Throws 40000 for anything that is not a well-formed value. */
export function decodeValue(raw: Buffer | string, format: WireFormat): unknown {
  try {
    if (format === 'msgpack') {
      const buf = typeof raw === 'string' ? Buffer.from(raw, 'utf8') : raw;
      return msgpack.decode(buf);
    }
    return JSON.parse(typeof raw === 'string' ? raw : raw.toString('utf8'));
  } catch (err) {
    const detail = err instanceof Error ? err.message : String(err);
    throw Errors.badRequest(
      `Malformed ${format} frame (${detail}). Send one ProtocolMessage per frame.`,
    );
  }
}

/** Encodes a ProtocolMessage for one format, converting binary payloads for JSON clients. */
export function encodeFrame(msg: ProtocolMessage, format: WireFormat): EncodedFrame {
  return encodeValue(format === 'json' ? toJsonSafe(msg) : msg, format);
}

/**
 * Returns `msg` with every binary message/presence `data` turned into base64 text with
 * `/base64` appended to `encoding` (what real Ably does when bytes cross to a JSON client).
 * Copies only what changes; the original is shared with msgpack recipients.
 */
export function toJsonSafe(msg: ProtocolMessage): ProtocolMessage {
  let out = msg;
  if (msg.messages && msg.messages.some(hasBinaryData)) {
    out = { ...out, messages: msg.messages.map(base64Item) };
  }
  if (msg.presence && msg.presence.some(hasBinaryData)) {
    out = { ...out, presence: msg.presence.map(base64Item) };
  }
  if (msg.annotations && msg.annotations.some(hasBinaryData)) {
    out = { ...out, annotations: msg.annotations.map(base64Item) };
  }
  return out;
}

function hasBinaryData(item: { data?: WireData }): boolean {
  return item.data instanceof Uint8Array;
}

/** Converts one item's binary `data` to base64 text (no-op for anything else). */
export function base64Item<T extends WireMessage | WirePresenceMessage | WireAnnotation>(
  item: T,
): T {
  if (!(item.data instanceof Uint8Array)) return item;
  return {
    ...item,
    data: Buffer.from(item.data).toString('base64'),
    encoding: item.encoding ? `${item.encoding}/base64` : 'base64',
  };
}

/**
 * A frame sent to many connections, encoded at most once per format however many recipients
 * there are (fan-out cost is one encode per format plus one socket write per recipient). JSON is
 * kept as UTF-8 bytes too, so sockets do not re-encode the string for every recipient; the
 * transport still sends it as a text frame.
 */
export class OutboundFrame {
  private json: Buffer | undefined;
  private binary: Buffer | undefined;
  private framedJson: Buffer | undefined;
  private framedBinary: Buffer | undefined;
  private readonly encoder: (format: WireFormat) => Buffer;
  private readonly message: ProtocolMessage | undefined;
  private renamed: Map<string, OutboundFrame> | undefined;

  /**
   * @param source - the frame, or a custom encoder (e.g. one that splices pre-encoded parts) that
   *   produces what `encodeFrame(message, format)` would for the frame it stands for.
   */
  constructor(source: ProtocolMessage | ((format: WireFormat) => Buffer)) {
    this.message = typeof source === 'function' ? undefined : source;
    this.encoder =
      typeof source === 'function' ? source : (format) => toBuffer(encodeFrame(source, format));
  }

  /** The frame it encodes; undefined when it was made by a custom encoder. */
  get source(): ProtocolMessage | undefined {
    return this.message;
  }

  /**
   * The same frame addressed to `channel`: for an attachment made under another name of the
   * frame's channel (`[?rewind=1]room` for `room`), as clients drop frames for a name they did not
   * attach. Built once per name (and then encoded once per format); the frame itself when the
   * name is its own, or when it was made by a custom encoder.
   */
  forChannel(channel: string): OutboundFrame {
    const message = this.message;
    if (!message || message.channel === undefined || message.channel === channel) return this;
    this.renamed ??= new Map();
    let frame = this.renamed.get(channel);
    if (!frame) this.renamed.set(channel, (frame = new OutboundFrame({ ...message, channel })));
    return frame;
  }

  /** The frame's bytes in a format. */
  encoded(format: WireFormat): Buffer {
    if (format === 'json') return (this.json ??= this.encoder('json'));
    return (this.binary ??= this.encoder('msgpack'));
  }

  /** Bytes the frame keeps (every format encoded so far; at least one is encoded now). */
  retainedBytes(): number {
    const json = (this.framedJson ?? this.json)?.length ?? 0;
    const binary = (this.framedBinary ?? this.binary)?.length ?? 0;
    const bytes = json + binary;
    return bytes > 0 ? bytes : this.encoded('msgpack').length;
  }

  /**
   * The frame's bytes in a format as the transport puts them on the wire (`wrap` adds its
   * framing in front of the payload), built once per format and shared by every recipient. There
   * is one transport, so every caller passes the same `wrap`; the cache does not tell wraps apart.
   */
  framed(format: WireFormat, wrap: (bytes: Buffer, format: WireFormat) => Buffer): Buffer {
    const cached = format === 'json' ? this.framedJson : this.framedBinary;
    if (cached) return cached;
    const payload = this.encoded(format);
    const framed = wrap(payload, format);
    // The payload is the framed bytes' tail: keep a view of it rather than a second copy (frames
    // held for a dropped connection or kept for resumes would otherwise cost twice their size).
    const view = framed.subarray(framed.length - payload.length);
    if (format === 'json') {
      this.json = view;
      this.framedJson = framed;
    } else {
      this.binary = view;
      this.framedBinary = framed;
    }
    return framed;
  }
}

/** Bytes of an encoded frame (JSON text as UTF-8). */
export function toBuffer(frame: EncodedFrame): Buffer {
  return typeof frame === 'string' ? Buffer.from(frame, 'utf8') : frame;
}
