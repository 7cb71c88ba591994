import { Action } from '../../protocol/actions.js';
import { Errors } from '../../protocol/errors.js';
import type { ProtocolMessage } from '../../protocol/types.js';
import type { Connection } from '../../state/connection.js';
import type { Realtime } from '../realtime.js';

/**
 * DETACH: always answered with DETACHED (even for a channel this connection never attached:
 * @ably/chat's `release()` retries until it gets one). Members this connection entered on the
 * channel leave at once (Ably's implicit leave) and occupancy updates.
 */
export function handleDetach(rt: Realtime, conn: Connection, msg: ProtocolMessage): void {
  const name = msg.channel;
  if (name === undefined || name === '') {
    rt.failConnection(conn, Errors.invalidChannelName('DETACH needs a channel name.'));
    return;
  }
  const att = conn.attachments.get(name);
  conn.send({ action: Action.DETACHED, channel: name });
  if (att) rt.detachChannel(conn, att.channel);
}
