import type { Meta, StoryObj } from '@storybook/react-vite';
import { useEffect, useState } from 'react';
import { expect, waitFor } from 'storybook/test';

import { LiveRoom } from '../../../../.storybook/LiveRoom';
import { PresenceKitError } from '../core/errors';
import { ViewerCount } from './ViewerCount';
import { ViewerCountView } from './ViewerCountView';

const meta = {
  title: 'Components/ViewerCount',
  component: ViewerCountView,
  args: { count: 1234, locale: 'en' },
} satisfies Meta<typeof ViewerCountView>;

export default meta;
type Story = StoryObj<typeof meta>;

/** The badge: compact number for the eye, exact number in the accessible name. */
export const Default: Story = {
  play: async ({ canvas }) => {
    const status = canvas.getByRole('status', { name: '1,234 watching' });
    await expect(status).toHaveTextContent('1.2K watching');
    await expect(status).toHaveAttribute('data-status', 'ready');
  },
};

/** Before the first number is known: a skeleton, never a misleading zero. */
export const Loading: Story = {
  args: { count: undefined, status: 'loading' },
  play: async ({ canvas }) => {
    const status = canvas.getByRole('status', { name: 'Loading viewer count' });
    await expect(status).toHaveAttribute('aria-busy', 'true');
  },
};

/** When the count cannot be had: a dash, a clear accessible name and the error code. */
export const ErrorState: Story = {
  name: 'Error',
  args: {
    count: undefined,
    status: 'error',
    error: new PresenceKitError('occupancy_fetch_failed', 'Fetching occupancy failed.'),
  },
  play: async ({ canvas }) => {
    const status = canvas.getByRole('status', { name: 'Viewer count unavailable' });
    await expect(status).toHaveAttribute('data-error-code', 'occupancy_fetch_failed');
  },
};

/** The last known number while the connection recovers. */
export const Stale: Story = {
  args: { count: 87, status: 'stale' },
  play: async ({ canvas }) => {
    await expect(canvas.getByRole('status', { name: '87 watching' })).toHaveAttribute(
      'data-status',
      'stale',
    );
  },
};

/** Zero, shown; with `hideWhenZero` it would disappear (the live region stays). */
export const Empty: Story = {
  args: { count: 0 },
  play: async ({ canvas }) => {
    await expect(canvas.getByRole('status', { name: '0 watching' })).toHaveAttribute(
      'data-zero',
      '',
    );
  },
};

/** A cap: "99+" on screen, the exact number for screen readers. */
export const Capped: Story = {
  args: { count: 1500, max: 99 },
  play: async ({ canvas }) => {
    const status = canvas.getByRole('status', { name: '1,500 watching' });
    await expect(status).toHaveTextContent('99+ watching');
    await expect(status).toHaveAttribute('data-capped', '');
  },
};

/** A label that is a function of the count and its plural category. */
export const PluralLabel: Story = {
  args: {
    count: 1,
    label: (_count: number, plural: Intl.LDMLPluralRule) =>
      plural === 'one' ? 'person' : 'people',
  },
  play: async ({ canvas }) => {
    await expect(canvas.getByRole('status', { name: '1 person' })).toBeVisible();
  },
};

/** Numbers, plurals and labels in several locales. */
export const Locales: Story = {
  render: () => (
    <div style={{ display: 'flex', flexWrap: 'wrap', gap: 12 }}>
      <ViewerCountView count={2_500_000} locale="de" label="schauen zu" />
      <ViewerCountView count={12_345} locale="fr" label="spectateurs" />
      <ViewerCountView
        count={5}
        locale="pl"
        label={(_, p) => (p === 'one' ? 'osoba' : p === 'few' ? 'osoby' : 'osób')}
      />
      <ViewerCountView count={1_234_567} locale="en-IN" />
      <ViewerCountView count={1234} locale="ar-EG" label="يشاهدون" dir="rtl" lang="ar" />
    </div>
  ),
  play: async ({ canvas }) => {
    await expect(canvas.getByRole('status', { name: '2.500.000 schauen zu' })).toHaveTextContent(
      /2,5\sMio\. schauen zu/,
    );
    await expect(canvas.getByRole('status', { name: '١٬٢٣٤ يشاهدون' })).toBeVisible();
  },
};

/** The dark theme (set by `data-theme="dark"` on an ancestor, or by the system). */
export const Dark: Story = {
  globals: { theme: 'dark' },
  play: async ({ canvas }) => {
    const status = canvas.getByRole('status', { name: '1,234 watching' });
    await expect(getComputedStyle(status).backgroundColor).toBe('rgb(29, 29, 34)');
  },
};

/** Right to left, with Arabic digits. */
export const RightToLeft: Story = {
  globals: { direction: 'rtl', lang: 'ar' },
  args: { count: 1234, locale: 'ar-EG', label: 'يشاهدون' },
  play: async ({ canvas }) => {
    const status = canvas.getByRole('status', { name: '١٬٢٣٤ يشاهدون' });
    await expect(getComputedStyle(status).direction).toBe('rtl');
  },
};

function Ticking() {
  const [count, setCount] = useState(950);
  useEffect(() => {
    const timer = setInterval(() => setCount((c) => c + 37), 100);
    return () => clearInterval(timer);
  }, []);
  return <ViewerCountView count={count} locale="en" announceIntervalMs={3000} />;
}

/** A count changing ten times a second: the screen follows, announcements stay throttled. */
export const HeavyChurn: Story = {
  render: () => <Ticking />,
  play: async ({ canvas }) => {
    const status = canvas.getByRole('status');
    await waitFor(() => expect(status.getAttribute('aria-label')).toMatch(/^1,\d{3} watching$/));
    // The announced text (the live region's content) lags the name: throttled.
    const announced = status.lastElementChild?.textContent ?? '';
    await waitFor(() => expect(status.getAttribute('aria-label')).not.toBe(announced));
  },
};

/**
 * Live against the emulator Storybook started: `storybook-lobby` has simulated visitors coming
 * and going. Numbers are right on first paint (fetched before any event arrives).
 */
export const Live: StoryObj<typeof ViewerCount> = {
  render: () => (
    <LiveRoom
      room="storybook-lobby"
      clientId="storybook-viewer"
      options={{ occupancy: { enableEvents: true } }}
    >
      <div style={{ display: 'flex', gap: 12 }}>
        <ViewerCount locale="en" />
        <ViewerCount locale="en" metric="presenceMembers" label="present" />
      </div>
    </LiveRoom>
  ),
  play: async ({ canvas }) => {
    await waitFor(
      async () => {
        const counts = canvas.getAllByRole('status');
        await expect(counts).toHaveLength(2);
        for (const status of counts) {
          await expect(status).toHaveAttribute('data-status', 'ready');
        }
        await expect(Number(counts[1]?.getAttribute('aria-label')?.split(' ')[0])).toBeGreaterThan(
          0,
        );
      },
      { timeout: 10_000 },
    );
  },
};
