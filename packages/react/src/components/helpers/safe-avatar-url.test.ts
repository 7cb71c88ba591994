// @vitest-environment node
// Node's URL parser: the one server rendering uses, so server and browser must refuse alike
// (safe-avatar-url.browser.test.ts runs the same tables through Chromium's).
import { describe, expect, test } from 'vitest';

import { PRIVATE_AVATAR_ORIGINS, PUBLIC_AVATAR_URLS } from '../../../test/fixtures/avatar-urls';
import { avatarUrlShape, resolveAvatarUrl, safeAvatarUrl } from './safe-avatar-url';

describe('safeAvatarUrl: private addresses', () => {
  test.each(PRIVATE_AVATAR_ORIGINS)('refuses %s', (origin) => {
    expect(safeAvatarUrl(`${origin}/a.png`)).toBeUndefined();
    expect(safeAvatarUrl(`${origin}`)).toBeUndefined();
  });

  test.each(PUBLIC_AVATAR_URLS)('accepts %s as %s', (url, normalised) => {
    expect(safeAvatarUrl(url)).toBe(normalised);
  });

  test('raster data URLs have no host and stay accepted', () => {
    expect(safeAvatarUrl('data:image/png;base64,iVBORw0KGgo=')).toBe(
      'data:image/png;base64,iVBORw0KGgo=',
    );
  });
});

describe('resolveAvatarUrl', () => {
  const member = { clientId: 'eve', data: { avatar: 'x' } };

  test('the default is safeAvatarUrl', () => {
    expect(resolveAvatarUrl('http://0x7f.1/a.png', member)).toBeUndefined();
    expect(resolveAvatarUrl('https://cdn.example.com/a.png', member)).toBe(
      'https://cdn.example.com/a.png',
    );
  });

  test('asks the resolver only about acceptable shapes, normalised, with the member', () => {
    const asked: [string, unknown][] = [];
    const resolve = (url: string, who: typeof member) => {
      asked.push([url, who]);
      return url;
    };
    for (const url of ['javascript:alert(1)', '/me.png', 'data:image/svg+xml,<svg/>', 42]) {
      expect(resolveAvatarUrl(url, member, resolve)).toBeUndefined();
    }
    expect(asked).toEqual([]);
    // The resolver replaces the private-address rule: the app may allow its own dev server.
    expect(resolveAvatarUrl('HTTP://0x7f.1:8787/A.svg', member, resolve)).toBe(
      'http://127.0.0.1:8787/A.svg',
    );
    expect(asked).toEqual([['http://127.0.0.1:8787/A.svg', member]]);
  });

  test('what the resolver returns must again be http(s) or a raster data URL', () => {
    const via = (result: unknown) =>
      resolveAvatarUrl('https://cdn.example.com/a.png', member, () => result as string);
    expect(via('https://app.example/avatar?u=x')).toBe('https://app.example/avatar?u=x');
    expect(via('http://localhost:3000/avatar')).toBe('http://localhost:3000/avatar');
    expect(via('data:image/webp;base64,UklGR')).toBe('data:image/webp;base64,UklGR');
    for (const bad of [
      'javascript:alert(1)',
      'JAVASCRIPT:alert(1)',
      ' javascript:alert(1)',
      'java\tscript:alert(1)',
      'data:image/svg+xml,<svg onload=alert(1)>',
      'data:text/html,<script>alert(1)</script>',
      '/avatar?u=x',
      '//app.example/avatar',
      'https://user:pass@app.example/a.png',
      'file:///etc/passwd',
      '',
      undefined,
      null,
      42,
      { toString: () => 'https://app.example/a.png' },
    ]) {
      expect(via(bad)).toBeUndefined();
    }
  });

  test('avatarUrlShape is the shape rule alone', () => {
    expect(avatarUrlShape('http://169.254.169.254/latest/meta-data')).toBe(
      'http://169.254.169.254/latest/meta-data',
    );
    expect(avatarUrlShape('javascript:alert(1)')).toBeUndefined();
  });
});
