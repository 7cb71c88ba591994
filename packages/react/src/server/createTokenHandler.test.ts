// @vitest-environment node
import { ChatClient } from '@ably/chat';
import * as Ably from 'ably';
import { afterEach, describe, expect, test, vi } from 'vitest';

import { emulator, realtime } from '../../test/server/emulator';
import { CLIENT_ID_COOKIE } from './client-id-cookie';
import { createTokenHandler } from './createTokenHandler';

afterEach(() => {
  vi.restoreAllMocks();
});

function get(url = 'http://127.0.0.1/api/ably-token', cookie?: string): Request {
  return new Request(url, cookie ? { headers: { cookie } } : {});
}

describe('createTokenHandler', () => {
  test('issues a token request for a new cookie client id, limited to the rooms', async () => {
    const e = await emulator();
    const handler = createTokenHandler({ key: e.key, rooms: ['lobby'] });

    const response = await handler(get());
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.headers.get('cache-control')).toContain('no-store');
    const setCookie = response.headers.get('set-cookie') ?? '';
    const clientId = /presencekit_client_id=([^;]+)/.exec(setCookie)?.[1];
    expect(clientId).toMatch(/^[0-9a-f-]{36}$/);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Lax/);
    expect(setCookie).not.toMatch(/Secure/);

    const text = await response.text();
    const secret = e.key.split(':')[1] ?? '';
    expect(secret.length).toBeGreaterThan(0);
    expect(text).not.toContain(secret);
    const tokenRequest = JSON.parse(text) as Ably.TokenRequest;
    expect(tokenRequest).toMatchObject({ keyName: e.key.split(':')[0], clientId });
    expect(JSON.parse(tokenRequest.capability)).toEqual({
      'lobby::$chat': ['channel-metadata', 'history', 'presence', 'subscribe'],
    });

    // The same visitor comes back: same id, no new cookie.
    const again = await handler(get(undefined, `${CLIENT_ID_COOKIE}=${clientId}`));
    expect(again.headers.get('set-cookie')).toBeNull();
    expect(((await again.json()) as Ably.TokenRequest).clientId).toBe(clientId);
  });

  test('the real SDK connects with it, enters the room, and is refused other rooms', async () => {
    const e = await emulator();
    const handler = createTokenHandler({ key: e.key, rooms: ['lobby'] });
    let cookie = '';
    // What a browser does with authUrl: fetch the token request (sending the cookie) and hand it
    // to ably, which exchanges it at the emulator's requestToken endpoint.
    const authCallback: Ably.ClientOptions['authCallback'] = (_params, callback) => {
      void handler(get(undefined, cookie)).then(
        async (response) => {
          cookie ||= (response.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
          callback(null, (await response.json()) as Ably.TokenRequest);
        },
        (error: Error) => callback(error.message, null),
      );
    };
    const client = await realtime(e, { key: undefined, authCallback });
    const clientId = cookie.split('=')[1];
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

  test('rooms and clientId can depend on the request; https gets a Secure cookie', async () => {
    const e = await emulator();
    const handler = createTokenHandler({
      key: e.key,
      rooms: (request) => [new URL(request.url).searchParams.get('room') ?? 'lobby'],
      clientId: (_request, { cookieClientId }) => `member-${cookieClientId.slice(0, 8)}`,
    });
    const response = await handler(get('https://example.test/token?room=stage'));
    expect(response.headers.get('set-cookie')).toMatch(/; Secure$/);
    const cookieId = /=([^;]+)/.exec(response.headers.get('set-cookie') ?? '')?.[1] ?? '';
    const tokenRequest = (await response.json()) as Ably.TokenRequest;
    expect(tokenRequest.clientId).toBe(`member-${cookieId.slice(0, 8)}`);
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
});
