import msgpack from '@ably/msgpack-js';
import { describe, expect, test } from 'vitest';
import { emulator, FORMATS, realtime, rest } from './helpers.js';

const basic = (key: string) => `Basic ${Buffer.from(key).toString('base64')}`;

describe.each(FORMATS)('REST over $name', ({ useBinaryProtocol }) => {
  test('time()', async () => {
    const e = await emulator();
    const t = await rest(e, { useBinaryProtocol }).time();
    expect(Math.abs(t - Date.now())).toBeLessThan(5_000);
  });

  test('presence get: filters and Link pagination across pages', async () => {
    const e = await emulator();
    const service = await realtime(e, { useBinaryProtocol });
    const ch = service.channels.get('pages');
    for (let i = 0; i < 5; i++) await ch.presence.enterClient(`m${i}`, { i });
    const client = rest(e, { useBinaryProtocol });
    const restCh = client.channels.get('pages');

    const first = await restCh.presence.get({ limit: 2 });
    expect(first.items.map((m) => m.clientId)).toEqual(['m0', 'm1']);
    expect(first.items[0]).toMatchObject({ action: 'present', data: { i: 0 } });
    expect(first.hasNext()).toBe(true);
    const second = (await first.next())!;
    expect(second.items.map((m) => m.clientId)).toEqual(['m2', 'm3']);
    const third = (await second.next())!;
    expect(third.items.map((m) => m.clientId)).toEqual(['m4']);
    expect(third.hasNext()).toBe(false);
    expect(third.isLast()).toBe(true);
    expect((await third.first()).items.map((m) => m.clientId)).toEqual(['m0', 'm1']);

    const byClient = await restCh.presence.get({ clientId: 'm3' });
    expect(byClient.items.map((m) => m.clientId)).toEqual(['m3']);
    const byConnection = await restCh.presence.get({ connectionId: service.connection.id! });
    expect(byConnection.items).toHaveLength(5);
    expect((await restCh.presence.get({ connectionId: 'nobody' })).items).toEqual([]);
  });

  test('request() errors carry Ably codes; 40160 without channel-metadata', async () => {
    const e = await emulator();
    const limited = e.createToken({ capability: { '*': ['subscribe'] } });
    const client = rest(e, { key: undefined, token: limited.token, useBinaryProtocol });
    await expect(client.channels.get('x').status()).rejects.toMatchObject({
      code: 40160,
      statusCode: 401,
    });
    const res = await rest(e, { useBinaryProtocol }).request('get', '/nope', 6);
    expect(res.statusCode).toBe(404);
    expect(res.errorCode).toBe(40400);
  });
});

test('error responses: JSON body, exact content-type, x-ably headers', async () => {
  const e = await emulator();
  const res = await fetch(`${e.url}/channels/x`, {
    headers: { accept: 'application/x-msgpack', authorization: basic('emulator.root:bad') },
  });
  expect(res.status).toBe(401);
  expect(res.headers.get('content-type')).toBe('application/json');
  expect(res.headers.get('x-ably-errorcode')).toBe('40101');
  expect(res.headers.get('x-ably-errormessage')).toMatch(/Invalid key/);
  expect(await res.json()).toMatchObject({ error: { code: 40101, statusCode: 401 } });
});

test('accept decides the body format', async () => {
  const e = await emulator();
  const asMsgpack = await fetch(`${e.url}/chat/v4/rooms/r/occupancy`, {
    headers: { accept: 'application/x-msgpack', authorization: basic(e.key) },
  });
  expect(asMsgpack.headers.get('content-type')).toBe('application/x-msgpack');
  expect(msgpack.decode(Buffer.from(await asMsgpack.arrayBuffer()))).toEqual({
    connections: 0,
    presenceMembers: 0,
  });
  const asJson = await fetch(`${e.url}/chat/v4/rooms/r/occupancy`, {
    headers: { accept: 'application/json', authorization: basic(e.key) },
  });
  expect(asJson.headers.get('content-type')).toBe('application/json');
  expect(await asJson.json()).toEqual({ connections: 0, presenceMembers: 0 });
});

test('browser paths: CORS reflects the Origin with credentials; envelope wraps status and link', async () => {
  const e = await emulator();
  const origin = 'http://localhost:5173';
  const preflight = await fetch(`${e.url}/channels/x/presence`, {
    method: 'OPTIONS',
    headers: {
      origin,
      'access-control-request-method': 'GET',
      'access-control-request-headers': 'authorization,x-ably-version',
    },
  });
  expect(preflight.status).toBe(204);
  expect(preflight.headers.get('access-control-allow-origin')).toBe(origin);
  expect(preflight.headers.get('access-control-allow-credentials')).toBe('true');
  expect(preflight.headers.get('access-control-allow-headers')).toBe(
    'authorization,x-ably-version',
  );

  const service = await realtime(e);
  for (const id of ['a', 'b', 'c']) await service.channels.get('env').presence.enterClient(id);
  const res = await fetch(`${e.url}/channels/env/presence?limit=2&envelope=json&rnd=123`, {
    headers: { origin, authorization: basic(e.key) },
  });
  expect(res.status).toBe(200);
  expect(res.headers.get('access-control-allow-origin')).toBe(origin);
  expect(res.headers.get('access-control-expose-headers')).toContain('x-ably-errorcode');
  const body = (await res.json()) as {
    statusCode: number;
    response: { clientId: string }[];
    headers: { link: string };
  };
  expect(body.statusCode).toBe(200);
  expect(body.response.map((m) => m.clientId)).toEqual(['a', 'b']);
  expect(body.headers.link).toContain('<./presence?limit=2&cursor=2>; rel="next"');
  expect(body.headers.link).not.toContain('envelope');

  const err = await fetch(`${e.url}/channels/env?envelope=json`, { headers: { origin } });
  expect(err.status).toBe(200);
  expect(await err.json()).toMatchObject({
    statusCode: 401,
    response: { error: { code: 40101 } },
    headers: { 'x-ably-errorcode': '40101' },
  });
});

test('Link values are percent-encoded (no raw commas or plus signs)', async () => {
  const e = await emulator();
  const service = await realtime(e);
  await service.channels.get('enc').presence.enterClient('a b,c+d');
  await service.channels.get('enc').presence.enterClient('other');
  const res = await fetch(
    `${e.url}/channels/enc/presence?limit=1&clientId=${encodeURIComponent('a b,c+d')}`,
    {
      headers: { authorization: basic(e.key) },
    },
  );
  const link = res.headers.get('link')!;
  expect(link).toContain('clientId=a%20b%2Cc%2Bd');
  expect(await res.json()).toEqual([expect.objectContaining({ clientId: 'a b,c+d', action: 1 })]);
});
