import type { WireData } from '../protocol/types.js';
import type { App } from '../state/app.js';
import type { Channel } from '../state/channel.js';
import type { Connection } from '../state/connection.js';
import type { PresenceMember } from '../state/presence-set.js';
import {
  type AppSummary,
  CHANNEL_LIST_LIMIT,
  type ChannelSummary,
  type ConnectionRow,
  type MemberRow,
  roomOf,
} from './wire.js';

/** Longest data shown in a row or log entry, in characters. */
const PREVIEW_LENGTH = 160;

/**
 * Message or member data as a short line of text: JSON (the `json` encoding JSON clients use is
 * undone first, so both wire formats read the same), the size of binary data, or the encoding of
 * data the emulator cannot read (encrypted, base64). Null when there is none.
 */
export function preview(data: WireData | undefined, encoding: string | undefined): string | null {
  if (data === undefined) return null;
  let value: unknown = data;
  if (encoding === 'json' && typeof data === 'string') {
    try {
      value = JSON.parse(data);
    } catch {
      value = data;
    }
  } else if (encoding !== undefined && encoding !== 'utf-8') {
    // Encrypted or base64: only its size means anything here.
    const size =
      data instanceof Uint8Array
        ? `${data.byteLength} bytes`
        : typeof data === 'string'
          ? `${data.length} characters`
          : typeof data;
    return `‹${encoding}, ${size}›`;
  }
  if (value instanceof Uint8Array) return `‹${value.byteLength} bytes›`;
  const text = JSON.stringify(value) ?? String(value);
  return text.length > PREVIEW_LENGTH ? `${text.slice(0, PREVIEW_LENGTH - 1)}…` : text;
}

export function appSummary(app: App): AppSummary {
  return { id: app.id, channels: app.channels.size, connections: app.connections.size };
}

export function channelSummary(channel: Channel): ChannelSummary {
  return {
    name: channel.name,
    room: roomOf(channel.name),
    metrics: channel.metrics(),
    messages: channel.messages.size,
  };
}

/** Names in the order people read them: `room-2` before `room-10`. */
const byName = new Intl.Collator('en', { numeric: true }).compare;

/**
 * An app's channels in name order, at most {@link CHANNEL_LIST_LIMIT} of them; `selected` is
 * among them whenever it exists.
 */
export function channelList(app: App, selected: string | null): ChannelSummary[] {
  const names = [...app.channels.keys()].sort(byName);
  const listed = names.slice(0, CHANNEL_LIST_LIMIT);
  if (selected !== null && !listed.includes(selected) && app.channels.has(selected)) {
    listed[listed.length - 1] = selected;
  }
  return listed.map((name) => channelSummary(app.channels.get(name)!));
}

export function connectionRow(conn: Connection): ConnectionRow {
  return {
    id: conn.id,
    clientId: conn.clientId ?? null,
    format: conn.settings.format,
    state: conn.state === 'dropped' ? 'dropped' : 'connected',
    // Connected without a socket: only simulated visitors are.
    simulated: conn.state === 'connected' && conn.transport === null,
    auth: conn.principal.kind,
    tokenExpires: conn.principal.expires ?? null,
    attachments: [...conn.attachments.keys()],
  };
}

export function memberRow(member: PresenceMember, since: number): MemberRow {
  return {
    key: member.key,
    clientId: member.clientId,
    connectionId: member.connectionId,
    data: preview(member.data, member.encoding),
    since,
    updated: member.timestamp,
  };
}
