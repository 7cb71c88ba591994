import '../styles/presencekit.css';

import { useState } from 'react';
import { beforeAll, describe, expect, test, vi } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import { render } from 'vitest-browser-react';

import { expectNoAxeViolations } from '../../test/browser/axe';
import { ErrorBoundary } from '../../test/browser/ErrorBoundary';
import {
  privateAvatarUrls,
  requestsContaining,
  requestToken,
  servedAvatarUrl,
  untilLoaded,
  watchRequests,
} from '../../test/browser/seen-requests';
import {
  FIXTURE_NOW,
  HOSTILE_NAMES,
  hostilePeople,
  makeHistory,
} from '../../test/fixtures/presence';
import { PresenceKitError } from '../core/errors';
import type { PresenceHistoryEvent } from '../core/types';
import { safeAvatarUrl } from './helpers/safe-avatar-url';
import { PresenceHistoryView } from './PresenceHistoryView';
import { PresenceKitAvatarProvider } from './PresenceKitAvatarProvider';

beforeAll(watchRequests);

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
    // The button is gone; focus went to the timeline's scroller rather than to <body>.
    await expect.element(screen.getByRole('button')).not.toBeInTheDocument();
    expect(document.activeElement?.className).toBe('pk-presence-history__viewport');
    expect(document.activeElement?.contains(screen.getByRole('list').element())).toBe(true);
  });

  test('windowed: thousands of events keep a small, constant DOM, and scrolling shows the rest', async () => {
    const many = makeHistory(5000);
    const screen = await render(
      <PresenceHistoryView events={many} now={FIXTURE_NOW} locale="en" hasNext />,
    );
    const group = screen.getByRole('group', { name: 'Presence history' }).element();
    const items = () => Array.from(group.querySelectorAll('li'));
    // 320 px at 40 px an entry, plus a few beyond each edge.
    expect(items().length).toBeGreaterThanOrEqual(8);
    expect(items().length).toBeLessThanOrEqual(20);
    expect(group.querySelectorAll('*').length).toBeLessThan(250);
    expect(items()[0]?.getAttribute('aria-posinset')).toBe('1');
    expect(items()[0]?.getAttribute('aria-setsize')).toBe('5000');
    const viewport = group.querySelector<HTMLElement>('.pk-presence-history__viewport')!;
    expect(viewport.getBoundingClientRect().height).toBeLessThanOrEqual(320);
    expect(viewport.scrollHeight).toBe(5000 * 40);

    viewport.scrollTop = 2500 * 40;
    await expect
      .poll(() => Number(items()[0]?.getAttribute('aria-posinset')))
      .toBeGreaterThan(2400);
    expect(items().length).toBeLessThanOrEqual(20);
    const first = Number(items()[0]!.getAttribute('aria-posinset'));
    expect(items()[0]?.querySelector('.pk-presence-history__text')?.textContent).toBe(
      `${(many[first - 1]!.data as { name: string }).name} ${
        { enter: 'joined', leave: 'left', update: 'updated their status' }[
          many[first - 1]!.action as 'enter'
        ]
      }`,
    );
    // The entry at the top of the viewport is the one scrolled to, and in view.
    const row = items().find((li) => li.getAttribute('aria-posinset') === '2501')!;
    const top = row.getBoundingClientRect().top - viewport.getBoundingClientRect().top;
    expect(Math.abs(top)).toBeLessThan(2);
    expect(group.querySelectorAll('*').length).toBeLessThan(250);
    // "Load more" is still after the timeline, reachable by Tab from the scroller.
    viewport.focus();
    await userEvent.keyboard('{Tab}');
    await expect.element(screen.getByRole('button', { name: 'Load more' })).toHaveFocus();
    await expectNoAxeViolations(screen.container);
  });

  test('a timeline growing live stays windowed', async () => {
    let add: (n: number) => void = () => {};
    function Growing() {
      const [events, setEvents] = useState(() => makeHistory(10, 7));
      add = (n) => setEvents((current) => [...makeHistory(n, current.length + 100), ...current]);
      return <PresenceHistoryView events={events} now={FIXTURE_NOW} locale="en" />;
    }
    const screen = await render(<Growing />);
    const group = screen.getByRole('group').element();
    expect(group.querySelectorAll('li').length).toBeLessThanOrEqual(20);
    for (let i = 0; i < 6; i++) add(500);
    await expect.poll(() => group.querySelector('li')?.getAttribute('aria-setsize')).toBe('3010');
    expect(group.querySelectorAll('li').length).toBeLessThanOrEqual(20);
  });

  test('rowHeight and maxHeight size the entries and the scroller; bad values are typed errors', async () => {
    const screen = await render(
      <PresenceHistoryView
        events={makeHistory(100)}
        now={FIXTURE_NOW}
        rowHeight={30}
        maxHeight={150}
      />,
    );
    const viewport = screen.container.querySelector<HTMLElement>('.pk-presence-history__viewport')!;
    expect(viewport.getBoundingClientRect().height).toBe(150);
    expect(screen.container.querySelector('li')!.getBoundingClientRect().height).toBe(30);
    expect(screen.container.querySelectorAll('li').length).toBeLessThanOrEqual(5 + 8 + 1);
  });

  test('a row height that is not a positive number is a typed error that says what to do', async () => {
    const onError = vi.fn();
    const quiet = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      await render(
        <ErrorBoundary onError={onError}>
          <PresenceHistoryView events={makeHistory(3)} rowHeight={0} />
        </ErrorBoundary>,
      );
      await expect.element(page.getByText('render failed')).toBeVisible();
    } finally {
      quiet.mockRestore();
    }
    const error: unknown = onError.mock.calls[0]?.[0];
    expect(error).toBeInstanceOf(PresenceKitError);
    expect((error as PresenceKitError).code).toBe('invalid_argument');
    expect((error as PresenceKitError).message).toMatch(
      /rowHeight, maxHeight and avatarSize must be positive numbers of CSS pixels \(got 0, 320 and 24\)/,
    );
  });

  test('focusable entries (renderEvent): removed, focus goes to the entry in its place; scrolled away, to the scroller', async () => {
    const all = makeHistory(100);
    const view = (events: typeof all) => (
      <PresenceHistoryView
        events={events}
        now={FIXTURE_NOW}
        locale="en"
        rowHeight={40}
        maxHeight={320}
        renderEvent={(e) => <button type="button">{e.id}</button>}
      />
    );
    const screen = await render(view(all));
    const root = screen.getByRole('group').element();
    const entry = (id: string) =>
      Array.from(root.querySelectorAll('button')).find((b) => b.textContent === id);
    entry(all[1]!.id)!.focus();
    expect(document.activeElement).toBe(entry(all[1]!.id));
    // The focused entry is dropped (a capped timeline, a retracted event): the next one, now
    // second, takes focus.
    await screen.rerender(view([all[0]!, ...all.slice(2)]));
    await expect.poll(() => entry(all[1]!.id)).toBeUndefined();
    await expect.poll(() => document.activeElement).toBe(entry(all[2]!.id));

    // Scrolled far down, the focused entry leaves the window: focus goes to the scroller.
    const viewport = root.querySelector<HTMLElement>('.pk-presence-history__viewport')!;
    viewport.scrollTop = 60 * 40;
    await expect.poll(() => entry(all[2]!.id)).toBeUndefined();
    await expect.poll(() => document.activeElement).toBe(viewport);

    // The timeline empties while the scroller has focus: the group itself takes it.
    await screen.rerender(view([]));
    await expect.element(screen.getByText('No activity yet')).toBeVisible();
    await expect.element(screen.getByRole('group')).toHaveFocus();
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

  test('avatars on private addresses show initials and are never requested', async () => {
    const token = requestToken('history-private');
    const control = servedAvatarUrl(token, 'control');
    const events = [...privateAvatarUrls(token), control].map(
      (avatar, i): PresenceHistoryEvent<unknown> => ({
        id: String(i),
        action: 'enter',
        clientId: `eve-${i}`,
        connectionId: `conn-${i}`,
        data: { name: `Eve ${i}`, avatar },
        timestamp: FIXTURE_NOW - i * 1000,
      }),
    );
    // Small rows, so every avatar is near enough to the viewport for Chromium to fetch it lazily.
    const screen = await render(
      <PresenceHistoryView
        events={events}
        now={FIXTURE_NOW}
        rowHeight={12}
        avatarSize={10}
        maxHeight={100_000}
        locale="en"
      />,
    );
    const root = screen.getByRole('group').element();
    await untilLoaded(root, control);
    expect(root.querySelectorAll('.pk-avatar')).toHaveLength(events.length);
    expect(root.querySelectorAll('.pk-avatar[data-fallback]')).toHaveLength(events.length - 1);
    expect(Array.from(root.querySelectorAll('img')).map((img) => img.src)).toEqual([control]);
    expect((await requestsContaining(token)).map((r) => r.url)).toEqual([control]);
  });

  test('avatarUrl (prop or provider) rewrites avatars, and renderEvent gets the result', async () => {
    const token = requestToken('history-proxy');
    const proxy = (url: string) =>
      `https://proxy.presencekit.test/${token}?u=${encodeURIComponent(url)}`;
    const events = [
      { ...event('1', 'enter', 'Ada', 1000), data: { name: 'Ada', avatar: 'http://[fe80::1]/a' } },
    ];
    const items: (string | undefined)[] = [];
    const screen = await render(
      <div>
        <PresenceHistoryView events={events} now={FIXTURE_NOW} avatarUrl={proxy} />
        <PresenceKitAvatarProvider avatarUrl={proxy}>
          <PresenceHistoryView
            events={events}
            now={FIXTURE_NOW}
            renderEvent={(_event, item) => {
              items.push(item.avatarUrl);
              return item.name;
            }}
          />
        </PresenceKitAvatarProvider>
      </div>,
    );
    const rewritten = proxy('http://[fe80::1]/a');
    await untilLoaded(screen.container, rewritten);
    expect(items.at(-1)).toBe(rewritten);
    expect((await requestsContaining(token)).map((r) => r.url)).toEqual([rewritten]);
  });

  test('hostile names and avatar URLs are harmless; renderEvent gets display-ready facts', async () => {
    const events = hostilePeople().map((p, i): PresenceHistoryEvent<unknown> => ({
      id: String(i),
      action: 'enter',
      clientId: p.clientId,
      connectionId: `conn-${i}`,
      data: p.data,
      timestamp: FIXTURE_NOW - i * 1000,
    }));
    const screen = await render(
      <PresenceHistoryView events={events} now={FIXTURE_NOW} maxHeight={2000} locale="en" />,
    );
    const root = screen.getByRole('group').element();
    expect(root.querySelectorAll('li')).toHaveLength(events.length);
    expect(root.querySelector('script, svg, iframe, object, embed, b')).toBeNull();
    for (const name of HOSTILE_NAMES.slice(0, 3)) expect(root.textContent).toContain(name);
    // Only URLs that pass the check reach an <img>; none of the hostile ones do.
    const sources = Array.from(root.querySelectorAll('img')).map((img) => img.getAttribute('src'));
    for (const src of sources) expect(safeAvatarUrl(src)).toBe(src);
    expect(sources.some((src) => /javascript|svg|text\/html|user:pass/i.test(src ?? ''))).toBe(
      false,
    );
    // An inherited or non-string name is ignored: the clientId shows instead.
    expect(root.textContent).toContain('hostile-proto joined');
    expect(root.textContent).toContain('hostile-types joined');
    expect(root.textContent).not.toContain('inherited');
    // The broken (but allowed) URL falls back to initials once the image fails.
    await expect
      .poll(() => root.querySelector('li:last-child .pk-avatar')?.hasAttribute('data-fallback'))
      .toBe(true);
    await new Promise((resolve) => requestAnimationFrame(resolve));
    expect((window as { __pwned?: unknown }).__pwned).toBeUndefined();
    await expectNoAxeViolations(root);
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
