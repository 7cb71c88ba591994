import type { Meta, StoryObj } from '@storybook/react-vite';
import { useState } from 'react';
import { expect, userEvent, waitFor } from 'storybook/test';

import { LiveRoom } from '../../../../.storybook/LiveRoom';
import { FIXTURE_NOW, HOSTILE_NAMES, makeHistory } from '../../test/fixtures/presence';
import { PresenceKitError } from '../core/errors';
import type { PresenceHistoryEvent } from '../core/types';
import { PresenceHistory } from './PresenceHistory';
import { PresenceHistoryView } from './PresenceHistoryView';

const history = makeHistory(8);

const meta = {
  title: 'Components/PresenceHistory',
  component: PresenceHistoryView,
  args: { events: history, now: FIXTURE_NOW, locale: 'en', style: { maxInlineSize: 420 } },
} satisfies Meta<typeof PresenceHistoryView>;

export default meta;
type Story = StoryObj<typeof meta>;

/** Joins, leaves and updates, newest first, with relative times (absolute time on hover). */
export const Default: Story = {
  play: async ({ canvas }) => {
    const items = canvas.getAllByRole('listitem');
    await expect(items).toHaveLength(8);
    await expect(items[0]?.querySelector('time')?.textContent).toBe('now');
  },
};

function Paged() {
  const all = makeHistory(9, 5);
  const [shown, setShown] = useState(3);
  const [loading, setLoading] = useState(false);
  return (
    <PresenceHistoryView
      style={{ maxInlineSize: 420 }}
      events={all.slice(0, shown)}
      now={FIXTURE_NOW}
      locale="en"
      hasNext={shown < all.length}
      isLoadingMore={loading}
      onLoadMore={() => {
        setLoading(true);
        setTimeout(() => {
          setShown((n) => n + 3);
          setLoading(false);
        }, 300);
      }}
    />
  );
}

/** "Load more" fetches older pages; focus stays on the button, then moves to the list at the end. */
export const LoadMore: Story = {
  render: () => <Paged />,
  play: async ({ canvas }) => {
    const button = canvas.getByRole('button', { name: 'Load more' });
    button.focus();
    await userEvent.keyboard('{Enter}');
    await expect(button).toHaveAttribute('aria-disabled', 'true');
    await waitFor(() => expect(canvas.getAllByRole('listitem')).toHaveLength(6));
    await expect(canvas.getByRole('button', { name: 'Load more' })).toHaveFocus();
  },
};

const fiveThousand = makeHistory(5000);

/** 5,000 events: windowed like the member list, so the DOM holds only the entries in view. */
export const FiveThousandEvents: Story = {
  name: '5,000 events',
  args: { events: fiveThousand, hasNext: true, onLoadMore: () => {} },
  play: async ({ canvas, canvasElement }) => {
    const group = canvas.getByRole('group', { name: 'Presence history' });
    await expect(group.querySelectorAll('li').length).toBeLessThanOrEqual(20);
    await expect(group.querySelector('li')).toHaveAttribute('aria-setsize', '5000');
    const viewport = group.querySelector<HTMLElement>('.pk-presence-history__viewport')!;
    viewport.scrollTop = viewport.scrollHeight / 2;
    await waitFor(() =>
      expect(Number(group.querySelector('li')?.getAttribute('aria-posinset'))).toBeGreaterThan(
        2000,
      ),
    );
    await expect(canvasElement.querySelectorAll('*').length).toBeLessThan(250);
  },
};

/** Before the first page arrives. */
export const Loading: Story = {
  args: { events: [], status: 'loading' },
  play: async ({ canvas }) => {
    await expect(canvas.getByRole('group', { name: 'Loading activity' })).toHaveAttribute(
      'aria-busy',
      'true',
    );
  },
};

/** History could not be fetched. */
export const ErrorState: Story = {
  name: 'Error',
  args: {
    events: [],
    status: 'error',
    error: new PresenceKitError('history_fetch_failed', 'Fetching presence history failed.'),
  },
  play: async ({ canvas }) => {
    await expect(canvas.getByText('Could not load activity')).toBeVisible();
  },
};

/** Nothing happened yet (or it is older than the retention period). */
export const Empty: Story = {
  args: { events: [] },
  play: async ({ canvas }) => {
    await expect(canvas.getByText('No activity yet')).toBeVisible();
  },
};

const hostileEvents: PresenceHistoryEvent<unknown>[] = HOSTILE_NAMES.map((name, i) => ({
  id: `hostile-${i}`,
  action: i % 2 ? 'leave' : 'enter',
  clientId: `hostile-${i}`,
  connectionId: `c-${i}`,
  data: { name, avatar: i % 3 ? 'javascript:alert(1)' : 'http://127.0.0.1:9/broken.png' },
  timestamp: FIXTURE_NOW - i * 45_000,
}));

/** Hostile names and URLs are text and refused URLs; long names are cut with an ellipsis. */
export const LongNamesAndBrokenAvatars: Story = {
  args: { events: hostileEvents },
  play: async ({ canvasElement }) => {
    await expect(canvasElement.querySelector('script, svg')).toBeNull();
    await expect(canvasElement.querySelector('img[src^="javascript"]')).toBeNull();
  },
};

/** Dark theme. */
export const Dark: Story = {
  globals: { theme: 'dark' },
  play: async ({ canvas }) => {
    await expect(canvas.getAllByRole('listitem')).toHaveLength(8);
    // The dark tokens are in force (light text), not just a dark page behind a light timeline.
    await expect(getComputedStyle(canvas.getByRole('group')).color).toBe('rgb(236, 236, 241)');
  },
};

/** Right to left, translated: the name is isolated wherever the template puts it. */
export const RightToLeft: Story = {
  globals: { direction: 'rtl', lang: 'he' },
  args: {
    locale: 'he',
    strings: {
      historyLabel: 'היסטוריית נוכחות',
      historyEvent: {
        enter: '{name} הצטרף/ה',
        leave: '{name} עזב/ה',
        update: '{name} עדכן/ה סטטוס',
        present: '{name} היה/תה כאן',
        absent: '{name} לא זמין/ה',
      },
    },
  },
  play: async ({ canvas }) => {
    await expect(canvas.getByRole('group', { name: 'היסטוריית נוכחות' })).toBeVisible();
  },
};

/**
 * Live against the emulator: the simulated visitors of `storybook-lobby` join, leave and change
 * status; new events appear at the top as they happen.
 */
export const Live: StoryObj<typeof PresenceHistory> = {
  render: () => (
    <LiveRoom room="storybook-lobby" clientId="storybook-historian">
      <PresenceHistory locale="en" limit={15} style={{ maxInlineSize: 420 }} />
    </LiveRoom>
  ),
  play: async ({ canvasElement }) => {
    await waitFor(
      async () => {
        const group = canvasElement.querySelector('.pk-presence-history');
        await expect(group?.getAttribute('data-status')).toBe('ready');
        await expect(group?.querySelectorAll('li').length).toBeGreaterThan(0);
      },
      { timeout: 10_000 },
    );
  },
};
