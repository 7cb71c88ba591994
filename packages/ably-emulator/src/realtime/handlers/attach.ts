import { grantModes } from '../../auth/capability.js';
import { Action, Flag, MODE_MASK } from '../../protocol/actions.js';
import { Errors, toAblyError } from '../../protocol/errors.js';
import type { ProtocolMessage } from '../../protocol/types.js';
import type { Attachment } from '../../state/channel.js';
import type { Missed } from '../../state/channel-log.js';
import type { Connection } from '../../state/connection.js';
import { receivesOccupancy, sendInitialOccupancy } from '../occupancy.js';
import { syncFrames } from '../presence.js';
import type { Realtime } from '../realtime.js';

/** Longest channel name accepted. */
const MAX_CHANNEL_NAME = 2048;

/**
 * ATTACH. Grants `requested modes ∩ capability` (all the capability allows when none are
 * requested), then — in one synchronous step so no broadcast slips in between — sends:
 * 1. after a resume, the PRESENCE frames the client missed after the channelSerial its ATTACH
 *    carries (lost with the old socket, or not written while it was away);
 * 2. ATTACHED with the mode flags, a truthy channelSerial, the params echoed, HAS_PRESENCE iff a
 *    SYNC follows, and RESUMED when this connection's attachment survived and, after a resume,
 *    the channel still had everything the client missed (otherwise the client re-syncs);
 * 3. after a resume, the MESSAGE frames the client missed;
 * 4. the SYNC pages (the last one with an empty cursor);
 * 5. the first `[meta]occupancy` event when the `occupancy` param asks for it and the
 *    attachment may read it ({@link receivesOccupancy}).
 * Re-ATTACH is idempotent. Denials are channel-scoped ERRORs (40160, 40010; 90010 for a channel
 * past `maxChannelsPerConnection`): only that channel fails, and an attachment the connection had
 * to it ends.
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
  const requested = (msg.flags ?? 0) & MODE_MASK;
  let granted;
  try {
    granted = grantModes(conn.principal.capability, name, requested);
  } catch (err) {
    // Also ends an attachment the connection still has (a re-ATTACH after a resume with a token
    // that no longer allows the channel): its members leave.
    rt.failChannel(conn, name, toAblyError(err));
    return;
  }
  const { ops, modes } = granted;
  const max = rt.options.maxChannelsPerConnection;
  if (!conn.attachments.has(name) && conn.attachments.size >= max) {
    rt.channelError(conn, name, Errors.tooManyChannels(max));
    return;
  }
  const params: Record<string, string> = {};
  for (const [k, v] of Object.entries(msg.params ?? {})) if (k !== 'agent') params[k] = v;
  const occupancy = receivesOccupancy(params, modes, ops);

  const channel = conn.app.channel(name);
  let att = conn.attachments.get(name);
  let missed: Missed | undefined;
  if (att) {
    // Worked out with the modes the missed frames were sent under, before they change.
    missed = att.paused ? framesMissed(att, msg.channelSerial) : NOTHING_MISSED;
    channel.updateAttachment(att, modes, occupancy);
    att.requested = requested;
    att.params = params;
    att.paused = false;
  } else {
    const position = channel.position;
    att = {
      connection: conn,
      channel,
      requested,
      modes,
      params,
      occupancy,
      paused: false,
      since: position,
      lastPosition: position,
    };
    conn.attachments.set(name, att);
    channel.addAttachment(att);
  }
  const resumed = missed !== undefined;

  // Missed presence goes first: ably-js applies PRESENCE in any channel state, and on ATTACHED
  // it re-enters every member of its own that it has not seen leave (RTP17i), so the echo of a
  // LEAVE lost in flight must be there before, or the member comes back.
  for (const frame of missed?.presence ?? []) conn.send(frame);
  const hasPresence = channel.presence.size > 0 && (modes & Flag.PRESENCE_SUBSCRIBE) !== 0;
  const catchUp = missed !== undefined && missed.messages.length > 0;
  conn.send({
    action: Action.ATTACHED,
    channel: name,
    // With messages to catch up on, the client's own serial: each of them moves it on, so if they
    // are lost again, the next resume still starts from the right place.
    channelSerial: catchUp ? msg.channelSerial : channel.serial,
    flags: modes | (resumed ? Flag.RESUMED : 0) | (hasPresence ? Flag.HAS_PRESENCE : 0),
    ...(Object.keys(params).length > 0 ? { params } : {}),
  });
  // Missed messages after: the client drops a MESSAGE unless the channel is attached (RTL17).
  for (const frame of missed?.messages ?? []) conn.send(frame);
  if (hasPresence)
    for (const frame of syncFrames(channel, rt.options.syncPageSize)) conn.send(frame);
  sendInitialOccupancy(att);
  rt.occupancyChanged(channel);
}

const NOTHING_MISSED: Missed = { presence: [], messages: [] };

/**
 * What a paused attachment missed after the channelSerial its client last saw (frames lost with
 * a dead socket, and those not written while it was away), or `undefined` when the client's
 * serial is not one of this channel's since the attachment began, or the channel's log no longer
 * holds everything after it: then continuity is lost and the client must re-sync.
 */
function framesMissed(att: Attachment, channelSerial: string | undefined): Missed | undefined {
  const after = channelSerial === undefined ? undefined : att.channel.positionOf(channelSerial);
  if (after === undefined || after < att.since) return undefined;
  return att.channel.log.framesAfter(after, att, att.lastPosition);
}
