import { Errors } from '../../protocol/errors.js';
import type { WireMessage, WirePresenceMessage } from '../../protocol/types.js';
import type { HistoryItem, HistoryStore } from '../../state/history.js';
import type { RestContext } from '../context.js';
import { itemsFor, parseDirection, parseLimit, parseTime } from '../http.js';

/** Query parameters (besides the common ones) a history resource accepts and repeats in links. */
export type HistoryFilters = Record<string, string | undefined>;

/**
 * Answers one page of a history resource: parses `limit` (≤1000, default 100), `direction`
 * (backwards by default), `start`/`end` (inclusive ms; start after end is 40003) and the
 * `cursor`, runs the query on `store` (none: the channel was never used) and sends the items
 * with a `Link` header that repeats the complete query state.
 *
 * @param word - the last path segment, for the relative links (`messages`, `history`).
 * @param filters - extra parameters already read from the query (clientId, from_serial, ...);
 *   `clientId`/`connectionId` also filter the store.
 * @param where - an extra filter derived from `filters`, applied to every page alike.
 * @param present - how items are sent (default: as stored, binary data base64 for JSON).
 */
export function sendHistoryPage<T extends HistoryItem & (WireMessage | WirePresenceMessage)>(
  ctx: RestContext,
  store: HistoryStore<T> | undefined,
  word: string,
  filters: HistoryFilters = {},
  where?: (item: T) => boolean,
  present: (items: T[]) => unknown[] = (items) => itemsFor(items, ctx.bodyFormat),
): void {
  const q = ctx.query;
  const query = {
    limit: parseLimit(q),
    direction: parseDirection(q),
    start: parseTime(q, 'start'),
    end: parseTime(q, 'end'),
  };
  if (query.start !== undefined && query.end !== undefined && query.start > query.end) {
    throw Errors.invalidParameter(
      `Invalid time range: start (${query.start}) is after end (${query.end}).`,
    );
  }
  const cursor = q.get('cursor') ?? undefined;
  let page: { items: T[]; next?: string } = { items: [] };
  if (store) {
    try {
      page = store.query(
        {
          ...query,
          cursor,
          ...(filters['clientId'] !== undefined ? { clientId: filters['clientId'] } : {}),
          ...(filters['connectionId'] !== undefined
            ? { connectionId: filters['connectionId'] }
            : {}),
        },
        where,
      );
    } catch (err) {
      if (!(err instanceof RangeError)) throw err;
      throw Errors.invalidParameter(
        'Invalid cursor: follow the Link header instead of building one.',
      );
    }
  }
  ctx.sendPage(present(page.items), word, { ...query, ...filters }, cursor, page.next);
}
