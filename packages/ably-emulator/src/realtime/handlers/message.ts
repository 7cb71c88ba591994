import { Action, Flag } from '../../protocol/actions.js';
import { withUserClaim } from '../../auth/user-claims.js';
import { parseChannelName } from '../../protocol/channel-name.js';
import { OutboundFrame } from '../../protocol/codec.js';
import { Errors } from '../../protocol/errors.js';
import type { ProtocolMessage, WireMessage } from '../../protocol/types.js';
import type { Channel, StoredMessage } from '../../state/channel.js';
import type { Connection } from '../../state/connection.js';
import { broadcast } from '../fanout.js';
import { effectiveClientId } from '../presence.js';
import type { Realtime } from '../realtime.js';

/** Size of a message as ably-js counts it against `maxMessageSize`. */
export function messageSize(m: WireMessage): number {
  let size = 0;
  if (m.name) size += Buffer.byteLength(m.name);
  if (m.clientId) size += Buffer.byteLength(m.clientId);
  if (m.extras) size += JSON.stringify(m.extras).length;
  const d = m.data;
  if (typeof d === 'string') size += Buffer.byteLength(d);
  else if (d instanceof Uint8Array) size += d.byteLength;
  else if (typeof d === 'number') size += 8;
  else if (typeof d === 'boolean') size += 1;
  else if (d !== undefined) size += JSON.stringify(d).length;
  return size;
}

/** How long a message id is remembered for idempotent publishing (Ably: about two minutes). */
export const IDEMPOTENCY_WINDOW_MS = 120_000;

/** A recently published message id's serial and publish time. */
type RecentIds = Map<string, { serial: string; at: number }>;

/** Recently published message ids per channel, oldest first. */
const recentIds = new WeakMap<Channel, RecentIds>();

/** Where a publish comes from: a realtime connection, or a REST request (no connection). */
export interface PublishOrigin {
  /** Messages without an id get `<idBase>:<index>`. */
  idBase: string;
  /** The publishing connection: sets `connectionId` and honours its `echo=false`. */
  connection?: Connection;
  /** The clientId each message is attributed to (throws 40012 for one it may not use). */
  clientIdOf: (explicit: string | undefined) => string | undefined;
  /** The publisher's JWT user claim for the channel, set as every message's `extras.userClaim`. */
  userClaim?: string;
}

/**
 * Publishes messages on a channel, for realtime MESSAGE and REST `POST /channels/<ch>/messages`
 * alike (the caller has checked the `publish` permission). Checks the total size (40009) and the
 * clientIds (40012) before anything happens; assigns id, serial, timestamp and connectionId, and
 * `extras.userClaim` (only the origin's: one a client wrote itself is dropped);
 * skips messages whose client-supplied id was published in the last
 * {@link IDEMPOTENCY_WINDOW_MS} (their original serial is returned); stores the rest unless `extras.ephemeral`; fans them out to
 * attachments with SUBSCRIBE. Returns one serial per message.
 */
export function publishMessages(
  rt: Realtime,
  channel: Channel,
  messages: WireMessage[],
  origin: PublishOrigin,
): string[] {
  let size = 0;
  for (const m of messages) size += messageSize(m);
  if (size > rt.options.maxMessageSize)
    throw Errors.messageTooLarge(size, rt.options.maxMessageSize);
  const clientIds = messages.map((m) => origin.clientIdOf(m.clientId));

  const timestamp = channel.app.now();
  const conn = origin.connection;
  const recent = recentIdsOf(channel, timestamp);
  const serials: string[] = [];
  const fresh: StoredMessage[] = [];
  messages.forEach((m, i) => {
    const id = m.id ?? `${origin.idBase}:${i}`;
    // Only ids the client chose can come again (a retry); generated ones are unique.
    const seen = m.id === undefined ? undefined : recent.get(id);
    if (seen) {
      serials.push(seen.serial);
      return;
    }
    const clientId = clientIds[i];
    const extras = withUserClaim(m.extras, origin.userClaim);
    const stored: StoredMessage = {
      ...m,
      id,
      ...(clientId !== undefined ? { clientId } : {}),
      ...(conn ? { connectionId: conn.id } : {}),
      timestamp,
      serial: channel.nextSerial(),
      action: m.action ?? 0,
    };
    if (extras === undefined) delete stored.extras;
    else stored.extras = extras;
    if (m.id !== undefined) recent.set(id, { serial: stored.serial, at: timestamp });
    serials.push(stored.serial);
    fresh.push(stored);
  });
  for (const m of fresh) if (m.extras?.['ephemeral'] !== true) channel.messages.append(m);
  if (fresh.length > 0) {
    const frame = new OutboundFrame({
      action: Action.MESSAGE,
      channel: channel.name,
      channelSerial: channel.serial,
      ...(conn ? { id: origin.idBase, connectionId: conn.id } : {}),
      timestamp,
      messages: fresh,
    });
    const echo = conn?.settings.echo !== false;
    broadcast(
      channel,
      frame,
      (a) => (a.modes & Flag.SUBSCRIBE) !== 0 && (echo || a.connection !== conn),
      { channelSerial: channel.serial, presence: false },
    );
  }
  return serials;
}

/** The channel's recent ids, with those older than the idempotency window dropped. */
function recentIdsOf(channel: Channel, now: number): RecentIds {
  let recent: RecentIds | undefined = recentIds.get(channel);
  if (!recent) {
    recent = new Map();
    recentIds.set(channel, recent);
  }
  const cutoff = now - IDEMPOTENCY_WINDOW_MS;
  for (const [id, { at }] of recent) {
    if (at >= cutoff) break;
    recent.delete(id);
  }
  return recent;
}

/**
 * MESSAGE (publish). Checks the channel name (40010) and permission (40160), then publishes
 * through {@link publishMessages} (not back to a publisher that connected with `echo=false`;
 * with the connection's JWT user claim for the channel) and ACKs with the serials.
 */
export function handleMessage(rt: Realtime, conn: Connection, msg: ProtocolMessage): void {
  rt.withMsgSerial(conn, msg, () => {
    const name = msg.channel;
    if (name === undefined) throw Errors.invalidChannelName('MESSAGE needs a channel name.');
    // `[?rewind=1]room` publishes on `room`.
    const channelName = parseChannelName(name).channel;
    const att = conn.attachments.get(name);
    const permitted = att
      ? (att.modes & Flag.PUBLISH) !== 0
      : conn.principal.capability.allows(channelName, 'publish');
    if (!permitted) {
      throw Errors.notPermitted(
        `Publishing is not permitted on channel "${name}": the key or token needs the "publish" capability.`,
      );
    }
    const channel = att?.channel ?? conn.app.channel(channelName);
    const userClaim = conn.principal.claims?.for(channel.name);
    const serials = publishMessages(rt, channel, msg.messages ?? [], {
      idBase: `${conn.id}:${msg.msgSerial!}`,
      connection: conn,
      clientIdOf: (explicit) => effectiveClientId(conn, explicit, false),
      ...(userClaim !== undefined ? { userClaim } : {}),
    });
    return { serials };
  });
}
