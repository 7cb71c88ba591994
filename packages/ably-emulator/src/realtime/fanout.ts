import type { OutboundFrame } from '../protocol/codec.js';
import type { Attachment, Channel } from '../state/channel.js';

/** A channel frame as one attachment receives it: addressed to the name it attached with. */
export function frameFor(att: Attachment, frame: OutboundFrame): OutboundFrame {
  return att.name === att.channel.name ? frame : frame.forChannel(att.name);
}

/**
 * Sends a channel frame to one attachment, unless it is paused (its connection is away or has
 * not re-attached since resuming).
 */
export function deliver(att: Attachment, frame: OutboundFrame): void {
  if (att.paused) return;
  const transport = att.connection.transport;
  if (transport) transport.send(frameFor(att, frame));
}

/** A broadcast frame's `channelSerial`, and whether it is a PRESENCE frame (else a MESSAGE). */
export interface Serial {
  channelSerial: string;
  presence: boolean;
}

/**
 * Sends a frame to every attachment of a channel that passes `include`; the frame is encoded at
 * most once per wire format, whatever the number of recipients. A frame with a `channelSerial`
 * (MESSAGE, PRESENCE: `include` must then depend only on each attachment's modes and connection)
 * is also kept in the channel's log, for attachments that were paused or whose frames were lost
 * with a dead socket: their re-ATTACH after a resume sends it again.
 */
export function broadcast(
  channel: Channel,
  frame: OutboundFrame,
  include: (att: Attachment) => boolean,
  serial?: Serial,
): void {
  const position = serial === undefined ? undefined : channel.positionOf(serial.channelSerial);
  for (const att of channel.attachments.values()) {
    if (!include(att)) continue;
    if (position !== undefined) att.lastPosition = position;
    deliver(att, frame);
  }
  if (position !== undefined) channel.log.append(position, frame, serial!.presence, include);
  const message = frame.source;
  if (message) channel.app.observer?.broadcast(channel, message);
}
