/**
 * Backgrounds for initials avatars. Each gives white text a contrast ratio of at least 4.5:1
 * (WCAG AA for small text), so no hue makes initials unreadable or fails an accessibility audit.
 */
export const AVATAR_COLORS = [
  '#b3261e',
  '#a3195b',
  '#7b1fa2',
  '#5e35b1',
  '#3949ab',
  '#1565c0',
  '#0277bd',
  '#00695c',
  '#2e7d32',
  '#8a5300',
  '#a0410d',
  '#5d4037',
] as const;

/** FNV-1a: tiny, fast and spreads similar ids ("user-1", "user-2") across the palette. */
function hash(value: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < value.length; i++) {
    h ^= value.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** The same colour for the same clientId on every device and every render. */
export function avatarColor(clientId: string): string {
  return AVATAR_COLORS[hash(clientId) % AVATAR_COLORS.length] ?? AVATAR_COLORS[0];
}
