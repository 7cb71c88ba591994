import WebSocket from 'ws';
import { describe, expect, test } from 'vitest';
import type { Emulator } from '../src/index.js';
import { AccessPolicy } from '../src/transport/access.js';
import { emulator, onCleanup, realtime, rest } from './helpers.js';
import { type Answer, call } from './raw-http.js';

/**
 * Who may drive the emulator: web pages of other sites (Origin) and DNS-rebound names (Host) are
 * refused on HTTP and on WebSocket upgrades; loopback pages and clients without an Origin are not.
 * Raw `http` and `ws` clients, because only they can set Origin and Host.
 */

const EVIL = 'https://evil.example';
/** Origins a page elsewhere can have: other sites, look-alikes of loopback, sandboxed frames. */
const FOREIGN_ORIGINS = [
  EVIL,
  'http://localhost.evil.example:8787',
  'http://127.0.0.1.nip.io',
  'http://192.168.1.20:5173',
  'null',
];
const LOOPBACK_ORIGINS = [
  'http://localhost:5173',
  'http://127.0.0.1:1234',
  'http://[::1]:3000',
  'https://localhost',
];

const basic = (key: string) => `Basic ${Buffer.from(key).toString('base64')}`;

type Upgrade =
  { opened: true; first: { action: number } } | { opened: false; status: number; body: string };

/** A WebSocket handshake with this Origin and Host: the first frame, or the HTTP refusal. */
function upgrade(e: Emulator, headers: { origin?: string; host?: string }): Promise<Upgrade> {
  const query = new URLSearchParams({ key: e.key, format: 'json', v: '6' });
  const ws = new WebSocket(`ws://127.0.0.1:${e.port}/?${query.toString()}`, {
    ...(headers.origin !== undefined ? { origin: headers.origin } : {}),
    ...(headers.host !== undefined ? { headers: { host: headers.host } } : {}),
  });
  onCleanup(() => ws.terminate());
  return new Promise((resolve, reject) => {
    ws.on('error', reject);
    ws.once('message', (data: Buffer) =>
      resolve({ opened: true, first: JSON.parse(data.toString('utf8')) as { action: number } }),
    );
    ws.once('unexpected-response', (_req, res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ opened: false, status: res.statusCode ?? 0, body: text }));
    });
  });
}

/** A 40300 refusal: Ably error body and headers, and nothing a browser would let a page read. */
function expectForbidden(answer: Answer, mentions: string): void {
  expect(answer.status, answer.body).toBe(403);
  expect(answer.headers['x-ably-errorcode']).toBe('40300');
  expect(answer.headers['content-type']).toBe('application/json');
  expect(answer.headers['access-control-allow-origin']).toBeUndefined();
  expect(answer.headers['access-control-allow-credentials']).toBeUndefined();
  const { error } = JSON.parse(answer.body) as { error: Record<string, unknown> };
  expect(error).toMatchObject({ code: 40300, statusCode: 403 });
  expect(error.message).toContain(mentions);
}

const SPEC = JSON.stringify({ keys: [{}] });

describe('a page on another site', () => {
  test('cannot create an app: POST /apps as JSON or as text/plain (no preflight) is refused', async () => {
    const e = await emulator();
    const before = e.apps.size;
    for (const origin of FOREIGN_ORIGINS) {
      for (const type of ['application/json', 'text/plain;charset=UTF-8']) {
        const answer = await call(e, 'POST', '/apps', { origin, 'content-type': type }, SPEC);
        expectForbidden(answer, 'Origin');
        expect(answer.body).not.toContain('keySecret');
      }
    }
    expect(e.apps.size).toBe(before);
  });

  test('cannot read presence with the default key, nor pass a CORS preflight', async () => {
    const e = await emulator();
    const alice = await realtime(e, { clientId: 'alice' });
    await alice.channels.get('private-room').presence.enter({ secret: 'here' });
    const authorization = basic(e.key);
    for (const origin of FOREIGN_ORIGINS) {
      const read = await call(e, 'GET', '/channels/private-room/presence?envelope=json', {
        origin,
        authorization,
      });
      expectForbidden(read, 'Origin');
      expect(read.body).not.toContain('alice');
      const preflight = await call(e, 'OPTIONS', '/channels/private-room/presence', {
        origin,
        'access-control-request-method': 'GET',
        'access-control-request-headers': 'authorization',
      });
      expectForbidden(preflight, 'Origin');
      const publish = await call(
        e,
        'POST',
        '/channels/private-room/messages',
        { origin, authorization, 'content-type': 'text/plain' },
        JSON.stringify({ name: 'spoof', data: 'x' }),
      );
      expectForbidden(publish, 'Origin');
    }
    expect(e.channel('private-room').messageCount).toBe(0);
  });

  test('cannot open a WebSocket: HTTP 403 before the socket opens, no connection made', async () => {
    const e = await emulator();
    for (const origin of FOREIGN_ORIGINS) {
      const answer = await upgrade(e, { origin });
      expect(answer.opened, origin).toBe(false);
      if (answer.opened) continue;
      expect(answer.status).toBe(403);
      expect(JSON.parse(answer.body)).toMatchObject({ error: { code: 40300, statusCode: 403 } });
    }
    expect(e.connectionCount).toBe(0);
  });
});

describe('a foreign Host (DNS rebinding: attacker.example resolving to 127.0.0.1)', () => {
  const FOREIGN_HOSTS = [
    'attacker.example:8787',
    'attacker.example',
    'localhost.attacker.example',
    '127.0.0.1.nip.io:8787',
    'localhost.:8787',
    'alice@127.0.0.1',
  ];

  test('is refused on HTTP, Origin or not', async () => {
    const e = await emulator();
    const alice = await realtime(e, { clientId: 'alice' });
    await alice.channels.get('private-room').presence.enter();
    for (const host of FOREIGN_HOSTS) {
      // Same-origin GETs of a rebound page carry no Origin at all.
      const read = await call(e, 'GET', '/channels/private-room/presence', {
        host,
        authorization: basic(e.key),
      });
      expectForbidden(read, 'Host');
      expect(read.body).not.toContain('clientId');
      expectForbidden(
        await call(e, 'POST', '/apps', { host, 'content-type': 'application/json' }, SPEC),
        'Host',
      );
      expectForbidden(await call(e, 'GET', '/time', { host, origin: `http://${host}` }), 'Host');
    }
  });

  test('is refused on the WebSocket upgrade', async () => {
    const e = await emulator();
    for (const host of FOREIGN_HOSTS) {
      const answer = await upgrade(e, { host, origin: `http://${host}` });
      expect(answer.opened, host).toBe(false);
      if (!answer.opened) expect(answer.status).toBe(403);
      const noOrigin = await upgrade(e, { host });
      expect(noOrigin.opened, host).toBe(false);
    }
    expect(e.connectionCount).toBe(0);
  });
});

describe('loopback pages and clients without an Origin', () => {
  test('the SDK in Node (no Origin) connects, enters presence and reads it over REST', async () => {
    const e = await emulator();
    const alice = await realtime(e, { clientId: 'alice' });
    await alice.channels.get('room').presence.enter('hi');
    const members = await rest(e).channels.get('room').presence.get();
    expect(members.items.map((m) => m.clientId)).toEqual(['alice']);
    const app = await call(e, 'POST', '/apps', { 'content-type': 'application/json' }, SPEC);
    expect(app.status).toBe(201);
  });

  test('loopback origins, on loopback Hosts: REST with CORS, preflights, WebSockets, POST /apps', async () => {
    const e = await emulator();
    const alice = await realtime(e, { clientId: 'alice' });
    await alice.channels.get('room').presence.enter('hi');
    const hosts = [`127.0.0.1:${e.port}`, `localhost:${e.port}`, `[::1]:${e.port}`, '127.0.0.2'];
    for (const [i, origin] of LOOPBACK_ORIGINS.entries()) {
      const host = hosts[i % hosts.length]!;
      const preflight = await call(e, 'OPTIONS', '/channels/room/presence', {
        host,
        origin,
        'access-control-request-method': 'GET',
        'access-control-request-headers': 'authorization',
      });
      expect(preflight.status).toBe(204);
      expect(preflight.headers['access-control-allow-origin']).toBe(origin);

      const read = await call(e, 'GET', '/channels/room/presence', {
        host,
        origin,
        accept: 'application/json',
        authorization: basic(e.key),
      });
      expect(read.status, read.body).toBe(200);
      expect(read.headers['access-control-allow-origin']).toBe(origin);
      expect((JSON.parse(read.body) as { clientId: string }[]).map((m) => m.clientId)).toEqual([
        'alice',
      ]);

      const ws = await upgrade(e, { origin, host });
      expect(ws.opened, origin).toBe(true);
      if (ws.opened) expect(ws.first.action).toBe(4); // CONNECTED

      const app = await call(
        e,
        'POST',
        '/apps',
        { host, origin, 'content-type': 'application/json' },
        SPEC,
      );
      expect(app.status, app.body).toBe(201);
      expect(app.headers['access-control-allow-origin']).toBe(origin);
    }
  });
});

describe('allowedOrigins', () => {
  test('opens exactly the origins it lists, and their hosts', async () => {
    const lan = 'http://192.168.1.20:5173';
    const e = await emulator({ allowedOrigins: [`${lan}/`] });
    expect(e.options.allowedOrigins).toEqual([lan]);
    const ok = await call(e, 'GET', '/time', { origin: lan });
    expect(ok.status).toBe(200);
    expect(ok.headers['access-control-allow-origin']).toBe(lan);
    // Reached by the LAN address (the page's host) rather than 127.0.0.1.
    expect(
      (await call(e, 'GET', '/time', { origin: lan, host: `192.168.1.20:${e.port}` })).status,
    ).toBe(200);
    expect(await upgrade(e, { origin: lan, host: `192.168.1.20:${e.port}` })).toMatchObject({
      opened: true,
    });
    for (const near of [
      'http://192.168.1.20:5174',
      'https://192.168.1.20:5173',
      'http://192.168.1.21:5173',
      EVIL,
    ]) {
      expectForbidden(await call(e, 'GET', '/time', { origin: near }), 'Origin');
      expect(await upgrade(e, { origin: near })).toMatchObject({ opened: false, status: 403 });
    }
    expectForbidden(await call(e, 'GET', '/time', { host: `192.168.1.21:${e.port}` }), 'Host');
    // Loopback pages keep working.
    expect((await call(e, 'GET', '/time', { origin: 'http://localhost:5173' })).status).toBe(200);
  });

  test("'*' admits every origin and every Host", async () => {
    const e = await emulator({ allowedOrigins: ['*'] });
    const answer = await call(e, 'GET', '/time', { origin: EVIL, host: 'attacker.example:8787' });
    expect(answer.status).toBe(200);
    expect(answer.headers['access-control-allow-origin']).toBe(EVIL);
    expect(await upgrade(e, { origin: EVIL, host: 'attacker.example' })).toMatchObject({
      opened: true,
    });
  });
});

describe('AccessPolicy: the Host names an emulator answers to, by what it binds', () => {
  const allowed = (policy: AccessPolicy, host: string) => policy.check({ host }) === undefined;

  test('bound to loopback: loopback names and addresses only', () => {
    const policy = new AccessPolicy([], ['127.0.0.1']);
    for (const host of [
      'localhost:1',
      'LOCALHOST',
      '127.0.0.1:8787',
      '127.9.9.9',
      '127.1',
      '[::1]:8787',
      '[::ffff:127.0.0.1]',
    ])
      expect(allowed(policy, host), host).toBe(true);
    for (const host of [
      '192.168.1.20:8787',
      '[fe80::1]',
      'devbox.lan',
      'localhost.',
      '0x7f000001.example',
      '',
    ])
      expect(allowed(policy, host), host).toBe(false);
    // A request without Host (HTTP/1.0) comes from no browser, but names nothing either.
    expect(policy.check({})).toMatchObject({ code: 40300 });
  });

  test('bound to an address or a name: that one too', () => {
    expect(allowed(new AccessPolicy([], ['192.168.1.20']), '192.168.1.20:8787')).toBe(true);
    expect(allowed(new AccessPolicy([], ['192.168.1.20']), '192.168.1.21:8787')).toBe(false);
    expect(allowed(new AccessPolicy([], ['DevBox.lan', '192.168.1.20']), 'devbox.lan:8787')).toBe(
      true,
    );
    expect(allowed(new AccessPolicy([], ['fe80::1']), '[fe80::1]:8787')).toBe(true);
  });

  test('bound to every interface: any IP address (it cannot be rebound), still no other names', () => {
    for (const bound of ['0.0.0.0', '::']) {
      const policy = new AccessPolicy([], [bound]);
      expect(allowed(policy, '10.1.2.3:8787')).toBe(true);
      expect(allowed(policy, '[fe80::1]:8787')).toBe(true);
      expect(allowed(policy, 'devbox.lan:8787')).toBe(false);
      expect(
        allowed(new AccessPolicy(['http://devbox.lan:5173'], [bound]), 'devbox.lan:8787'),
      ).toBe(true);
    }
  });
});
