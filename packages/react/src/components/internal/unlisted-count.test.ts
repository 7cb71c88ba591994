import { expect, test } from 'vitest';

import { unlistedCount } from './unlisted-count';

const person = (connectionCount: number, leftAt?: number) => ({ connectionCount, leftAt });

test('total minus the connections of the present entries, never negative', () => {
  // A room past the presence limit: 200 listed, 20,000 watching.
  const listed = Array.from({ length: 200 }, () => person(1));
  expect(unlistedCount(20_000, listed)).toBe(19_800);
  // One person on two tabs is two connections of the total.
  expect(unlistedCount(8, [person(2), person(1), person(1)])).toBe(4);
  // Someone kept after leaving stands for nobody.
  expect(unlistedCount(3, [person(1), person(1, 1_000)])).toBe(2);
  // Occupancy behind presence: nobody unlisted rather than a negative count.
  expect(unlistedCount(1, [person(1), person(1)])).toBe(0);
  expect(unlistedCount(undefined, [person(1)])).toBe(0);
});
