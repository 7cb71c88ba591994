import { withUserClaim } from '../auth/user-claims.js';
import { Action, AnnotationAction, Flag, MessageAction } from '../protocol/actions.js';
import { OutboundFrame } from '../protocol/codec.js';
import { Errors } from '../protocol/errors.js';
import type { WireAnnotation, WireMessage } from '../protocol/types.js';
import { needsClientId, needsName, summarizationOf } from '../state/annotation-summary.js';
import type { Channel } from '../state/channel.js';
import { broadcast } from './fanout.js';
import { messageSize, type PublishOrigin } from './handlers/message.js';
import { broadcastMessages, findMessage, getMessage } from './mutable-messages.js';
import type { Realtime } from './realtime.js';

/** An annotation as the server keeps and sends it: every server-set field filled in. */
export type StoredAnnotation = WireAnnotation & {
  id: string;
  action: number;
  serial: string;
  timestamp: number;
};

/**
 * Publishes annotations of a channel's messages (realtime ANNOTATION, and the reactions of the
 * Chat REST API), all or nothing: together they must fit in `maxMessageSize` (40009), and each
 * must have a type of a summarization Ably knows
 * (`<namespace>:total|flag|distinct|unique|multiple.v1`, 40003 otherwise), a `name` when its
 * summarization counts names (40003), annotate a retained message (40400), and come from an
 * identified client for `flag`, `distinct` and `unique` (40012). Then each gets an id, a serial, a
 * timestamp, the publisher's connectionId and JWT user claim (`extras.userClaim`), and counts in
 * its message's summary. The annotations go, in one ANNOTATION frame, to the attachments with the
 * `annotation_subscribe` mode (not back to a publisher that connected with `echo=false`); every
 * message whose summary changed goes to subscribers as a `message.summary` MESSAGE. Returns the
 * annotations' serials.
 */
export function publishAnnotations(
  rt: Realtime,
  channel: Channel,
  annotations: readonly WireAnnotation[],
  origin: PublishOrigin,
): string[] {
  let size = 0;
  for (const a of annotations) size += messageSize(a);
  if (size > rt.options.maxMessageSize)
    throw Errors.messageTooLarge(size, rt.options.maxMessageSize);
  const prepared = annotations.map((a) => {
    const method = summarizationOf(a.type);
    if (method === undefined) {
      throw Errors.invalidParameter(
        `Invalid annotation type "${a.type}": use "<namespace>:<summarization>.v1" with total, flag, distinct, unique or multiple (e.g. "reaction:distinct.v1").`,
      );
    }
    const action = a.action ?? AnnotationAction.CREATE;
    if (
      needsName(method) &&
      a.name === undefined &&
      !(method === 'unique' && action === AnnotationAction.DELETE)
    ) {
      throw Errors.invalidParameter(`Annotations of type "${a.type}" need a name.`);
    }
    getMessage(channel, a.messageSerial);
    // A wildcard identity (`*`) is nobody in particular: such annotations are unidentified.
    const named = origin.clientIdOf(a.clientId);
    const clientId = named === '*' ? undefined : named;
    if (needsClientId(method) && clientId === undefined) {
      throw Errors.invalidClientId(
        `Annotations of type "${a.type}" need an identified client: give the client a clientId (or a token with one).`,
      );
    }
    return { a, action, clientId };
  });

  const timestamp = channel.app.now();
  const conn = origin.connection;
  const stored: StoredAnnotation[] = [];
  const summaries = new Set<string>();
  prepared.forEach(({ a, action, clientId }, i) => {
    const extras = withUserClaim(a.extras, origin.userClaim);
    const annotation: StoredAnnotation = {
      ...a,
      id: a.id ?? `${origin.idBase}:${i}`,
      action,
      serial: channel.nextSerial(),
      timestamp,
      ...(clientId !== undefined ? { clientId } : {}),
      ...(conn ? { connectionId: conn.id } : {}),
    };
    if (extras === undefined) delete annotation.extras;
    else annotation.extras = extras;
    stored.push(annotation);
    const record = channel.messageRecords.of(getMessage(channel, a.messageSerial));
    const changed = record.summary.apply({
      action,
      type: a.type,
      ...(a.name !== undefined ? { name: a.name } : {}),
      ...(a.count !== undefined ? { count: a.count } : {}),
      ...(clientId !== undefined ? { clientId } : {}),
    });
    if (changed) summaries.add(a.messageSerial);
  });

  if (stored.length > 0) {
    const frame = new OutboundFrame({
      action: Action.ANNOTATION,
      channel: channel.name,
      channelSerial: channel.serial,
      ...(conn ? { id: origin.idBase, connectionId: conn.id } : {}),
      timestamp,
      annotations: stored,
    });
    const echo = conn?.settings.echo !== false;
    broadcast(
      channel,
      frame,
      (att) => (att.modes & Flag.ANNOTATION_SUBSCRIBE) !== 0 && (echo || att.connection !== conn),
      { channelSerial: channel.serial, presence: false },
    );
  }
  for (const serial of summaries) {
    channel.nextSerial();
    const summary: WireMessage | undefined = summaryMessage(channel, serial);
    if (summary) broadcastMessages(channel, [summary], timestamp);
  }
  return stored.map((a) => a.serial);
}

/** The latest version of a message with its annotation summary, as `message.summary` carries it. */
function summaryMessage(channel: Channel, serial: string): WireMessage | undefined {
  const message = findMessage(channel, serial);
  const record = channel.messageRecords.get(serial);
  if (!message || !record) return undefined;
  return {
    id: message.id,
    ...(message.name !== undefined ? { name: message.name } : {}),
    serial: message.serial,
    action: MessageAction.SUMMARY,
    timestamp: message.timestamp,
    ...(message.version ? { version: message.version } : {}),
    annotations: { summary: record.summary.toWire() },
  };
}
