import { expect, test } from 'vitest';
import { avatarPath, avatarSvg, MAX_AVATAR_SEED_LENGTH } from '../src/rest/routes/avatars.js';
import { emulator } from './helpers.js';

test('GET /avatars/<seed>.svg answers an SVG image without auth, with a restrictive policy', async () => {
  const e = await emulator();
  const res = await fetch(`${e.url}/avatars/ada.svg`, {
    headers: { origin: 'http://localhost:5173' },
  });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('image/svg+xml; charset=utf-8');
  expect(res.headers.get('content-security-policy')).toBe(
    "default-src 'none'; style-src 'unsafe-inline'; sandbox",
  );
  expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  expect(res.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
  expect(res.headers.get('cache-control')).toBe('public, max-age=86400');
  const body = await res.text();
  expect(res.headers.get('content-length')).toBe(String(Buffer.byteLength(body)));
  expect(body).toBe(avatarSvg('ada'));
  expect(body).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="64" height="64"/);
  expect(body).toMatch(/<\/svg>$/);
  // Nothing active or external in it.
  expect(body).not.toMatch(/<script|on\w+=|href=|<image|<foreignObject|<text/i);
});

test('the same seed gives the same image, other seeds other images', async () => {
  const e = await emulator();
  const get = async (seed: string) => (await fetch(`${e.url}${avatarPath(seed)}`)).text();
  const ada = await get('ada');
  expect(await get('ada')).toBe(ada);
  const others = await Promise.all(['grace', 'alan', 'sim-lobby-1', 'sim-lobby-2'].map(get));
  expect(new Set([ada, ...others]).size).toBe(5);
  // Deterministic across processes: the image depends on the seed alone.
  expect(avatarSvg('sim-lobby-1')).toBe(others[2]);
});

test('any seed is hashed, never echoed: hostile seeds give a plain image', async () => {
  const e = await emulator();
  for (const seed of ['<script>alert(1)</script>', '"/><svg onload=alert(1)>', 'ليلى', 'a b?c#d']) {
    expect(avatarPath(seed)).toMatch(/^\/avatars\/[^/?#]+\.svg$/);
    const res = await fetch(`${e.url}${avatarPath(seed)}`);
    expect(res.status).toBe(200);
    const body = await res.text();
    expect(body).toBe(avatarSvg(seed));
    expect(body).not.toContain('alert');
    expect(body).not.toContain('ليلى');
  }
});

test('conditional GET answers 304 for the current ETag; HEAD has headers and no body', async () => {
  const e = await emulator();
  const first = await fetch(`${e.url}/avatars/ada.svg`);
  const etag = first.headers.get('etag');
  expect(etag).toMatch(/^"[\w-]{22}"$/);
  const again = await fetch(`${e.url}/avatars/ada.svg`, { headers: { 'if-none-match': etag! } });
  expect(again.status).toBe(304);
  expect(await again.text()).toBe('');
  const other = await fetch(`${e.url}/avatars/grace.svg`, { headers: { 'if-none-match': etag! } });
  expect(other.status).toBe(200);
  expect(other.headers.get('etag')).not.toBe(etag);

  const head = await fetch(`${e.url}/avatars/ada.svg`, { method: 'HEAD' });
  expect(head.status).toBe(200);
  expect(head.headers.get('content-type')).toBe('image/svg+xml; charset=utf-8');
  expect(head.headers.get('content-length')).toBe(first.headers.get('content-length'));
  expect(await head.text()).toBe('');
});

test('bad avatar requests are Ably errors that say what to do', async () => {
  const e = await emulator();
  const long = await fetch(`${e.url}/avatars/${'x'.repeat(MAX_AVATAR_SEED_LENGTH + 1)}.svg`);
  expect(long.status).toBe(400);
  expect(long.headers.get('x-ably-errorcode')).toBe('40003');
  expect(((await long.json()) as { error: { message: string } }).error.message).toMatch(
    /1 to 128 characters.*\/avatars\/<seed>\.svg/,
  );
  const malformed = await fetch(`${e.url}/avatars/%E0%A4%A.svg`);
  expect(malformed.status).toBe(400);
  expect(malformed.headers.get('x-ably-errorcode')).toBe('40000');
  const png = await fetch(`${e.url}/avatars/ada.png`);
  expect(png.status).toBe(404);
  const post = await fetch(`${e.url}/avatars/ada.svg`, { method: 'POST' });
  expect(post.status).toBe(405);
});
