import { Action } from '../../protocol/actions.js';
import type { ProtocolMessage } from '../../protocol/types.js';
import type { Connection } from '../../state/connection.js';
import type { Realtime } from '../realtime.js';

/** HEARTBEAT: a `connection.ping()` carries an id that must come back within 10 s. */
export function handleHeartbeat(_rt: Realtime, conn: Connection, msg: ProtocolMessage): void {
  if (msg.id !== undefined) conn.send({ action: Action.HEARTBEAT, id: msg.id });
}
