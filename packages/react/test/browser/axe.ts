import axe from 'axe-core';
import { expect } from 'vitest';

/**
 * Runs axe-core (WCAG 2.x A/AA and best practices) on `element` and fails with a readable list
 * of violations. Colour contrast is checked too, so run it with the stylesheet loaded.
 */
export async function expectNoAxeViolations(element: Element): Promise<void> {
  const results = await axe.run(element, {
    resultTypes: ['violations'],
    runOnly: {
      type: 'tag',
      values: [
        'wcag2a',
        'wcag2aa',
        'wcag21a',
        'wcag21aa',
        'wcag22aa',
        'best-practice',
        'experimental',
      ],
    },
    // A component is tested alone, not inside a page with landmarks and a heading.
    rules: {
      region: { enabled: false },
      'page-has-heading-one': { enabled: false },
      // Experimental and at odds with `scrollable-region-focusable`: it wants every focusable
      // element to have a widget or landmark role, while scrolling lists must be focusable and
      // stack avatars are focusable by design (so keyboard users reach each person's name).
      'focus-order-semantics': { enabled: false },
    },
  });
  const summary = results.violations.map(
    (v) =>
      `${v.id} (${v.impact ?? 'n/a'}): ${v.help}\n  ${v.nodes.map((n) => n.target.join(' ')).join('\n  ')}`,
  );
  expect(summary, summary.join('\n')).toEqual([]);
}
