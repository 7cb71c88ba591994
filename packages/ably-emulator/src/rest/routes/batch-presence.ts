import { PresenceAction } from '../../protocol/actions.js';
import { AblyError, Errors } from '../../protocol/errors.js';
import type { ErrorInfoWire, WirePresenceMessage } from '../../protocol/types.js';
import { memberToWire } from '../../realtime/presence.js';
import { itemsFor } from '../http.js';
import type { Route } from '../router.js';

/** Most channels one batch presence request may name. */
const MAX_BATCH_CHANNELS = 100;

/** One channel's outcome in a batch presence answer. */
type BatchResult =
  { channel: string; presence: WirePresenceMessage[] } | { channel: string; error: ErrorInfoWire };

/**
 * `GET /presence?channels=a,b` (`rest.batchPresence()`): HTTP 200 with
 * `{successCount, failureCount, results}`, each result the channel's current members (action
 * PRESENT) or, when the caller may not read that channel's presence (`subscribe` or `presence`
 * capability, as for `GET /channels/<ch>/presence`), a 40160 `error`. Unknown channels are
 * successes with no members. ably-js hands this body to the app undecoded, so items stay in wire
 * form. `separator` replaces the `,` between names.
 */
export const batchPresenceRoutes: Route[] = [
  {
    method: 'GET',
    path: /^\/presence$/,
    handler: (ctx) => {
      // Credentials are checked for the whole request; capabilities per channel.
      ctx.principal();
      const list = ctx.query.get('channels');
      if (list === null || list === '') {
        throw Errors.badRequest('Batch presence needs channels=<name>[,<name>...].');
      }
      const separator = ctx.query.get('separator') || ',';
      const names = list.split(separator);
      if (names.length > MAX_BATCH_CHANNELS) {
        throw Errors.badRequest(
          `Too many channels (${names.length}) in one batch presence request: ask for at most ${MAX_BATCH_CHANNELS}.`,
        );
      }
      const results: BatchResult[] = names.map((channel) => {
        let app;
        try {
          if (channel === '') {
            throw Errors.invalidChannelName('Empty channel name in the channels list.');
          }
          app = ctx.authorize(channel, 'subscribe', 'presence');
        } catch (err) {
          if (!(err instanceof AblyError)) throw err;
          return { channel, error: err.toWire() };
        }
        const members = app.findChannel(channel)?.presence.values() ?? [];
        return {
          channel,
          presence: itemsFor(
            [...members].map((m) => memberToWire(m, PresenceAction.PRESENT)),
            ctx.bodyFormat,
          ),
        };
      });
      const failureCount = results.filter((r) => 'error' in r).length;
      ctx.send(200, { successCount: results.length - failureCount, failureCount, results });
    },
  },
];
