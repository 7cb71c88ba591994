import { expect, test } from 'vitest';

import { PRIVATE_AVATAR_ORIGINS, PUBLIC_AVATAR_URLS } from '../../../test/fixtures/avatar-urls';
import { MAX_AVATAR_URL_LENGTH, safeAvatarUrl } from './safe-avatar-url';

test('accepts absolute http(s) URLs and raster data URLs', () => {
  expect(safeAvatarUrl('https://cdn.example.com/a.png')).toBe('https://cdn.example.com/a.png');
  expect(safeAvatarUrl('http://127.0.0.1:8080/a b.png')).toBeUndefined();
  expect(safeAvatarUrl('HTTPS://EXAMPLE.com/x')).toBe('https://example.com/x');
  expect(safeAvatarUrl('data:image/png;base64,iVBORw0KGgo=')).toBe(
    'data:image/png;base64,iVBORw0KGgo=',
  );
  expect(safeAvatarUrl('data:image/webp;base64,UklGR')).toBeDefined();
  expect(safeAvatarUrl('DATA:IMAGE/JPEG;base64,/9j/')).toBeDefined();
});

test.each([
  'javascript:alert(1)',
  'JaVaScRiPt:alert(1)',
  ' javascript:alert(1)',
  'java\tscript:alert(1)',
  'java\nscript:alert(1)',
  'vbscript:msgbox(1)',
  'data:image/svg+xml,<svg onload=alert(1)>',
  'data:image/svg+xml;base64,PHN2Zz4=',
  'data:text/html,<script>alert(1)</script>',
  'data:,hello',
  'file:///etc/passwd',
  'blob:https://example.com/uuid',
  'ftp://example.com/a.png',
  '/relative.png',
  '//example.com/a.png',
  'https://user:secret@example.com/a.png',
  '',
])('refuses %j', (url) => {
  expect(safeAvatarUrl(url)).toBeUndefined();
});

test('refuses non-strings and oversized URLs', () => {
  expect(safeAvatarUrl(undefined)).toBeUndefined();
  expect(safeAvatarUrl(42)).toBeUndefined();
  expect(safeAvatarUrl({ toString: () => 'https://example.com/a.png' })).toBeUndefined();
  expect(safeAvatarUrl(['https://example.com/a.png'])).toBeUndefined();
  const huge = `data:image/png;base64,${'A'.repeat(MAX_AVATAR_URL_LENGTH)}`;
  expect(safeAvatarUrl(huge)).toBeUndefined();
});

// Chromium's URL parser, the one viewers' browsers use (safe-avatar-url.test.ts runs Node's).
test.each(PRIVATE_AVATAR_ORIGINS)('refuses the private host %s', (origin) => {
  expect(safeAvatarUrl(`${origin}/a.png`)).toBeUndefined();
});

test.each(PUBLIC_AVATAR_URLS)('accepts the public %s as %s', (url, normalised) => {
  expect(safeAvatarUrl(url)).toBe(normalised);
});
