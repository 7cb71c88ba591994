// @vitest-environment node
import type * as Ably from 'ably';
import { describe, expect, test } from 'vitest';

import { emulator } from '../../test/server/emulator';
import { createTokenHandler } from './createTokenHandler';
import { readClientId } from './readClientId';

const KEY = 'app.key:not-a-real-secret';

/** A visitor's first token request: the cookie the handler set and the client id it issued. */
async function firstVisit(
  handler: (request: Request) => Promise<Response>,
): Promise<{ cookie: string; clientId: string }> {
  const response = await handler(new Request('http://127.0.0.1/api/ably-token'));
  const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const { clientId } = (await response.json()) as Ably.TokenRequest;
  return { cookie, clientId: clientId ?? '' };
}

describe('readClientId', () => {
  test('returns the client id the token handler issues, from a header, a Request or a cookie store', async () => {
    const e = await emulator();
    const options = { key: e.key, rooms: ['lobby'] };
    const { cookie, clientId } = await firstVisit(createTokenHandler(options));
    expect(clientId).toMatch(/^[A-Za-z0-9_-]{22}$/);

    expect(await readClientId(`a=1; ${cookie}; b=2`, { key: e.key })).toBe(clientId);
    const request = new Request('http://x/', { headers: { cookie } });
    expect(await readClientId(request, { key: e.key })).toBe(clientId);
    // The handler's own options object works as the reader's options.
    expect(await readClientId(request, options)).toBe(clientId);
    // A cookie store like Next.js `cookies()`.
    const [name, value] = cookie.split('=') as [string, string];
    const store = new Map([[name, { name, value }]]);
    expect(await readClientId(store, { key: e.key })).toBe(clientId);
  });

  test('follows a renamed cookie and a secret of the handler', async () => {
    const e = await emulator();
    const options = {
      key: e.key,
      secret: 'another-secret-of-at-least-32-chars',
      rooms: ['lobby'],
      cookie: { name: 'sid' },
    };
    const { cookie, clientId } = await firstVisit(createTokenHandler(options));
    expect(cookie).toMatch(/^sid=/);
    expect(await readClientId(cookie, options)).toBe(clientId);
    expect(await readClientId(cookie, { secret: options.secret, cookie: { name: 'sid' } })).toBe(
      clientId,
    );
    // Without the secret or the cookie name, it is not this visitor.
    expect(await readClientId(cookie, { key: e.key, cookie: { name: 'sid' } })).not.toBe(clientId);
    expect(await readClientId(cookie, { key: e.key })).toBeUndefined();
  });

  test('no cookie, or one the handler did not write, is no visitor', async () => {
    const valid = 'A'.repeat(43);
    expect(await readClientId(`presencekit_visitor=${valid}`, { key: KEY })).toMatch(/^.{22}$/);
    expect(await readClientId(null, { key: KEY })).toBeUndefined();
    expect(await readClientId(undefined, { key: KEY })).toBeUndefined();
    expect(await readClientId('', { key: KEY })).toBeUndefined();
    expect(await readClientId(new Request('http://x/'), { key: KEY })).toBeUndefined();
    expect(await readClientId(`other=${valid}`, { key: KEY })).toBeUndefined();
    expect(await readClientId(new Map(), { key: KEY })).toBeUndefined();
    for (const value of [
      '*',
      '<script>alert(1)</script>',
      'short',
      'x'.repeat(65),
      '1b4e28ba-2fa1-11d2-883f-0016d3cca427',
      `${valid}.tab`,
    ]) {
      expect(await readClientId(`presencekit_visitor=${value}`, { key: KEY }), value).toBe(
        undefined,
      );
    }
  });

  test('needs the key or a valid secret, and never echoes them', async () => {
    const header = `presencekit_visitor=${'A'.repeat(43)}`;
    await expect(readClientId(header, {})).rejects.toMatchObject({
      code: 'invalid_argument',
      message: expect.stringContaining('process.env.ABLY_API_KEY') as unknown,
    });
    await expect(readClientId(header, { key: undefined })).rejects.toMatchObject({
      code: 'invalid_argument',
    });
    const badKey = (await readClientId(header, { key: 'sk_live_SECRETVALUE' }).catch(
      (error: unknown) => error,
    )) as Error;
    expect(badKey).toMatchObject({ code: 'invalid_argument' });
    expect(badKey.message).toMatch(/ABLY_API_KEY/);
    expect(badKey.message).not.toContain('SECRETVALUE');
    const badSecret = (await readClientId(header, { key: KEY, secret: 'TOOSHORTSECRET' }).catch(
      (error: unknown) => error,
    )) as Error;
    expect(badSecret).toMatchObject({ code: 'invalid_argument' });
    expect(badSecret.message).toMatch(/secret must be a string of at least 32/);
    expect(badSecret.message).not.toContain('TOOSHORTSECRET');
  });
});
