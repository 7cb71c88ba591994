import type * as Ably from 'ably';

import { PresenceKitError, toPresenceKitError } from '../core/errors';
import type { PresenceMember } from '../core/types';
import { type ServerSchemaOptions, assertSchemaOptions, checkMembers } from './check-members';
import { assertRestClient, assertRoomName, roomChannelName } from './room-channel';
import { toPresenceMember } from './to-presence-member';

/**
 * Options for {@link getPresenceMembers}.
 *
 * @typeParam TData - The data type, inferred from `schema` when there is one.
 */
export interface GetPresenceMembersOptions<TData = unknown> extends ServerSchemaOptions<TData> {
  /**
   * The visitor's own client id (for example from the cookie the token handler sets), so their
   * own entries come back with `isSelf: true` and render as "(you)" on the server too.
   */
  clientId?: string;
  /**
   * Stop after this many members. Pages are fetched until the set is complete or this many are
   * in hand; a room of 50,000 should not make one page render wait for 50 requests.
   * @defaultValue `Infinity`
   */
  maxMembers?: number;
  /**
   * Members per REST request (Ably allows at most 1000).
   * @defaultValue `1000`
   */
  pageSize?: number;
}

/**
 * Who is in a chat room right now, fetched over REST and following every page of the presence
 * set, without attaching. Use it in a Server Component and pass the result to
 * `usePresenceMembers({ initialData })` or `<PresenceList initialData>` so the first HTML already
 * lists the people in the room.
 *
 * Member `data` comes from other clients: treat it as untrusted when rendering, or check it with
 * `schema` (then members whose data fails are left out, or flagged with `invalidData: 'flag'`;
 * `maxMembers` counts the members fetched, before that).
 *
 * @typeParam TData - The shape of the presence data your app enters with.
 * @param rest - An `Ably.Rest` client created on the server with your API key.
 * @param room - The chat room name, as given to `<ChatRoomProvider name>`.
 * @returns The members, in the order Ably lists them.
 * @throws {@link PresenceKitError} `invalid_argument` for a bad argument, `presence_fetch_failed`
 *   when Ably refuses or cannot be reached.
 *
 * @example
 * ```tsx
 * const members = await getPresenceMembers<{ name: string }>(rest, 'lobby', { clientId });
 * return <PresenceList initialData={members} />;
 * ```
 * @example Checked by the same schema the page's hooks use:
 * ```tsx
 * const members = await getPresenceMembers(rest, 'lobby', { schema: Profile, onInvalidData: log });
 * return <PresenceList schema={Profile} initialData={members} />;
 * ```
 */
export async function getPresenceMembers<TData = unknown>(
  rest: Ably.Rest,
  room: string,
  options: GetPresenceMembersOptions<TData> = {},
): Promise<PresenceMember<TData>[]> {
  assertRestClient(rest, 'getPresenceMembers');
  assertRoomName(room, 'getPresenceMembers');
  assertSchemaOptions(options, 'getPresenceMembers');
  const { clientId, maxMembers = Infinity, pageSize = 1000 } = options;
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 1000) {
    throw new PresenceKitError(
      'invalid_argument',
      `getPresenceMembers: pageSize must be an integer from 1 to 1000, got ${String(pageSize)}.`,
    );
  }
  if (!(maxMembers === Infinity || (Number.isInteger(maxMembers) && maxMembers >= 0))) {
    throw new PresenceKitError(
      'invalid_argument',
      `getPresenceMembers: maxMembers must be a whole number or Infinity, got ${String(maxMembers)}.`,
    );
  }

  const members: PresenceMember<TData>[] = [];
  if (maxMembers === 0) return members;
  await fetchMembers();
  return checkMembers(members, options);

  async function fetchMembers(): Promise<void> {
    try {
      const presence = rest.channels.get(roomChannelName(room)).presence;
      let page: Ably.PaginatedResult<Ably.PresenceMessage> | null = await presence.get({
        limit: Math.min(pageSize, maxMembers === Infinity ? pageSize : maxMembers),
      });
      while (page) {
        for (const message of page.items) {
          members.push(toPresenceMember<TData>(message, clientId));
          if (members.length >= maxMembers) return;
        }
        page = page.hasNext() ? await page.next() : null;
      }
    } catch (cause) {
      throw toPresenceKitError(
        cause,
        'presence_fetch_failed',
        `Fetching the members of room "${room}" failed: check that the API key is valid and allows subscribe on "${roomChannelName(room)}"`,
      );
    }
  }
}
