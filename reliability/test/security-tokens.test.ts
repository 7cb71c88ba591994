import { createHmac } from 'node:crypto';

import type { Emulator } from '@presencekit/ably-emulator';
import * as Ably from 'ably';
import { describe, expect, test, vi } from 'vitest';
import WebSocket from 'ws';

import { onCleanup } from '../harness/cleanup';
import { emulator } from '../harness/in-process-emulator';
import { closeRealtime } from '@presencekit/test-utils';

/**
 * Expired credentials are refused everywhere, with the token-expired code (40142, HTTP 401) that
 * makes the SDKs renew, and an expired token never keeps a member present. A signed TokenRequest
 * gets a token made of exactly what its mac covers, and a JWT's claims mean what Ably documents
 * or the JWT is refused.
 */

const CHANNEL = 'tokens:room';

/** Waits until `expires` (ms since the epoch) is in the past. */
async function expiry(expires: number): Promise<void> {
  await vi.waitFor(() => expect(Date.now()).toBeGreaterThan(expires + 5), { timeout: 5_000 });
}

/** An expired opaque token and an expired JWT. */
async function expiredCredentials(e: Emulator): Promise<{ name: string; token: string }[]> {
  const opaque = e.createToken({ clientId: 'late', ttl: 1 });
  const jwt = e.createJwt({ clientId: 'late', ttl: 1 });
  await expiry(opaque.expires);
  // JWT expiry has one-second resolution (`exp` is in seconds).
  await expiry(Date.now() + 1_000);
  return [
    { name: 'opaque token', token: opaque.token },
    { name: 'JWT', token: jwt },
  ];
}

describe('expired credentials', () => {
  test('REST refuses them with 40142 / 401 on every route', async () => {
    const e = await emulator();
    for (const { name, token } of await expiredCredentials(e)) {
      const bearer = `Bearer ${Buffer.from(token).toString('base64')}`;
      for (const [method, path] of [
        ['GET', `/channels/${CHANNEL}`],
        ['GET', `/channels/${CHANNEL}/presence`],
        ['GET', `/channels/${CHANNEL}/presence/history`],
        ['GET', `/channels/${CHANNEL}/messages`],
        ['POST', `/channels/${CHANNEL}/messages`],
        ['GET', `/presence?channels=${CHANNEL}`],
        ['GET', '/chat/v4/rooms/tokens/occupancy'],
        ['GET', '/chat/v4/rooms/tokens/messages'],
        ['POST', '/chat/v4/rooms/tokens/messages'],
        ['POST', '/chat/v4/rooms/tokens/messages/any-serial/reactions'],
      ] as const) {
        const res = await fetch(`${e.url}${path}`, {
          method,
          headers: { authorization: bearer, 'content-type': 'application/json' },
          ...(method === 'POST' ? { body: '{"name":"n","data":"d"}' } : {}),
        });
        const what = `${name} ${method} ${path}`;
        expect(res.status, what).toBe(401);
        expect(res.headers.get('x-ably-errorcode'), what).toBe('40142');
        expect(((await res.json()) as { error: { code: number } }).error.code, what).toBe(40142);
      }
    }
    expect(e.channel(CHANNEL).messageCount).toBe(0);
  });

  test('realtime refuses them at connect with an ERROR frame carrying 40142', async () => {
    const e = await emulator();
    for (const { name, token } of await expiredCredentials(e)) {
      const ws = new WebSocket(`ws://${e.host}:${e.port}/?access_token=${token}&format=json&v=6`);
      onCleanup(() => ws.terminate());
      const first = await new Promise<{ action: number; error?: { code: number } }>((resolve) =>
        ws.once('message', (data: Buffer) => resolve(JSON.parse(data.toString()) as never)),
      );
      expect(first, name).toMatchObject({ action: 9, error: { code: 40142, statusCode: 401 } });
    }
  });

  test('the SDKs renew through authCallback and carry on', async () => {
    const e = await emulator();
    let calls = 0;
    const authCallback: Ably.AuthOptions['authCallback'] = (_params, cb) => {
      calls++;
      // A renewal loop (see below) fails fast instead of spinning until the test times out.
      if (calls > 5) return cb('too many renewals', null);
      // The first token handed out is already expired.
      cb(null, e.createToken({ clientId: 'renewer', ttl: calls === 1 ? 1 : 60_000 }));
    };
    // REST: with the server time known (`time()`) and TokenDetails (not a bare string), ably-js
    // sees the expiry and renews before sending. (Otherwise it learns from a 40142 and, in
    // ably-js 2.28, retries with the stale header forever: ably/ably-js#2193.)
    const restClient = new Ably.Rest(
      e.clientOptions({ key: undefined, authCallback, logLevel: 0 }),
    );
    await restClient.time();
    await restClient.auth.authorize();
    await expiry(Date.now() + 5);
    await restClient.channels.get(CHANNEL).publish('after renewal', 'ok');
    expect(calls).toBe(2);
    expect(e.channel(CHANNEL).messageCount).toBe(1);

    // Realtime: the server refuses the expired token at connect; the client renews and connects.
    calls = 0;
    const rt = new Ably.Realtime(e.clientOptions({ key: undefined, authCallback, logLevel: 0 }));
    onCleanup(() => closeRealtime(rt));
    await rt.connection.once('connected');
    expect(calls).toBe(2);
    await rt.channels.get(CHANNEL).presence.enter('renewed');
    expect(e.channel(CHANNEL).members.map((m) => m.clientId)).toEqual(['renewer']);
  });

  test('a member whose token expires and cannot be renewed leaves the presence set', async () => {
    const e = await emulator();
    let renew = true;
    const client = new Ably.Realtime(
      e.clientOptions({
        key: undefined,
        logLevel: 0,
        authCallback: (_params, cb) =>
          renew
            ? cb(null, e.createToken({ clientId: 'expiring', ttl: 1_500 }).token)
            : cb('renewal refused', null),
      }),
    );
    onCleanup(() => closeRealtime(client));
    await client.connection.once('connected');
    await client.channels.get(CHANNEL).presence.enter('here for now');
    expect(e.channel(CHANNEL).members).toHaveLength(1);
    renew = false;
    // The server disconnects at expiry (40142); with no new token nothing resumes.
    await vi.waitFor(() => expect(e.channel(CHANNEL).members).toEqual([]), { timeout: 10_000 });
    expect(client.connection.state).not.toBe('connected');
    expect(client.connection.errorReason?.statusCode).toBe(401);
  });
});

describe('signed TokenRequests', () => {
  /** Redeems a TokenRequest as a browser would: no Authorization, the mac is the proof. */
  async function redeem(e: Emulator, body: object) {
    const keyName = e.key.slice(0, e.key.indexOf(':'));
    const res = await fetch(`${e.url}/keys/${encodeURIComponent(keyName)}/requestToken`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const json = (await res.json()) as Partial<Ably.TokenDetails> & { error?: { code: number } };
    return { status: res.status, code: json.error?.code, details: json };
  }

  test('nothing can be added or retyped after signing: ttl and timestamp are integers', async () => {
    const e = await emulator();
    const signer = new Ably.Rest(e.clientOptions({ logLevel: 0 }));
    // Signed for the default lifetime (no ttl): whoever holds the request must not stretch it.
    // `[86400000]` once passed the mac (it reads as an empty ttl) and made a 24-hour token.
    const req = await signer.auth.createTokenRequest({ clientId: 'visitor' });
    const refused = async (change: object) => {
      const { status, code } = await redeem(e, { ...req, ...change });
      return { status, code };
    };
    for (const ttl of [[86_400_000], '86400000', true]) {
      expect(await refused({ ttl }), JSON.stringify(ttl)).toEqual({ status: 400, code: 40003 });
    }
    expect(await refused({ ttl: 86_400_000 })).toEqual({ status: 401, code: 40101 });
    for (const timestamp of [[req.timestamp], String(req.timestamp)]) {
      expect(await refused({ timestamp })).toEqual({ status: 400, code: 40003 });
    }
    expect(await refused({ clientId: 'someone-else' })).toEqual({ status: 401, code: 40101 });
    expect(await refused({ clientId: ['visitor'] })).toEqual({ status: 400, code: 40012 });
    expect(await refused({ capability: '{"*":["*"]}' })).toEqual({ status: 401, code: 40101 });
    // Untouched, it is redeemed once, for the hour it was signed for.
    const { status, details } = await redeem(e, req);
    expect(status).toBe(200);
    expect(details.expires! - details.issued!).toBe(3_600_000);
    expect(details.clientId).toBe('visitor');
    expect(await refused({})).toEqual({ status: 401, code: 40105 });
  });
});

describe('JWT claims', () => {
  /** An HS256 JWT as any JWT library would sign it with the key, claims exactly as given. */
  function jwt(e: Emulator, claims: Record<string, unknown>): string {
    const colon = e.key.indexOf(':');
    const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const now = Math.floor(Date.now() / 1000);
    const head = `${part({ typ: 'JWT', alg: 'HS256', kid: e.key.slice(0, colon) })}.${part({ iat: now, exp: now + 600, ...claims })}`;
    const sig = createHmac('sha256', e.key.slice(colon + 1))
      .update(head)
      .digest('base64url');
    return `${head}.${sig}`;
  }

  test('a claim of the wrong type is refused (40144), never read as "no restriction"', async () => {
    const e = await emulator();
    const meant = { [CHANNEL]: ['subscribe'] };
    for (const claims of [
      // The signer forgot JSON.stringify: this once got the key's full capability.
      { 'x-ably-capability': meant },
      { 'x-ably-capability': JSON.stringify(meant), 'x-ably-clientId': 7 },
      { 'x-ably-capability': JSON.stringify(meant), 'x-ably-clientId': '' },
    ]) {
      const res = await fetch(`${e.url}/channels/${CHANNEL}/messages`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${Buffer.from(jwt(e, claims)).toString('base64')}`,
          'content-type': 'application/json',
        },
        body: '{"name":"n","data":"d"}',
      });
      const what = JSON.stringify(claims);
      expect(res.status, what).toBe(401);
      expect(res.headers.get('x-ably-errorcode'), what).toBe('40144');
    }
    expect(e.channel(CHANNEL).messageCount).toBe(0);
    // Well typed, the same capability is exactly what it says: subscribe, no publish.
    const client = new Ably.Rest(
      e.clientOptions({
        key: undefined,
        token: jwt(e, { 'x-ably-capability': JSON.stringify(meant) }),
        logLevel: 0,
      }),
    );
    await expect(client.channels.get(CHANNEL).publish('n', 'd')).rejects.toMatchObject({
      code: 40160,
    });
  });
});
