import {
  ChatClient,
  type ChatMessageEvent,
  ChatMessageEventType,
  LogLevel,
  type MessageReactionRawEvent,
  type MessageReactionSummaryEvent,
  MessageReactionType,
  OrderBy,
  type Room,
  type RoomOptions,
} from '@ably/chat';
import * as Ably from 'ably';
import { expect, inject, onTestFinished, test } from 'vitest';
import { commands } from 'vitest/browser';

import { uniqueRoomName } from '@presencekit/test-utils';
import { browserOptions } from './client-options.js';

/**
 * How a browser client authenticates: with the key (none given), with a token that has exactly
 * `operations` on the room's channel (signed here with the key, a test shortcut for a token
 * route), or with the `token` given.
 */
type Auth = { operations: Ably.capabilityOp[] } | { token: string };

function clientOptions(clientId: string, room: string, auth?: Auth): Ably.ClientOptions {
  const withKey = browserOptions(clientId);
  if (!auth) return withKey;
  if ('token' in auth) return { ...withKey, key: undefined, token: auth.token };
  const signer = new Ably.Rest(withKey);
  return {
    ...withKey,
    key: undefined,
    authCallback: (_params, callback) => {
      signer.auth
        .createTokenRequest({ clientId, capability: { [`${room}::$chat`]: auth.operations } })
        .then(
          (tokenRequest) => callback(null, tokenRequest),
          (error: Ably.ErrorInfo) => callback(error, null),
        );
    },
  };
}

/** An attached room of a new browser client; closed when the test ends. */
async function browserRoom(
  name: string,
  clientId: string,
  roomOptions: RoomOptions = {},
  auth?: Auth,
): Promise<{ room: Room; realtime: Ably.Realtime }> {
  const realtime = new Ably.Realtime(clientOptions(clientId, name, auth));
  onTestFinished(() => realtime.close());
  const room = await new ChatClient(realtime, { logLevel: LogLevel.Silent }).rooms.get(
    name,
    roomOptions,
  );
  await room.attach();
  return { room, realtime };
}

test('chat messages in Chromium over JSON: send, live update and delete, history pages both ways, versions, historyBeforeSubscribe', async () => {
  const name = uniqueRoomName('browser-chat');
  const alice = await browserRoom(name, 'alice');
  const bob = await browserRoom(name, 'bob');
  const live: ChatMessageEvent[] = [];
  const subscription = bob.room.messages.subscribe((ev) => live.push(ev));

  const sent = [];
  for (const text of ['one', 'two', 'three']) sent.push(await alice.room.messages.send({ text }));
  await expect.poll(() => live.length, { timeout: 5000 }).toBe(3);
  expect(live.map((ev) => [ev.type, ev.message.text, ev.message.serial])).toEqual(
    sent.map((m) => [ChatMessageEventType.Created, m.text, m.serial]),
  );

  const updated = await alice.room.messages.update(sent[0]!.serial, { text: 'one, edited' });
  const deleted = await bob.room.messages.delete(sent[1]!.serial, { description: 'spam' });
  await expect.poll(() => live.length, { timeout: 5000 }).toBe(5);
  expect(live[3]!.message).toMatchObject({ action: 'message.update', text: 'one, edited' });
  expect(live[3]!.message.version).toEqual(updated.version);
  expect(live[4]!.message).toMatchObject({
    action: 'message.delete',
    version: { clientId: 'bob', description: 'spam' },
  });
  expect(live[4]!.message.version.serial).toBe(deleted.version.serial);

  const first = await bob.room.messages.history({ limit: 2, orderBy: OrderBy.OldestFirst });
  expect(first.items.map((m) => [m.text, m.action])).toEqual([
    ['one, edited', 'message.update'],
    ['two', 'message.delete'],
  ]);
  const next = (await first.next())!;
  expect(next.items.map((m) => m.text)).toEqual(['three']);
  expect(next.hasNext()).toBe(false);
  const newest = await bob.room.messages.history({ limit: 2, orderBy: OrderBy.NewestFirst });
  expect(newest.items.map((m) => m.text)).toEqual(['three', 'two']);
  const older = (await newest.next())!;
  expect(older.items.map((m) => m.text)).toEqual(['one, edited']);
  expect(older.hasNext()).toBe(false);
  const versions = await bob.room.messages.getVersions(sent[0]!.serial);
  expect(versions.items.map((m) => m.action)).toEqual(['message.create', 'message.update']);
  // Bob subscribed before anything was sent: nothing came before.
  expect((await subscription.historyBeforeSubscribe({ limit: 10 })).items).toEqual([]);

  // Carol subscribes now: her history before subscribing, paged, and her live events join up.
  const carol = await browserRoom(name, 'carol');
  const carolLive: ChatMessageEvent[] = [];
  const carolSubscription = carol.room.messages.subscribe((ev) => carolLive.push(ev));
  await alice.room.messages.send({ text: 'four' });
  await expect
    .poll(() => carolLive.map((ev) => ev.message.text), { timeout: 5000 })
    .toEqual(['four']);
  const before = await carolSubscription.historyBeforeSubscribe({ limit: 2 });
  const earlier = (await before.next())!;
  expect(earlier.hasNext()).toBe(false);
  expect([...before.items, ...earlier.items].reverse().map((m) => m.text)).toEqual([
    'one, edited',
    'two',
    'three',
  ]);

  // The browser build asked with the JSON envelope (it cannot read Link headers otherwise).
  const { requests } = await commands.emulatorRecord();
  const historyRequests = requests.filter(
    (r) => r.method === 'GET' && r.path === `/chat/v4/rooms/${name}/messages`,
  );
  expect(historyRequests.length).toBeGreaterThan(0);
  for (const r of historyRequests) expect(r.envelope).toBe('json');
});

test('message reactions in Chromium over JSON: summaries live and in history, raw reactions, client reactions', async () => {
  const name = uniqueRoomName('browser-reactions');
  const alice = await browserRoom(name, 'alice', { messages: { rawMessageReactions: true } });
  const bob = await browserRoom(name, 'bob');
  const summaries: MessageReactionSummaryEvent[] = [];
  const raw: MessageReactionRawEvent[] = [];
  alice.room.messages.reactions.subscribe((ev) => summaries.push(ev));
  alice.room.messages.reactions.subscribeRaw((ev) => raw.push(ev));
  const { serial } = await alice.room.messages.send({ text: 'react' });

  await bob.room.messages.reactions.send(serial, { name: '👍' });
  await bob.room.messages.reactions.send(serial, { name: '🎉', type: MessageReactionType.Unique });
  await alice.room.messages.reactions.send(serial, {
    name: 'vote',
    type: MessageReactionType.Multiple,
    count: 2,
  });
  const expected = {
    unique: { '🎉': { total: 1, clientIds: ['bob'], clipped: false } },
    distinct: { '👍': { total: 1, clientIds: ['bob'], clipped: false } },
    multiple: {
      vote: {
        total: 2,
        clientIds: { alice: 2 },
        totalUnidentified: 0,
        clipped: false,
        totalClientIds: 1,
      },
    },
  };
  await expect.poll(() => summaries.at(-1)?.reactions, { timeout: 5000 }).toEqual(expected);
  await expect.poll(() => raw.length, { timeout: 5000 }).toBe(3);
  expect(raw.map((r) => [r.type, r.reaction.type, r.reaction.clientId])).toEqual([
    ['reaction.create', 'distinct', 'bob'],
    ['reaction.create', 'unique', 'bob'],
    ['reaction.create', 'multiple', 'alice'],
  ]);
  expect((await bob.room.messages.get(serial)).reactions).toEqual(expected);
  expect(await bob.room.messages.reactions.clientReactions(serial)).toEqual({
    unique: expected.unique,
    distinct: expected.distinct,
    multiple: {},
  });

  await bob.room.messages.reactions.delete(serial, { name: '👍' });
  await expect.poll(() => summaries.at(-1)?.reactions.distinct, { timeout: 5000 }).toEqual({});
});

test('capabilities in Chromium: a token without publish, message-update-own or annotation-publish gets 40160', async () => {
  const name = uniqueRoomName('browser-caps');
  const owner = await browserRoom(name, 'owner');
  const { serial } = await owner.room.messages.send({ text: 'not yours' });
  const guest = await browserRoom(
    name,
    'guest',
    {},
    {
      operations: ['subscribe', 'history', 'message-update-own'],
    },
  );
  const refused = { code: 40160, statusCode: 401 };
  await expect(guest.room.messages.send({ text: 'hi' })).rejects.toMatchObject(refused);
  await expect(guest.room.messages.update(serial, { text: 'mine now' })).rejects.toMatchObject(
    refused,
  );
  await expect(guest.room.messages.reactions.send(serial, { name: '👎' })).rejects.toMatchObject(
    refused,
  );
  // Reading is allowed.
  expect((await guest.room.messages.get(serial)).text).toBe('not yours');
});

test('a JWT user claim in Chromium: on messages, typing, room reactions and message reactions', async () => {
  const name = uniqueRoomName('browser-claims');
  const token = await commands.signJwt(inject('ablyEmulator').key, {
    'x-ably-capability': JSON.stringify({ '*': ['*'] }),
    'x-ably-clientId': 'mod',
    [`ably.room.${name}`]: 'moderator',
  });
  const mod = await browserRoom(name, 'mod', {}, { token });
  const watcher = await browserRoom(name, 'watcher', { messages: { rawMessageReactions: true } });
  // What the watcher saw, by kind and sender: the sender's claim, or 'none'.
  const seen: Record<string, string> = {};
  const see = (kind: string, who: { clientId: string; userClaim?: string | undefined }) => {
    seen[`${kind} ${who.clientId}`] = who.userClaim ?? 'none';
  };
  watcher.room.messages.subscribe((ev) => see('message', ev.message));
  watcher.room.typing.subscribe((ev) => see('typing', ev.change));
  watcher.room.reactions.subscribe((ev) => see('room reaction', ev.reaction));
  watcher.room.messages.reactions.subscribeRaw((ev) => see('message reaction', ev.reaction));

  const sent = await mod.room.messages.send({ text: 'house rules' });
  expect(sent.userClaim).toBe('moderator');
  await mod.room.typing.keystroke();
  await mod.room.reactions.send({ name: 'wave' });
  await mod.room.messages.reactions.send(sent.serial, { name: '👍' });
  await watcher.room.reactions.send({ name: 'wow' });
  await watcher.room.messages.reactions.send(sent.serial, { name: '👍' });
  await expect
    .poll(() => seen, { timeout: 5000 })
    .toEqual({
      'message mod': 'moderator',
      'typing mod': 'moderator',
      'room reaction mod': 'moderator',
      'message reaction mod': 'moderator',
      'room reaction watcher': 'none',
      'message reaction watcher': 'none',
    });
  expect((await watcher.room.messages.get(sent.serial)).userClaim).toBe('moderator');
});
