import { modesFor } from '../../auth/capability.js';
import { Action, Flag, MODE_MASK } from '../../protocol/actions.js';
import type { OutboundFrame } from '../../protocol/codec.js';
import { Errors } from '../../protocol/errors.js';
import type { ProtocolMessage } from '../../protocol/types.js';
import type { Attachment } from '../../state/channel.js';
import type { Connection } from '../../state/connection.js';
import { sendInitialOccupancy } from '../occupancy.js';
import { syncFrames } from '../presence.js';
import type { Realtime } from '../realtime.js';

/** Longest channel name accepted. */
const MAX_CHANNEL_NAME = 2048;

/**
 * ATTACH. Grants `requested modes ∩ capability` (all the capability allows when none are
 * requested), then — in one synchronous step so no broadcast slips in between — sends:
 * 1. ATTACHED with the mode flags, a truthy channelSerial, the params echoed, RESUMED when this
 *    connection's attachment survived, and HAS_PRESENCE iff a SYNC follows;
 * 2. frames held for the attachment while the connection was away (after a resume);
 * 3. the SYNC pages (the last one with an empty cursor);
 * 4. the first `[meta]occupancy` event when the `occupancy` param asks for it.
 * Re-ATTACH is idempotent. Denials are channel-scoped ERRORs (40160, 40010): only that channel fails.
 */
export function handleAttach(rt: Realtime, conn: Connection, msg: ProtocolMessage): void {
  const name = msg.channel;
  if (name === undefined || name === '') {
    rt.failConnection(conn, Errors.invalidChannelName('ATTACH needs a channel name.'));
    return;
  }
  if (name.length > MAX_CHANNEL_NAME) {
    rt.channelError(
      conn,
      name,
      Errors.invalidChannelName(`Channel names are limited to ${MAX_CHANNEL_NAME} characters.`),
    );
    return;
  }
  const ops = conn.principal.capability.opsFor(name);
  if (ops.size === 0) {
    rt.channelError(
      conn,
      name,
      Errors.notPermitted(`Channel "${name}" is not permitted by this key or token's capability.`),
    );
    return;
  }
  const allowed = modesFor(ops);
  const requested = (msg.flags ?? 0) & MODE_MASK;
  const modes = requested ? requested & allowed : allowed;
  if (requested && modes === 0) {
    rt.channelError(
      conn,
      name,
      Errors.notPermitted(
        `None of the requested channel modes is permitted on "${name}" by the capability.`,
      ),
    );
    return;
  }
  const params: Record<string, string> = {};
  for (const [k, v] of Object.entries(msg.params ?? {})) if (k !== 'agent') params[k] = v;
  const occupancy = params['occupancy']?.startsWith('metrics') === true;

  const channel = conn.app.channel(name);
  let att = conn.attachments.get(name);
  const resumed = att?.continuous === true;
  if (att) {
    channel.updateAttachment(att, modes, occupancy);
    att.params = params;
  } else {
    att = { connection: conn, channel, modes, params, occupancy, held: null, continuous: true };
    conn.attachments.set(name, att);
    channel.addAttachment(att);
  }
  const held = att.held;
  att.held = null;
  att.continuous = true;

  const hasPresence = channel.presence.size > 0 && (modes & Flag.PRESENCE_SUBSCRIBE) !== 0;
  conn.send({
    action: Action.ATTACHED,
    channel: name,
    channelSerial: channel.serial,
    flags: modes | (resumed ? Flag.RESUMED : 0) | (hasPresence ? Flag.HAS_PRESENCE : 0),
    ...(Object.keys(params).length > 0 ? { params } : {}),
  });
  flushHeld(att, resumed ? held : null);
  if (hasPresence)
    for (const frame of syncFrames(channel, rt.options.syncPageSize)) conn.send(frame);
  sendInitialOccupancy(att);
  rt.occupancyChanged(channel);
}

function flushHeld(att: Attachment, held: OutboundFrame[] | null): void {
  const transport = att.connection.transport;
  if (!held || !transport) return;
  for (const frame of held) transport.send(frame);
}
