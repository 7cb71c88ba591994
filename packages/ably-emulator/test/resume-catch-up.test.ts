import { describe, expect, test, vi } from 'vitest';
import type { Emulator } from '../src/index.js';
import { Flag } from '../src/protocol/actions.js';
import type { ProtocolMessage } from '../src/protocol/types.js';
import { MAX_LOGGED_FRAMES } from '../src/state/channel-log.js';
import { emulator } from './helpers.js';
import { RawClient } from './raw-client.js';

const CONNECTED = 4;
const ATTACH = 10;
const ATTACHED = 11;
const PRESENCE = 14;
const MESSAGE = 15;

/**
 * What a resumed client gets on its re-ATTACH: everything after the channelSerial it says it
 * saw (frames lost in flight with the old socket, and those not written while it was away),
 * presence before the ATTACHED and messages after it, with RESUMED only when nothing is missing.
 */
describe.each(['msgpack', 'json'] as const)('catching up after a resume over %s', (format) => {
  /** A raw client attached to `channel`; returns it, its resume key and the ATTACHED. */
  async function attached(e: Emulator, clientId: string, channel: string, flags?: number) {
    const client = await RawClient.connect(e, { clientId, format });
    const connected = await client.next((m) => m.action === CONNECTED);
    client.send({ action: ATTACH, channel, ...(flags !== undefined ? { flags } : {}) });
    const reply = await client.next((m) => m.action === ATTACHED);
    return { client, key: connected.connectionDetails!.connectionKey, attached: reply };
  }

  /** Publishes `count` messages from a raw client and waits for every ACK. */
  async function publish(pub: RawClient, channel: string, names: string[]): Promise<void> {
    const first = pub.frames.filter((m) => m.action === 1).length;
    names.forEach((name, i) =>
      pub.send({ action: MESSAGE, channel, msgSerial: first + i, messages: [{ name }] }),
    );
    await vi.waitFor(() =>
      expect(pub.frames.filter((m) => m.action === 1)).toHaveLength(first + names.length),
    );
  }

  /** Resumes `key` and re-attaches `channel` claiming `channelSerial`; returns the frames. */
  async function resumeAndAttach(
    e: Emulator,
    clientId: string,
    key: string,
    channel: string,
    channelSerial: string | undefined,
  ): Promise<ProtocolMessage[]> {
    const client = await RawClient.connect(e, { clientId, format, resume: key });
    const connected = await client.next((m) => m.action === CONNECTED);
    expect(connected.error).toBeUndefined();
    client.send({ action: ATTACH, channel, ...(channelSerial ? { channelSerial } : {}) });
    await client.next((m) => m.action === ATTACHED);
    // A ping answered means everything the server sent after ATTACHED has arrived.
    client.send({ action: 0, id: 'done' });
    await client.next((m) => m.action === 0 && m.id === 'done');
    return client.frames;
  }

  test('frames after the client serial are sent again: presence before ATTACHED, messages after', async () => {
    const e = await emulator({ leaveGraceMs: 60_000 });
    const sub = await attached(e, 'sub', 'c');
    const pub = (await attached(e, 'pub', 'c')).client;
    await publish(pub, 'c', ['m1', 'm2']);
    const m1 = await sub.client.next((m) => m.action === MESSAGE && m.messages![0]!.name === 'm1');
    await sub.client.next((m) => m.action === MESSAGE && m.messages![0]!.name === 'm2');
    sub.client.ws.terminate(); // as if m2 had been lost in flight
    await vi.waitFor(() => expect(e.channel('c').members).toEqual([]));
    pub.send({ action: PRESENCE, channel: 'c', msgSerial: 2, presence: [{ action: 2 }] });
    await pub.next((m) => m.action === 1 && m.msgSerial === 2);
    await publish(pub, 'c', ['m3']);

    const frames = await resumeAndAttach(e, 'sub', sub.key, 'c', m1.channelSerial);
    const kinds = frames
      .filter((m) => m.action !== 0)
      .map((m) => (m.action === MESSAGE ? `message:${m.messages![0]!.name!}` : String(m.action)));
    // CONNECTED, the missed ENTER, ATTACHED, the missed messages (not m1 again), the SYNC.
    expect(kinds).toEqual(['4', '14', '11', 'message:m2', 'message:m3', '16']);
    const reattached = frames.find((m) => m.action === ATTACHED)!;
    expect(reattached.flags! & Flag.RESUMED).toBe(Flag.RESUMED);
    // The client's own serial, so that losing the catch-up again still resumes from there.
    expect(reattached.channelSerial).toBe(m1.channelSerial);
    expect(frames.find((m) => m.action === PRESENCE)!.presence![0]).toMatchObject({
      action: 2,
      clientId: 'pub',
    });
  });

  test('a socket that still looked alive when the client resumed: what was written to it comes again', async () => {
    const e = await emulator({ leaveGraceMs: 60_000 });
    const sub = await attached(e, 'sub', 'alive');
    const pub = (await attached(e, 'pub', 'alive')).client;
    await publish(pub, 'alive', ['lost']);
    await sub.client.next((m) => m.action === MESSAGE);
    // The old socket is not closed: the server learns of the new one first.
    const frames = await resumeAndAttach(e, 'sub', sub.key, 'alive', sub.attached.channelSerial);
    expect(await sub.client.closed()).toBe(1000);
    const reattached = frames.find((m) => m.action === ATTACHED)!;
    expect(reattached.flags! & Flag.RESUMED).toBe(Flag.RESUMED);
    expect(frames.filter((m) => m.action === MESSAGE).map((m) => m.messages![0]!.name)).toEqual([
      'lost',
    ]);
  });

  test('nothing is sent again when the client saw it all', async () => {
    const e = await emulator({ leaveGraceMs: 60_000 });
    const sub = await attached(e, 'sub', 'seen');
    const pub = (await attached(e, 'pub', 'seen')).client;
    await publish(pub, 'seen', ['a', 'b']);
    const b = await sub.client.next((m) => m.action === MESSAGE && m.messages![0]!.name === 'b');
    sub.client.ws.terminate();
    await vi.waitFor(() => expect(e.connectionCount).toBe(2));
    const frames = await resumeAndAttach(e, 'sub', sub.key, 'seen', b.channelSerial);
    const reattached = frames.find((m) => m.action === ATTACHED)!;
    expect(reattached.flags! & Flag.RESUMED).toBe(Flag.RESUMED);
    expect(frames.filter((m) => m.action === MESSAGE)).toEqual([]);
  });

  test.each([
    ['no channelSerial', () => undefined],
    ['a serial of another channel', (other: string) => other],
    ['a made-up serial', () => 'zz-999999999999'],
  ])(
    'a re-ATTACH with %s is not RESUMED (the client must re-sync)',
    async (_, serial: (other: string) => string | undefined) => {
      const e = await emulator({ leaveGraceMs: 60_000 });
      const sub = await attached(e, 'sub', 'x');
      const pub = (await attached(e, 'pub', 'x')).client;
      pub.send({ action: ATTACH, channel: 'other' });
      const other = await pub.next((m) => m.action === ATTACHED && m.channel === 'other');
      await publish(pub, 'x', ['m']);
      await sub.client.next((m) => m.action === MESSAGE);
      sub.client.ws.terminate();
      await vi.waitFor(() => expect(e.connectionCount).toBe(2));
      const frames = await resumeAndAttach(e, 'sub', sub.key, 'x', serial(other.channelSerial!));
      expect(frames.find((m) => m.action === ATTACHED)!.flags! & Flag.RESUMED).toBe(0);
      expect(frames.filter((m) => m.action === MESSAGE)).toEqual([]);
    },
  );

  test('more missed than the channel keeps: not RESUMED, nothing sent again', async () => {
    const e = await emulator({ leaveGraceMs: 60_000 });
    const sub = await attached(e, 'sub', 'busy');
    const pub = (await attached(e, 'pub', 'busy')).client;
    sub.client.ws.terminate();
    await vi.waitFor(() => expect(e.connectionCount).toBe(2));
    const names = Array.from({ length: MAX_LOGGED_FRAMES + 1 }, (_, i) => `m${i}`);
    for (let i = 0; i < names.length; i += 250) await publish(pub, 'busy', names.slice(i, i + 250));
    const frames = await resumeAndAttach(e, 'sub', sub.key, 'busy', sub.attached.channelSerial);
    const reattached = frames.find((m) => m.action === ATTACHED)!;
    expect(reattached.flags! & Flag.RESUMED).toBe(0);
    expect(frames.filter((m) => m.action === MESSAGE)).toEqual([]);
  });

  test('an attachment that was sent nothing after its serial resumes, however much went by', async () => {
    const e = await emulator({ leaveGraceMs: 60_000 });
    // Publish only: none of the channel's messages are for it.
    const quiet = await attached(e, 'quiet', 'loud', Flag.PUBLISH);
    const pub = (await attached(e, 'pub', 'loud')).client;
    quiet.client.ws.terminate();
    await vi.waitFor(() => expect(e.connectionCount).toBe(2));
    const names = Array.from({ length: MAX_LOGGED_FRAMES + 1 }, (_, i) => `m${i}`);
    for (let i = 0; i < names.length; i += 250) await publish(pub, 'loud', names.slice(i, i + 250));
    const frames = await resumeAndAttach(
      e,
      'quiet',
      quiet.key,
      'loud',
      quiet.attached.channelSerial,
    );
    expect(frames.find((m) => m.action === ATTACHED)!.flags! & Flag.RESUMED).toBe(Flag.RESUMED);
    expect(frames.filter((m) => m.action === MESSAGE)).toEqual([]);
  });

  test('a re-ATTACH on the same socket sends nothing again (TCP already delivered it)', async () => {
    const e = await emulator();
    const sub = await attached(e, 'sub', 'live');
    const pub = (await attached(e, 'pub', 'live')).client;
    await publish(pub, 'live', ['once']);
    await sub.client.next((m) => m.action === MESSAGE);
    const from = sub.client.frames.length;
    sub.client.send({ action: ATTACH, channel: 'live', channelSerial: sub.attached.channelSerial });
    const again = await sub.client.next((m) => m.action === ATTACHED, { from });
    expect(again.flags! & Flag.RESUMED).toBe(Flag.RESUMED);
    sub.client.send({ action: 0, id: 'done' });
    await sub.client.next((m) => m.action === 0 && m.id === 'done', { from });
    expect(sub.client.frames.slice(from).filter((m) => m.action === MESSAGE)).toEqual([]);
  });
});
