import { parseChannelName } from '../../protocol/channel-name.js';
import { Errors } from '../../protocol/errors.js';
import type { ProtocolMessage } from '../../protocol/types.js';
import type { Connection } from '../../state/connection.js';
import { applyClientPresence, checkClientPresence } from '../presence.js';
import type { Realtime } from '../realtime.js';
import { messageSize } from './message.js';

/**
 * PRESENCE (enter, update, leave, and the `*Client` variants). Every item is checked before any
 * is applied; the frame gets one ACK, or one NACK (40160 without the presence permission, 40012
 * for a clientId this connection may not use, 40009 over `maxMessageSize`, as for a publish,
 * 40010 for a channel name Ably refuses).
 * Results are broadcast with `connId:msgSerial:index` ids, always including the sender
 * (protocol §5–6).
 */
export function handlePresence(rt: Realtime, conn: Connection, msg: ProtocolMessage): void {
  rt.withMsgSerial(conn, msg, () => {
    const name = msg.channel;
    if (name === undefined) throw Errors.invalidChannelName('PRESENCE needs a channel name.');
    parseChannelName(name);
    const items = msg.presence ?? [];
    const att = conn.attachments.get(name);
    const clientIds = checkClientPresence(conn, att, name, items);
    let size = 0;
    for (const item of items) size += messageSize(item);
    if (size > rt.options.maxMessageSize)
      throw Errors.messageTooLarge(size, rt.options.maxMessageSize);
    if (applyClientPresence(conn, att!.channel, msg.msgSerial!, items, clientIds)) {
      rt.occupancyChanged(att!.channel);
    }
  });
}
