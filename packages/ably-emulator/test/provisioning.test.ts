import { ChatClient } from '@ably/chat';
import * as Ably from 'ably';
import { describe, expect, test, vi } from 'vitest';
import type { CreatedApp, Emulator } from '../src/index.js';
import { emulator, FORMATS, realtime, rest } from './helpers.js';

/**
 * The app spec Ably's SDK test suites POST to the sandbox (`post_apps` in ably-common's
 * `test-resources/test-app-setup.json`), unknown fields (`limits`, `revocableTokens`,
 * `pushEnabled`) included.
 */
const SANDBOX_SPEC = {
  limits: { presence: { maxMembers: 250 } },
  keys: [
    {},
    {
      capability:
        '{ "cansubscribe:*":["subscribe"], "canpublish:*":["publish"], "canpublish:andpresence":["presence","publish"], "pushenabled:*":["publish","subscribe","push-subscribe"], "pushenabled:admin:*":["publish","subscribe","push-admin"] }',
    },
    {
      capability:
        '{ "channel0":["publish"], "channel1":["publish"], "channel2":["publish", "subscribe"], "channel3":["subscribe"], "channel4":["presence", "publish", "subscribe"], "channel5":["presence"], "channel6":["*"] }',
    },
    { capability: '{ "*":["subscribe"] }' },
    { revocableTokens: true },
    { capability: '{ "[*]*":["*"] }' },
  ],
  namespaces: [
    { id: 'persisted', persisted: true },
    { id: 'pushenabled', pushEnabled: true },
  ],
  channels: [
    {
      name: 'persisted:presence_fixtures',
      presence: [
        { clientId: 'client_bool', data: 'true' },
        { clientId: 'client_int', data: '24' },
        { clientId: 'client_string', data: 'This is a string clientData payload' },
        { clientId: 'client_json', data: '{ "test": "This is a JSONObject clientData payload"}' },
        { clientId: 'client_decoded', data: '{"example":{"json":"Object"}}', encoding: 'json' },
        {
          clientId: 'client_encoded',
          data: 'HO4cYSP8LybPYBPZPHQOtuD53yrD3YV3NBoTEYBh4U0N1QXHbtkfsDfTspKeLQFt',
          encoding: 'json/utf-8/cipher+aes-128-cbc/base64',
        },
      ],
    },
  ],
};

/** The cipher key of the `client_encoded` fixture (the same file's `cipher.key`). */
const FIXTURE_CIPHER_KEY = 'WUP6u0K7MXI5Zeo0VppPwg==';

const basic = (keyStr: string) => `Basic ${Buffer.from(keyStr).toString('base64')}`;

/** `POST /apps` the way ably-js's test helper does it: plain JSON, no credentials. */
async function provision(e: Emulator, spec: unknown = SANDBOX_SPEC): Promise<CreatedApp> {
  const res = await fetch(`${e.url}/apps`, {
    method: 'POST',
    headers: { accept: 'application/json', 'content-type': 'application/json' },
    body: JSON.stringify(spec),
  });
  expect(res.status).toBe(201);
  return (await res.json()) as CreatedApp;
}

/** `DELETE /apps/<appId>` with Basic auth of a key, as the test helper's tearDown does. */
function deleteApp(e: Emulator, appId: string, keyStr: string | undefined): Promise<Response> {
  return fetch(`${e.url}/apps/${appId}`, {
    method: 'DELETE',
    headers: keyStr === undefined ? {} : { authorization: basic(keyStr) },
  });
}

/** Client options for a provisioned app, from the answer alone (as a test suite would). */
function optionsFor(app: CreatedApp, key: number, extra: Ably.ClientOptions = {}) {
  return {
    endpoint: app.endpoint,
    port: app.port,
    tls: app.tls,
    key: app.keys[key]!.keyStr,
    logLevel: 0,
    ...extra,
  };
}

test('POST /apps answers like the sandbox: 201, keys, namespaces and where to connect', async () => {
  const e = await emulator();
  const res = await fetch(`${e.url}/apps`, {
    method: 'POST',
    headers: { accept: 'application/json', 'content-type': 'application/json' },
    body: JSON.stringify(SANDBOX_SPEC),
  });
  expect(res.status).toBe(201);
  expect(res.headers.get('content-type')).toBe('application/json');
  const app = (await res.json()) as CreatedApp;
  expect(app).toMatchObject({
    appId: expect.any(String) as unknown,
    accountId: expect.any(String) as unknown,
    endpoint: e.host,
    port: e.port,
    tls: false,
  });
  expect(app.keys).toHaveLength(SANDBOX_SPEC.keys.length);
  for (const key of app.keys) {
    expect(key.keyName.startsWith(`${app.appId}.`)).toBe(true);
    expect(key.keyStr).toBe(`${key.keyName}:${key.keySecret}`);
  }
  expect(JSON.parse(app.keys[0]!.capability)).toEqual({ '*': ['*'] });
  expect(JSON.parse(app.keys[3]!.capability)).toEqual({ '*': ['subscribe'] });
  expect(app.namespaces).toEqual([
    { id: 'persisted', persisted: true },
    { id: 'pushenabled', persisted: false },
  ]);
  // Each POST is a new app with new keys.
  const second = await provision(e);
  expect(second.appId).not.toBe(app.appId);
  expect(second.keys[0]!.keyStr).not.toBe(app.keys[0]!.keyStr);

  // An empty body gives an app with one all-capable key.
  const bare = await fetch(`${e.url}/apps`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
  });
  expect(bare.status).toBe(201);
  const bareApp = (await bare.json()) as CreatedApp;
  expect(bareApp.keys).toHaveLength(1);
  expect(JSON.parse(bareApp.keys[0]!.capability)).toEqual({ '*': ['*'] });
});

test('invalid app specs are refused with 40000 naming the field, and nothing is created', async () => {
  const e = await emulator();
  const before = e.apps.size;
  const post = (body: string) =>
    fetch(`${e.url}/apps`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
  for (const [body, field] of [
    ['{"keys":"all of them"}', 'keys'],
    ['{"keys":[{"capability":"{not json"}]}', 'capabilit'],
    ['{"keys":[{"capability":{"ch":["*","publish"]}}]}', '"*"'],
    ['{"channels":[{"name":"c","presence":[{"data":"no clientId"}]}]}', 'clientId'],
    ['{"namespaces":[{"persisted":true}]}', 'namespaces'],
    ['{"keys": [', 'JSON'],
  ] as const) {
    const res = await post(body);
    expect(res.status).toBe(400);
    expect(res.headers.get('x-ably-errorcode')).toBe('40000');
    const { error } = (await res.json()) as { error: { code: number; message: string } };
    expect(error.code).toBe(40000);
    expect(error.message).toContain(field);
  }
  expect(e.apps.size).toBe(before);
});

describe.each(FORMATS)('a provisioned app over $name', ({ useBinaryProtocol }) => {
  test('an ably-js style test flow: fixtures, REST + realtime + chat, restricted keys, tearDown', async () => {
    const e = await emulator();
    const app = await provision(e);
    const cipher = { key: FIXTURE_CIPHER_KEY };

    // REST presence.get on the fixtures channel, decrypting the encoded fixture.
    const client = new Ably.Rest(optionsFor(app, 0, { useBinaryProtocol }));
    const fixtures = client.channels.get('persisted:presence_fixtures', { cipher });
    const members = (await fixtures.presence.get()).items;
    const byId = Object.fromEntries(members.map((m) => [m.clientId, m.data as unknown]));
    expect(byId).toEqual({
      client_bool: 'true',
      client_int: '24',
      client_string: 'This is a string clientData payload',
      client_json: '{ "test": "This is a JSONObject clientData payload"}',
      client_decoded: { example: { json: 'Object' } },
      client_encoded: { example: { json: 'Object' } },
    });
    expect(members.every((m) => m.action === 'present')).toBe(true);
    // RSP4 (ably-js "Presence history simple"): the fixtures are in presence history as ENTERs,
    // decoded like presence.get()'s.
    const entered = (await fixtures.presence.history()).items;
    expect(Object.fromEntries(entered.map((m) => [m.clientId, m.data as unknown]))).toEqual(byId);
    expect(entered.every((m) => m.action === 'enter')).toBe(true);
    expect(entered.find((m) => m.clientId === 'client_encoded')!.encoding).toBeFalsy();

    // Realtime: the same members by SYNC; publish, then REST history in a persisted namespace.
    const rt = new Ably.Realtime(optionsFor(app, 0, { useBinaryProtocol, clientId: 'tester' }));
    try {
      const channel = rt.channels.get('persisted:presence_fixtures', { cipher });
      expect((await channel.presence.get()).map((m) => m.clientId).sort()).toEqual(
        Object.keys(byId).sort(),
      );
      await channel.publish('event', 'payload');
      await channel.presence.enter('here');
      const history = await fixtures.history();
      expect(history.items.map((m) => [m.name, m.data as unknown, m.clientId])).toEqual([
        ['event', 'payload', 'tester'],
      ]);
      // Newest first: the tester, then the fixtures' ENTERs from when the app was created.
      const presenceHistory = (await fixtures.presence.history()).items;
      expect(presenceHistory.map((m) => [m.action, m.clientId])).toEqual([
        ['enter', 'tester'],
        ...Object.keys(byId)
          .reverse()
          .map((clientId) => ['enter', clientId]),
      ]);

      // @ably/chat on the same connection.
      const chat = new ChatClient(rt);
      const room = await chat.rooms.get('provisioned-room');
      await room.attach();
      await room.presence.enter({ name: 'Tester' });
      expect((await room.presence.get()).map((m) => m.clientId)).toEqual(['tester']);
      expect(await room.occupancy.get()).toEqual({ connections: 1, presenceMembers: 1 });
      await chat.rooms.release('provisioned-room');

      // keys[1]: subscribe on cansubscribe:*, publish on canpublish:*, nothing else.
      const restricted = new Ably.Realtime(optionsFor(app, 1, { useBinaryProtocol }));
      try {
        const readOnly = restricted.channels.get('cansubscribe:news');
        await readOnly.attach();
        await expect(readOnly.publish('x', 'y')).rejects.toMatchObject({ code: 40160 });
        await expect(restricted.channels.get('elsewhere').attach()).rejects.toMatchObject({
          code: 40160,
        });
        const restRestricted = new Ably.Rest(optionsFor(app, 1, { useBinaryProtocol }));
        await restRestricted.channels.get('canpublish:news').publish('ok', 'allowed');
        await expect(
          restRestricted.channels.get('cansubscribe:news').publish('no', 'denied'),
        ).rejects.toMatchObject({ code: 40160, statusCode: 401 });
        await expect(
          restRestricted.channels.get('canpublish:news').history(),
        ).rejects.toMatchObject({ code: 40160 });
        // The restricted connection survived its denials.
        expect(restricted.connection.state).toBe('connected');
      } finally {
        restricted.close();
      }

      // tearDown: DELETE with keys[0] closes the app's connections and retires its keys.
      const res = await deleteApp(e, app.appId, app.keys[0]!.keyStr);
      expect(res.status).toBe(200);
      await vi.waitFor(() => expect(rt.connection.state).toBe('failed'));
      expect(rt.connection.errorReason.code).toBe(40101);
      await expect(client.channels.get('any').history()).rejects.toMatchObject({ code: 40101 });
    } finally {
      rt.close();
    }
  });

  test('apps are isolated: same channel name, no crosstalk in messages, presence or history', async () => {
    const e = await emulator();
    const [a, b] = [await provision(e), await provision(e)];
    const inA = await realtime(e, { ...optionsFor(a, 0), useBinaryProtocol, clientId: 'ann' });
    const inB = await realtime(e, { ...optionsFor(b, 0), useBinaryProtocol, clientId: 'bob' });
    const chA = inA.channels.get('shared');
    const chB = inB.channels.get('shared');
    await chA.attach();
    await chB.attach();
    const gotA: string[] = [];
    const gotB: string[] = [];
    await chA.subscribe((m) => gotA.push(m.name!));
    await chB.subscribe((m) => gotB.push(m.name!));
    await chA.presence.enter();
    await chB.presence.enter();

    // B publishes first; A's own marker afterwards proves nothing from B arrived in between.
    await rest(e, { ...optionsFor(b, 0), useBinaryProtocol })
      .channels.get('shared')
      .publish('from-b', 'x');
    await rest(e, { ...optionsFor(a, 0), useBinaryProtocol })
      .channels.get('shared')
      .publish('from-a', 'x');
    await vi.waitFor(() => expect(gotA).toEqual(['from-a']));
    await vi.waitFor(() => expect(gotB).toEqual(['from-b']));

    expect((await chA.presence.get()).map((m) => m.clientId)).toEqual(['ann']);
    expect((await chB.presence.get()).map((m) => m.clientId)).toEqual(['bob']);
    expect((await chA.history()).items.map((m) => m.name)).toEqual(['from-a']);
    const batch = (await rest(e, { ...optionsFor(b, 0), useBinaryProtocol }).batchPresence([
      'shared',
    ])) as unknown as Ably.BatchResult<Ably.BatchPresenceSuccessResult>;
    expect(batch.results[0]!.presence.map((m) => m.clientId)).toEqual(['bob']);

    // A key of one app is not a key of another, and cannot delete it.
    const foreign = await deleteApp(e, b.appId, a.keys[0]!.keyStr);
    expect(foreign.status).toBe(401);
    expect(foreign.headers.get('x-ably-errorcode')).toBe('40160');
    expect(inB.connection.state).toBe('connected');
    // Deleting A leaves B and the default app alone.
    expect((await deleteApp(e, a.appId, a.keys[0]!.keyStr)).status).toBe(200);
    await vi.waitFor(() => expect(inA.connection.state).toBe('failed'));
    expect(inB.connection.state).toBe('connected');
    expect((await chB.presence.get()).map((m) => m.clientId)).toEqual(['bob']);
  });
});

test('DELETE /apps: credentials required, default app protected, gone after delete', async () => {
  const e = await emulator();
  const app = await provision(e, { keys: [{}] });
  const key = app.keys[0]!.keyStr;

  const anonymous = await deleteApp(e, app.appId, undefined);
  expect(anonymous.status).toBe(401);
  expect(anonymous.headers.get('x-ably-errorcode')).toBe('40101');

  const defaultApp = await deleteApp(e, e.app.id, e.key);
  expect(defaultApp.status).toBe(400);
  expect(((await defaultApp.json()) as { error: { message: string } }).error.message).toContain(
    'default app',
  );
  expect(e.apps.get(e.app.id)).toBeDefined();

  const ok = await deleteApp(e, app.appId, key);
  expect(ok.status).toBe(200);
  expect(await ok.json()).toEqual({ appId: app.appId, deleted: true });
  expect(e.apps.get(app.appId)).toBeUndefined();
  // Its key no longer authenticates anything, including a second delete.
  const again = await deleteApp(e, app.appId, key);
  expect(again.status).toBe(401);
  expect(again.headers.get('x-ably-errorcode')).toBe('40101');
});

test('POST /apps takes JSON or msgpack only: text/plain and form bodies (no CORS preflight) are refused', async () => {
  const e = await emulator();
  const before = e.apps.size;
  const spec = JSON.stringify({ keys: [{}] });
  for (const type of [
    'text/plain',
    'text/plain;charset=UTF-8',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
    undefined,
  ]) {
    const res = await fetch(`${e.url}/apps`, {
      method: 'POST',
      headers: type === undefined ? {} : { 'content-type': type },
      // A Blob without a type is how a page sends a body with no content-type at all.
      body: type === undefined ? new Blob([spec]) : spec,
    });
    expect(res.status, String(type)).toBe(415);
    expect(res.headers.get('x-ably-errorcode')).toBe('40004');
    const { error } = (await res.json()) as { error: { code: number; message: string } };
    expect(error.code).toBe(40004);
    expect(error.message).toContain('application/json');
  }
  expect(e.apps.size).toBe(before);
  const charset = await fetch(`${e.url}/apps`, {
    method: 'POST',
    headers: { 'content-type': 'application/json; charset=utf-8' },
    body: spec,
  });
  expect(charset.status).toBe(201);
});

test('POST /apps keeps at most 100 apps live by default; deleting one makes room', async () => {
  const e = await emulator();
  const created: CreatedApp[] = [];
  for (let i = 0; i < 100; i++) created.push(await provision(e, { keys: [{}] }));
  const over = await fetch(`${e.url}/apps`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{}',
  });
  expect(over.status).toBe(401);
  expect(over.headers.get('x-ably-errorcode')).toBe('40115');
  const { error } = (await over.json()) as { error: { code: number; message: string } };
  expect(error.code).toBe(40115);
  expect(error.message).toContain('maxApps');
  expect(e.apps.size).toBe(101); // the default app and the 100
  // In process, createApp is not limited.
  expect(e.createApp().appId).toEqual(expect.any(String));

  const first = created[0]!;
  expect((await deleteApp(e, first.appId, first.keys[0]!.keyStr)).status).toBe(200);
  await provision(e, { keys: [{}] });
  const overAgain = await fetch(`${e.url}/apps`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{}',
  });
  expect(overAgain.headers.get('x-ably-errorcode')).toBe('40115');
});

test('maxApps sets the limit; 0 turns POST /apps off', async () => {
  const two = await emulator({ maxApps: 2 });
  const first = await provision(two, {});
  await provision(two, {});
  const post = () =>
    fetch(`${two.url}/apps`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
  expect((await post()).headers.get('x-ably-errorcode')).toBe('40115');
  // Deleting in process frees room too.
  expect(two.deleteApp(first.appId)).toBe(true);
  expect((await post()).status).toBe(201);
  expect((await post()).headers.get('x-ably-errorcode')).toBe('40115');
  const none = await emulator({ maxApps: 0 });
  const refused = await fetch(`${none.url}/apps`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{}',
  });
  expect(refused.headers.get('x-ably-errorcode')).toBe('40115');
});
