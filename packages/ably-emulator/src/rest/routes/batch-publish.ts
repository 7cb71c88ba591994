import { AblyError, Errors } from '../../protocol/errors.js';
import { isRecord, parseMessage } from '../../protocol/parse.js';
import type { ErrorInfoWire, WireMessage } from '../../protocol/types.js';
import { publishMessages } from '../../realtime/handlers/message.js';
import { effectiveClientId } from '../../realtime/presence.js';
import { randomId } from '../../state/ids.js';
import type { Route } from '../router.js';
import { MAX_MESSAGES_PER_PUBLISH, restIdentity } from './messages.js';

/** Most distinct channels one batch publish may name, as Ably (90010 beyond). */
const MAX_BATCH_CHANNELS = 100;

/** One channel's outcome (BPR2 / BPF2). */
type ChannelResult =
  | { channel: string; messageId: string; serials: string[] }
  | { channel: string; error: ErrorInfoWire };

/** One spec's outcome (BAR2). */
interface BatchResult {
  successCount: number;
  failureCount: number;
  results: ChannelResult[];
}

/** A validated BatchPublishSpec (BSP2). */
interface Spec {
  channels: string[];
  messages: WireMessage[];
}

/**
 * `POST /messages` (`rest.batchPublish()`, RSC22): publishes each spec's messages to each of its
 * channels. The body is a spec `{channels, messages}` or an array of them; `channels` is a name
 * or an array of names, `messages` a message or an array of up to 1000. A malformed body, more
 * than 100 distinct channels (90010) or bad credentials fail the whole request; each channel
 * then succeeds or fails on its own, like a REST publish to it (40160 without `publish`, 40009
 * over `maxMessageSize` for the spec's messages together, 40012 for a clientId the caller may not
 * use), the spec's messages on one channel all or none. Answers 201 with one
 * `{successCount, failureCount, results}` per spec (an array for an array body), as Ably does for
 * `X-Ably-Version` 2 and later; each success is `{channel, messageId, serials}` (message ids
 * `<messageId>:<index>`), each failure `{channel, error}`.
 */
export const batchPublishRoutes: Route[] = [
  {
    method: 'POST',
    path: /^\/messages$/,
    handler: async (ctx) => {
      // Credentials and identity hold for the whole request; capabilities are per channel.
      const identity = restIdentity(ctx);
      const body = await ctx.body();
      const single = !Array.isArray(body);
      const specs = (single ? [body] : body).map(parseSpec);
      if (specs.length === 0) throw Errors.badRequest('Batch publish needs at least one spec.');
      const distinct = new Set(specs.flatMap((s) => s.channels));
      if (distinct.size > MAX_BATCH_CHANNELS) {
        throw new AblyError(
          90010,
          400,
          `Max number of channels permitted in a single bulk publish request (${MAX_BATCH_CHANNELS}) exceeded: split it into several requests.`,
        );
      }
      const results = specs.map((spec): BatchResult => {
        const base = randomId(9);
        const outcomes = spec.channels.map((channel, i): ChannelResult => {
          try {
            if (channel === '') throw Errors.invalidChannelName('Empty channel name.');
            const app = ctx.authorize(channel, 'publish');
            const idBase = `${base}:${i}`;
            const serials = publishMessages(ctx.env.realtime, app.channel(channel), spec.messages, {
              idBase,
              clientIdOf: (explicit) => effectiveClientId({ identity }, explicit, false),
            });
            const firstId = spec.messages[0]?.id;
            return {
              channel,
              messageId: firstId === undefined ? idBase : firstId.replace(/:\d+$/, ''),
              serials,
            };
          } catch (err) {
            if (!(err instanceof AblyError)) throw err;
            return { channel, error: err.toWire() };
          }
        });
        const failureCount = outcomes.filter((r) => 'error' in r).length;
        return { successCount: outcomes.length - failureCount, failureCount, results: outcomes };
      });
      ctx.send(201, single ? results[0] : results);
    },
  },
];

/** Validates one BatchPublishSpec; 40000 naming what is wrong. */
function parseSpec(value: unknown, index: number): Spec {
  const where = `Batch publish spec ${index}`;
  if (!isRecord(value)) {
    throw Errors.badRequest(`${where} must be an object {channels, messages}.`);
  }
  const rawChannels = value['channels'];
  const channels = typeof rawChannels === 'string' ? [rawChannels] : rawChannels;
  if (
    !Array.isArray(channels) ||
    channels.length === 0 ||
    !channels.every((c) => typeof c === 'string')
  ) {
    throw Errors.badRequest(`${where}: "channels" must be a channel name or an array of them.`);
  }
  const rawMessages = value['messages'];
  const messages = Array.isArray(rawMessages) ? rawMessages : [rawMessages];
  if (rawMessages == null || messages.length === 0) {
    throw Errors.badRequest(`${where}: "messages" must be a message or a non-empty array.`);
  }
  if (messages.length > MAX_MESSAGES_PER_PUBLISH) {
    throw Errors.badRequest(
      `${where} has ${messages.length} messages: send at most ${MAX_MESSAGES_PER_PUBLISH} per spec.`,
    );
  }
  return { channels, messages: messages.map(parseMessage) };
}
