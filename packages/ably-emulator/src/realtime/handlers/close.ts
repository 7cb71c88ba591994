import { Action } from '../../protocol/actions.js';
import type { Connection } from '../../state/connection.js';
import type { Realtime } from '../realtime.js';

/**
 * CLOSE (`realtime.close()`): answer CLOSED while the socket is still open, then end the
 * connection for good: members leave at once and it cannot be resumed (protocol §2.5).
 */
export function handleClose(rt: Realtime, conn: Connection): void {
  conn.send({ action: Action.CLOSED, connectionId: conn.id });
  rt.closeConnection(conn, 'client closed');
  rt.options.log(`connection ${conn.id} closed`);
}
