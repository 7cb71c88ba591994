import type { ProtocolMessage } from '../protocol/types.js';
import type { Attachment, Channel } from './channel.js';
import type { Connection } from './connection.js';

/**
 * Hears every change of an app's live state as it happens: what the inspector shows. Calls are
 * synchronous, from the code that made the change, and may come in the middle of it (read the
 * state later, not in the call); an observer must not throw or change anything.
 */
export interface AppObserver {
  /** A connection opened, resumed, got new credentials, dropped or closed (see `conn.state`). */
  connectionChanged(conn: Connection): void;
  /** An attachment was made (`attached`) or ended. */
  attachmentChanged(att: Attachment, attached: boolean): void;
  /** A MESSAGE or PRESENCE frame went out on a channel, to every attachment it was for. */
  broadcast(channel: Channel, message: ProtocolMessage): void;
}
