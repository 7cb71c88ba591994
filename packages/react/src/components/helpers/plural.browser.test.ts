import { expect, test } from 'vitest';

import { pluralCategory } from './plural';

test('gives the CLDR plural category of the locale', () => {
  expect(pluralCategory(1, 'en')).toBe('one');
  expect(pluralCategory(2, 'en')).toBe('other');
  expect(pluralCategory(0, 'en')).toBe('other');
  // Polish has "few" and "many"; Arabic has six categories.
  expect(pluralCategory(3, 'pl')).toBe('few');
  expect(pluralCategory(5, 'pl')).toBe('many');
  expect(pluralCategory(0, 'ar')).toBe('zero');
  expect(pluralCategory(2, 'ar')).toBe('two');
  // French treats 0 as singular.
  expect(pluralCategory(0, 'fr')).toBe('one');
});
