import { Action } from '../../protocol/actions.js';
import { parseChannelName } from '../../protocol/channel-name.js';
import { Errors, toAblyError } from '../../protocol/errors.js';
import type { ProtocolMessage } from '../../protocol/types.js';
import type { Connection } from '../../state/connection.js';
import type { Realtime } from '../realtime.js';

/**
 * DETACH: always answered with DETACHED (even for a channel this connection never attached:
 * @ably/chat's `release()` retries until it gets one). Members this connection entered on the
 * channel leave at once (Ably's implicit leave) and occupancy updates. A name Ably refuses gets
 * a channel-scoped ERROR 40010, as on ATTACH.
 */
export function handleDetach(rt: Realtime, conn: Connection, msg: ProtocolMessage): void {
  const name = msg.channel;
  if (name === undefined) {
    rt.failConnection(conn, Errors.invalidChannelName('DETACH needs a channel name.'));
    return;
  }
  try {
    parseChannelName(name);
  } catch (err) {
    rt.channelError(conn, name, toAblyError(err));
    return;
  }
  const att = conn.attachments.get(name);
  conn.send({ action: Action.DETACHED, channel: name });
  if (att) rt.detachChannel(conn, att.channel);
}
