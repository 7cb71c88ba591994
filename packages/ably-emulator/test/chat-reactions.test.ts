import {
  ChatClient,
  LogLevel,
  type MessageReactionRawEvent,
  MessageReactionRawEventType,
  type MessageReactionSummaryEvent,
  MessageReactionType,
  type Room,
  type RoomOptions,
} from '@ably/chat';
import type * as Ably from 'ably';
import { describe, expect, test, vi } from 'vitest';
import type { Emulator } from '../src/index.js';
import { emulator, FORMATS, realtime } from './helpers.js';
import { signedJwt } from './jwt.js';

interface ReactingRoom {
  room: Room;
  client: Ably.Realtime;
  summaries: MessageReactionSummaryEvent[];
  raw: MessageReactionRawEvent[];
}

/** An attached room of a new client, collecting reaction summaries (and raw reactions if enabled). */
async function reactingRoom(
  e: Emulator,
  clientId: string,
  options: Ably.ClientOptions = {},
  roomOptions: RoomOptions = {},
): Promise<ReactingRoom> {
  const client = await realtime(e, { clientId, ...options });
  const room = await new ChatClient(client, { logLevel: LogLevel.Silent }).rooms.get(
    'lobby',
    roomOptions,
  );
  const summaries: MessageReactionSummaryEvent[] = [];
  const raw: MessageReactionRawEvent[] = [];
  room.messages.reactions.subscribe((ev) => summaries.push(ev));
  if (roomOptions.messages?.rawMessageReactions) {
    room.messages.reactions.subscribeRaw((ev) => raw.push(ev));
  }
  await room.attach();
  return { room, client, summaries, raw };
}

const RAW = { messages: { rawMessageReactions: true } };

describe.each(FORMATS)('@ably/chat message reactions over $name', ({ useBinaryProtocol }) => {
  test('unique, distinct and multiple: summaries live, raw reactions where asked for, reactions in history and get', async () => {
    const e = await emulator();
    const alice = await reactingRoom(e, 'alice', { useBinaryProtocol }, RAW);
    const bob = await reactingRoom(e, 'bob', { useBinaryProtocol });
    const message = await alice.room.messages.send({ text: 'react to me' });
    const serial = message.serial;
    const latest = () => alice.summaries.at(-1)?.reactions;

    // distinct (the default type): one of each name per client.
    await bob.room.messages.reactions.send(serial, { name: '👍' });
    await bob.room.messages.reactions.send(serial, { name: '❤️' });
    await alice.room.messages.reactions.send(serial, { name: '👍' });
    await bob.room.messages.reactions.send(serial, { name: '👍' }); // again: no change
    await vi.waitFor(() =>
      expect(latest()?.distinct).toEqual({
        '👍': { total: 2, clientIds: ['bob', 'alice'], clipped: false },
        '❤️': { total: 1, clientIds: ['bob'], clipped: false },
      }),
    );
    expect(alice.summaries.every((s) => s.messageSerial === serial)).toBe(true);

    // unique: one name per client; a new name moves it, delete removes it whatever its name.
    const unique = MessageReactionType.Unique;
    await bob.room.messages.reactions.send(serial, { name: '🎉', type: unique });
    await alice.room.messages.reactions.send(serial, { name: '🎉', type: unique });
    await bob.room.messages.reactions.send(serial, { name: '😮', type: unique });
    await vi.waitFor(() =>
      expect(latest()?.unique).toEqual({
        '🎉': { total: 1, clientIds: ['alice'], clipped: false },
        '😮': { total: 1, clientIds: ['bob'], clipped: false },
      }),
    );
    await bob.room.messages.reactions.delete(serial, { type: unique });
    await vi.waitFor(() =>
      expect(latest()?.unique).toEqual({
        '🎉': { total: 1, clientIds: ['alice'], clipped: false },
      }),
    );

    // multiple: counts add up per client; delete takes all of that client's back.
    const multiple = MessageReactionType.Multiple;
    await bob.room.messages.reactions.send(serial, { name: 'clap', type: multiple, count: 3 });
    await bob.room.messages.reactions.send(serial, { name: 'clap', type: multiple });
    await alice.room.messages.reactions.send(serial, { name: 'clap', type: multiple, count: 2 });
    await vi.waitFor(() =>
      expect(latest()?.multiple).toEqual({
        clap: {
          total: 6,
          clientIds: { bob: 4, alice: 2 },
          totalUnidentified: 0,
          clipped: false,
          totalClientIds: 2,
        },
      }),
    );
    await bob.room.messages.reactions.delete(serial, { name: 'clap', type: multiple });
    await bob.room.messages.reactions.delete(serial, { name: '❤️' });
    await vi.waitFor(() => expect(latest()?.multiple['clap']?.total).toBe(2));
    await vi.waitFor(() => expect(latest()?.distinct['❤️']).toBeUndefined());
    const summary = latest()!;
    // Bob's room sees the same summaries.
    await vi.waitFor(() => expect(bob.summaries.at(-1)?.reactions).toEqual(summary));

    // Raw reactions only reach the room that asked for them (annotation_subscribe mode).
    await vi.waitFor(() => expect(alice.raw).toHaveLength(13));
    expect(alice.raw[0]).toMatchObject({
      type: 'reaction.create',
      reaction: { messageSerial: serial, type: 'distinct', name: '👍', clientId: 'bob' },
    });
    expect(alice.raw[0]!.timestamp).toBeInstanceOf(Date);
    expect(
      alice.raw.filter((r) => r.type === MessageReactionRawEventType.Delete).map((r) => r.reaction),
    ).toEqual([
      expect.objectContaining({ type: 'unique', clientId: 'bob' }),
      expect.objectContaining({ type: 'multiple', name: 'clap', clientId: 'bob' }),
      expect.objectContaining({ type: 'distinct', name: '❤️', clientId: 'bob' }),
    ]);
    expect(alice.room.channel.modes).toContain('annotation_subscribe');
    expect(bob.room.channel.modes).not.toContain('annotation_subscribe');
    expect(bob.raw).toEqual([]);

    // The summary is part of the message wherever it is read, and applies to a Message.
    expect((await bob.room.messages.get(serial)).reactions).toEqual(summary);
    const [fromHistory] = (await bob.room.messages.history({ limit: 1 })).items;
    expect(fromHistory!.reactions).toEqual(summary);
    expect(message.with(alice.summaries.at(-1)!).reactions).toEqual(summary);

    // One client's reactions.
    expect(await alice.room.messages.reactions.clientReactions(serial)).toEqual({
      unique: { '🎉': { total: 1, clientIds: ['alice'], clipped: false } },
      distinct: { '👍': { total: 2, clientIds: ['alice'], clipped: false } },
      multiple: {
        clap: {
          total: 2,
          clientIds: { alice: 2 },
          totalUnidentified: 0,
          clipped: false,
          totalClientIds: 1,
        },
      },
    });
    expect(await alice.room.messages.reactions.clientReactions(serial, 'bob')).toEqual({
      unique: {},
      distinct: { '👍': { total: 2, clientIds: ['bob'], clipped: false } },
      multiple: {},
    });
  });
});

describe('@ably/chat message reactions', () => {
  test('capabilities: annotation-publish to react (40160); annotation-subscribe for raw reactions', async () => {
    const e = await emulator();
    const owner = await reactingRoom(e, 'owner');
    const { serial } = await owner.room.messages.send({ text: 'hi' });
    const limited = (clientId: string, operations: string[]) =>
      ({
        key: undefined,
        clientId,
        authCallback: (_: unknown, cb: (error: null, token: unknown) => void) =>
          cb(null, e.createToken({ clientId, capability: { 'lobby::$chat': operations } })),
      }) as unknown as Ably.ClientOptions;

    const viewer = await reactingRoom(e, 'viewer', limited('viewer', ['subscribe']), RAW);
    await expect(viewer.room.messages.reactions.send(serial, { name: '👍' })).rejects.toMatchObject(
      { code: 40160, statusCode: 401 },
    );
    await expect(
      viewer.room.messages.reactions.delete(serial, { name: '👍' }),
    ).rejects.toMatchObject({ code: 40160 });
    // Asked for raw reactions without annotation-subscribe: attached, but without that mode.
    expect(viewer.room.channel.modes).not.toContain('annotation_subscribe');

    const reactor = await reactingRoom(
      e,
      'reactor',
      limited('reactor', ['subscribe', 'annotation-publish', 'annotation-subscribe']),
      RAW,
    );
    await reactor.room.messages.reactions.send(serial, { name: '👍' });
    await vi.waitFor(() => expect(reactor.raw).toHaveLength(1));
    await vi.waitFor(() => expect(viewer.summaries).toHaveLength(1));
    expect(viewer.raw).toEqual([]);
    expect(viewer.summaries[0]!.reactions.distinct).toEqual({
      '👍': { total: 1, clientIds: ['reactor'], clipped: false },
    });

    // Unknown messages are 40400; only the three chat reaction types exist (40003).
    await expect(
      reactor.room.messages.reactions.send('nope', { name: '👍' }),
    ).rejects.toMatchObject({ code: 40400, statusCode: 404 });
    const response = await reactor.client.request(
      'POST',
      `/chat/v4/rooms/lobby/messages/${encodeURIComponent(serial)}/reactions`,
      4,
      {},
      { type: 'sideways', name: '👍' },
    );
    expect(response).toMatchObject({ success: false, errorCode: 40003, statusCode: 400 });
  });

  test('a JWT user claim for the room is on raw reactions', async () => {
    const e = await emulator();
    const token = signedJwt(e.key, {
      'x-ably-capability': JSON.stringify({ '*': ['*'] }),
      'x-ably-clientId': 'mod',
      'ably.room.lobby': 'moderator',
    });
    const mod = await reactingRoom(e, 'mod', { key: undefined, token });
    const watcher = await reactingRoom(e, 'watcher', {}, RAW);
    const { serial } = await watcher.room.messages.send({ text: 'hi' });
    await mod.room.messages.reactions.send(serial, { name: '👍' });
    await watcher.room.messages.reactions.send(serial, { name: '👍' });
    await vi.waitFor(() => expect(watcher.raw).toHaveLength(2));
    expect(watcher.raw.map((r) => [r.reaction.clientId, r.reaction.userClaim])).toEqual([
      ['mod', 'moderator'],
      ['watcher', undefined],
    ]);
  });

  test('realtime annotations (channel.annotations.publish) of a published message, and their summaries', async () => {
    const e = await emulator();
    const chat = await reactingRoom(e, 'chatter', {}, RAW);
    const pubsub = await realtime(e, { clientId: 'pubsub' });
    const channel = pubsub.channels.get('lobby::$chat', {
      modes: ['SUBSCRIBE', 'PUBLISH', 'ANNOTATION_PUBLISH', 'ANNOTATION_SUBSCRIBE'],
    });
    // A chat message published over realtime: any retained message can be annotated.
    const published = await channel.publish('chat.message', { text: 'annotate me' });
    const serial = published.serials[0]!;
    const annotations: Ably.Annotation[] = [];
    await channel.annotations.subscribe((a) => annotations.push(a));
    const summaries: Ably.InboundMessage[] = [];
    await channel.subscribe((m) => {
      if (m.action === 'message.summary') summaries.push(m);
    });

    await channel.annotations.publish(serial, { type: 'reaction:distinct.v1', name: '🔥' });
    await channel.annotations.publish(serial, { type: 'receipts:flag.v1' });
    await channel.annotations.publish(serial, { type: 'views:total.v1' });
    await vi.waitFor(() => expect(summaries).toHaveLength(3));
    expect(summaries[2]).toMatchObject({
      serial,
      action: 'message.summary',
      annotations: {
        summary: {
          'reaction:distinct.v1': { '🔥': { total: 1, clientIds: ['pubsub'], clipped: false } },
          'receipts:flag.v1': { total: 1, clientIds: ['pubsub'], clipped: false },
          'views:total.v1': { total: 1 },
        },
      },
    });
    await vi.waitFor(() => expect(annotations).toHaveLength(3));
    expect(annotations[0]).toMatchObject({
      action: 'annotation.create',
      messageSerial: serial,
      type: 'reaction:distinct.v1',
      name: '🔥',
      clientId: 'pubsub',
      connectionId: pubsub.connection.id,
    });
    expect(annotations[1]!.serial > annotations[0]!.serial).toBe(true);
    // The chat room sees it as a distinct reaction.
    await vi.waitFor(() =>
      expect(chat.summaries.at(-1)?.reactions.distinct).toEqual({
        '🔥': { total: 1, clientIds: ['pubsub'], clipped: false },
      }),
    );
    await vi.waitFor(() => expect(chat.raw).toHaveLength(1));

    await channel.annotations.delete(serial, { type: 'reaction:distinct.v1', name: '🔥' });
    await vi.waitFor(() => expect(chat.summaries.at(-1)?.reactions.distinct).toEqual({}));
    // Refused: an unknown summarization (40003), an unknown message (40400).
    await expect(
      channel.annotations.publish(serial, { type: 'reaction:sideways.v1', name: 'x' }),
    ).rejects.toMatchObject({ code: 40003 });
    await expect(
      channel.annotations.publish('nope', { type: 'reaction:distinct.v1', name: 'x' }),
    ).rejects.toMatchObject({ code: 40400 });
    // Without the annotation-publish capability: NACKed 40160.
    const clientId = 'reader';
    const reader = await realtime(e, {
      key: undefined,
      clientId,
      authCallback: (_, cb) =>
        cb(null, e.createToken({ clientId, capability: { 'lobby::$chat': ['subscribe'] } })),
    });
    await expect(
      reader.channels
        .get('lobby::$chat')
        .annotations.publish(serial, { type: 'reaction:distinct.v1', name: 'x' }),
    ).rejects.toMatchObject({ code: 40160 });
  });
});
