import type { OutboundFrame } from '../protocol/codec.js';
import type { Attachment, Channel } from '../state/channel.js';

/** Frames kept per attachment while its connection is away; more means continuity is lost. */
export const MAX_HELD_FRAMES = 1000;

/**
 * Sends a channel frame to one attachment: straight to the socket, or into the attachment's
 * hold while its connection is dropped or has not re-attached since resuming.
 */
export function deliver(att: Attachment, frame: OutboundFrame): void {
  const conn = att.connection;
  if (att.held) {
    if (att.held.length < MAX_HELD_FRAMES) {
      // Encoded now, while the state it describes is current.
      frame.encoded(conn.settings.format);
      att.held.push(frame);
    } else {
      // Too much missed: give up on continuity; the next ATTACHED says "not resumed" and re-syncs.
      att.held = null;
      att.continuous = false;
    }
    return;
  }
  const transport = conn.transport;
  if (transport) transport.send(frame);
}

/**
 * Sends a frame to every attachment of a channel that passes `include`. The frame is encoded at
 * most once per wire format, whatever the number of recipients.
 */
export function broadcast(
  channel: Channel,
  frame: OutboundFrame,
  include: (att: Attachment) => boolean,
): void {
  for (const att of channel.attachments.values()) {
    if (include(att)) deliver(att, frame);
  }
}
