import { describe, expect, test } from 'vitest';

import { formatCount, toCount } from './format-count';

describe('formatCount', () => {
  test('shows small numbers as they are and large ones compact, with the exact number alongside', () => {
    expect(formatCount(7, { locale: 'en' })).toEqual({ text: '7', exact: '7', capped: false });
    expect(formatCount(999, { locale: 'en' })).toEqual({
      text: '999',
      exact: '999',
      capped: false,
    });
    expect(formatCount(1234, { locale: 'en' })).toEqual({
      text: '1.2K',
      exact: '1,234',
      capped: false,
    });
    expect(formatCount(1_250_000, { locale: 'en' }).text).toBe('1.3M');
  });

  test('follows the locale', () => {
    expect(formatCount(1234, { locale: 'de' }).exact).toBe('1.234');
    expect(formatCount(2_500_000, { locale: 'de' }).text).toBe('2,5\u00a0Mio.');
    expect(formatCount(12_345, { locale: 'fr' }).exact).toBe('12\u202f345');
    expect(formatCount(1234, { locale: 'ja' }).text).toBe('1234');
    expect(formatCount(15_000, { locale: 'ja' }).text).toBe('1.5万');
    expect(formatCount(1234, { locale: 'hi' }).text).toBe('1.2\u00a0हज़ार');
    // Arabic (Egypt) uses Arabic-Indic digits.
    expect(formatCount(1234, { locale: 'ar-EG' }).exact).toBe('١٬٢٣٤');
  });

  test('can show every digit', () => {
    expect(formatCount(1234, { locale: 'en', compact: false }).text).toBe('1,234');
  });

  test('caps at max with a plus, keeping the exact number', () => {
    expect(formatCount(99, { locale: 'en', max: 99 })).toEqual({
      text: '99',
      exact: '99',
      capped: false,
    });
    expect(formatCount(100, { locale: 'en', max: 99 })).toEqual({
      text: '99+',
      exact: '100',
      capped: true,
    });
    expect(formatCount(12_000, { locale: 'de', max: 9999 })).toEqual({
      text: '9.999+',
      exact: '12.000',
      capped: true,
    });
  });

  test('never shows negative, fractional or non-finite counts', () => {
    expect(toCount(-3)).toBe(0);
    expect(toCount(2.9)).toBe(2);
    expect(toCount(Number.NaN)).toBe(0);
    expect(toCount(Number.POSITIVE_INFINITY)).toBe(0);
    expect(formatCount(Number.NaN, { locale: 'en' }).text).toBe('0');
  });
});
