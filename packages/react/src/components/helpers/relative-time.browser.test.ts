import { expect, test } from 'vitest';

import { formatRelativeTime, relativeTimeRefreshMs } from './relative-time';

const now = Date.UTC(2026, 0, 15, 12, 0, 0);

test('says now, seconds, minutes, hours and days ago in English', () => {
  expect(formatRelativeTime(now - 2_000, now, 'en')).toBe('now');
  expect(formatRelativeTime(now + 5_000, now, 'en')).toBe('now');
  expect(formatRelativeTime(now - 30_000, now, 'en')).toBe('30 seconds ago');
  expect(formatRelativeTime(now - 5 * 60_000, now, 'en')).toBe('5 minutes ago');
  expect(formatRelativeTime(now - 3 * 3_600_000, now, 'en')).toBe('3 hours ago');
  expect(formatRelativeTime(now - 26 * 3_600_000, now, 'en')).toBe('yesterday');
  expect(formatRelativeTime(now - 40 * 86_400_000, now, 'en')).toBe('last month');
});

test('follows the locale', () => {
  expect(formatRelativeTime(now - 5 * 60_000, now, 'de')).toBe('vor 5 Minuten');
  expect(formatRelativeTime(now - 26 * 3_600_000, now, 'fr')).toBe('hier');
  expect(formatRelativeTime(now - 2 * 60_000, now, 'ar')).toBe('قبل دقيقتين');
});

test('refreshes often for recent events and rarely for old ones', () => {
  expect(relativeTimeRefreshMs(now - 1_000, now)).toBe(10_000);
  expect(relativeTimeRefreshMs(now - 10 * 60_000, now)).toBe(60_000);
  expect(relativeTimeRefreshMs(now - 5 * 3_600_000, now)).toBe(3_600_000);
});
