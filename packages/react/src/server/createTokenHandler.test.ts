// @vitest-environment node
import { ChatClient } from '@ably/chat';
import * as Ably from 'ably';
import { afterEach, describe, expect, test, vi } from 'vitest';

import { emulator, realtime } from '../../test/server/emulator';
import { createTokenHandler, type TokenHandlerOptions } from './createTokenHandler';
import { readClientId } from './readClientId';
import { VISITOR_COOKIE } from './visitor-id';

afterEach(() => {
  vi.restoreAllMocks();
});

const TOKEN_URL = 'http://127.0.0.1/api/ably-token';

function get(url = TOKEN_URL, cookie?: string): Request {
  return new Request(url, cookie ? { headers: { cookie } } : {});
}

/** The value of the cookie a response sets, if any. */
function setCookieValue(response: Response): string | undefined {
  return /^presencekit_visitor=([^;]*)/.exec(response.headers.get('set-cookie') ?? '')?.[1];
}

async function tokenClientId(response: Response): Promise<string | undefined> {
  return ((await response.json()) as Ably.TokenRequest).clientId;
}

/**
 * A browser as `authUrl` makes one: it fetches token requests from the handler with its cookie
 * jar and `authParams` as query parameters, and hands them to ably, which exchanges them at the
 * emulator.
 */
function browserAuth(
  handler: (request: Request) => Promise<Response>,
  params: Record<string, string> = {},
) {
  let cookie = '';
  const authCallback: Ably.ClientOptions['authCallback'] = (_tokenParams, callback) => {
    const url = new URL(TOKEN_URL);
    for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
    void handler(get(url.href, cookie)).then(
      async (response) => {
        const value = setCookieValue(response);
        if (value !== undefined) cookie = `${VISITOR_COOKIE}=${value}`;
        callback(null, (await response.json()) as Ably.TokenRequest);
      },
      (error: Error) => callback(error.message, null),
    );
  };
  return { authCallback, cookie: () => cookie };
}

/** The examples' one-visitor-per-tab scheme (examples/vite-app/server/demo-api.ts). */
const perTab: TokenHandlerOptions['clientId'] = (request, { visitorClientId }) => {
  const tab = new URL(request.url).searchParams.get('tab') ?? '';
  return /^[a-z0-9]{1,12}$/.test(tab) ? `${visitorClientId}.${tab}` : visitorClientId;
};

describe('createTokenHandler', () => {
  test('issues a token request for a new visitor, limited to the rooms', async () => {
    const e = await emulator();
    const handler = createTokenHandler({ key: e.key, rooms: ['lobby'] });

    const response = await handler(get());
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.headers.get('cache-control')).toContain('no-store');
    const setCookie = response.headers.get('set-cookie') ?? '';
    const visitorCookie = setCookieValue(response) ?? '';
    expect(visitorCookie).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Lax/);
    expect(setCookie).not.toMatch(/Secure/);

    const text = await response.text();
    const secret = e.key.split(':')[1] ?? '';
    expect(secret.length).toBeGreaterThan(0);
    expect(text).not.toContain(secret);
    // The token is for the id derived from the cookie; the cookie itself never leaves.
    expect(text).not.toContain(visitorCookie);
    const tokenRequest = JSON.parse(text) as Ably.TokenRequest;
    expect(tokenRequest).toMatchObject({ keyName: e.key.split(':')[0] });
    expect(tokenRequest.clientId).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(tokenRequest.clientId).toBe(
      await readClientId(`${VISITOR_COOKIE}=${visitorCookie}`, { key: e.key }),
    );
    expect(JSON.parse(tokenRequest.capability)).toEqual({
      'lobby::$chat': ['channel-metadata', 'history', 'presence', 'subscribe'],
    });
  });

  test('the real SDK connects with it, enters the room, and is refused other rooms', async () => {
    const e = await emulator();
    const handler = createTokenHandler({ key: e.key, rooms: ['lobby'] });
    const browser = browserAuth(handler);
    const client = await realtime(e, { key: undefined, authCallback: browser.authCallback });
    const clientId = await readClientId(browser.cookie(), { key: e.key });
    expect(clientId).toBeDefined();
    expect(client.auth.clientId).toBe(clientId);

    const chat = new ChatClient(client);
    const lobby = await chat.rooms.get('lobby');
    await lobby.attach();
    await lobby.presence.enter({ name: 'Visitor' });
    await vi.waitFor(() =>
      expect(e.channel('lobby::$chat').members.map((m) => m.clientId)).toEqual([clientId]),
    );
    expect(await lobby.occupancy.get()).toEqual({ connections: 1, presenceMembers: 1 });

    const stage = await chat.rooms.get('stage');
    await expect(stage.attach()).rejects.toMatchObject({ code: 40160 });
  });

  test('a returning visitor keeps their client id, through token renewals too', async () => {
    const e = await emulator();
    const handler = createTokenHandler({ key: e.key, rooms: ['lobby'] });
    const first = await handler(get());
    const cookie = `${VISITOR_COOKIE}=${setCookieValue(first)}`;
    const clientId = await tokenClientId(first);
    for (let visit = 0; visit < 3; visit++) {
      const again = await handler(get(undefined, `theme=dark; ${cookie}`));
      expect(again.headers.get('set-cookie')).toBeNull();
      expect(await tokenClientId(again)).toBe(clientId);
    }
    // Another handler with the same key (another server instance) agrees.
    const other = createTokenHandler({ key: e.key, rooms: ['stage'] });
    expect(await tokenClientId(await other(get(undefined, cookie)))).toBe(clientId);

    // The SDK renews its token through the handler: same cookie, same client id.
    const browser = browserAuth(handler);
    const client = await realtime(e, { key: undefined, authCallback: browser.authCallback });
    const connectedAs = client.auth.clientId;
    const cookieBefore = browser.cookie();
    await client.auth.authorize();
    expect(client.auth.clientId).toBe(connectedAs);
    expect(browser.cookie()).toBe(cookieBefore);
  });

  test('a forged or garbled cookie gets a fresh identity, never the one it names', async () => {
    const e = await emulator();
    const handler = createTokenHandler({ key: e.key, rooms: ['lobby'] });
    const first = await handler(get());
    const visitorCookie = setCookieValue(first) ?? '';
    const visitorClientId = (await tokenClientId(first)) ?? '';

    const seen = new Set([visitorClientId]);
    for (const forged of [
      '*',
      '<script>alert(1)</script>',
      'short',
      'x'.repeat(65),
      crypto.randomUUID(), // what the handler wrote before client ids were derived
      visitorClientId, // the public id, as seen in presence
      `${visitorCookie}x`,
      visitorCookie.slice(1),
      `${visitorCookie.slice(0, 42)}.`,
    ]) {
      const response = await handler(get(undefined, `${VISITOR_COOKIE}=${forged}`));
      const fresh = setCookieValue(response);
      expect(fresh, forged).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(fresh).not.toBe(forged);
      const clientId = (await tokenClientId(response)) ?? '';
      expect(seen.has(clientId), forged).toBe(false);
      seen.add(clientId);
      expect(await readClientId(`${VISITOR_COOKIE}=${fresh}`, { key: e.key })).toBe(clientId);
    }
  });

  // The attack: client ids are public (every member of a room sees them), so an attacker who
  // could turn one into a cookie or a `?tab=` would get tokens as that visitor.
  describe.each([
    { scheme: 'one client id per visitor', clientId: undefined, victimParams: {} },
    { scheme: 'one client id per tab (?tab=)', clientId: perTab, victimParams: { tab: 'victim1' } },
  ] as { scheme: string; clientId?: typeof perTab; victimParams: Record<string, string> }[])(
    'with $scheme',
    ({ clientId, victimParams }) => {
      test('a visitor who knows another visitor’s client id cannot get a token for it', async () => {
        const e = await emulator();
        const handler = createTokenHandler({ key: e.key, rooms: ['lobby'], clientId });

        // The victim connects through the handler and enters the room.
        const victim = browserAuth(handler, victimParams);
        const victimClient = await realtime(e, {
          key: undefined,
          authCallback: victim.authCallback,
        });
        const victimRoom = await new ChatClient(victimClient).rooms.get('lobby');
        await victimRoom.attach();
        await victimRoom.presence.enter({ name: 'Victim' });

        // The attacker is a visitor too, and reads the victim's client id from presence.
        const attacker = browserAuth(handler);
        const attackerClient = await realtime(e, {
          key: undefined,
          authCallback: attacker.authCallback,
        });
        const attackerRoom = await new ChatClient(attackerClient).rooms.get('lobby');
        await attackerRoom.attach();
        let victimId = '';
        await vi.waitFor(async () => {
          const members = await attackerRoom.presence.get();
          victimId =
            members.find((m) => m.clientId !== attackerClient.auth.clientId)?.clientId ?? '';
          expect(victimId).not.toBe('');
        });
        expect(victimId).toBe(victimClient.auth.clientId);

        // Every cookie value and tab the public id suggests, with and without the attacker's own
        // cookie alongside.
        const parts = victimId.split('.');
        const values = new Set([victimId, ...parts, parts.slice(0, -1).join('.')]);
        const tabs = new Set([undefined, ...parts, victimId]);
        for (const value of values) {
          for (const tab of tabs) {
            for (const jar of ['', `${attacker.cookie()}; `]) {
              const url = new URL(TOKEN_URL);
              if (tab !== undefined) url.searchParams.set('tab', tab);
              const response = await handler(get(url.href, `${jar}${VISITOR_COOKIE}=${value}`));
              expect(response.status).toBe(200);
              const issued = await tokenClientId(response);
              expect(issued, `cookie "${value}", tab "${tab}"`).not.toBe(victimId);
            }
          }
        }
      });
    },
  );

  test('rooms and clientId can depend on the request; https gets a Secure cookie', async () => {
    const e = await emulator();
    const handler = createTokenHandler({
      key: e.key,
      rooms: (request) => [new URL(request.url).searchParams.get('room') ?? 'lobby'],
      clientId: (_request, { visitorClientId }) => `member-${visitorClientId}`,
    });
    const response = await handler(get('https://example.test/token?room=stage'));
    expect(response.headers.get('set-cookie')).toMatch(/; Secure$/);
    const cookie = `${VISITOR_COOKIE}=${setCookieValue(response)}`;
    const tokenRequest = (await response.json()) as Ably.TokenRequest;
    expect(tokenRequest.clientId).toBe(`member-${await readClientId(cookie, { key: e.key })}`);
    expect(Object.keys(JSON.parse(tokenRequest.capability) as object)).toEqual(['stage::$chat']);

    const post = await handler(new Request('http://127.0.0.1/token', { method: 'POST' }));
    expect(post.status).toBe(200);
    const put = await handler(new Request('http://127.0.0.1/token', { method: 'PUT' }));
    expect(put.status).toBe(405);
    expect(put.headers.get('allow')).toBe('GET, POST');
  });

  test('a missing key answers 500 with a code and a fix, and logs it', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    const handler = createTokenHandler({ key: undefined, rooms: ['lobby'] });
    const response = await handler(get());
    expect(response.status).toBe(500);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('invalid_argument');
    expect(body.error.message).toContain('ABLY_API_KEY');
    expect(logged).toHaveBeenCalledOnce();
    expect(response.headers.get('set-cookie')).toBeNull();
  });

  test('a bad clientId or rooms callback answers 500 instead of issuing a token', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const e = await emulator();
    const wildcard = createTokenHandler({ key: e.key, rooms: ['lobby'], clientId: () => '*' });
    expect((await wildcard(get())).status).toBe(500);
    const noRooms = createTokenHandler({ key: e.key, rooms: () => [] });
    const body = (await (await noRooms(get())).json()) as { error: { message: string } };
    expect(body.error.message).toMatch(/no rooms/);
  });

  test('misconfiguration at creation throws invalid_argument without echoing the key', () => {
    const attempt = () => createTokenHandler({ key: 'sk_live_SECRETVALUE', rooms: ['lobby'] });
    expect(attempt).toThrow(expect.objectContaining({ code: 'invalid_argument' }));
    expect(attempt).toThrow(/ABLY_API_KEY/);
    expect(attempt).not.toThrow(/SECRETVALUE/);
    expect(() => createTokenHandler({ key: 'app.key:secret', rooms: [''] })).toThrow(/room name/);
    expect(() => createTokenHandler({ key: 'app.key:secret', rooms: ['lobby'], ttlMs: 5 })).toThrow(
      /ttlMs/,
    );
    expect(() =>
      createTokenHandler({ key: 'app.key:secret', rooms: ['lobby'], cookie: { name: 'a b' } }),
    ).toThrow(/cookie.name/);
  });

  test('client ids follow the secret: the key’s by default, or one of your own across keys', async () => {
    const e = await emulator();
    const secret = 'a-secret-of-at-least-32-characters!';
    const rotatedKey = `${e.key.split(':')[0]}:another-secret`;
    const first = await createTokenHandler({ key: e.key, rooms: ['lobby'] })(get());
    const cookie = `${VISITOR_COOKIE}=${setCookieValue(first)}`;
    const byKey = await tokenClientId(first);

    // Rotating the key without a secret of your own gives every visitor a new client id.
    const rotated = createTokenHandler({ key: rotatedKey, rooms: ['lobby'] });
    const afterRotation = await tokenClientId(await rotated(get(undefined, cookie)));
    expect(afterRotation).not.toBe(byKey);
    expect(afterRotation).toBe(await readClientId(cookie, { key: rotatedKey }));

    // With a secret, the key no longer matters, and the reader agrees when given the secret.
    const bySecret = await tokenClientId(
      await createTokenHandler({ key: e.key, secret, rooms: ['lobby'] })(get(undefined, cookie)),
    );
    const bySecretRotated = await tokenClientId(
      await createTokenHandler({ key: rotatedKey, secret, rooms: ['lobby'] })(
        get(undefined, cookie),
      ),
    );
    expect(bySecret).not.toBe(byKey);
    expect(bySecretRotated).toBe(bySecret);
    expect(await readClientId(cookie, { key: e.key, secret })).toBe(bySecret);
    expect(await readClientId(cookie, { secret })).toBe(bySecret);
  });

  test('a secret that is not a string of 32+ characters throws, without echoing it', () => {
    for (const secret of ['TOOSHORTSECRET', '', 42, null, { value: 'x'.repeat(40) }]) {
      const attempt = () =>
        createTokenHandler({
          key: 'app.key:secret',
          rooms: ['lobby'],
          secret: secret as unknown as string,
        });
      expect(attempt).toThrow(expect.objectContaining({ code: 'invalid_argument' }));
      expect(attempt).toThrow(/secret must be a string of at least 32 .*openssl rand/);
      expect(attempt).not.toThrow(/TOOSHORTSECRET/);
    }
    // Even without a key (a build without the variable), a bad secret is a wiring mistake.
    expect(() => createTokenHandler({ key: undefined, secret: 'short', rooms: ['lobby'] })).toThrow(
      /secret/,
    );
    expect(() =>
      createTokenHandler({ key: 'app.key:secret', secret: 'x'.repeat(32), rooms: ['lobby'] }),
    ).not.toThrow();
  });
});
