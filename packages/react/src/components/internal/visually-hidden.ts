import type { CSSProperties } from 'react';

/**
 * Hides text from the eye but not from screen readers. Inline rather than a class, so the
 * components stay correct without the optional stylesheet.
 */
export const visuallyHidden: CSSProperties = {
  position: 'absolute',
  width: 1,
  height: 1,
  padding: 0,
  margin: -1,
  overflow: 'hidden',
  clip: 'rect(0 0 0 0)',
  clipPath: 'inset(50%)',
  whiteSpace: 'nowrap',
  border: 0,
};
