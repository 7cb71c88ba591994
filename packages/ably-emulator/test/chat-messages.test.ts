import {
  ChatClient,
  type ChatMessageEvent,
  ChatMessageEventType,
  LogLevel,
  type Message,
  OrderBy,
  type Room,
} from '@ably/chat';
import * as Ably from 'ably';
import { describe, expect, test, vi } from 'vitest';
import type { Emulator } from '../src/index.js';
import { emulator, FORMATS, realtime } from './helpers.js';
import { signedJwt } from './jwt.js';

/** A chat room of a new client `clientId`, attached, with its message events collected. */
async function chatRoom(
  e: Emulator,
  clientId: string,
  options: Ably.ClientOptions = {},
  name = 'lobby',
): Promise<{ room: Room; events: ChatMessageEvent[]; client: Ably.Realtime }> {
  const client = await realtime(e, { clientId, ...options });
  const room = await new ChatClient(client, { logLevel: LogLevel.Silent }).rooms.get(name);
  const events: ChatMessageEvent[] = [];
  room.messages.subscribe((event) => events.push(event));
  await room.attach();
  return { room, events, client };
}

/** A realtime client whose token has exactly `operations` on the room's channel. */
function withOperations(e: Emulator, clientId: string, operations: string[]) {
  return {
    key: undefined,
    clientId,
    authCallback: (
      _: unknown,
      callback: (error: null, token: ReturnType<Emulator['createToken']>) => void,
    ) => callback(null, e.createToken({ clientId, capability: { 'lobby::$chat': operations } })),
  } as unknown as Ably.ClientOptions;
}

const texts = (items: readonly Message[]) => items.map((m) => m.text);

describe.each(FORMATS)('@ably/chat messages over $name', ({ useBinaryProtocol }) => {
  test('send: the REST answer and the realtime event are one message (serial, version, timestamp, metadata, headers)', async () => {
    const e = await emulator();
    const alice = await chatRoom(e, 'alice', { useBinaryProtocol });
    const bob = await chatRoom(e, 'bob', { useBinaryProtocol });

    const sent = await alice.room.messages.send({
      text: 'hello',
      metadata: { mood: { happy: true } },
      headers: { lang: 'en', n: 1 },
    });
    expect(sent).toMatchObject({
      text: 'hello',
      clientId: 'alice',
      action: 'message.create',
      metadata: { mood: { happy: true } },
      headers: { lang: 'en', n: 1 },
      reactions: { unique: {}, distinct: {}, multiple: {} },
    });
    expect(sent.serial).toMatch(/\S/);
    expect(sent.version.serial).toBe(sent.serial);
    expect(sent.version.timestamp).toEqual(sent.timestamp);
    expect(Math.abs(sent.timestamp.getTime() - Date.now())).toBeLessThan(5000);

    await vi.waitFor(() => expect(bob.events).toHaveLength(1));
    const [event] = bob.events;
    expect(event!.type).toBe(ChatMessageEventType.Created);
    // Every field the SDK builds a Message from is the same live as in the answer.
    expect({ ...event!.message }).toEqual({ ...sent, userClaim: undefined });
    expect(await bob.room.messages.get(sent.serial)).toEqual(sent);

    // With idempotent REST publishing, a retried request (same idempotencyKey) is one message.
    const retried = () =>
      alice.client.request(
        'POST',
        '/chat/v4/rooms/lobby/messages',
        4,
        { idempotencyKey: 'retry-1' },
        { text: 'once' },
      );
    const [once, twice] = [await retried(), await retried()];
    const onceSerial = (once.items[0] as { serial: string }).serial;
    expect((twice.items[0] as { serial: string }).serial).toBe(onceSerial);
    // The same for an edit: one new version, not two.
    const edit = () =>
      alice.client.request(
        'PUT',
        `/chat/v4/rooms/lobby/messages/${encodeURIComponent(onceSerial)}`,
        4,
        { idempotencyKey: 'edit-1' },
        { message: { text: 'once!' } },
      );
    const versionOf = (r: Ably.HttpPaginatedResponse) =>
      (r.items[0] as { version: { serial: string } }).version.serial;
    expect(versionOf(await edit())).toBe(versionOf(await edit()));
    const idempotent = new ChatClient(alice.client, {
      logLevel: LogLevel.Silent,
      idempotentRestPublishing: true,
    });
    expect((await (await idempotent.rooms.get('lobby')).messages.send({ text: 'i' })).text).toBe(
      'i',
    );
    await vi.waitFor(() => expect(bob.events).toHaveLength(4));
    expect(bob.events.map((ev) => ev.message.text)).toEqual(['hello', 'once', 'once!', 'i']);

    // Serials order messages (as strings, CHA-M2e), and a chat message is a channel message.
    const second = await bob.room.messages.send({ text: 'hi alice' });
    expect(second.serial > bob.events[3]!.message.serial).toBe(true);
    expect(second.serial > sent.serial).toBe(true);
    const history = await alice.client.channels.get('lobby::$chat').history({ limit: 1 });
    expect(history.items[0]).toMatchObject({
      name: 'chat.message',
      data: { text: 'hi alice' },
      serial: second.serial,
      action: 'message.create',
    });
  });
});

describe('@ably/chat messages', () => {
  test('update and delete: live events with newer versions, the latest version in history, get and versions', async () => {
    const e = await emulator();
    const alice = await chatRoom(e, 'alice');
    const bob = await chatRoom(e, 'bob');
    const first = await alice.room.messages.send({
      text: 'helo',
      metadata: { draft: true },
      headers: { kind: 'note' },
    });
    await alice.room.messages.send({ text: 'second' });

    const updated = await alice.room.messages.update(
      first.serial,
      { text: 'hello', metadata: { fixed: true } },
      { description: 'typo', metadata: { reason: 'spelling' } },
    );
    // Same message, created when it was; a newer version by alice; PUT semantics (no headers).
    expect(updated).toMatchObject({
      serial: first.serial,
      text: 'hello',
      action: 'message.update',
      metadata: { fixed: true },
      headers: {},
      timestamp: first.timestamp,
      version: { clientId: 'alice', description: 'typo', metadata: { reason: 'spelling' } },
    });
    expect(updated.version.serial > first.version.serial).toBe(true);
    expect(updated.version.timestamp.getTime()).toBeGreaterThanOrEqual(first.timestamp.getTime());

    const deleted = await alice.room.messages.delete(first.serial, { description: 'gone' });
    expect(deleted).toMatchObject({
      serial: first.serial,
      action: 'message.delete',
      text: 'hello',
      version: { clientId: 'alice', description: 'gone' },
    });
    expect(deleted.version.serial > updated.version.serial).toBe(true);

    await vi.waitFor(() => expect(bob.events).toHaveLength(4));
    expect(bob.events.map((ev) => ev.type)).toEqual([
      ChatMessageEventType.Created,
      ChatMessageEventType.Created,
      ChatMessageEventType.Updated,
      ChatMessageEventType.Deleted,
    ]);
    expect({ ...bob.events[2]!.message }).toEqual({ ...updated, userClaim: undefined });
    expect({ ...bob.events[3]!.message }).toEqual({ ...deleted, userClaim: undefined });

    // The SDK reconciles by version: the newest wins whatever the order events are applied in.
    const created = bob.events[0]!.message;
    expect(created.with(bob.events[3]!).action).toBe('message.delete');
    expect(created.with(bob.events[3]!).with(bob.events[2]!).action).toBe('message.delete');

    // History has the latest version where the message was first sent.
    const history = await bob.room.messages.history({ orderBy: OrderBy.OldestFirst });
    expect(history.items.map((m) => [m.text, m.action])).toEqual([
      ['hello', 'message.delete'],
      ['second', 'message.create'],
    ]);
    expect(history.items[0]).toEqual(deleted);
    expect(await bob.room.messages.get(first.serial)).toEqual(deleted);

    const versions = await bob.room.messages.getVersions(first.serial);
    expect(versions.items.map((m) => [m.action, m.text, m.version.serial])).toEqual([
      ['message.create', 'helo', first.serial],
      ['message.update', 'hello', updated.version.serial],
      ['message.delete', 'hello', deleted.version.serial],
    ]);
    expect(versions.hasNext()).toBe(false);

    // Unknown serials are 40400, for reading and changing alike.
    await expect(bob.room.messages.get('nope')).rejects.toMatchObject({
      code: 40400,
      statusCode: 404,
    });
    await expect(alice.room.messages.update('nope', { text: 'x' })).rejects.toMatchObject({
      code: 40400,
    });
    await expect(alice.room.messages.delete('nope')).rejects.toMatchObject({ code: 40400 });
  });

  test('history pages through every message in both directions (first, current, next)', async () => {
    const e = await emulator();
    const { room } = await chatRoom(e, 'alice');
    for (const text of ['m1', 'm2', 'm3', 'm4', 'm5']) await room.messages.send({ text });

    const oldest = await room.messages.history({ limit: 2, orderBy: OrderBy.OldestFirst });
    expect(texts(oldest.items)).toEqual(['m1', 'm2']);
    expect(oldest.hasNext()).toBe(true);
    const second = (await oldest.next())!;
    expect(texts(second.items)).toEqual(['m3', 'm4']);
    expect(texts((await second.current()).items)).toEqual(['m3', 'm4']);
    const last = (await second.next())!;
    expect(texts(last.items)).toEqual(['m5']);
    expect(last.hasNext()).toBe(false);
    expect(last.isLast()).toBe(true);
    expect(await last.next()).toBeNull();
    expect(texts((await last.first()).items)).toEqual(['m1', 'm2']);

    const newest = await room.messages.history({ limit: 3 });
    expect(texts(newest.items)).toEqual(['m5', 'm4', 'm3']);
    expect(texts((await newest.next())!.items)).toEqual(['m2', 'm1']);

    // Only chat messages: typing, room reactions and other channel messages are not listed.
    await room.reactions.send({ name: 'wave' });
    await room.typing.keystroke();
    await room.channel.publish('other', 'x');
    expect(texts((await room.messages.history({ limit: 1 })).items)).toEqual(['m5']);
  });

  test('historyBeforeSubscribe and live events join up: nothing missed, nothing twice', async () => {
    const e = await emulator();
    const alice = await chatRoom(e, 'alice');
    for (const text of ['a1', 'a2', 'a3']) await alice.room.messages.send({ text });

    // Subscribed on an attached room: the subscription point is the channel's serial now.
    const bobClient = await realtime(e, { clientId: 'bob' });
    const bobRoom = await new ChatClient(bobClient, { logLevel: LogLevel.Silent }).rooms.get(
      'lobby',
    );
    await bobRoom.attach();
    const live: ChatMessageEvent[] = [];
    const bobSub = bobRoom.messages.subscribe((ev) => live.push(ev));
    for (const text of ['b1', 'b2']) await alice.room.messages.send({ text });
    // Whether a3 came live or not depends on timing; either way b2 is the last to come.
    await vi.waitFor(() => expect(live.at(-1)?.message.text).toBe('b2'));
    const before = await bobSub.historyBeforeSubscribe({ limit: 10 });
    // Newest first, and exactly what came before the live events.
    const all = [...texts(before.items).reverse(), ...live.map((ev) => ev.message.text)];
    expect(all).toEqual(['a1', 'a2', 'a3', 'b1', 'b2']);

    // Paged the same way: the subscription point stays in every link.
    const paged = await bobSub.historyBeforeSubscribe({ limit: 2 });
    expect(texts(paged.items)).toHaveLength(2);
    const rest = (await paged.next())!;
    expect([...texts(paged.items), ...texts(rest.items)]).toEqual(texts(before.items));

    // Subscribed before attaching: the point is where the channel attaches.
    const carolClient = await realtime(e, { clientId: 'carol' });
    const carolRoom = await new ChatClient(carolClient, { logLevel: LogLevel.Silent }).rooms.get(
      'lobby',
    );
    const carolLive: ChatMessageEvent[] = [];
    const carolSub = carolRoom.messages.subscribe((ev) => carolLive.push(ev));
    await alice.room.messages.send({ text: 'c1' });
    await carolRoom.attach();
    await alice.room.messages.send({ text: 'c2' });
    await vi.waitFor(() => expect(carolLive.map((ev) => ev.message.text)).toEqual(['c2']));
    const carolBefore = await carolSub.historyBeforeSubscribe({ limit: 3 });
    expect(texts(carolBefore.items)).toEqual(['c1', 'b2', 'b1']);

    // An update of an old message arrives live; history already has its latest version.
    const a1 = before.items.at(-1)!;
    await alice.room.messages.update(a1.serial, { text: 'a1 (edited)' });
    await vi.waitFor(() => expect(live.at(-1)?.type).toBe(ChatMessageEventType.Updated));
    const again = await bobSub.historyBeforeSubscribe({ limit: 10 });
    expect(again.items.at(-1)!.text).toBe('a1 (edited)');
    expect(a1.with(live.at(-1)!)).toEqual(again.items.at(-1));
  });

  test('capabilities: publish to send, history to read, message-update/delete-own or -any to change (40160)', async () => {
    const e = await emulator();
    const owner = await chatRoom(e, 'owner');
    const mine = await owner.room.messages.send({ text: 'mine' });

    const reader = await chatRoom(
      e,
      'reader',
      withOperations(e, 'reader', ['subscribe', 'history']),
    );
    await expect(reader.room.messages.send({ text: 'x' })).rejects.toMatchObject({
      code: 40160,
      statusCode: 401,
    });
    expect(texts((await reader.room.messages.history({})).items)).toEqual(['mine']);

    const sender = await chatRoom(
      e,
      'sender',
      withOperations(e, 'sender', [
        'subscribe',
        'publish',
        'message-update-own',
        'message-delete-own',
      ]),
    );
    await expect(sender.room.messages.history({})).rejects.toMatchObject({ code: 40160 });
    const own = await sender.room.messages.send({ text: 'own' });
    expect((await sender.room.messages.update(own.serial, { text: 'own!' })).text).toBe('own!');
    await expect(
      sender.room.messages.update(mine.serial, { text: 'hijack' }),
    ).rejects.toMatchObject({ code: 40160, statusCode: 401 });
    await expect(sender.room.messages.delete(mine.serial)).rejects.toMatchObject({ code: 40160 });
    expect((await sender.room.messages.delete(own.serial)).action).toBe('message.delete');

    const moderator = await chatRoom(
      e,
      'moderator',
      withOperations(e, 'moderator', ['subscribe', 'message-update-any', 'message-delete-any']),
    );
    const edited = await moderator.room.messages.update(mine.serial, { text: 'moderated' });
    expect(edited).toMatchObject({ clientId: 'owner', version: { clientId: 'moderator' } });
    expect((await moderator.room.messages.delete(mine.serial)).action).toBe('message.delete');
    // Neither -own nor -any: refused even for the client's own message.
    await expect(owner.room.messages.get(mine.serial)).resolves.toMatchObject({
      text: 'moderated',
    });
    const plain = await chatRoom(e, 'plain', withOperations(e, 'plain', ['subscribe', 'publish']));
    const plainMessage = await plain.room.messages.send({ text: 'plain' });
    await expect(
      plain.room.messages.update(plainMessage.serial, { text: 'x' }),
    ).rejects.toMatchObject({ code: 40160 });

    // A client without a clientId cannot send chat messages (40012).
    const anonymous = await realtime(e);
    const response = await anonymous.request(
      'POST',
      '/chat/v4/rooms/lobby/messages',
      4,
      {},
      {
        text: 'who am I',
      },
    );
    expect(response).toMatchObject({ success: false, errorCode: 40012, statusCode: 400 });
  });

  test('a JWT user claim for the room is the message userClaim: in the answer, live and in history', async () => {
    const e = await emulator();
    const token = signedJwt(e.key, {
      'x-ably-capability': JSON.stringify({ '*': ['*'] }),
      'x-ably-clientId': 'mod',
      'ably.room.lobby': 'moderator',
    });
    const mod = await chatRoom(e, 'mod', { key: undefined, token });
    const viewer = await chatRoom(e, 'viewer');
    const sent = await mod.room.messages.send({ text: 'rules' });
    expect(sent.userClaim).toBe('moderator');
    await vi.waitFor(() => expect(viewer.events).toHaveLength(1));
    expect(viewer.events[0]!.message.userClaim).toBe('moderator');
    // An edit keeps the sender's claim, whoever makes it; nobody else's messages get one.
    const edited = await viewer.room.messages.update(sent.serial, { text: 'rules!' });
    expect(edited.userClaim).toBe('moderator');
    expect((await viewer.room.messages.send({ text: 'hi' })).userClaim).toBeUndefined();
    const history = await viewer.room.messages.history({ orderBy: OrderBy.OldestFirst });
    expect(history.items.map((m) => m.userClaim)).toEqual(['moderator', undefined]);
  });

  test('maxMessageSize: a message, an edit or a reaction that does not fit is refused with 40009 and changes nothing', async () => {
    const e = await emulator({ maxMessageSize: 200 });
    const { room } = await chatRoom(e, 'alice');
    const long = 'x'.repeat(300);
    const tooLarge = { code: 40009, statusCode: 400 };
    await expect(room.messages.send({ text: long })).rejects.toMatchObject(tooLarge);
    const sent = await room.messages.send({ text: 'short' });
    await expect(room.messages.update(sent.serial, { text: long })).rejects.toMatchObject(tooLarge);
    await expect(
      room.messages.update(sent.serial, { text: 'short', metadata: { note: long } }),
    ).rejects.toMatchObject(tooLarge);
    await expect(room.messages.reactions.send(sent.serial, { name: long })).rejects.toMatchObject(
      tooLarge,
    );
    expect(await room.messages.get(sent.serial)).toEqual(sent);
    expect((await room.messages.getVersions(sent.serial)).items).toHaveLength(1);
    expect(texts((await room.messages.history({})).items)).toEqual(['short']);
  });

  test('messages follow historyRetentionMs: gone from history, get and changes afterwards', async () => {
    let now = Date.now();
    const e = await emulator({ historyRetentionMs: 60_000, now: () => now });
    const { room } = await chatRoom(e, 'alice');
    const sent = await room.messages.send({ text: 'soon gone' });
    await room.messages.update(sent.serial, { text: 'still here' });
    now += 59_000;
    expect(texts((await room.messages.history({})).items)).toEqual(['still here']);
    now += 2_000;
    expect((await room.messages.history({})).items).toEqual([]);
    await expect(room.messages.get(sent.serial)).rejects.toMatchObject({ code: 40400 });
    await expect(room.messages.getVersions(sent.serial)).rejects.toMatchObject({ code: 40400 });
    await expect(room.messages.delete(sent.serial)).rejects.toMatchObject({ code: 40400 });
    e.app.sweepChannels();
    expect(e.channel('lobby::$chat').messageCount).toBe(0);
  });
});
