import '../styles/presencekit.css';

import { useState } from 'react';
import { describe, expect, test, vi } from 'vitest';
import { userEvent } from 'vitest/browser';
import { render } from 'vitest-browser-react';

import { expectNoAxeViolations } from '../../test/browser/axe';
import { FIXTURE_NOW, HOSTILE_NAMES, makeHistory } from '../../test/fixtures/presence';
import { PresenceKitError } from '../core/errors';
import type { PresenceHistoryEvent } from '../core/types';
import { PresenceHistoryView } from './PresenceHistoryView';

const event = (
  id: string,
  action: PresenceHistoryEvent['action'],
  name: unknown,
  agoMs: number,
): PresenceHistoryEvent<unknown> => ({
  id,
  action,
  clientId: `client-${id}`,
  connectionId: `conn-${id}`,
  data: { name },
  timestamp: FIXTURE_NOW - agoMs,
});

describe('<PresenceHistoryView>', () => {
  test('a timeline of joins, leaves and updates with relative times', async () => {
    const events = [
      event('1', 'enter', 'Ada', 3_000),
      event('2', 'update', 'Grace', 5 * 60_000),
      event('3', 'leave', 'Alan', 2 * 3_600_000),
    ];
    const screen = await render(
      <PresenceHistoryView events={events} now={FIXTURE_NOW} locale="en" />,
    );
    const group = screen.getByRole('group', { name: 'Presence history' });
    const items = group.getByRole('listitem').elements();
    expect(items.map((li) => li.getAttribute('data-action'))).toEqual(['enter', 'update', 'leave']);
    expect(items.map((li) => li.querySelector('.pk-presence-history__text')?.textContent)).toEqual([
      'Ada joined',
      'Grace updated their status',
      'Alan left',
    ]);
    expect(items.map((li) => li.querySelector('time')?.textContent)).toEqual([
      'now',
      '5 minutes ago',
      '2 hours ago',
    ]);
    expect(items[1]?.querySelector('time')?.getAttribute('datetime')).toBe(
      new Date(FIXTURE_NOW - 5 * 60_000).toISOString(),
    );
    await expectNoAxeViolations(screen.container);
  });

  test('translated templates keep the name isolated wherever the translator puts it', async () => {
    const screen = await render(
      <div dir="rtl" lang="he">
        <PresenceHistoryView
          events={[event('1', 'enter', 'Ada', 60_000)]}
          now={FIXTURE_NOW}
          locale="he"
          strings={{
            historyLabel: 'היסטוריית נוכחות',
            historyEvent: {
              enter: '{name} הצטרף/ה',
              leave: '{name} עזב/ה',
              update: '{name} עדכן/ה',
              present: '{name}',
              absent: '{name}',
            },
          }}
        />
      </div>,
    );
    const item = screen.getByRole('listitem').element();
    expect(item.querySelector('bdi')?.textContent).toBe('Ada');
    expect(item.querySelector('.pk-presence-history__text')?.textContent).toBe('Ada הצטרף/ה');
    // ICU's Hebrew may append the number ("לפני דקה (1)"); the wording is what matters.
    expect(item.querySelector('time')?.textContent).toMatch(/^לפני דקה/);
    await expectNoAxeViolations(screen.container);
  });

  test('relative times age while shown', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'Date'] });
    try {
      vi.setSystemTime(FIXTURE_NOW);
      const screen = await render(
        <PresenceHistoryView events={[event('1', 'enter', 'Ada', 0)]} locale="en" />,
      );
      const time = () => screen.getByRole('listitem').element().querySelector('time')?.textContent;
      expect(time()).toBe('now');
      await vi.advanceTimersByTimeAsync(3 * 60_000);
      await expect.poll(time).toBe('3 minutes ago');
    } finally {
      vi.useRealTimers();
    }
  });

  test('"load more" loads, says it is loading, and keeps focus in the timeline at the end', async () => {
    const all = makeHistory(6);
    function Paged() {
      const [count, setCount] = useState(2);
      const [loading, setLoading] = useState(false);
      return (
        <PresenceHistoryView
          events={all.slice(0, count)}
          now={FIXTURE_NOW}
          locale="en"
          hasNext={count < all.length}
          isLoadingMore={loading}
          onLoadMore={() => {
            setLoading(true);
            setTimeout(() => {
              setCount((c) => c + 2);
              setLoading(false);
            }, 50);
          }}
        />
      );
    }
    const screen = await render(<Paged />);
    const more = screen.getByRole('button', { name: 'Load more' });
    expect(screen.getByRole('listitem').elements()).toHaveLength(2);
    more.element().focus();
    await userEvent.keyboard('{Enter}');
    await expect.poll(() => screen.getByRole('listitem').elements().length).toBe(4);
    await expect.element(screen.getByRole('button', { name: 'Load more' })).toHaveFocus();
    await userEvent.keyboard('{Enter}');
    await expect.poll(() => screen.getByRole('listitem').elements().length).toBe(6);
    // The button is gone; focus went to the list rather than to <body>.
    await expect.element(screen.getByRole('button')).not.toBeInTheDocument();
    expect(document.activeElement).toBe(screen.getByRole('list').element());
  });

  test('the load-more button ignores clicks while loading but keeps focus', async () => {
    const onLoadMore = vi.fn();
    const screen = await render(
      <PresenceHistoryView
        events={makeHistory(2)}
        hasNext
        isLoadingMore
        onLoadMore={onLoadMore}
        now={FIXTURE_NOW}
      />,
    );
    const button = screen.getByRole('button', { name: 'Loading…' });
    await expect.element(button).toHaveAttribute('aria-disabled', 'true');
    button.element().focus();
    await userEvent.keyboard('{Enter}');
    expect(onLoadMore).not.toHaveBeenCalled();
    await expect.element(button).toHaveFocus();
  });

  test('empty, loading and error states', async () => {
    const screen = await render(<PresenceHistoryView events={[]} />);
    await expect.element(screen.getByText('No activity yet')).toBeVisible();
    await expect.element(screen.getByRole('group')).toHaveAttribute('data-empty', '');
    await screen.rerender(<PresenceHistoryView events={[]} status="loading" />);
    await expect
      .element(screen.getByRole('group', { name: 'Loading activity' }))
      .toHaveAttribute('aria-busy', 'true');
    const error = new PresenceKitError('history_fetch_failed', 'Fetching presence history failed.');
    await screen.rerender(<PresenceHistoryView events={[]} status="error" error={error} />);
    await expect
      .element(screen.getByRole('group', { name: 'Could not load activity' }))
      .toHaveAttribute('data-error-code', 'history_fetch_failed');
    await expectNoAxeViolations(screen.container);
  });

  test('hostile names are text; renderEvent gets display-ready facts', async () => {
    const events = HOSTILE_NAMES.map((name, i) => event(String(i), 'enter', name, i * 1000));
    const screen = await render(<PresenceHistoryView events={events} now={FIXTURE_NOW} />);
    expect(screen.container.querySelector('script, svg, img[src^="javascript"]')).toBeNull();
    expect(screen.container.textContent).toContain(HOSTILE_NAMES[0]);
    await screen.rerender(
      <PresenceHistoryView
        events={[event('x', 'leave', 'Ada', 120_000)]}
        now={FIXTURE_NOW}
        locale="en"
        renderEvent={(e, item) => (
          <span className="mine">{`${item.name}/${e.action}/${item.relativeTime}`}</span>
        )}
      />,
    );
    await expect.element(screen.getByText('Ada/leave/2 minutes ago')).toBeVisible();
  });
});
