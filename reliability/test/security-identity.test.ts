import type { Emulator } from '@presencekit/ably-emulator';
import * as Ably from 'ably';
import { describe, expect, test, vi } from 'vitest';
import WebSocket from 'ws';

import { onCleanup } from '../harness/cleanup';
import { emulator } from '../harness/in-process-emulator';
import { closeRealtime } from '@presencekit/test-utils';

/**
 * Nobody acts as another clientId: a token's clientId binds the connection for every operation
 * that names one, a wildcard may name anyone but touches only its own connection's members, an
 * anonymous token names nobody, and a connection key in the wrong hands resumes nothing.
 */

const CHANNEL = 'identity:room';

async function connect(e: Emulator, options: Ably.ClientOptions): Promise<Ably.Realtime> {
  const client = new Ably.Realtime(e.clientOptions({ logLevel: 0, ...options }));
  onCleanup(() => closeRealtime(client));
  await client.connection.once('connected');
  return client;
}

function tokenFor(e: Emulator, clientId?: string): Ably.ClientOptions {
  return {
    key: undefined,
    token: e.createToken(clientId === undefined ? {} : { clientId }).token,
  };
}

/** Who is present on the channel, as the server has it: `clientId@connectionId=data`. */
function members(e: Emulator): string[] {
  return e
    .channel(CHANNEL)
    .members.map((m) => {
      // Objects travel as JSON text with encoding "json".
      const data = m.encoding === 'json' ? (JSON.parse(m.data as string) as unknown) : m.data;
      return `${m.clientId}@${m.connectionId}=${JSON.stringify(data)}`;
    })
    .sort();
}

const MISMATCH = { code: 40012 };

describe.each([
  { format: 'msgpack', useBinaryProtocol: true },
  { format: 'json', useBinaryProtocol: false },
])('over $format', ({ useBinaryProtocol }) => {
  test('a token bound to alice cannot enter, update, leave or publish as anyone else', async () => {
    const e = await emulator();
    const alice = await connect(e, { ...tokenFor(e, 'alice'), useBinaryProtocol });
    expect(alice.auth.clientId).toBe('alice');
    const ch = alice.channels.get(CHANNEL);
    await ch.presence.enter('alice here');
    const before = members(e);
    await expect(ch.presence.enterClient('mallory', 'x')).rejects.toMatchObject(MISMATCH);
    await expect(ch.presence.updateClient('mallory', 'x')).rejects.toMatchObject(MISMATCH);
    await expect(ch.presence.leaveClient('mallory')).rejects.toMatchObject(MISMATCH);
    await expect(ch.publish({ name: 'n', data: 'd', clientId: 'mallory' })).rejects.toMatchObject(
      MISMATCH,
    );
    expect(members(e)).toEqual(before);
    expect(e.channel(CHANNEL).messageCount).toBe(0);
    // Its own identity still works, explicitly or implied.
    await ch.publish({ name: 'n', data: 'd', clientId: 'alice' });
    await ch.presence.updateClient('alice', 'still alice');
    expect(members(e)).toEqual([`alice@${alice.connection.id}="still alice"`]);
  });

  test('re-authorising with a token for another clientId is refused; alice stays alice', async () => {
    const e = await emulator();
    let next = 'alice';
    const alice = await connect(e, {
      key: undefined,
      useBinaryProtocol,
      authCallback: (_params, cb) => cb(null, e.createToken({ clientId: next }).token),
    });
    await alice.channels.get(CHANNEL).presence.enter('a');
    next = 'mallory';
    await expect(alice.auth.authorize()).rejects.toMatchObject({ code: 40102 });
    expect(e.channel(CHANNEL).members.map((m) => m.clientId)).not.toContain('mallory');
    expect(alice.auth.clientId).toBe('alice');
  });

  test("a wildcard token can name anyone but cannot touch another connection's members", async () => {
    const e = await emulator();
    const victim = await connect(e, { ...tokenFor(e, 'victim'), useBinaryProtocol });
    await victim.channels.get(CHANNEL).presence.enter({ role: 'host' });
    const wild = await connect(e, { ...tokenFor(e, '*'), useBinaryProtocol });
    const presence = wild.channels.get(CHANNEL).presence;
    await presence.enterClient('someone', 'fine');
    // Same clientId, other connection: these act on the wildcard's own member only.
    await presence.updateClient('victim', { role: 'impostor' });
    await presence.leaveClient('victim');
    await expect(presence.leaveClient('victim')).resolves.toBeUndefined();
    expect(members(e)).toEqual(
      [
        `someone@${wild.connection.id}="fine"`,
        `victim@${victim.connection.id}=${JSON.stringify({ role: 'host' })}`,
      ].sort(),
    );
    // And the victim's own view agrees.
    const seen = await victim.channels.get(CHANNEL).presence.get({ clientId: 'victim' });
    expect(seen.map((m) => [m.connectionId, m.data as unknown])).toEqual([
      [victim.connection.id, { role: 'host' }],
    ]);
  });

  test('an anonymous token names nobody: no presence, no clientId on messages', async () => {
    const e = await emulator();
    const anon = await connect(e, { ...tokenFor(e), useBinaryProtocol });
    const ch = anon.channels.get(CHANNEL);
    await ch.attach();
    await expect(ch.presence.enter('x')).rejects.toMatchObject(MISMATCH);
    await expect(ch.presence.enterClient('someone', 'x')).rejects.toMatchObject(MISMATCH);
    await expect(ch.publish({ name: 'n', data: 'd', clientId: 'someone' })).rejects.toMatchObject(
      MISMATCH,
    );
    await ch.publish('n', 'anonymous is fine');
    expect(members(e)).toEqual([]);
  });
});

describe('a connection key in the wrong hands', () => {
  /** Opens a raw socket and returns the first frame the server sends. */
  async function firstFrame(e: Emulator, query: Record<string, string>) {
    const ws = new WebSocket(
      `ws://${e.host}:${e.port}/?${new URLSearchParams({ format: 'json', v: '6', ...query }).toString()}`,
    );
    onCleanup(() => ws.terminate());
    return new Promise<{
      action: number;
      connectionId?: string;
      error?: { code: number };
      connectionDetails?: { clientId?: string };
    }>((resolve, reject) => {
      ws.once('message', (data: Buffer) => resolve(JSON.parse(data.toString()) as never));
      ws.once('error', reject);
    });
  }

  test.each(['resume', 'recover'])(
    "%s with a stolen key by another clientId gets a new connection, not alice's",
    async (param) => {
      const e = await emulator();
      const alice = await connect(e, tokenFor(e, 'alice'));
      await alice.channels.get(CHANNEL).presence.enter('alice');
      const stolen = alice.connection.key!;
      const aliceId = alice.connection.id!;
      const answer = await firstFrame(e, {
        access_token: e.createToken({ clientId: 'mallory' }).token,
        [param]: stolen,
      });
      expect(answer.action).toBe(4);
      expect(answer.connectionId).not.toBe(aliceId);
      expect(answer.error?.code).toBe(80008);
      expect(answer.connectionDetails?.clientId).toBe('mallory');
      // Alice was not disturbed.
      await alice.connection.ping();
      expect(alice.connection.state).toBe('connected');
      expect(alice.connection.id).toBe(aliceId);
      expect(members(e)).toEqual([`alice@${aliceId}="alice"`]);
    },
  );

  test("a guessed key built from alice's connection id resumes nothing", async () => {
    const e = await emulator();
    const alice = await connect(e, tokenFor(e, 'alice'));
    const aliceId = alice.connection.id!;
    for (const guess of [aliceId, `!${aliceId}`, `xxxxxxxxxxxx!${aliceId}`]) {
      const answer = await firstFrame(e, { key: e.key, clientId: 'alice', resume: guess });
      expect(answer.connectionId).not.toBe(aliceId);
      // None of them has the form of a connection key: 80018, not "expired" (80008).
      expect(answer.error?.code).toBe(80018);
    }
    await vi.waitFor(() => expect(alice.connection.state).toBe('connected'));
    expect(alice.connection.id).toBe(aliceId);
  });
});

describe('REST', () => {
  test('a token bound to alice cannot publish as anyone else (body or X-Ably-ClientId)', async () => {
    const e = await emulator();
    const token = e.createToken({ clientId: 'alice' }).token;
    const alice = new Ably.Rest(e.clientOptions({ key: undefined, token, logLevel: 0 }));
    await expect(
      alice.channels.get(CHANNEL).publish({ name: 'n', data: 'd', clientId: 'mallory' }),
    ).rejects.toMatchObject({ ...MISMATCH, statusCode: 400 });
    const viaHeader = await fetch(`${e.url}/channels/${encodeURIComponent(CHANNEL)}/messages`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${Buffer.from(token).toString('base64')}`,
        'content-type': 'application/json',
        'x-ably-clientid': Buffer.from('mallory').toString('base64'),
      },
      body: JSON.stringify({ name: 'n', data: 'd' }),
    });
    expect(viaHeader.status).toBe(401);
    expect(viaHeader.headers.get('x-ably-errorcode')).toBe('40102');
    expect(e.channel(CHANNEL).messageCount).toBe(0);
    await alice.channels.get(CHANNEL).publish('n', 'as alice');
    const [stored] = (await alice.channels.get(CHANNEL).history()).items;
    expect(stored?.clientId).toBe('alice');
  });
});
