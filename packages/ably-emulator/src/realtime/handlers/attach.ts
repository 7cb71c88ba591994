import { Action, Flag } from '../../protocol/actions.js';
import { parseChannelName } from '../../protocol/channel-name.js';
import { Errors, toAblyError } from '../../protocol/errors.js';
import type { ProtocolMessage } from '../../protocol/types.js';
import type { Attachment } from '../../state/channel.js';
import type { Missed } from '../../state/channel-log.js';
import type { Connection } from '../../state/connection.js';
import { frameFor } from '../fanout.js';
import { grantedModes, modesParam, requestedModes } from '../modes.js';
import { receivesOccupancy, sendInitialOccupancy } from '../occupancy.js';
import { parseRewind, rewindFrames } from '../rewind.js';
import { syncFrames } from '../presence.js';
import type { Realtime } from '../realtime.js';

/**
 * ATTACH. Grants `requested modes ∩ capability` (the `modes` param, else the mode bits of
 * `flags`; Ably's default modes when none are requested, see {@link grantedModes}), then — in
 * one synchronous step so no broadcast slips in between — sends:
 * 1. after a resume, the PRESENCE frames the client missed after the channelSerial its ATTACH
 *    carries (lost with the old socket, or not written while it was away);
 * 2. ATTACHED with the granted mode flags (RTL4m), a truthy channelSerial, the params echoed
 *    (RTL4k1; a `modes` param as the modes granted), HAS_PRESENCE iff a SYNC follows, and
 *    RESUMED when this connection's attachment survived and, after a resume, the channel still
 *    had everything the client missed (otherwise the client re-syncs);
 * 3. after a resume, the MESSAGE frames the client missed; on a first attach with a `rewind`
 *    param, the retained messages it asks for ({@link rewindFrames}); HAS_BACKLOG on ATTACHED
 *    when either follows;
 * 4. the SYNC pages (the last one with an empty cursor);
 * 5. the first `[meta]occupancy` event when the `occupancy` param asks for it and the
 *    attachment may read it ({@link receivesOccupancy}).
 * A name with a `[?params]` qualifier (`[?rewind=1]room`, as ably-js sends it) attaches to the
 * channel without it, with those params; every frame for the attachment carries the name it
 * attached with. Re-ATTACH is idempotent. Denials are channel-scoped ERRORs (40160, 40010 for a
 * name Ably refuses, see {@link parseChannelName}, 40000 for an unreadable `rewind`, 90010 for a
 * channel past `maxChannelsPerConnection`): only that channel fails (RTL4d), and an attachment the
 * connection had to it ends.
 */
export function handleAttach(rt: Realtime, conn: Connection, msg: ProtocolMessage): void {
  const name = msg.channel;
  if (name === undefined) {
    rt.failConnection(conn, Errors.invalidChannelName('ATTACH needs a channel name.'));
    return;
  }
  let address;
  try {
    address = parseChannelName(name);
    if (address.filter !== undefined) {
      throw Errors.badRequest(
        `Derived channels ([filter=...]) are not emulated: subscribe to "${address.channel}" and filter in the client.`,
      );
    }
    const other = conn.app.findChannel(address.channel)?.attachments.get(conn.id);
    if (other && other.name !== name) {
      throw Errors.badRequest(
        `"${name}" and "${other.name}" are the same channel, which this connection is attached to already: the emulator keeps one attachment per connection and channel. Detach "${other.name}" first.`,
      );
    }
  } catch (err) {
    rt.channelError(conn, name, toAblyError(err));
    return;
  }
  // A `[?params]` qualifier's params, then the ATTACH's own.
  const params: Record<string, string> = { ...address.params };
  for (const [k, v] of Object.entries(msg.params ?? {})) if (k !== 'agent') params[k] = v;
  let rewind;
  try {
    rewind = parseRewind(params, conn.app.now());
  } catch (err) {
    rt.channelError(conn, name, toAblyError(err));
    return;
  }
  const requested = requestedModes(params, msg.flags);
  let granted;
  try {
    granted = grantedModes(conn.principal.capability, address.channel, requested);
  } catch (err) {
    // Also ends an attachment the connection still has (a re-ATTACH after a resume with a token
    // that no longer allows the channel): its members leave.
    rt.failChannel(conn, name, toAblyError(err));
    return;
  }
  const { ops, modes } = granted;
  if (params['modes'] !== undefined) params['modes'] = modesParam(modes);
  const max = rt.options.maxChannelsPerConnection;
  if (!conn.attachments.has(name) && conn.attachments.size >= max) {
    rt.channelError(conn, name, Errors.tooManyChannels(max));
    return;
  }
  const occupancy = receivesOccupancy(params, modes, ops);

  const channel = conn.app.channel(address.channel);
  let att = conn.attachments.get(name);
  // Rewind applies to a first attach only: not to a re-attach, nor to one that says where the
  // client left off (a channelSerial, or ATTACH_RESUME: RTL4j2).
  const initial =
    att === undefined &&
    msg.channelSerial === undefined &&
    ((msg.flags ?? 0) & Flag.ATTACH_RESUME) === 0;
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
      name,
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
  for (const frame of missed?.presence ?? []) conn.send(frameFor(att, frame));
  const hasPresence = channel.presence.size > 0 && (modes & Flag.PRESENCE_SUBSCRIBE) !== 0;
  const catchUp = missed !== undefined && missed.messages.length > 0;
  const rewound =
    rewind && initial && (modes & Flag.SUBSCRIBE) !== 0 ? rewindFrames(att, rewind) : undefined;
  const backlog = catchUp || (rewound?.frames.length ?? 0) > 0;
  conn.send({
    action: Action.ATTACHED,
    channel: name,
    // With messages to catch up on, the client's own serial: each of them moves it on, so if they
    // are lost again, the next resume still starts from the right place.
    channelSerial: catchUp ? msg.channelSerial : channel.serial,
    flags:
      modes |
      (resumed ? Flag.RESUMED : 0) |
      (hasPresence ? Flag.HAS_PRESENCE : 0) |
      (backlog ? Flag.HAS_BACKLOG : 0),
    ...(Object.keys(params).length > 0 ? { params } : {}),
    ...(rewound?.truncated ? { error: rewound.truncated.toWire() } : {}),
  });
  // Missed or rewound messages after: the client drops a MESSAGE unless the channel is attached
  // (RTL17).
  for (const frame of missed?.messages ?? []) conn.send(frameFor(att, frame));
  for (const frame of rewound?.frames ?? []) conn.send(frame);
  if (hasPresence) {
    for (const frame of syncFrames(channel, rt.options.syncPageSize, name)) conn.send(frame);
  }
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
