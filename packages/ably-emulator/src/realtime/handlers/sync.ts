import { Action } from '../../protocol/actions.js';
import type { ProtocolMessage } from '../../protocol/types.js';
import type { Connection } from '../../state/connection.js';
import { syncFrames } from '../presence.js';
import type { Realtime } from '../realtime.js';

/** Client SYNC (rare: resuming an interrupted sync): answer with a full SYNC of the set. */
export function handleSync(rt: Realtime, conn: Connection, msg: ProtocolMessage): void {
  const name = msg.channel;
  const att = name === undefined ? undefined : conn.attachments.get(name);
  if (!att || name === undefined) {
    // Not attached: an empty, complete sync keeps a waiting presence.get() from hanging.
    if (name !== undefined)
      conn.send({ action: Action.SYNC, channel: name, channelSerial: 'empty:', presence: [] });
    return;
  }
  for (const frame of syncFrames(att.channel, rt.options.syncPageSize, att.name)) {
    conn.send(frame);
  }
}
