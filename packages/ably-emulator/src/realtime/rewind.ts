import { Action } from '../protocol/actions.js';
import { OutboundFrame } from '../protocol/codec.js';
import { AblyError, Errors } from '../protocol/errors.js';
import type { Attachment, StoredMessage } from '../state/channel.js';

/** Most messages one rewind delivers (Ably: "at most 100 messages will be sent"). */
export const MAX_REWIND = 100;

/** A parsed `rewind` request: a number of messages, or a time window, each at most `limit`. */
export interface Rewind {
  /** Messages wanted (`rewind=N`); unbounded for a time window. */
  count: number;
  /** Start of a time window (`rewind=10s`, `rewind=2m`), in ms since the epoch. */
  since?: number;
}

/**
 * Reads the `rewind` and `rewindLimit` channel params (Ably rewind docs): `rewind=N` for the last
 * N messages, `rewind=<n>s` or `<n>m` for those of the last n seconds or minutes, `rewindLimit=N`
 * to cap either. `undefined` without `rewind`. Throws 40000 for a value that is neither (Ably:
 * "any rewind value that cannot be parsed ... will cause the attachment request to fail").
 */
export function parseRewind(
  params: Readonly<Record<string, string>>,
  now: number,
): Rewind | undefined {
  const value = params['rewind'];
  if (value === undefined) return undefined;
  const match = /^(\d{1,9})(s|m)?$/.exec(value);
  if (!match) throw invalidRewind(`rewind=${value}`);
  const amount = Number(match[1]);
  let rewind: Rewind =
    match[2] === undefined
      ? { count: amount }
      : { count: Infinity, since: now - amount * (match[2] === 's' ? 1000 : 60_000) };
  const limit = params['rewindLimit'];
  if (limit !== undefined) {
    if (!/^\d{1,9}$/.test(limit)) throw invalidRewind(`rewindLimit=${limit}`);
    rewind = { ...rewind, count: Math.min(rewind.count, Number(limit)) };
  }
  return rewind;
}

function invalidRewind(param: string): AblyError {
  return Errors.badRequest(
    `Invalid channel param ${param}: use rewind=<messages> or rewind=<n>s / <n>m (seconds, minutes), and rewindLimit=<messages>.`,
  );
}

/**
 * What a rewind sends after ATTACHED: the retained messages it asks for (history, so ephemeral
 * ones never), oldest first, the most recent {@link MAX_REWIND} of them at most, each in its
 * own MESSAGE frame addressed to the attachment. The frames carry no channelSerial: the client
 * keeps ATTACHED's, so a later resume continues from the attach point. `truncated` is the
 * non-fatal error ATTACHED then carries (90004) when more messages matched.
 */
export function rewindFrames(
  att: Attachment,
  rewind: Rewind,
): { frames: OutboundFrame[]; truncated?: AblyError } {
  const conn = att.connection;
  const skipOwn = !conn.settings.echo;
  const page = att.channel.messages.query(
    {
      direction: 'backwards',
      limit: Math.min(rewind.count, MAX_REWIND + 1),
      ...(rewind.since !== undefined ? { start: rewind.since } : {}),
    },
    skipOwn ? (m: StoredMessage) => m.connectionId !== conn.id : undefined,
  );
  const messages = page.items.slice(0, MAX_REWIND).reverse();
  const frames = messages.map(
    (m) => new OutboundFrame({ action: Action.MESSAGE, channel: att.name, messages: [m] }),
  );
  return page.items.length > MAX_REWIND
    ? { frames, truncated: Errors.backlogTooLarge() }
    : { frames };
}
