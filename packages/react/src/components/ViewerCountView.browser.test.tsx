import '../styles/presencekit.css';

import { describe, expect, test, vi } from 'vitest';
import { page } from 'vitest/browser';
import { render } from 'vitest-browser-react';

import { expectNoAxeViolations } from '../../test/browser/axe';
import { ErrorBoundary } from '../../test/browser/ErrorBoundary';
import { PresenceKitError } from '../core/errors';
import { PresenceKitStringsProvider } from './PresenceKitStringsProvider';
import { ViewerCountView } from './ViewerCountView';

describe('<ViewerCountView>', () => {
  test('shows a compact number and keeps the exact one in the accessible name', async () => {
    const screen = await render(<ViewerCountView count={1234} locale="en" />);
    const status = screen.getByRole('status', { name: '1,234 watching' });
    await expect.element(status).toBeVisible();
    await expect.element(status).toHaveAttribute('data-status', 'ready');
    await expect.element(status).toHaveAttribute('aria-live', 'polite');
    expect(status.element().querySelector('[aria-hidden="true"]')?.textContent).toBe(
      '1.2K watching',
    );
    await expectNoAxeViolations(screen.container);
  });

  test('caps at max and says so in data-capped', async () => {
    const screen = await render(<ViewerCountView count={150} max={99} locale="en" />);
    const status = screen.getByRole('status', { name: '150 watching' });
    await expect.element(status).toHaveAttribute('data-capped', '');
    expect(status.element().querySelector('.pk-viewer-count__number')?.textContent).toBe('99+');
  });

  test('a plural-aware label function', async () => {
    const label = (_: number, plural: Intl.LDMLPluralRule) =>
      plural === 'one' ? 'person' : 'people';
    const screen = await render(<ViewerCountView count={1} locale="en" label={label} />);
    await expect.element(screen.getByRole('status', { name: '1 person' })).toBeVisible();
    await screen.rerender(<ViewerCountView count={2} locale="en" label={label} />);
    await expect.element(screen.getByRole('status', { name: '2 people' })).toBeVisible();
    // Polish: 1 osoba, 3 osoby, 5 osób.
    const polish = (_: number, p: Intl.LDMLPluralRule) =>
      p === 'one' ? 'osoba' : p === 'few' ? 'osoby' : 'osób';
    await screen.rerender(<ViewerCountView count={3} locale="pl" label={polish} />);
    await expect.element(screen.getByRole('status', { name: '3 osoby' })).toBeVisible();
    await screen.rerender(<ViewerCountView count={5} locale="pl" label={polish} />);
    await expect.element(screen.getByRole('status', { name: '5 osób' })).toBeVisible();
  });

  test('takes locale and strings from the provider, and a string label', async () => {
    const screen = await render(
      <PresenceKitStringsProvider locale="de" strings={{ viewerCountLabel: () => 'schauen zu' }}>
        <ViewerCountView count={2_500_000} />
        <ViewerCountView count={12_345} label="Zuschauer" />
      </PresenceKitStringsProvider>,
    );
    await expect
      .element(screen.getByRole('status', { name: '2.500.000 schauen zu' }))
      .toBeVisible();
    const second = screen.getByRole('status', { name: '12.345 Zuschauer' });
    expect(second.element().querySelector('.pk-viewer-count__number')?.textContent).toBe('12.345');
  });

  test('Arabic digits and right-to-left layout', async () => {
    const screen = await render(
      <div dir="rtl" lang="ar">
        <ViewerCountView count={1234} locale="ar-EG" label="يشاهدون" />
      </div>,
    );
    const status = screen.getByRole('status', { name: '١٬٢٣٤ يشاهدون' });
    await expect.element(status).toBeVisible();
    const root = status.element().getBoundingClientRect();
    const number = status
      .element()
      .querySelector('.pk-viewer-count__number')!
      .getBoundingClientRect();
    // In right-to-left the number (first in reading order) sits on the right.
    expect(root.right - number.right).toBeLessThan(number.left - root.left);
    await expectNoAxeViolations(screen.container);
  });

  test('loading: a skeleton, aria-busy and a name that says so', async () => {
    const screen = await render(<ViewerCountView count={undefined} />);
    const status = screen.getByRole('status', { name: 'Loading viewer count' });
    await expect.element(status).toHaveAttribute('aria-busy', 'true');
    await expect.element(status).toHaveAttribute('data-status', 'loading');
    expect(status.element().querySelector('.pk-viewer-count__skeleton')).not.toBeNull();
    await expectNoAxeViolations(screen.container);
  });

  test('error: no number, a clear name and the error code as data', async () => {
    const error = new PresenceKitError('occupancy_fetch_failed', 'Fetching occupancy failed.');
    const screen = await render(<ViewerCountView count={10} status="error" error={error} />);
    const status = screen.getByRole('status', { name: 'Viewer count unavailable' });
    await expect.element(status).toHaveAttribute('data-error-code', 'occupancy_fetch_failed');
    expect(status.element().textContent).not.toContain('10');
    await expectNoAxeViolations(screen.container);
  });

  test('hideWhenZero hides the badge but keeps the live region in the DOM', async () => {
    const screen = await render(<ViewerCountView count={0} hideWhenZero data-testid="badge" />);
    const badge = screen.getByTestId('badge');
    await expect.element(badge).not.toBeVisible();
    await expect.element(badge).toHaveAttribute('data-zero', '');
    await screen.rerender(<ViewerCountView count={3} hideWhenZero data-testid="badge" />);
    await expect.element(badge).toBeVisible();
  });

  test('forwards the ref, merges className and spreads props', async () => {
    const ref = { current: null as HTMLSpanElement | null };
    const screen = await render(
      <ViewerCountView ref={ref} count={5} className="mine" id="vc" title="Live viewers" />,
    );
    const status = screen.getByRole('status');
    await expect.element(status).toHaveClass('pk-viewer-count');
    await expect.element(status).toHaveClass('mine');
    await expect.element(status).toHaveAttribute('id', 'vc');
    expect(ref.current).toBe(status.element());
  });

  test('a render prop replaces the visible inside, the status region stays', async () => {
    const screen = await render(
      <ViewerCountView count={42} locale="en">
        {(state) => <b className="custom">{`👀 ${state.text}`}</b>}
      </ViewerCountView>,
    );
    const status = screen.getByRole('status', { name: '42 watching' });
    await expect.element(status.getByText('👀 42')).toBeVisible();
  });

  test('announcements are throttled: a burst of changes becomes one update', async () => {
    const view = (count: number) => (
      <ViewerCountView count={count} locale="en" announceIntervalMs={1500} />
    );
    const screen = await render(view(1));
    const region = () => screen.getByRole('status').element().lastElementChild?.textContent;
    expect(region()).toBe('1 watching');
    await screen.rerender(view(2));
    await expect.poll(region).toBe('2 watching');
    await screen.rerender(view(3));
    await screen.rerender(view(4));
    // Within the interval the announced text stays; the visible number and the name follow at once.
    expect(region()).toBe('2 watching');
    await expect.element(screen.getByRole('status', { name: '4 watching' })).toBeVisible();
    await expect.poll(region, { timeout: 4000 }).toBe('4 watching');
  });

  test('announce={false} turns the live region off', async () => {
    const screen = await render(<ViewerCountView count={5} announce={false} />);
    await expect.element(screen.getByRole('status')).toHaveAttribute('aria-live', 'off');
  });

  test('an invalid max is a typed error that says what to do', async () => {
    const onError = vi.fn();
    vi.spyOn(console, 'error').mockImplementation(() => {});
    await render(
      <ErrorBoundary onError={onError}>
        <ViewerCountView count={5} max={-1} />
      </ErrorBoundary>,
    );
    await expect.element(page.getByText('render failed')).toBeVisible();
    const error: unknown = onError.mock.calls[0]?.[0];
    expect(error).toBeInstanceOf(PresenceKitError);
    expect((error as PresenceKitError).code).toBe('invalid_argument');
    expect((error as PresenceKitError).message).toMatch(/positive whole number/);
  });

  test('dark theme passes contrast checks', async () => {
    const screen = await render(
      <div data-theme="dark" style={{ background: '#111114', padding: 8 }}>
        <ViewerCountView count={1234} locale="en" />
      </div>,
    );
    const status = screen.getByRole('status');
    expect(getComputedStyle(status.element()).backgroundColor).toBe('rgb(29, 29, 34)');
    await expectNoAxeViolations(screen.container);
  });
});
