import { expect, test } from 'vitest';

import { AVATAR_COLORS, avatarColor } from './avatar-color';

function luminance(hex: string): number {
  const channel = (i: number) => {
    const v = parseInt(hex.slice(i, i + 2), 16) / 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
}

test('is deterministic per clientId and spreads similar ids', () => {
  expect(avatarColor('user-1')).toBe(avatarColor('user-1'));
  const colours = new Set(Array.from({ length: 40 }, (_, i) => avatarColor(`user-${i}`)));
  expect(colours.size).toBeGreaterThanOrEqual(8);
});

test('every colour keeps white initials readable (WCAG AA, 4.5:1)', () => {
  for (const colour of AVATAR_COLORS) {
    expect((1.05 / (luminance(colour) + 0.05)).toFixed(2)).toSatisfy(
      (ratio: string) => Number(ratio) >= 4.5,
    );
  }
});
