import type { WireFormat } from '../protocol/codec.js';

/** FIN bit set: every frame the emulator sends is a whole message (no fragmentation). */
const FIN = 0x80;
const OPCODE_TEXT = 0x1;
const OPCODE_BINARY = 0x2;

/**
 * An encoded frame as one unmasked, unfragmented, uncompressed WebSocket data frame (RFC 6455
 * §5.2: header, then payload, in one Buffer): a text frame for JSON (browsers hand binary
 * frames to ably-js as ArrayBuffers, which its JSON transport cannot read), binary for msgpack.
 *
 * Built once per wire format per {@link OutboundFrame} and written as is to every recipient's
 * socket, instead of `ws` framing the same payload again for each of them. Only valid on sockets
 * without permessage-deflate (the server never negotiates it) and as a server (no mask).
 */
export function wsFrame(payload: Buffer, format: WireFormat): Buffer {
  const length = payload.length;
  const headerLength = length < 126 ? 2 : length < 0x10000 ? 4 : 10;
  // Not from Buffer's shared pool: framed bytes may be kept a while (for resumes), and a pooled
  // slice would keep its whole 8 kB slab alive, with the short-lived buffers allocated next to it.
  const out = Buffer.allocUnsafeSlow(headerLength + length);
  out[0] = FIN | (format === 'json' ? OPCODE_TEXT : OPCODE_BINARY);
  if (length < 126) {
    out[1] = length;
  } else if (length < 0x10000) {
    out[1] = 126;
    out.writeUInt16BE(length, 2);
  } else {
    out[1] = 127;
    // 64-bit length; frames are far below 2^53, so the high word comes from a division.
    out.writeUInt32BE(Math.floor(length / 0x100000000), 2);
    out.writeUInt32BE(length >>> 0, 6);
  }
  payload.copy(out, headerLength);
  return out;
}
