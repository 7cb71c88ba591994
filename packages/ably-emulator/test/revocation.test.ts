import { createHmac } from 'node:crypto';
import * as Ably from 'ably';
import { describe, expect, test, vi } from 'vitest';
import type { Emulator } from '../src/index.js';
import { emulator, FORMATS, realtime, rest } from './helpers.js';
import { RawClient } from './raw-client.js';

/** An app with one key that has `revocableTokens` (as `keys[4]` of ably-common's test app). */
function revocableApp(e: Emulator, revocableTokens = true): string {
  return e.createApp({ keys: [{ revocableTokens }] }).keys[0]!.keyStr;
}

/** A REST request with a token (`Bearer base64(token)`, as ably-js sends it). */
function withToken(e: Emulator, token: string, path = '/channels/any'): Promise<Response> {
  return fetch(`${e.url}${path}`, {
    headers: { authorization: `Bearer ${Buffer.from(token).toString('base64')}` },
  });
}

/** An HS256 JWT signed with `key`, with the claims as given (`iat` and `exp` added). */
function jwt(key: string, claims: Record<string, unknown>, ttlSeconds = 600): string {
  const [keyName, secret] = key.split(':') as [string, string];
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const header = part({ typ: 'JWT', alg: 'HS256', kid: keyName });
  const payload = part({ iat: now - 1, exp: now + ttlSeconds, ...claims });
  const sig = createHmac('sha256', secret).update(`${header}.${payload}`).digest('base64url');
  return `${header}.${payload}.${sig}`;
}

describe.each(FORMATS)('token revocation over $name', ({ useBinaryProtocol }) => {
  test('revokeTokens by clientId: live connections get DISCONNECTED 40141, the token is refused, later tokens work', async () => {
    const e = await emulator();
    const key = revocableApp(e);
    const admin = rest(e, { key, useBinaryProtocol });
    const alice = await admin.auth.requestToken({ clientId: 'alice' });
    const bob = await admin.auth.requestToken({ clientId: 'bob' });
    const aliceClient = await realtime(e, { key: undefined, token: alice, useBinaryProtocol });
    const bobClient = await realtime(e, { key: undefined, token: bob, useBinaryProtocol });
    const disconnected = aliceClient.connection.once('disconnected');

    const result = await admin.auth.revokeTokens([
      { type: 'clientId', value: 'alice' },
      { type: 'invalidType', value: 'abc' },
    ]);
    expect(result).toMatchObject({ successCount: 1, failureCount: 1 });
    const [ok, bad] = result.results as [
      Ably.TokenRevocationSuccessResult,
      Ably.TokenRevocationFailureResult,
    ];
    expect(Object.keys(ok).sort()).toEqual(['appliesAt', 'issuedBefore', 'target']);
    expect(ok.target).toBe('clientId:alice');
    expect(typeof ok.issuedBefore).toBe('number');
    expect(ok.appliesAt).toBe(ok.issuedBefore);
    expect(bad.target).toBe('invalidType:abc');
    expect(bad.error).toMatchObject({ code: 40000, statusCode: 400 });

    expect((await disconnected).reason?.code).toBe(40141);
    // The token cannot be renewed (no key, authCallback or authUrl): the client gives up.
    await vi.waitFor(() => expect(aliceClient.connection.state).toBe('failed'), { timeout: 5000 });
    const refused = await withToken(e, alice.token);
    expect(refused.status).toBe(401);
    expect(refused.headers.get('x-ably-errorcode')).toBe('40141');
    const raw = await RawClient.connect(e, { key: '', access_token: alice.token });
    expect((await raw.next((m) => m.action === 9)).error).toMatchObject({ code: 40141 });

    // Other clientIds are untouched, and a token issued after the revocation works.
    expect(bobClient.connection.state).toBe('connected');
    expect((await withToken(e, bob.token)).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 2));
    const fresh = await admin.auth.requestToken({ clientId: 'alice' });
    expect((await withToken(e, fresh.token)).status).toBe(200);
  });

  test('a client that can renew gets a new token and resumes, its presence intact', async () => {
    const e = await emulator();
    const key = revocableApp(e);
    const admin = rest(e, { key, useBinaryProtocol });
    let issued = 0;
    const client = await realtime(e, {
      key: undefined,
      useBinaryProtocol,
      authCallback: (_params, callback) => {
        issued++;
        admin.auth.createTokenRequest({ clientId: 'carol' }).then(
          (request) => callback(null, request),
          (err: Ably.ErrorInfo) => callback(err, null),
        );
      },
    });
    const channel = client.channels.get('room');
    await channel.presence.enter('here');
    const connectionId = client.connection.id;
    const disconnected = client.connection.once('disconnected');
    await admin.auth.revokeTokens([{ type: 'clientId', value: 'carol' }]);
    expect((await disconnected).reason?.code).toBe(40141);
    await client.connection.once('connected');
    expect(issued).toBe(2);
    expect(client.connection.id).toBe(connectionId);
    expect(e.channel('room', key.split('.')[0]).members.map((m) => m.clientId)).toEqual(['carol']);
  });

  test('allowReauthMargin: enforced 30 s later; connections are asked for a new token first', async () => {
    let clock = Date.now();
    const e = await emulator({ now: () => clock });
    const key = revocableApp(e);
    const admin = rest(e, { key, useBinaryProtocol });
    const dave = await admin.auth.requestToken({ clientId: 'dave' });
    let renewals = 0;
    const renewing = await realtime(e, {
      key: undefined,
      useBinaryProtocol,
      authCallback: (_params, callback) => {
        renewals++;
        admin.auth.requestToken({ clientId: 'dave' }).then(
          (details) => callback(null, details),
          (err: Ably.ErrorInfo) => callback(err, null),
        );
      },
    });
    const before = clock;
    clock += 1;
    const result = await admin.auth.revokeTokens([{ type: 'clientId', value: 'dave' }], {
      allowReauthMargin: true,
    });
    const target = result.results[0] as Ably.TokenRevocationSuccessResult;
    expect(target.appliesAt).toBeGreaterThan(before + 30_000);
    // The server's AUTH makes the client fetch a new token and send it (RTN22).
    await vi.waitFor(() => expect(renewals).toBe(2));
    expect(renewing.connection.state).toBe('connected');
    // The old token still works until the margin has passed, then it is refused.
    expect((await withToken(e, dave.token)).status).toBe(200);
    clock += 30_000;
    expect((await withToken(e, dave.token)).headers.get('x-ably-errorcode')).toBe('40141');
  });

  test('revocationKey (JWT claim) and channel (exact capability resource) targets', async () => {
    const e = await emulator();
    const key = revocableApp(e);
    const admin = rest(e, { key, useBinaryProtocol });
    const grouped = jwt(key, { 'x-ably-clientId': 'eve', 'x-ably-revocation-key': 'group-1' });
    const other = jwt(key, { 'x-ably-clientId': 'eve', 'x-ably-revocation-key': 'group-2' });
    const scoped = await admin.auth.requestToken({ capability: { 'foo:*': ['*'] } });
    await admin.auth.revokeTokens([
      { type: 'revocationKey', value: 'group-1' },
      { type: 'channel', value: 'foo:bar' },
    ]);
    expect((await withToken(e, grouped)).headers.get('x-ably-errorcode')).toBe('40141');
    expect((await withToken(e, other)).status).toBe(200);
    // `channel:foo:bar` is not the token's resource `foo:*`, even though it reaches it.
    expect((await withToken(e, scoped.token, '/channels/foo:bar')).status).toBe(200);
    await admin.auth.revokeTokens([{ type: 'channel', value: 'foo:*' }]);
    const refused = await withToken(e, scoped.token, '/channels/foo:bar');
    expect(refused.headers.get('x-ably-errorcode')).toBe('40141');
  });

  test('who may revoke, and what: revocableTokens, the same key, issuedBefore, TTL at most an hour', async () => {
    const e = await emulator();
    const key = revocableApp(e);
    const admin = rest(e, { key, useBinaryProtocol });
    // A key without revocableTokens (Ably's default, and the emulator's default key).
    await expect(
      rest(e, { useBinaryProtocol }).auth.revokeTokens([{ type: 'clientId', value: 'x' }]),
    ).rejects.toMatchObject({ code: 40164, statusCode: 401 });
    // Tokens of a revocable key live at most an hour.
    await expect(admin.auth.requestToken({ ttl: 3_600_001 })).rejects.toMatchObject({
      code: 40003,
    });
    const longJwt = jwt(key, {}, 2 * 3600);
    expect((await withToken(e, longJwt)).headers.get('x-ably-errorcode')).toBe('40003');

    const post = (authorization: string, body: unknown) =>
      fetch(`${e.url}/keys/${key.split(':')[0]}/revokeTokens`, {
        method: 'POST',
        headers: { authorization, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const basic = `Basic ${Buffer.from(key).toString('base64')}`;
    const token = await admin.auth.requestToken();
    const bearer = `Bearer ${Buffer.from(token.token).toString('base64')}`;
    const targets = ['clientId:x'];
    const code = async (res: Promise<Response>) => (await res).headers.get('x-ably-errorcode');
    expect(await code(post(bearer, { targets }))).toBe('40162');
    const otherKey = `Basic ${Buffer.from(e.key).toString('base64')}`;
    expect(await code(post(otherKey, { targets }))).toBe('40133');
    expect(await code(post(basic, { targets: [] }))).toBe('40000');
    expect(await code(post(basic, { targets, issuedBefore: Date.now() + 60_000 }))).toBe('40003');
    expect(await code(post(basic, { targets, issuedBefore: Date.now() - 3_700_000 }))).toBe(
      '40003',
    );
    const ok = await post(basic, { targets, issuedBefore: Date.now() - 60_000 });
    expect(ok.status).toBe(201);
  });
});
