import { Action, Flag } from '../../protocol/actions.js';
import { OutboundFrame } from '../../protocol/codec.js';
import { Errors } from '../../protocol/errors.js';
import type { ProtocolMessage, WireMessage } from '../../protocol/types.js';
import type { StoredMessage } from '../../state/channel.js';
import type { Connection } from '../../state/connection.js';
import { broadcast } from '../fanout.js';
import { effectiveClientId } from '../presence.js';
import type { Realtime } from '../realtime.js';

/** Size of a message as ably-js counts it against `maxMessageSize`. */
export function messageSize(m: WireMessage): number {
  let size = 0;
  if (m.name) size += Buffer.byteLength(m.name);
  if (m.clientId) size += Buffer.byteLength(m.clientId);
  if (m.extras) size += JSON.stringify(m.extras).length;
  const d = m.data;
  if (typeof d === 'string') size += Buffer.byteLength(d);
  else if (d instanceof Uint8Array) size += d.byteLength;
  else if (typeof d === 'number') size += 8;
  else if (typeof d === 'boolean') size += 1;
  else if (d !== undefined) size += JSON.stringify(d).length;
  return size;
}

/**
 * MESSAGE (publish). Checks permission (40160), total size (40009) and clientIds (40012); assigns
 * id, serial, connectionId and timestamp; stores it unless `extras.ephemeral`; fans it out to
 * attachments with SUBSCRIBE (not back to a publisher that connected with `echo=false`); ACKs
 * with the serials.
 */
export function handleMessage(rt: Realtime, conn: Connection, msg: ProtocolMessage): void {
  rt.withMsgSerial(conn, msg, () => {
    const name = msg.channel;
    if (name === undefined || name === '')
      throw Errors.invalidChannelName('MESSAGE needs a channel name.');
    const att = conn.attachments.get(name);
    const permitted = att
      ? (att.modes & Flag.PUBLISH) !== 0
      : conn.principal.capability.allows(name, 'publish');
    if (!permitted) {
      throw Errors.notPermitted(
        `Publishing is not permitted on channel "${name}": the key or token needs the "publish" capability.`,
      );
    }
    const messages = msg.messages ?? [];
    let size = 0;
    for (const m of messages) size += messageSize(m);
    if (size > rt.options.maxMessageSize)
      throw Errors.messageTooLarge(size, rt.options.maxMessageSize);
    const clientIds = messages.map((m) => effectiveClientId(conn, m.clientId, false));

    const channel = conn.app.channel(name);
    const timestamp = conn.app.now();
    const msgSerial = msg.msgSerial!;
    const stored: StoredMessage[] = messages.map((m, i) => {
      const clientId = clientIds[i];
      return {
        ...m,
        id: m.id ?? `${conn.id}:${msgSerial}:${i}`,
        ...(clientId !== undefined ? { clientId } : {}),
        connectionId: conn.id,
        timestamp,
        serial: channel.nextSerial(),
        action: m.action ?? 0,
      };
    });
    for (const m of stored) if (m.extras?.['ephemeral'] !== true) channel.messages.append(m);
    if (stored.length > 0) {
      const frame = new OutboundFrame({
        action: Action.MESSAGE,
        channel: name,
        channelSerial: channel.serial,
        id: `${conn.id}:${msgSerial}`,
        connectionId: conn.id,
        timestamp,
        messages: stored,
      });
      const echo = conn.settings.echo;
      broadcast(
        channel,
        frame,
        (a) => (a.modes & Flag.SUBSCRIBE) !== 0 && (echo || a.connection !== conn),
      );
    }
    return { serials: stored.map((m) => m.serial) };
  });
}
