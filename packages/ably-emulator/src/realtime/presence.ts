import { withUserClaim } from '../auth/user-claims.js';
import { Action, Flag, PresenceAction } from '../protocol/actions.js';
import msgpack from '@ably/msgpack-js';
import {
  base64Item,
  encodeValue,
  OutboundFrame,
  toBuffer,
  type WireFormat,
} from '../protocol/codec.js';
import { Errors } from '../protocol/errors.js';
import type { WireData, WirePresenceMessage } from '../protocol/types.js';
import type { Attachment, Channel, StoredPresence } from '../state/channel.js';
import type { Connection } from '../state/connection.js';
import { randomId } from '../state/ids.js';
import { memberDataSize, memberKey, type PresenceMember } from '../state/presence-set.js';
import { broadcast } from './fanout.js';

/** A member as a PresenceMessage with the given action. */
export function memberToWire(m: PresenceMember, action: number): StoredPresence {
  const out: StoredPresence = {
    id: m.id,
    action,
    clientId: m.clientId,
    connectionId: m.connectionId,
    timestamp: m.timestamp,
  };
  if (m.data !== undefined) out.data = m.data;
  if (m.encoding !== undefined) out.encoding = m.encoding;
  if (m.extras !== undefined) out.extras = m.extras;
  return out;
}

/**
 * Records presence events in history and sends them in one PRESENCE frame (encoded once per
 * wire format) to the attachments `include` selects.
 */
function publishPresence(
  channel: Channel,
  items: StoredPresence[],
  include: (att: Attachment) => boolean,
): void {
  if (items.length === 0) return;
  for (const item of items) channel.presenceHistory.append(item);
  const channelSerial = channel.nextSerial();
  const frame = new OutboundFrame({
    action: Action.PRESENCE,
    channel: channel.name,
    channelSerial,
    timestamp: channel.app.now(),
    presence: items,
  });
  broadcast(channel, frame, include, { channelSerial, presence: true });
}

/** Presence subscribers, plus the members' own connection (RTP17a: ably-js needs the echo). */
function subscribersAnd(ownConnectionId: string): (att: Attachment) => boolean {
  return (att) =>
    (att.modes & Flag.PRESENCE_SUBSCRIBE) !== 0 || att.connection.id === ownConnectionId;
}

/** `[msgSerial, index]` of an id this connection's own messages have (`<connId>:<serial>:<index>`). */
function orderOnConnection(id: string, connectionId: string): [number, number] | undefined {
  if (!id.startsWith(`${connectionId}:`)) return undefined;
  const [serial, index, ...rest] = id.slice(connectionId.length + 1).split(':');
  if (rest.length > 0 || !/^\d+$/.test(serial ?? '') || !/^\d+$/.test(index ?? ''))
    return undefined;
  return [Number(serial), Number(index)];
}

/**
 * Whether a client item that names its own id (an auto re-entry, RTP17g) comes after the member's
 * latest message from the same connection, by the order every client applies (RTP2b2: msgSerial,
 * then index, both as numbers; equal is not newer). The latest is the member's current id, or the
 * id of its own LEAVE when it has left; an id of another form is not ordered and always applies.
 */
function isNewerOnConnection(
  id: string,
  latest: string | undefined,
  connectionId: string,
): boolean {
  if (latest === undefined) return true;
  const incoming = orderOnConnection(id, connectionId);
  const current = orderOnConnection(latest, connectionId);
  if (!incoming || !current) return true;
  return incoming[0] !== current[0] ? incoming[0] > current[0] : incoming[1] > current[1];
}

/**
 * Validates the items of a client PRESENCE frame. Throws 40160 (no presence permission) or
 * 40012 (no usable clientId, or one this connection may not act as); nothing is applied then.
 * Returns each item's effective clientId.
 */
export function checkClientPresence(
  conn: Connection,
  att: Attachment | undefined,
  channelName: string,
  items: WirePresenceMessage[],
): string[] {
  if (!att) throw Errors.channelNotAttached(channelName);
  if (!(att.modes & Flag.PRESENCE)) {
    throw Errors.notPermitted(
      `Presence is not permitted on channel "${channelName}": the key or token needs the "presence" capability (and the PRESENCE mode).`,
    );
  }
  return items.map((item) => {
    if (
      item.action !== PresenceAction.ENTER &&
      item.action !== PresenceAction.UPDATE &&
      item.action !== PresenceAction.LEAVE &&
      item.action !== PresenceAction.PRESENT
    ) {
      throw Errors.badRequest(`Unsupported presence action ${item.action}.`);
    }
    return effectiveClientId(conn, item.clientId, true);
  });
}

/**
 * The clientId a message or presence item is attributed to. Throws 40012 when the connection (or
 * REST caller: only its identity is read) may not use the explicit one, or (for presence) when
 * there is none.
 */
export function effectiveClientId(
  conn: Pick<Connection, 'identity'>,
  explicit: string | undefined,
  required: true,
): string;
export function effectiveClientId(
  conn: Pick<Connection, 'identity'>,
  explicit: string | undefined,
  required: boolean,
): string | undefined;
export function effectiveClientId(
  conn: Pick<Connection, 'identity'>,
  explicit: string | undefined,
  required: boolean,
): string | undefined {
  const { mode, clientId } = conn.identity;
  if (explicit !== undefined) {
    if (explicit === '' || explicit === '*') {
      throw Errors.invalidClientId(
        `Invalid clientId ${JSON.stringify(explicit)}: use a real name.`,
      );
    }
    if (mode === 'anonymous') {
      throw Errors.invalidClientId(
        `This connection's token has no clientId, so it cannot act as "${explicit}". Issue the token with a clientId (or "*").`,
      );
    }
    if (mode === 'bound' && explicit !== clientId) {
      throw Errors.invalidClientId(
        `Mismatched clientId: this connection is "${clientId}" and cannot act as "${explicit}".`,
      );
    }
    return explicit;
  }
  if (required && (clientId === undefined || clientId === '*')) {
    throw Errors.invalidClientId(
      'Presence needs a clientId: set ClientOptions.clientId, use a token with a clientId, or call enterClient().',
    );
  }
  return clientId;
}

/**
 * Throws 91003 when `items` would take the channel's presence set past `maxPresenceMembers`, or
 * 91006 past `maxPresenceDataBytes` of member data, as Ably refuses such an enter: the whole
 * frame is NACKed and nothing of it applied (the set and occupancy stay as they were). Items are
 * played in order, so a frame that leaves one member and enters another stays within the limit.
 */
function checkPresenceLimits(
  conn: Connection,
  channel: Channel,
  items: WirePresenceMessage[],
  clientIds: string[],
): void {
  const { maxPresenceMembers, maxPresenceDataBytes } = channel.app.config;
  let size = channel.presence.size;
  let bytes = channel.presence.dataBytes;
  /** Members' data as the frame leaves them so far (`null`: not present). */
  const after = new Map<string, { data: WireData | undefined } | null>();
  items.forEach((item, index) => {
    const key = memberKey(clientIds[index]!, conn.id);
    const current = after.has(key) ? after.get(key)! : (channel.presence.get(key) ?? null);
    if (item.action === PresenceAction.LEAVE) {
      if (current) {
        size--;
        bytes -= memberDataSize(current.data);
        after.set(key, null);
      }
      return;
    }
    if (!current && ++size > maxPresenceMembers) {
      throw Errors.tooManyPresenceMembers(maxPresenceMembers);
    }
    const grown = bytes - memberDataSize(current?.data) + memberDataSize(item.data);
    if (maxPresenceDataBytes > 0 && grown > maxPresenceDataBytes && grown > bytes) {
      throw Errors.presenceDataTooLarge(maxPresenceDataBytes);
    }
    bytes = grown;
    after.set(key, { data: item.data });
  });
}

/**
 * Applies a validated client PRESENCE frame (protocol §5.2) and broadcasts the results, unless
 * it would break the channel's presence limits (91003, 91006: then nothing is applied).
 * Returns true when the presence set changed (occupancy may have changed).
 */
export function applyClientPresence(
  conn: Connection,
  channel: Channel,
  msgSerial: number,
  items: WirePresenceMessage[],
  clientIds: string[],
): boolean {
  checkPresenceLimits(conn, channel, items, clientIds);
  const now = channel.app.now();
  const out: StoredPresence[] = [];
  let changed = false;
  // Added by the server (JWT user claims), never taken from the client.
  const claim = conn.principal.claims?.for(channel.name);
  items.forEach((item, index) => {
    const clientId = clientIds[index]!;
    const key = memberKey(clientId, conn.id);
    const existing = channel.presence.get(key);
    const id = `${conn.id}:${msgSerial}:${index}`;
    if (item.action === PresenceAction.LEAVE) {
      channel.presence.recordLeave(key, conn.id, id);
      if (!existing) return; // RTP10d: nothing to leave, nothing to say.
      channel.presence.delete(key);
      changed = true;
      out.push(clientLeave(existing, item, id, now, claim));
      return;
    }
    // An auto re-entry no newer than what the server has from this connection: the member never
    // left (same id), or left after the message the re-entry repeats (a LEAVE sent while the
    // connection was down reaches the server just before the SDK re-enters, RTP17i).
    const latest = existing?.id ?? channel.presence.leaveId(key, conn.id);
    if (item.id !== undefined && !isNewerOnConnection(item.id, latest, conn.id)) return;
    const extras = withUserClaim(item.extras, claim);
    const member: PresenceMember = {
      key,
      id,
      clientId,
      connectionId: conn.id,
      timestamp: now,
      ...(item.data !== undefined ? { data: item.data } : {}),
      ...(item.encoding !== undefined ? { encoding: item.encoding } : {}),
      ...(extras !== undefined ? { extras } : {}),
    };
    channel.presence.set(member);
    if (!existing) changed = true;
    // Entering when present is an update; updating when absent is an enter.
    out.push(memberToWire(member, existing ? PresenceAction.UPDATE : PresenceAction.ENTER));
  });
  publishPresence(channel, out, subscribersAnd(conn.id));
  return changed;
}

/**
 * The LEAVE a client sent for a member, as broadcast (RTP8e): with the data and extras it
 * carries; only when it carries neither does it get the member's last data (and encoding), so
 * subscribers see what the member left with. A LEAVE's own extras are never mixed with the
 * member's. `extras.userClaim` is the connection's JWT user claim, if any.
 */
function clientLeave(
  member: PresenceMember,
  item: WirePresenceMessage,
  id: string,
  timestamp: number,
  claim: string | undefined,
): StoredPresence {
  const own = item.data !== undefined || item.extras !== undefined;
  const leave: StoredPresence = {
    id,
    action: PresenceAction.LEAVE,
    clientId: member.clientId,
    connectionId: member.connectionId,
    timestamp,
  };
  const data = own ? item.data : member.data;
  const encoding = own ? item.encoding : member.encoding;
  if (data !== undefined) leave.data = data;
  if (data !== undefined && encoding !== undefined) leave.encoding = encoding;
  const extras = withUserClaim(item.extras, claim);
  if (extras !== undefined) leave.extras = extras;
  return leave;
}

let syntheticSeq = 0;

/**
 * Removes members on behalf of the server (close, detach, drop timeout) and broadcasts LEAVEs.
 * The LEAVE ids are synthetic (they do not start with the connectionId) and stamped now, so
 * clients treat them as newer than the member's last message (RTP2b1); reusing the member's id
 * would make clients drop them.
 */
export function serverLeave(
  channel: Channel,
  members: PresenceMember[],
  excludeConnectionId?: string,
): void {
  const now = channel.app.now();
  const out: StoredPresence[] = [];
  for (const m of members) {
    if (!channel.presence.delete(m.key)) continue;
    const id = `leave${randomId(4)}${syntheticSeq++}:0:0`;
    out.push(memberToWire({ ...m, id, timestamp: now }, PresenceAction.LEAVE));
  }
  publishPresence(
    channel,
    out,
    (att) =>
      (att.modes & Flag.PRESENCE_SUBSCRIBE) !== 0 && att.connection.id !== excludeConnectionId,
  );
}

/**
 * Enters or updates a member directly (simulated visitors). Broadcasts like a client enter.
 * Returns true when the member is new.
 */
export function serverEnter(
  conn: Connection,
  channel: Channel,
  clientId: string,
  data: WireData | undefined,
  encoding: string | undefined,
  msgSerial: number,
): boolean {
  return applyClientPresence(
    conn,
    channel,
    msgSerial,
    [
      {
        action: PresenceAction.ENTER,
        ...(data !== undefined ? { data } : {}),
        ...(encoding ? { encoding } : {}),
      },
    ],
    [clientId],
  );
}

/** Each member's PRESENT form, encoded once per format (members are replaced, never mutated). */
const encodedMembers = new WeakMap<PresenceMember, Partial<Record<WireFormat, Buffer>>>();

function encodedMember(m: PresenceMember, format: WireFormat): Buffer {
  let cached = encodedMembers.get(m);
  if (!cached) encodedMembers.set(m, (cached = {}));
  return (cached[format] ??= encodeMemberPresent(m, format));
}

function encodeMemberPresent(m: PresenceMember, format: WireFormat): Buffer {
  const wire = memberToWire(m, PresenceAction.PRESENT);
  return toBuffer(encodeValue(format === 'json' ? base64Item(wire) : wire, format));
}

/** msgpack array header for `n` items. */
function msgpackArrayHeader(n: number): Buffer {
  if (n < 16) return Buffer.from([0x90 | n]);
  if (n < 0x10000) return Buffer.from([0xdc, n >> 8, n & 0xff]);
  const b = Buffer.alloc(5);
  b[0] = 0xdd;
  b.writeUInt32BE(n, 1);
  return b;
}

/**
 * One SYNC page, spliced from the members' cached encodings: during a join storm every attach
 * needs a SYNC of a slightly different set, and re-encoding every member each time would make
 * the storm quadratic in encoding work rather than only in bytes.
 */
function syncPage(name: string, channelSerial: string, members: PresenceMember[]): OutboundFrame {
  const head = { action: Action.SYNC, channel: name, channelSerial };
  return new OutboundFrame((format) => {
    const parts = members.map((m) => encodedMember(m, format));
    if (format === 'json') {
      const prefix = JSON.stringify(head).slice(0, -1) + ',"presence":[';
      const out: Buffer[] = [Buffer.from(prefix)];
      parts.forEach((p, i) => {
        if (i > 0) out.push(COMMA);
        out.push(p);
      });
      out.push(CLOSE_ARRAY_AND_OBJECT);
      return Buffer.concat(out);
    }
    const headBytes = Buffer.from(msgpack.encode(head, true));
    // The head is a fixmap of 3 entries (0x83); make it 4 and append the presence entry.
    headBytes[0] = 0x84;
    return Buffer.concat([headBytes, PRESENCE_KEY, msgpackArrayHeader(parts.length), ...parts]);
  });
}

const COMMA = Buffer.from(',');
const CLOSE_ARRAY_AND_OBJECT = Buffer.from(']}');
const PRESENCE_KEY = msgpack.encode('presence', true);

const syncCache = new WeakMap<
  Channel,
  { version: number; pageSize: number; frames: OutboundFrame[] }
>();

/**
 * The SYNC frames for a channel's presence set: pages of `pageSize` members, channelSerial
 * `<syncId>:<n>` and `<syncId>:` on the last page (which always has a `presence` array, even
 * empty). Cached until the set changes, so many clients attaching to a big room share one
 * encoding per format. `name` addresses them to an attachment made under another name of the
 * channel (`[?rewind=1]room`); those are not cached.
 */
export function syncFrames(
  channel: Channel,
  pageSize: number,
  name: string = channel.name,
): OutboundFrame[] {
  const cached = syncCache.get(channel);
  const version = channel.presence.version;
  const own = name === channel.name;
  if (own && cached && cached.version === version && cached.pageSize === pageSize) {
    return cached.frames;
  }
  const syncId = `s${version.toString(36)}${randomId(3)}`;
  const members = [...channel.presence.values()];
  const frames: OutboundFrame[] = [];
  for (let start = 0; start === 0 || start < members.length; start += pageSize) {
    const end = start + pageSize;
    const last = end >= members.length;
    const serial = `${syncId}:${last ? '' : String(frames.length + 1)}`;
    frames.push(syncPage(name, serial, members.slice(start, end)));
  }
  if (own) syncCache.set(channel, { version, pageSize, frames });
  return frames;
}
