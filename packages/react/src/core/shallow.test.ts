import { describe, expect, test } from 'vitest';

import { shallow } from './shallow';

describe('shallow', () => {
  test('compares arrays item by item', () => {
    const a = { id: 1 };
    expect(shallow([a, 'x'], [a, 'x'])).toBe(true);
    expect(shallow([a], [{ id: 1 }])).toBe(false);
    expect(shallow([1, 2], [1, 2, 3])).toBe(false);
  });
  test('compares plain objects key by key', () => {
    expect(shallow({ a: 1, b: 'x' }, { b: 'x', a: 1 })).toBe(true);
    expect(shallow({ a: 1 }, { a: 1, b: undefined })).toBe(false);
    expect(shallow({ a: {} }, { a: {} })).toBe(false);
  });
  test('compares Maps and Sets by entries', () => {
    expect(shallow(new Map([['a', 1]]), new Map([['a', 1]]))).toBe(true);
    expect(shallow(new Map([['a', 1]]), new Map([['a', 2]]))).toBe(false);
    expect(shallow(new Set([1, 2]), new Set([2, 1]))).toBe(true);
    expect(shallow(new Set([1]), new Set([2]))).toBe(false);
  });
  test('uses Object.is for primitives and never equates different kinds', () => {
    expect(shallow(NaN, NaN)).toBe(true);
    expect(shallow(0, -0)).toBe(false);
    expect(shallow([], {})).toBe(false);
    expect(shallow(null, {})).toBe(false);
  });
});
