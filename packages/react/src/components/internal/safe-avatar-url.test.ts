// @vitest-environment node
// Node's URL parser: the one server rendering uses, so server and browser must refuse alike
// (safe-avatar-url.browser.test.ts runs the same tables through Chromium's).
import { describe, expect, test } from 'vitest';

import { PRIVATE_AVATAR_ORIGINS, PUBLIC_AVATAR_URLS } from '../../../test/fixtures/avatar-urls';
import { avatarUrlShape, safeAvatarUrl } from './safe-avatar-url';

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

test('avatarUrlShape is the shape rule alone', () => {
  expect(avatarUrlShape('http://169.254.169.254/latest/meta-data')).toBe(
    'http://169.254.169.254/latest/meta-data',
  );
  expect(avatarUrlShape('javascript:alert(1)')).toBeUndefined();
});
