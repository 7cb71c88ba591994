import msgpack from '@ably/msgpack-js';
import { expect, test } from 'vitest';
import { emulator, realtime } from './helpers.js';

/**
 * The HTTP surface of the new REST routes as a browser (or curl) sees it, with raw `fetch`:
 * envelope, CORS, Link headers, error bodies and headers.
 */

const ORIGIN = 'http://localhost:5173';
const basic = (key: string) => `Basic ${Buffer.from(key).toString('base64')}`;

interface Envelope<T> {
  statusCode: number;
  response: T;
  headers: Record<string, string>;
}

test('CORS preflight allows the new methods and echoes the requested headers', async () => {
  const e = await emulator();
  for (const [path, method] of [
    ['/channels/news/messages', 'POST'],
    ['/apps', 'POST'],
    ['/apps/some-app', 'DELETE'],
    ['/presence', 'GET'],
  ] as const) {
    const res = await fetch(`${e.url}${path}`, {
      method: 'OPTIONS',
      headers: {
        origin: ORIGIN,
        'access-control-request-method': method,
        'access-control-request-headers': 'authorization,content-type,x-ably-version,ably-agent',
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    expect(res.headers.get('access-control-allow-credentials')).toBe('true');
    expect(res.headers.get('access-control-allow-methods')).toContain(method);
    expect(res.headers.get('access-control-allow-headers')).toBe(
      'authorization,content-type,x-ably-version,ably-agent',
    );
  }
});

test('envelope: publish and history wrapped in HTTP 200 with the real status and Link inside', async () => {
  const e = await emulator();
  const headers = { origin: ORIGIN, authorization: basic(e.key) };
  const publish = await fetch(`${e.url}/channels/env%3Aroom/messages?envelope=json&rnd=42`, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json' },
    body: JSON.stringify([
      { name: 'a', data: 'one' },
      { name: 'b', data: 'two' },
      { name: 'c', data: 'three' },
    ]),
  });
  expect(publish.status).toBe(200);
  expect(publish.headers.get('access-control-allow-origin')).toBe(ORIGIN);
  const published = (await publish.json()) as Envelope<{
    channel: string;
    messageId: string;
    serials: string[];
  }>;
  expect(published.statusCode).toBe(201);
  expect(published.response.channel).toBe('env:room');
  expect(published.response.serials).toHaveLength(3);
  expect(published.response.messageId).toMatch(/^[\w-]+$/);

  const history = await fetch(
    `${e.url}/channels/env%3Aroom/messages?limit=2&direction=forwards&envelope=json&rnd=43`,
    { headers },
  );
  expect(history.status).toBe(200);
  const page = (await history.json()) as Envelope<{ name: string; id: string }[]>;
  expect(page.statusCode).toBe(200);
  expect(page.response.map((m) => m.name)).toEqual(['a', 'b']);
  expect(page.response[0]!.id).toBe(`${published.response.messageId}:0`);
  const link = page.headers['link']!;
  expect(link).toMatch(/<\.\/messages\?limit=2&direction=forwards&cursor=\d+>; rel="next"/);
  expect(link).toContain('rel="first"');
  expect(link).toContain('rel="current"');
  expect(link).not.toMatch(/envelope|rnd/);

  // The msgpack envelope is msgpack all the way.
  const packed = await fetch(
    `${e.url}/channels/env%3Aroom/presence/history?envelope=msgpack&rnd=44`,
    { headers },
  );
  expect(packed.headers.get('content-type')).toBe('application/x-msgpack');
  const unpacked = msgpack.decode(Buffer.from(await packed.arrayBuffer())) as Envelope<unknown[]>;
  expect(unpacked).toMatchObject({ statusCode: 200, response: [] });
});

test('Link header without envelope: relative, full query state, percent-encoded', async () => {
  const e = await emulator();
  const service = await realtime(e, { clientId: 'a b,c+d' });
  const ch = service.channels.get('links');
  await ch.presence.enter('1');
  await ch.presence.update('2');
  await ch.presence.update('3');
  const res = await fetch(
    `${e.url}/channels/links/presence/history?limit=1&clientId=${encodeURIComponent('a b,c+d')}&start=0`,
    { headers: { origin: ORIGIN, authorization: basic(e.key) } },
  );
  expect(res.status).toBe(200);
  expect(res.headers.get('access-control-expose-headers')).toContain('link');
  const link = res.headers.get('link')!;
  const next = /<([^>]+)>; rel="next"/.exec(link)![1]!;
  expect(next).toMatch(/^\.\/history\?/);
  expect(next).toContain('clientId=a%20b%2Cc%2Bd');
  expect(next).toContain('start=0');
  expect(next).toContain('limit=1');
  expect(next).toContain('direction=backwards');
  // Following the link (as ably-js does: same path, the link's query) gives the next item.
  const second = await fetch(`${e.url}/channels/links/presence/history?${next.split('?')[1]}`, {
    headers: { authorization: basic(e.key) },
  });
  const [first] = (await res.json()) as { data: string }[];
  const [following] = (await second.json()) as { data: string }[];
  expect([first!.data, following!.data]).toEqual(['3', '2']);
});

test('errors: Ably body, exact content-type, x-ably headers (also for msgpack callers)', async () => {
  const e = await emulator();
  const token = e.createToken({ capability: { '*': ['subscribe'] } });
  const bearer = `Bearer ${Buffer.from(token.token).toString('base64')}`;
  // Channel y has history, so its cursor is checked.
  const seed = await fetch(`${e.url}/channels/y/messages`, {
    method: 'POST',
    headers: { authorization: basic(e.key), 'content-type': 'application/json' },
    body: '{"name":"seed"}',
  });
  expect(seed.status).toBe(201);
  const cases: [string, RequestInit, number, number][] = [
    ['/channels/x/messages', { headers: { authorization: bearer } }, 401, 40160],
    [
      '/channels/x/messages',
      {
        method: 'POST',
        headers: { authorization: bearer, 'content-type': 'application/json' },
        body: '{"name":"x"}',
      },
      401,
      40160,
    ],
    [
      '/channels/x/messages',
      {
        method: 'POST',
        headers: { authorization: basic(e.key), 'content-type': 'application/json' },
        body: '{"name": ',
      },
      400,
      40000,
    ],
    [
      '/channels/x/messages',
      {
        method: 'POST',
        headers: { authorization: basic(e.key), 'content-type': 'application/json' },
        body: '[]',
      },
      400,
      40000,
    ],
    [
      '/channels/x/messages',
      {
        method: 'POST',
        headers: { authorization: basic(e.key), 'content-type': 'application/json' },
        body: '{"name": 5}',
      },
      400,
      40000,
    ],
    [
      '/channels/x/messages',
      { method: 'PUT', headers: { authorization: basic(e.key) } },
      405,
      40500,
    ],
    ['/channels/y/messages?cursor=nope', { headers: { authorization: basic(e.key) } }, 400, 40003],
    ['/presence', { headers: { authorization: basic(e.key) } }, 400, 40000],
    ['/presence?channels=a', {}, 401, 40101],
  ];
  for (const [path, init, status, code] of cases) {
    const res = await fetch(`${e.url}${path}`, {
      ...init,
      headers: { accept: 'application/x-msgpack', ...(init.headers as Record<string, string>) },
    });
    expect([path, res.status]).toEqual([path, status]);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(res.headers.get('x-ably-errorcode')).toBe(String(code));
    expect(res.headers.get('x-ably-errormessage')).toMatch(/\w+/);
    const body = (await res.json()) as { error: Record<string, unknown> };
    expect(body.error).toMatchObject({
      code,
      statusCode: status,
      href: expect.any(String) as unknown,
    });
    expect(String(body.error['message']).length).toBeGreaterThan(10);
  }
  // Nothing was published by the refused requests.
  expect(e.channel('x').messageCount).toBe(0);
});

test('msgpack publish bodies and responses', async () => {
  const e = await emulator();
  const res = await fetch(`${e.url}/channels/bin/messages`, {
    method: 'POST',
    headers: {
      authorization: basic(e.key),
      accept: 'application/x-msgpack',
      'content-type': 'application/x-msgpack',
    },
    body: Uint8Array.from(msgpack.encode({ name: 'raw', data: Buffer.from([0, 255]) })),
  });
  expect(res.status).toBe(201);
  expect(res.headers.get('content-type')).toBe('application/x-msgpack');
  const answer = msgpack.decode(Buffer.from(await res.arrayBuffer())) as { serials: string[] };
  expect(answer.serials).toHaveLength(1);
  // A JSON reader of the same history gets the bytes as base64.
  const history = await fetch(`${e.url}/channels/bin/messages`, {
    headers: { authorization: basic(e.key) },
  });
  expect(await history.json()).toEqual([
    expect.objectContaining({ name: 'raw', data: 'AP8=', encoding: 'base64' }),
  ]);
});
