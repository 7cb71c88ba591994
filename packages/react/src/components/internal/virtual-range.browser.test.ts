import { expect, test } from 'vitest';

import { virtualRange } from './virtual-range';

test('renders the visible rows plus overscan', () => {
  expect(
    virtualRange({
      count: 10_000,
      rowHeight: 40,
      viewportHeight: 400,
      scrollOffset: 0,
      overscan: 3,
    }),
  ).toEqual({ start: 0, end: 13, offset: 0, totalHeight: 400_000 });
  expect(
    virtualRange({
      count: 10_000,
      rowHeight: 40,
      viewportHeight: 400,
      scrollOffset: 4_020,
      overscan: 3,
    }),
  ).toEqual({ start: 97, end: 114, offset: 3_880, totalHeight: 400_000 });
});

test('stays the same size wherever the viewport is', () => {
  for (const scroll of [0, 1234, 50_000, 399_600]) {
    const r = virtualRange({
      count: 10_000,
      rowHeight: 40,
      viewportHeight: 400,
      scrollOffset: scroll,
      overscan: 4,
    });
    expect(r.end - r.start).toBeLessThanOrEqual(10 + 1 + 8);
  }
});

test('clamps a scroll position beyond the end (the list shrank under churn)', () => {
  const r = virtualRange({
    count: 20,
    rowHeight: 40,
    viewportHeight: 400,
    scrollOffset: 99_999,
    overscan: 2,
  });
  expect(r.end).toBe(20);
  expect(r.start).toBe(8);
});

test('handles empty lists and odd inputs', () => {
  expect(
    virtualRange({ count: 0, rowHeight: 40, viewportHeight: 400, scrollOffset: 0, overscan: 3 }),
  ).toEqual({
    start: 0,
    end: 0,
    offset: 0,
    totalHeight: 0,
  });
  const r = virtualRange({
    count: 5,
    rowHeight: 0,
    viewportHeight: -1,
    scrollOffset: -50,
    overscan: 1,
  });
  expect(r.start).toBe(0);
  expect(r.end).toBeLessThanOrEqual(5);
});
