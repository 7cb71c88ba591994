import '../styles/presencekit.css';

import type { CSSProperties } from 'react';
import { describe, expect, test } from 'vitest';
import { cdp } from 'vitest/browser';
import { render } from 'vitest-browser-react';

import { expectNoAxeViolations } from '../../test/browser/axe';
import { FIXTURE_NOW, makeHistory, makePeople } from '../../test/fixtures/presence';
import { PresenceHistoryView } from './PresenceHistoryView';
import { PresenceListView } from './PresenceListView';
import { ViewerCountView } from './ViewerCountView';

// The text colour of the two themes (--_pk-fg), which every component root uses.
const LIGHT = 'rgb(27, 27, 31)';
const DARK = 'rgb(236, 236, 241)';

const people = makePeople(12, { selfIndex: 0 });

/** Every component, each with a test id, on a page of the given background. */
function Everything({ background, ...props }: { background: string; 'data-theme'?: string }) {
  const page: CSSProperties = { background, padding: 8, display: 'grid', gap: 8 };
  return (
    <div style={page} {...props}>
      <ViewerCountView data-testid="count" count={1234} locale="en" />
      <PresenceListView data-testid="stack" members={people} max={4} locale="en" />
      <PresenceListView data-testid="list" members={people} variant="list" locale="en" />
      <PresenceHistoryView
        data-testid="history"
        events={makeHistory(6)}
        now={FIXTURE_NOW}
        locale="en"
        hasNext
      />
    </div>
  );
}

const roots = () =>
  ['count', 'stack', 'list', 'history'].map((id) =>
    document.querySelector(`[data-testid="${id}"]`)!,
  );
const colours = () => roots().map((root) => getComputedStyle(root).color);

describe('themes', () => {
  test('data-theme="dark" on an ancestor: every component is dark and passes contrast checks', async () => {
    const screen = await render(<Everything background="#111114" data-theme="dark" />);
    expect(colours()).toEqual([DARK, DARK, DARK, DARK]);
    // The popover too, open over the page.
    await screen.getByRole('button', { name: /more people/ }).click();
    const dialog = screen.getByRole('dialog');
    await expect.element(dialog).toBeVisible();
    expect(getComputedStyle(dialog.element()).backgroundColor).toBe('rgb(29, 29, 34)');
    await expectNoAxeViolations(screen.container);
  });

  test('light by default, and passes contrast checks', async () => {
    const screen = await render(<Everything background="#ffffff" />);
    expect(colours()).toEqual([LIGHT, LIGHT, LIGHT, LIGHT]);
    await expectNoAxeViolations(screen.container);
  });

  test('nested themes: the nearest data-theme (or class) wins, however deep', async () => {
    const screen = await render(
      <div data-theme="dark" style={{ background: '#111114' }}>
        <Everything background="#ffffff" data-theme="light" />
      </div>,
    );
    expect(colours()).toEqual([LIGHT, LIGHT, LIGHT, LIGHT]);
    await screen.getByRole('button', { name: /more people/ }).click();
    const dialog = screen.getByRole('dialog');
    await expect.element(dialog).toBeVisible();
    expect(getComputedStyle(dialog.element()).backgroundColor).toBe('rgb(255, 255, 255)');
    await expectNoAxeViolations(screen.container);

    // Dark inside light inside dark, with classes; and the component itself saying light.
    await screen.rerender(
      <div className="dark">
        <div className="light">
          <Everything background="#111114" data-theme="dark" />
        </div>
        <ViewerCountView data-testid="self-light" data-theme="light" count={3} locale="en" />
      </div>,
    );
    expect(colours()).toEqual([DARK, DARK, DARK, DARK]);
    const selfLight = screen.getByTestId('self-light').element();
    expect(getComputedStyle(selfLight).color).toBe(LIGHT);

    // Light inside dark inside light inside dark.
    await screen.rerender(
      <div data-theme="dark">
        <div data-theme="light">
          <div className="dark">
            <Everything background="#ffffff" data-theme="light" />
          </div>
        </div>
      </div>,
    );
    expect(colours()).toEqual([LIGHT, LIGHT, LIGHT, LIGHT]);

    // Still no specificity: a plain element selector of the app's beats the nested theme.
    const style = document.createElement('style');
    style.textContent = 'div { color: rgb(1, 2, 3); }';
    document.head.append(style);
    try {
      expect(getComputedStyle(roots()[1]!).color).toBe('rgb(1, 2, 3)');
    } finally {
      style.remove();
    }
  });

  test('follows the system dark mode unless an ancestor says data-theme="light"', async () => {
    const session = cdp();
    const scheme = (value: 'dark' | 'light') =>
      session.send('Emulation.setEmulatedMedia', {
        features: [{ name: 'prefers-color-scheme', value }],
      });
    try {
      await scheme('dark');
      await expect.poll(() => matchMedia('(prefers-color-scheme: dark)').matches).toBe(true);
      const screen = await render(<Everything background="#111114" />);
      expect(colours()).toEqual([DARK, DARK, DARK, DARK]);
      await expectNoAxeViolations(screen.container);

      await screen.rerender(<Everything background="#ffffff" data-theme="light" />);
      expect(colours()).toEqual([LIGHT, LIGHT, LIGHT, LIGHT]);
      await expectNoAxeViolations(screen.container);

      // A light region inside a dark one, the system being dark too.
      await screen.rerender(
        <div data-theme="dark">
          <Everything background="#ffffff" data-theme="light" />
        </div>,
      );
      expect(colours()).toEqual([LIGHT, LIGHT, LIGHT, LIGHT]);
    } finally {
      await scheme('light');
      await session.send('Emulation.setEmulatedMedia', { features: [] });
    }
    expect(matchMedia('(prefers-color-scheme: dark)').matches).toBe(false);
  });
});
