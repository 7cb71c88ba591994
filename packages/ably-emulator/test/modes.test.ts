import type * as Ably from 'ably';
import { describe, expect, test, vi } from 'vitest';
import { emulator, FORMATS, realtime } from './helpers.js';

/** The error an operation fails with. */
async function errorOf(p: Promise<unknown>): Promise<Ably.ErrorInfo> {
  try {
    await p;
  } catch (err) {
    return err as Ably.ErrorInfo;
  }
  throw new Error('expected the operation to fail');
}

describe.each(FORMATS)('channel modes over $name', ({ useBinaryProtocol }) => {
  test('a plain attach gets the default modes; annotation subscribe and object modes only when asked', async () => {
    const e = await emulator();
    const client = await realtime(e, { useBinaryProtocol });
    const channel = client.channels.get('plain');
    await channel.attach();
    expect(channel.modes).toEqual([
      'presence',
      'publish',
      'subscribe',
      'presence_subscribe',
      'annotation_publish',
    ]);
    expect(e.channel('plain').metrics).toMatchObject({
      connections: 1,
      objectPublishers: 0,
      objectSubscribers: 0,
    });
    const asked = client.channels.get('asked', {
      modes: ['SUBSCRIBE', 'ANNOTATION_SUBSCRIBE', 'OBJECT_SUBSCRIBE', 'OBJECT_PUBLISH'],
    });
    await asked.attach();
    expect(asked.modes).toEqual([
      'subscribe',
      'annotation_subscribe',
      'object_subscribe',
      'object_publish',
    ]);
  });

  test('params.modes sets the modes (RTL4k): subscribe only cannot publish, enter or see presence', async () => {
    const e = await emulator();
    const reader = await realtime(e, { clientId: 'reader', useBinaryProtocol });
    const writer = await realtime(e, { clientId: 'writer', useBinaryProtocol });
    const channel = reader.channels.get('pm', { params: { modes: 'subscribe' } });
    const names: string[] = [];
    const presence: string[] = [];
    await channel.subscribe((m) => names.push(m.name!));
    await channel.presence.subscribe((m) => presence.push(m.action));
    expect(channel.modes).toEqual(['subscribe']);
    expect(channel.params).toEqual({ modes: 'subscribe' });

    expect(await errorOf(channel.publish('mine', 'x'))).toMatchObject({ code: 40160 });
    expect(await errorOf(channel.presence.enter())).toMatchObject({ code: 40160 });

    const other = writer.channels.get('pm');
    await other.publish('first', 'a');
    await other.presence.enter();
    await other.publish('last', 'b');
    // Frames reach the reader in the order the server sent them: the presence event would have
    // come before "last".
    await vi.waitFor(() => expect(names).toEqual(['first', 'last']));
    expect(presence).toEqual([]);
  });

  test('params.modes takes precedence over the modes flags', async () => {
    const e = await emulator();
    const client = await realtime(e, { clientId: 'both', useBinaryProtocol });
    const channel = client.channels.get('precedence', {
      params: { modes: 'presence,subscribe' },
      modes: ['PUBLISH', 'PRESENCE_SUBSCRIBE'],
    });
    await channel.attach();
    expect(channel.modes).toEqual(['presence', 'subscribe']);
    expect(channel.params).toEqual({ modes: 'presence,subscribe' });
    await channel.presence.enter('here');
    expect(await errorOf(channel.publish('x', 'y'))).toMatchObject({ code: 40160 });
  });

  test('params.modes is narrowed to what the capability allows, and echoed as granted', async () => {
    const e = await emulator();
    const app = e.createApp({ keys: [{ capability: { '*': ['subscribe', 'presence'] } }] });
    const client = await realtime(e, { key: app.keys[0]!.keyStr, useBinaryProtocol });
    const channel = client.channels.get('narrow', {
      params: { modes: 'publish,subscribe,presence' },
    });
    await channel.attach();
    expect(channel.modes).toEqual(['presence', 'subscribe']);
    expect(channel.params).toEqual({ modes: 'presence,subscribe' });
  });

  test('setOptions with other params.modes re-attaches with those modes', async () => {
    const e = await emulator();
    const client = await realtime(e, { useBinaryProtocol });
    const channel = client.channels.get('switch');
    await channel.attach();
    await channel.setOptions({ params: { modes: 'publish' } });
    expect(channel.modes).toEqual(['publish']);
    expect(e.channel('switch').metrics).toMatchObject({ publishers: 1, subscribers: 0 });
  });
});
