import { ChatClient } from '@ably/chat';
import * as Ably from 'ably';
import { describe, expect, test, vi } from 'vitest';
import { emulator, FORMATS, realtime, rest } from './helpers.js';
import { signedJwt } from './jwt.js';
import { RawClient } from './raw-client.js';

/** Waits until a client reaches `failed` and returns its error. */
async function failure(client: Ably.Realtime): Promise<Ably.ErrorInfo> {
  await vi.waitFor(() => expect(client.connection.state).toBe('failed'), { timeout: 5000 });
  return client.connection.errorReason;
}

describe.each(FORMATS)('auth over $name', ({ useBinaryProtocol }) => {
  test('a bad key fails the connection with 40101 (ERROR frame, not an HTTP 401)', async () => {
    const e = await emulator();
    const client = await realtime(
      e,
      { key: 'emulator.root:wrong-secret', useBinaryProtocol },
      { waitConnected: false },
    );
    expect((await failure(client)).code).toBe(40101);
  });

  test('signed TokenRequest via authCallback binds the clientId; chat resolves it', async () => {
    const e = await emulator();
    const signer = rest(e, { useBinaryProtocol });
    const client = await realtime(e, {
      key: undefined,
      useBinaryProtocol,
      authCallback: (_params, cb) => {
        signer.auth.createTokenRequest({ clientId: 'tokuser', capability: { '*': ['*'] } }).then(
          (req) => cb(null, req),
          (err: Ably.ErrorInfo) => cb(err, null),
        );
      },
    });
    expect(client.auth.clientId).toBe('tokuser');
    const chat = new ChatClient(client);
    const room = await chat.rooms.get('tok');
    await room.attach();
    await room.presence.enter({ hi: 1 });
    expect((await room.presence.get()).map((m) => m.clientId)).toEqual(['tokuser']);
  });

  test('token clientId vs requested clientId mismatch is refused with 40102', async () => {
    const e = await emulator();
    const token = e.createToken({ clientId: 'alice' });
    const raw = await RawClient.connect(e, {
      key: '',
      access_token: token.token,
      clientId: 'mallory',
      format: useBinaryProtocol ? 'msgpack' : 'json',
    });
    const err = await raw.next((m) => m.action === 9);
    expect(err.error).toMatchObject({ code: 40102, statusCode: 401 });
    expect(await raw.closed()).toBe(1000);
  });

  test('capabilities: attach denied per channel, modes narrowed, presence/publish NACKed 40160', async () => {
    const e = await emulator();
    const token = e.createToken({
      clientId: 'limited',
      capability: { 'open:*': ['subscribe'], 'talk:room': ['subscribe', 'publish', 'presence'] },
    });
    const client = await realtime(e, { key: undefined, token: token.token, useBinaryProtocol });
    const denied = client.channels.get('secret');
    await expect(denied.attach()).rejects.toMatchObject({ code: 40160 });
    expect(denied.state).toBe('failed');

    const open = client.channels.get('open:news');
    await open.attach();
    expect(open.modes?.sort()).toEqual(['presence_subscribe', 'subscribe']);
    await expect(open.presence.enter()).rejects.toMatchObject({ code: 40160 });
    await expect(open.publish('x', 'y')).rejects.toMatchObject({ code: 40160 });

    const talk = client.channels.get('talk:room');
    await talk.presence.enter('here');
    await talk.publish('greeting', 'hello');
    expect(e.channel('talk:room').messageCount).toBe(1);
    // The connection is still fine after the denials.
    expect(client.connection.state).toBe('connected');
  });

  test('an expired token is refused (40142); without a way to renew the client fails', async () => {
    const e = await emulator();
    const token = e.createToken({ clientId: 'late', ttl: 1 });
    await new Promise((r) => setTimeout(r, 5));
    const raw = await RawClient.connect(e, { key: '', access_token: token.token });
    expect((await raw.next((m) => m.action === 9)).error).toMatchObject({ code: 40142 });

    const client = await realtime(
      e,
      { key: undefined, token: token.token, useBinaryProtocol },
      { waitConnected: false },
    );
    expect([40142, 40171]).toContain((await failure(client)).code);
  });

  test('a token expiring while connected is renewed and the connection resumes', async () => {
    const e = await emulator();
    let issued = 0;
    const client = await realtime(e, {
      key: undefined,
      useBinaryProtocol,
      authCallback: (_params, cb) => {
        issued++;
        cb(null, e.createToken({ clientId: 'renewer', ttl: 400 }).token);
      },
    });
    const id = client.connection.id;
    await vi.waitFor(() => expect(issued).toBeGreaterThanOrEqual(2), { timeout: 5000 });
    await vi.waitFor(() => expect(client.connection.state).toBe('connected'));
    expect(client.connection.id).toBe(id);
  });

  test('auth.authorize() while connected sends AUTH and keeps the connection', async () => {
    const e = await emulator();
    const client = await realtime(e, {
      key: undefined,
      useBinaryProtocol,
      authCallback: (_params, cb) => cb(null, e.createToken({ clientId: 'reauth' }).token),
    });
    const id = client.connection.id;
    const details = await client.auth.authorize();
    expect(details.token).toBeTruthy();
    expect(client.connection.id).toBe(id);
    expect(client.connection.state).toBe('connected');
  });

  test('HS256 JWT with kid, clientId and capability claims', async () => {
    const e = await emulator();
    const jwt = e.createJwt({ clientId: 'jwt-user', capability: { 'jwt:*': ['*'] }, ttl: 60_000 });
    const client = await realtime(e, { key: undefined, token: jwt, useBinaryProtocol });
    expect(client.auth.clientId).toBe('jwt-user');
    await client.channels.get('jwt:ok').presence.enter();
    await expect(client.channels.get('other').attach()).rejects.toMatchObject({ code: 40160 });
    const forged = `${jwt.slice(0, jwt.lastIndexOf('.'))}.AAAA`;
    const raw = await RawClient.connect(e, { key: '', access_token: forged });
    expect((await raw.next((m) => m.action === 9)).error).toMatchObject({ code: 40144 });
  });

  test('a JWT with a claim of the wrong type is refused (40144), never widened or narrowed', async () => {
    const e = await emulator();
    const narrow = '{"jwt:*":["subscribe"]}';
    for (const claims of [
      // A signer that forgot JSON.stringify meant "subscribe on jwt:*", not the key's everything.
      { 'x-ably-capability': { 'jwt:*': ['subscribe'] } },
      { 'x-ably-capability': ['jwt:*'] },
      { 'x-ably-capability': 42 },
      { 'x-ably-capability': narrow, 'x-ably-clientId': 42 },
      { 'x-ably-capability': narrow, 'x-ably-clientId': { id: 'alice' } },
      { 'x-ably-capability': narrow, 'x-ably-clientId': '' },
      { 'x-ably-capability': narrow, 'x-ably-clientId': null },
    ]) {
      const what = JSON.stringify(claims);
      const token = signedJwt(e.key, claims);
      const client = await realtime(
        e,
        { key: undefined, token, useBinaryProtocol },
        { waitConnected: false },
      );
      // No means to renew a bare token: ably-js reports 40171 with the server's 40144 behind it.
      expect([40144, 40171], what).toContain((await failure(client)).code);
      const raw = await RawClient.connect(e, { key: '', access_token: token });
      expect((await raw.next((m) => m.action === 9)).error, what).toMatchObject({
        code: 40144,
        statusCode: 401,
      });
      const res = await fetch(`${e.url}/channels/secret`, {
        headers: { authorization: `Bearer ${Buffer.from(token).toString('base64')}` },
      });
      expect([res.status, res.headers.get('x-ably-errorcode')], what).toEqual([401, '40144']);
    }
    expect(e.channel('secret').metrics.connections).toBe(0);
    // The same claims, well typed, work and mean what they say.
    const good = signedJwt(e.key, { 'x-ably-capability': narrow, 'x-ably-clientId': 'alice' });
    const alice = await realtime(e, { key: undefined, token: good, useBinaryProtocol });
    expect(alice.auth.clientId).toBe('alice');
    await alice.channels.get('jwt:ok').attach();
    await expect(alice.channels.get('secret').attach()).rejects.toMatchObject({ code: 40160 });
  });

  test('wildcard token: enterClient for anyone; anonymous token: no presence', async () => {
    const e = await emulator();
    const wild = await realtime(e, {
      key: undefined,
      token: e.createToken({ clientId: '*' }).token,
      useBinaryProtocol,
    });
    await wild.channels.get('w').presence.enterClient('a', 'one');
    await wild.channels.get('w').presence.enterClient('b', 'two');
    expect(
      e
        .channel('w')
        .members.map((m) => m.clientId)
        .sort(),
    ).toEqual(['a', 'b']);

    const anon = await realtime(e, {
      key: undefined,
      token: e.createToken().token,
      useBinaryProtocol,
    });
    await expect(anon.channels.get('w').presence.enterClient('c')).rejects.toMatchObject({
      code: 40012,
    });
  });

  test('REST: requestToken, Basic and Bearer auth, bad mac/timestamp/nonce', async () => {
    const e = await emulator();
    const keyClient = rest(e, { useBinaryProtocol });
    const details = await keyClient.auth.requestToken({ clientId: 'resty', ttl: 60_000 });
    expect(details).toMatchObject({ clientId: 'resty', keyName: 'emulator.root' });
    expect(details.expires - details.issued).toBe(60_000);
    const tokenClient = rest(e, { key: undefined, token: details.token, useBinaryProtocol });
    expect((await tokenClient.channels.get('r').status()).channelId).toBe('r');
    expect((await keyClient.channels.get('r').status()).channelId).toBe('r');

    const req = await keyClient.auth.createTokenRequest({ clientId: 'x' });
    const post = (body: object) =>
      fetch(`${e.url}/keys/emulator.root/requestToken`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const ok = await post(req);
    expect(ok.status).toBe(200);
    const replay = await post(req);
    expect(replay.headers.get('x-ably-errorcode')).toBe('40105');
    const badMac = await post({ ...req, nonce: `${req.nonce}0` });
    expect(badMac.status).toBe(401);
    expect(badMac.headers.get('content-type')).toBe('application/json');
    expect(((await badMac.json()) as { error: { code: number } }).error.code).toBe(40101);
    const stale = await post({ ...req, timestamp: Date.now() - 3_600_000 });
    expect(stale.headers.get('x-ably-errorcode')).toBe('40104');
  });

  test('a capability that mixes "*" with other operations is refused with 400 wherever it is given', async () => {
    const e = await emulator();
    // A string: ably-js's types already refuse ["*", "publish"] in an object.
    const mixed = JSON.stringify({ ch: ['*', 'publish'] });
    const keyClient = rest(e, { useBinaryProtocol });
    const invalid = { code: 40000, statusCode: 400 };
    // requestToken, with the key's Basic auth (ably-js `rest/capability` "Invalid capabilities 2").
    await expect(keyClient.auth.requestToken({ capability: mixed })).rejects.toMatchObject(invalid);
    // A signed TokenRequest, as an authUrl or authCallback hands it over.
    const signed = await keyClient.auth.createTokenRequest({ capability: mixed });
    const tokenless = rest(e, { key: undefined, authCallback: (_, cb) => cb(null, signed) });
    await expect(tokenless.auth.requestToken()).rejects.toMatchObject(invalid);
    // The same operations without the "*" are fine.
    const fine = await keyClient.auth.requestToken({ capability: { ch: ['publish'] } });
    expect(fine.capability).toBe('{"ch":["publish"]}');
    // A JWT carrying it is not a credential (the connection fails, naming the capability).
    const jwt = signedJwt(e.key, { 'x-ably-capability': mixed });
    const raw = await RawClient.connect(e, { key: '', access_token: jwt });
    expect((await raw.next((m) => m.action === 9)).error?.message).toContain('"*"');
  });
});

test('apps are isolated: keys, channels and presence', async () => {
  const e = await emulator();
  const other = e.createApp({ keys: [{}] });
  const a = await realtime(e, { clientId: 'in-default' });
  const b = await realtime(e, { key: other.keys[0]!.keyStr, clientId: 'in-other' });
  await a.channels.get('same').presence.enter();
  await b.channels.get('same').presence.enter();
  expect((await a.channels.get('same').presence.get()).map((m) => m.clientId)).toEqual([
    'in-default',
  ]);
  expect((await b.channels.get('same').presence.get()).map((m) => m.clientId)).toEqual([
    'in-other',
  ]);
  expect(e.channel('same', other.appId).members.map((m) => m.clientId)).toEqual(['in-other']);
  // Deleting the app fails its connections and its keys stop working.
  expect(e.deleteApp(other.appId)).toBe(true);
  await vi.waitFor(() => expect(b.connection.state).toBe('failed'));
  expect(a.connection.state).toBe('connected');
  expect(e.channel('same').metrics.presenceMembers).toBe(1);
});

describe('signed TokenRequests: the token is made of exactly what was signed', () => {
  /** POSTs a TokenRequest body as a client without the key would (no Authorization). */
  const post = (e: Awaited<ReturnType<typeof emulator>>, body: object) =>
    fetch(`${e.url}/keys/emulator.root/requestToken`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const codeOf = async (res: Response) => ({
    status: res.status,
    code: ((await res.json()) as { error?: { code: number } }).error?.code,
  });

  test('a ttl that is not an integer number is refused (40003), whatever the mac covers', async () => {
    const e = await emulator();
    // Signed without a ttl: the mac covers an empty ttl line, which Number([x]) and
    // String([x]) would both turn into something else.
    const req = await rest(e).auth.createTokenRequest({ clientId: 'signed' });
    expect(req.ttl).toBeUndefined();
    for (const ttl of [[86_400_000], ['86400000'], '86400000', true, { valueOf: 1 }, 1.5, '']) {
      expect(await codeOf(await post(e, { ...req, ttl })), JSON.stringify(ttl)).toEqual({
        status: 400,
        code: 40003,
      });
    }
    // A well-formed ttl that was not signed breaks the mac.
    expect(await codeOf(await post(e, { ...req, ttl: 86_400_000 }))).toEqual({
      status: 401,
      code: 40101,
    });
    // The request as signed still works, with the default lifetime.
    const ok = await post(e, req);
    expect(ok.status).toBe(200);
    const details = (await ok.json()) as Ably.TokenDetails;
    expect(details.expires - details.issued).toBe(3_600_000);
  });

  test('a signed ttl is used as signed; ttl and timestamp must be integer numbers', async () => {
    const e = await emulator();
    const signer = rest(e);
    const req = await signer.auth.createTokenRequest({ clientId: 'signed', ttl: 60_000 });
    // The same digits in another type sign the same text, but are not a TokenRequest's ttl.
    for (const ttl of [[60_000], '60000']) {
      expect(await codeOf(await post(e, { ...req, ttl }))).toEqual({ status: 400, code: 40003 });
    }
    for (const timestamp of [[req.timestamp], String(req.timestamp), req.timestamp + 0.5]) {
      expect(await codeOf(await post(e, { ...req, timestamp }))).toEqual({
        status: 400,
        code: 40003,
      });
    }
    const ok = await post(e, req);
    expect(ok.status).toBe(200);
    const details = (await ok.json()) as Ably.TokenDetails;
    expect(details.expires - details.issued).toBe(60_000);
  });
});
