import {
  ChatClient,
  type ChatMessageEvent,
  type PresenceEvent,
  type RoomReactionEvent,
  type TypingSetEvent,
} from '@ably/chat';
import * as Ably from 'ably';
import { describe, expect, test, vi } from 'vitest';
import type { Emulator } from '../src/index.js';
import { emulator, FORMATS, realtime } from './helpers.js';
import { signedJwt } from './jwt.js';

const EVERYTHING = JSON.stringify({ '*': ['*'] });

/** A realtime client authenticated with a JWT carrying `claims` (and its clientId). */
function withJwt(
  e: Emulator,
  clientId: string,
  claims: Record<string, unknown>,
  useBinaryProtocol: boolean,
): Promise<Ably.Realtime> {
  const token = signedJwt(e.key, {
    'x-ably-capability': EVERYTHING,
    'x-ably-clientId': clientId,
    ...claims,
  });
  return realtime(e, { key: undefined, token, useBinaryProtocol });
}

describe.each(FORMATS)('JWT user claims over $name', ({ useBinaryProtocol }) => {
  test('@ably/chat: ably.room.<room> reaches presence, messages, typing and reactions as userClaim', async () => {
    const e = await emulator();
    const moderator = await withJwt(
      e,
      'mod',
      { 'ably.room.lobby': 'moderator', 'ably.room.other': 'elsewhere' },
      useBinaryProtocol,
    );
    // The same JWT shape without claims: nothing is added for this connection.
    const plain = await withJwt(e, 'plain', {}, useBinaryProtocol);
    const modRoom = await new ChatClient(moderator).rooms.get('lobby');
    const plainRoom = await new ChatClient(plain).rooms.get('lobby');

    const presence: PresenceEvent[] = [];
    const messages: ChatMessageEvent[] = [];
    const typing: TypingSetEvent[] = [];
    const reactions: RoomReactionEvent[] = [];
    plainRoom.presence.subscribe((ev) => presence.push(ev));
    plainRoom.messages.subscribe((ev) => messages.push(ev));
    plainRoom.typing.subscribe((ev) => typing.push(ev));
    plainRoom.reactions.subscribe((ev) => reactions.push(ev));
    await plainRoom.attach();
    await modRoom.attach();

    await modRoom.presence.enter({ name: 'Mod' });
    await vi.waitFor(() => expect(presence.map((p) => p.member.clientId)).toEqual(['mod']));
    expect(presence[0]!.member.userClaim).toBe('moderator');

    await modRoom.typing.keystroke();
    await vi.waitFor(() => expect(typing.map((t) => t.change.clientId)).toEqual(['mod']));
    expect(typing[0]!.change.userClaim).toBe('moderator');

    await modRoom.reactions.send({ name: 'like' });
    await vi.waitFor(() => expect(reactions).toHaveLength(1));
    expect(reactions[0]!.reaction.userClaim).toBe('moderator');

    // messages.send() goes through the chat REST API; the realtime publish of a chat message is
    // the same MESSAGE on the room's channel, which is where the claim is added.
    await moderator.channels
      .get('lobby::$chat')
      .publish({ name: 'chat.message', data: { text: 'hello', metadata: {} } });
    await vi.waitFor(() => expect(messages).toHaveLength(1));
    expect(messages[0]!.message).toMatchObject({ text: 'hello', userClaim: 'moderator' });

    // And nothing for the connection whose token has no claim.
    await plainRoom.presence.enter({ name: 'Plain' });
    const members = await plainRoom.presence.get();
    expect(Object.fromEntries(members.map((m) => [m.clientId, m.userClaim]))).toEqual({
      mod: 'moderator',
      plain: undefined,
    });
    await modRoom.presence.leave();
    await vi.waitFor(() => expect(presence.at(-1)?.type).toBe('leave'));
    expect(presence.at(-1)!.member).toMatchObject({ clientId: 'mod', userClaim: 'moderator' });
    await plainRoom.reactions.send({ name: 'wow' });
    await vi.waitFor(() => expect(reactions).toHaveLength(2));
    expect(reactions[1]!.reaction).toMatchObject({ clientId: 'plain', userClaim: undefined });
  });

  test('ably.channel.* claims: the most specific applies; a client cannot set userClaim itself', async () => {
    const e = await emulator();
    const claimed = await withJwt(
      e,
      'claimed',
      {
        'ably.channel.*': 'guest',
        'ably.channel.chat:*': 'member',
        'ably.channel.chat:vip': 'vip',
      },
      useBinaryProtocol,
    );
    const forger = await realtime(e, { clientId: 'forger', useBinaryProtocol });
    const watcher = await realtime(e, { useBinaryProtocol });
    const seen: Record<string, unknown> = {};
    const channels = ['chat:vip', 'chat:lounge', 'news'];
    for (const name of channels) {
      await watcher.channels.get(name).subscribe((m) => {
        seen[`${name}/${m.clientId}`] = (m.extras as { userClaim?: unknown } | undefined)
          ?.userClaim;
      });
    }
    const entered: Ably.PresenceMessage[] = [];
    await watcher.channels.get('news').presence.subscribe('enter', (m) => entered.push(m));

    for (const name of channels) await claimed.channels.get(name).publish('m', 'x');
    await forger.channels
      .get('news')
      .publish({ name: 'm', data: 'x', extras: { userClaim: 'admin', headers: { a: '1' } } });
    await claimed.channels.get('news').presence.enter('here');
    await vi.waitFor(() => expect(Object.keys(seen)).toHaveLength(4));
    expect(seen).toEqual({
      'chat:vip/claimed': 'vip',
      'chat:lounge/claimed': 'member',
      'news/claimed': 'guest',
      'news/forger': undefined,
    });
    await vi.waitFor(() => expect(entered).toHaveLength(1));
    expect(entered[0]!.extras).toEqual({ userClaim: 'guest' });
  });

  test('a REST publish with a claimed JWT carries the claim too; one with a key does not', async () => {
    const e = await emulator();
    const token = signedJwt(e.key, {
      'x-ably-capability': EVERYTHING,
      'x-ably-clientId': 'rest-claimed',
      'ably.channel.*': 'member',
    });
    const watcher = await realtime(e, { useBinaryProtocol });
    const seen: [string | undefined, unknown][] = [];
    await watcher.channels.get('rest').subscribe((m) => {
      seen.push([m.clientId, (m.extras as { userClaim?: unknown } | undefined)?.userClaim]);
    });
    const opts = { ...e.clientOptions(), key: undefined, logLevel: 0, useBinaryProtocol };
    await new Ably.Rest({ ...opts, token }).channels.get('rest').publish('m', 'claimed');
    await new Ably.Rest({ ...e.clientOptions(), logLevel: 0, useBinaryProtocol }).channels
      .get('rest')
      .publish('m', 'plain');
    await vi.waitFor(() => expect(seen).toHaveLength(2));
    expect(seen).toEqual([
      ['rest-claimed', 'member'],
      [undefined, undefined],
    ]);
  });
});
