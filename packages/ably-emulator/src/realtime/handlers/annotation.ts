import { Flag } from '../../protocol/actions.js';
import { parseChannelName } from '../../protocol/channel-name.js';
import { Errors } from '../../protocol/errors.js';
import type { ProtocolMessage } from '../../protocol/types.js';
import type { Connection } from '../../state/connection.js';
import { publishAnnotations } from '../annotations.js';
import { effectiveClientId } from '../presence.js';
import type { Realtime } from '../realtime.js';

/**
 * ANNOTATION (`channel.annotations.publish()` / `delete()`, RTAN1). Checks the channel name
 * (40010) and permission (40160: the `annotation_publish` mode of the attachment, or the
 * `annotation-publish` capability when not attached), then publishes through
 * {@link publishAnnotations} (with the connection's JWT user claim for the channel) and ACKs with
 * the annotations' serials.
 */
export function handleAnnotation(rt: Realtime, conn: Connection, msg: ProtocolMessage): void {
  rt.withMsgSerial(conn, msg, () => {
    const name = msg.channel;
    if (name === undefined) throw Errors.invalidChannelName('ANNOTATION needs a channel name.');
    const channelName = parseChannelName(name).channel;
    const att = conn.attachments.get(name);
    const permitted = att
      ? (att.modes & Flag.ANNOTATION_PUBLISH) !== 0
      : conn.principal.capability.allows(channelName, 'annotation-publish');
    if (!permitted) {
      throw Errors.notPermitted(
        `Publishing annotations is not permitted on channel "${name}": the key or token needs the "annotation-publish" capability (and the annotation_publish channel mode).`,
      );
    }
    const channel = att?.channel ?? conn.app.channel(channelName);
    const userClaim = conn.principal.claims?.for(channel.name);
    const serials = publishAnnotations(rt, channel, msg.annotations ?? [], {
      idBase: `${conn.id}:${msg.msgSerial!}`,
      connection: conn,
      clientIdOf: (explicit) => effectiveClientId(conn, explicit, false),
      ...(userClaim !== undefined ? { userClaim } : {}),
    });
    return { serials };
  });
}
