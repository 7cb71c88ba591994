import { expect, test } from 'vitest';

import { initials } from './initials';

test('takes the first letters of the first and last word', () => {
  expect(initials('Ada Lovelace')).toBe('AL');
  expect(initials('grace brewster murray hopper')).toBe('GH');
  expect(initials('Cher')).toBe('C');
  expect(initials('  émile   zola ')).toBe('ÉZ');
});

test('keeps whole graphemes', () => {
  expect(initials('🦊 Fox')).toBe('🦊F');
  expect(initials('👩🏽‍💻 Dev')).toBe('👩🏽‍💻D');
  expect(initials('李 小龍')).toBe('李小');
  expect(initials('محمد عبد')).toBe('مع');
});

test('ignores bidi controls and punctuation, falls back to the clientId', () => {
  expect(initials('\u202Eevil\u202C')).toBe('E');
  expect(initials('   ', 'user-42')).toBe('U4');
  expect(initials('', '')).toBe('?');
  expect(initials('<b>')).toBe('B');
});
