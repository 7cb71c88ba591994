import '../styles/presencekit.css';

import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import { render } from 'vitest-browser-react';

import { expectNoAxeViolations } from '../../test/browser/axe';
import {
  privateAvatarUrls,
  requestsContaining,
  requestToken,
  servedAvatarUrl,
  untilLoaded,
  watchRequests,
} from '../../test/browser/seen-requests';
import { HOSTILE_NAMES, hostilePeople, makePeople, person } from '../../test/fixtures/presence';
import { PresenceKitError } from '../core/errors';
import { safeAvatarUrl } from './helpers/safe-avatar-url';
import { PresenceKitAvatarProvider } from './PresenceKitAvatarProvider';
import { PresenceListView } from './PresenceListView';

declare global {
  interface Window {
    __pwned?: unknown;
  }
}

afterEach(() => {
  delete window.__pwned;
});

beforeAll(watchRequests);

const people = makePeople(8, { selfIndex: 3, avatarEvery: 0 });

describe('<PresenceListView variant="stack">', () => {
  test('shows up to max avatars, the local user first as "(you)", then "+N"', async () => {
    const screen = await render(<PresenceListView members={people} max={3} locale="en" />);
    const group = screen.getByRole('group', { name: '8 people here' });
    await expect.element(group).toHaveAttribute('data-variant', 'stack');
    const avatars = group.getByRole('img').elements();
    expect(avatars).toHaveLength(3);
    const self = people[3]!;
    expect(avatars[0]?.getAttribute('aria-label')).toBe(
      `${String((self.data as { name: string }).name)} (you)${
        (self.data as { status: string }).status === 'online'
          ? ''
          : `, ${(self.data as { status: string }).status === 'away' ? 'Away' : 'Busy'}`
      }`,
    );
    const more = screen.getByRole('button', { name: 'Show 5 more people' });
    await expect.element(more).toHaveTextContent('+5');
    await expect.element(more).toHaveAttribute('aria-expanded', 'false');
    await expectNoAxeViolations(screen.container);
  });

  test('the "+N" popover: keyboard opens it with focus inside, Escape returns focus', async () => {
    const screen = await render(
      <>
        <button type="button">before</button>
        <PresenceListView members={people} max={3} locale="en" />
        <button type="button">after</button>
      </>,
    );
    const more = screen.getByRole('button', { name: 'Show 5 more people' });
    // Tab from "before" through the three focusable avatars to the button.
    screen.getByRole('button', { name: 'before' }).element().focus();
    for (let i = 0; i < 4; i++) await userEvent.keyboard('{Tab}');
    await expect.element(more).toHaveFocus();

    await userEvent.keyboard('{Enter}');
    const dialog = screen.getByRole('dialog', { name: '5 more people' });
    await expect.element(dialog).toBeVisible();
    await expect.element(more).toHaveAttribute('aria-expanded', 'true');
    await expect.element(more).toHaveAttribute('aria-controls', dialog.element().id);
    // Focus moved into the popover's scrolling list, which holds the five hidden people.
    await expect.poll(() => dialog.element().contains(document.activeElement)).toBe(true);
    expect(dialog.element().querySelectorAll('li')).toHaveLength(5);
    await expectNoAxeViolations(screen.container);

    await userEvent.keyboard('{Escape}');
    await expect.element(dialog).not.toBeInTheDocument();
    await expect.element(more).toHaveFocus();
    await expect.element(more).toHaveAttribute('aria-expanded', 'false');

    // Space opens it again; tabbing out of the popover closes it without pulling focus back.
    await userEvent.keyboard(' ');
    await expect.element(screen.getByRole('dialog')).toBeVisible();
    await expect
      .poll(() => screen.getByRole('dialog').element().contains(document.activeElement))
      .toBe(true);
    await userEvent.keyboard('{Tab}');
    await expect.element(screen.getByRole('button', { name: 'after' })).toHaveFocus();
    await expect.element(screen.getByRole('dialog')).not.toBeInTheDocument();
  });

  test('when the overflow empties with the popover open, it closes and focus stays in the stack', async () => {
    const view = (members: typeof people) => (
      <PresenceListView members={members} max={3} locale="en" />
    );
    const screen = await render(view(people));
    const more = screen.getByRole('button', { name: 'Show 5 more people' });
    more.element().focus();
    await userEvent.keyboard('{Enter}');
    const dialog = screen.getByRole('dialog');
    await expect.poll(() => dialog.element().contains(document.activeElement)).toBe(true);

    // Five leave: everyone left fits in the stack, so the button and its popover go.
    await screen.rerender(view(people.slice(0, 3)));
    await expect.element(screen.getByRole('button')).not.toBeInTheDocument();
    // Focus is not dropped to <body>: it lands on the last avatar, just before where the button was.
    const avatars = screen.getByRole('img').elements();
    expect(avatars).toHaveLength(3);
    await expect.poll(() => document.activeElement).toBe(avatars[2]);

    // Someone joins again: the button is back, closed; nothing pops open or takes focus.
    await screen.rerender(view([...people.slice(0, 3), people[4]!]));
    const back = screen.getByRole('button', { name: 'Show 1 more person' });
    await expect.element(back).toHaveAttribute('aria-expanded', 'false');
    expect(screen.container.querySelector('[role="dialog"]')).toBeNull();
    expect(document.activeElement).toBe(avatars[2]);
    await expect.element(screen.getByRole('group')).not.toHaveAttribute('data-open');
  });

  test('clicking outside closes the popover; clicking the button toggles it', async () => {
    const screen = await render(
      <>
        <p>outside</p>
        <PresenceListView members={people} max={3} locale="en" />
      </>,
    );
    const more = screen.getByRole('button', { name: 'Show 5 more people' });
    await more.click();
    await expect.element(screen.getByRole('dialog')).toBeVisible();
    await screen.getByText('outside').click();
    await expect.element(screen.getByRole('dialog')).not.toBeInTheDocument();
    await more.click();
    await expect.element(screen.getByRole('dialog')).toBeVisible();
    await more.click();
    await expect.element(screen.getByRole('dialog')).not.toBeInTheDocument();
  });

  test('"+N" counts people not listed when total says the room is bigger', async () => {
    const screen = await render(
      <PresenceListView members={makePeople(3)} max={2} total={1204} locale="en" />,
    );
    await expect.element(screen.getByRole('group', { name: '1,204 people here' })).toBeVisible();
    const more = screen.getByRole('button', { name: 'Show 1,202 more people' });
    await expect.element(more).toHaveTextContent('+1,202');
    await more.click();
    const dialog = screen.getByRole('dialog', { name: '1,202 more people' });
    await expect.element(dialog.getByText('and 1,201 others not listed')).toBeVisible();
    expect(dialog.element().querySelectorAll('li')).toHaveLength(1);
  });

  test('initials on a stable colour when there is no avatar; the image when there is', async () => {
    const screen = await render(
      <PresenceListView
        members={[
          person('ada', { name: 'Ada Lovelace' }),
          person('img', { name: 'Pic Ture', avatar: 'data:image/png;base64,iVBORw0KGgo=' }),
        ]}
      />,
    );
    const ada = screen.getByRole('img', { name: 'Ada Lovelace' });
    await expect.element(ada).toHaveAttribute('data-fallback', '');
    await expect.element(ada).toHaveTextContent('AL');
    const colour = getComputedStyle(ada.element()).backgroundColor;
    expect(colour).not.toBe('rgba(0, 0, 0, 0)');
    await screen.rerender(<PresenceListView members={[person('ada', { name: 'Ada Lovelace' })]} />);
    expect(
      getComputedStyle(screen.getByRole('img', { name: 'Ada Lovelace' }).element()).backgroundColor,
    ).toBe(colour);
  });

  test('a broken avatar URL falls back to initials', async () => {
    const missing = servedAvatarUrl(requestToken('broken'), 'missing');
    const screen = await render(
      <PresenceListView members={[person('b', { name: 'Broken Link', avatar: missing })]} />,
    );
    // Requested (the host answers 404), then initials.
    await expect.poll(async () => (await requestsContaining(missing)).length).toBe(1);
    const avatar = screen.getByRole('img', { name: 'Broken Link' });
    await expect.element(avatar).toHaveAttribute('data-fallback', '');
    await expect.element(avatar).toHaveTextContent('BL');
    expect(avatar.element().querySelector('img')).toBeNull();
  });

  test('renderMember and renderMore replace the insides', async () => {
    const screen = await render(
      <PresenceListView
        members={people}
        max={2}
        renderMember={(p) => <span className="chip">{p.name}</span>}
        renderMore={(n) => <span>and {n} more</span>}
      />,
    );
    expect(screen.container.querySelectorAll('.chip')).toHaveLength(2);
    await expect.element(screen.getByRole('button')).toHaveTextContent('and 6 more');
  });

  test('right-to-left: the stack starts on the right and the popover opens from the right', async () => {
    const screen = await render(
      <div dir="rtl" style={{ inlineSize: 400 }}>
        <PresenceListView members={people} max={3} locale="ar" strings={{}} />
      </div>,
    );
    const avatars = screen.getByRole('img').elements();
    const first = avatars[0]!.getBoundingClientRect();
    const second = avatars[1]!.getBoundingClientRect();
    expect(first.left).toBeGreaterThan(second.left);
    await screen.getByRole('button').click();
    const dialog = screen.getByRole('dialog').element().getBoundingClientRect();
    const root = screen.getByRole('group').element().getBoundingClientRect();
    expect(Math.abs(dialog.right - root.right)).toBeLessThan(1);
    await expectNoAxeViolations(screen.container);
  });

  test('right-to-left: "+N" reads "+3", not "3+", and its accessible name is exact', async () => {
    /** Left edge on screen of each character of `element`'s text, in logical order. */
    const glyphLefts = (element: Element): number[] => {
      const text = document.createTreeWalker(element, NodeFilter.SHOW_TEXT).nextNode()!;
      return Array.from(text.textContent ?? '', (_, i) => {
        const range = document.createRange();
        range.setStart(text, i);
        range.setEnd(text, i + 1);
        return range.getBoundingClientRect().left;
      });
    };
    const screen = await render(
      <div dir="rtl" lang="ar" style={{ inlineSize: 400 }}>
        {/* The control: the same text, not isolated, is drawn "3+". */}
        <span data-testid="control">+3</span>
        <PresenceListView
          members={makePeople(6, { avatarEvery: 0 })}
          max={3}
          locale="en"
          total={1204}
          strings={{ moreButtonLabel: (_n, formatted) => `عرض ${formatted} آخرين` }}
        />
        <PresenceListView members={makePeople(6, { avatarEvery: 0 })} max={3} locale="ar-EG" />
      </div>,
    );
    const [controlSign, controlDigit] = glyphLefts(screen.getByTestId('control').element());
    expect(controlSign).toBeGreaterThan(controlDigit!);

    const [english, arabic] = screen.getByRole('button').elements();
    expect(english).toHaveTextContent('+1,201');
    await expect.element(screen.getByRole('button', { name: 'عرض 1,201 آخرين' })).toBeVisible();
    expect(english!.getAttribute('aria-label')).toBe('عرض 1,201 آخرين');
    const lefts = glyphLefts(english!);
    // Logical order "+1,201" is also the visual order, left to right.
    expect(lefts).toEqual([...lefts].sort((a, b) => a - b));
    expect(lefts[0]).toBeLessThan(lefts[1]!);

    // Arabic-Indic digits too (a different bidi class): "+٣" with the sign on the left.
    expect(arabic).toHaveTextContent('+٣');
    const [sign, digit] = glyphLefts(arabic!);
    expect(sign).toBeLessThan(digit!);
    expect(arabic).toHaveAccessibleName('Show ٣ more people');
    await expectNoAxeViolations(screen.container);
  });
});

describe('<PresenceListView variant="stack"> keeps keyboard focus when people come and go', () => {
  const named = (...names: string[]) =>
    names.map((name) => person(name.toLowerCase(), { name, status: 'online' }));
  const [ann, bo, cy, di, ed] = named('Ann', 'Bo', 'Cy', 'Di', 'Ed');
  const avatar = (name: string) => page.getByRole('img', { name, exact: true });
  const focused = () => document.activeElement;

  test('the person leaves: focus goes to the avatar now in their place, else the one before', async () => {
    const view = (members: typeof people) => (
      <PresenceListView members={members} max={3} locale="en" />
    );
    const screen = await render(view([ann!, bo!, cy!, di!]));
    avatar('Bo').element().focus();
    await expect.element(avatar('Bo')).toHaveFocus();
    // Bo leaves: Di moves up out of the overflow, and Cy is now second.
    await screen.rerender(view([ann!, cy!, di!]));
    await expect.element(avatar('Bo')).not.toBeInTheDocument();
    await expect.element(avatar('Cy')).toHaveFocus();
    // Di, last, leaves: nobody takes the place, so the avatar before it.
    avatar('Di').element().focus();
    await screen.rerender(view([ann!, cy!]));
    await expect.element(avatar('Cy')).toHaveFocus();
    // Several leave at once, the focused one among them.
    await screen.rerender(view([ann!, cy!, di!, ed!]));
    avatar('Cy').element().focus();
    await screen.rerender(view([ed!]));
    await expect.element(avatar('Ed')).toHaveFocus();
  });

  test('pushed into "+N" by the local user joining first: focus stays at that place in the stack', async () => {
    const me = person('me', { name: 'Me Myself', status: 'online' }, { isSelf: true });
    const view = (members: typeof people) => (
      <PresenceListView members={members} max={3} locale="en" />
    );
    const screen = await render(view([ann!, bo!, cy!, di!]));
    avatar('Cy').element().focus();
    await screen.rerender(view([ann!, bo!, cy!, di!, me]));
    await expect.element(avatar('Me Myself (you)')).toBeVisible();
    await expect.element(avatar('Cy')).not.toBeInTheDocument();
    await expect.element(avatar('Bo')).toHaveFocus();
    await expect.element(page.getByRole('button', { name: 'Show 2 more people' })).toBeVisible();
  });

  test('re-sorted: the same person keeps focus though their avatar moved', async () => {
    const byOrder = (order: string[]) => (a: { clientId: string }, b: { clientId: string }) =>
      order.indexOf(a.clientId) - order.indexOf(b.clientId);
    const members = [ann!, bo!, cy!, di!];
    const screen = await render(
      <PresenceListView members={members} sort={byOrder(['ann', 'bo', 'cy', 'di'])} />,
    );
    const element = avatar('Ann').element();
    element.focus();
    // React moves Ann's node (insertBefore) rather than re-creating it. This Chromium keeps focus
    // on a moved node; where a browser drops it, the rescue puts it back on the same node. Either
    // way it must not go to a neighbour.
    await screen.rerender(
      <PresenceListView members={members} sort={byOrder(['bo', 'ann', 'di', 'cy'])} />,
    );
    const order = () =>
      page
        .getByRole('img')
        .elements()
        .map((e) => e.getAttribute('aria-label'));
    await expect.poll(order).toEqual(['Bo', 'Ann', 'Di', 'Cy']);
    expect(avatar('Ann').element()).toBe(element);
    await expect.element(avatar('Ann')).toHaveFocus();
  });

  test('no avatars left: focus goes to "+N", else to the list itself', async () => {
    const view = (members: typeof people, total?: number) => (
      <PresenceListView members={members} max={3} total={total} locale="en" />
    );
    const screen = await render(view([ann!], 10));
    avatar('Ann').element().focus();
    // Ann leaves; the room still has people who are not listed, counted by "+N".
    await screen.rerender(view([], 10));
    await expect.element(page.getByRole('button', { name: 'Show 10 more people' })).toHaveFocus();

    await screen.rerender(view([bo!]));
    avatar('Bo').element().focus();
    await screen.rerender(view([]));
    const group = screen.getByRole('group', { name: '0 people here' });
    await expect.element(group).toHaveFocus();
    // Focusable from script only: Tab does not stop on it.
    await expect.element(group).toHaveAttribute('tabindex', '-1');
    await expectNoAxeViolations(screen.container);
  });

  test('never takes focus that was not in the list', async () => {
    const view = (members: typeof people) => (
      <>
        <button type="button">elsewhere</button>
        <p>text</p>
        <PresenceListView members={members} max={3} locale="en" />
      </>
    );
    const screen = await render(view([ann!, bo!, cy!, di!]));
    const elsewhere = screen.getByRole('button', { name: 'elsewhere' });
    // Focus on another control: a leave changes nothing.
    avatar('Bo').element().focus();
    await userEvent.keyboard('{Shift>}{Tab}{Tab}{/Shift}');
    await expect.element(elsewhere).toHaveFocus();
    await screen.rerender(view([ann!, cy!, di!]));
    await expect.element(avatar('Bo')).not.toBeInTheDocument();
    await expect.element(elsewhere).toHaveFocus();

    // Focus on an avatar, then the user clicks the page: focus is on <body> by their choice.
    avatar('Cy').element().focus();
    await screen.getByText('text').click();
    expect(focused()).toBe(document.body);
    await screen.rerender(view([ann!, di!]));
    await expect.element(avatar('Cy')).not.toBeInTheDocument();
    expect(focused()).toBe(document.body);
  });
});

describe('<PresenceListView variant="list"> with focusable rows (renderMember)', () => {
  const withButton = (p: { name: string }) => <button type="button">{p.name}</button>;

  test('the person leaves: focus goes to the row now in their place; scrolled away: to the scroller', async () => {
    const many = makePeople(200, { avatarEvery: 0 });
    const name = (i: number) => String((many[i]!.data as { name: string }).name);
    const view = (members: typeof many) => (
      <PresenceListView
        variant="list"
        members={members}
        renderMember={withButton}
        rowHeight={40}
        maxHeight={320}
        locale="en"
      />
    );
    const screen = await render(view(many));
    const root = screen.getByRole('group').element();
    const rowButton = (i: number) =>
      Array.from(root.querySelectorAll('button')).find((b) => b.textContent === name(i));
    rowButton(2)!.focus();
    expect(document.activeElement).toBe(rowButton(2));
    // The person in row 3 leaves: focus moves to the next person's row, now third.
    const without2 = [...many.slice(0, 2), ...many.slice(3)];
    await screen.rerender(view(without2));
    await expect.poll(() => rowButton(2)).toBeUndefined();
    await expect.poll(() => document.activeElement).toBe(rowButton(3));

    // Scrolled far away, the focused row leaves the window: focus goes to the scroller itself,
    // which keeps the keyboard scrolling, rather than to <body>.
    const viewport = root.querySelector<HTMLElement>('.pk-presence-list__viewport')!;
    viewport.scrollTop = 100 * 40;
    await expect.poll(() => rowButton(3)).toBeUndefined();
    await expect.poll(() => document.activeElement).toBe(viewport);
  });

  test('default rows are not focusable; the focused scroller stays focused as people leave', async () => {
    const many = makePeople(30, { avatarEvery: 0 });
    const view = (members: typeof many) => (
      <PresenceListView variant="list" members={members} locale="en" />
    );
    const screen = await render(view(many));
    const viewport = screen.container.querySelector<HTMLElement>('.pk-presence-list__viewport')!;
    expect(viewport.querySelector('[tabindex], button, a')).toBeNull();
    viewport.focus();
    await screen.rerender(view(many.slice(10)));
    await expect
      .poll(() => viewport.querySelectorAll('li')[0]?.getAttribute('aria-setsize'))
      .toBe('20');
    expect(document.activeElement).toBe(viewport);
    // Everyone leaves: the scroller goes, focus goes to the list itself.
    await screen.rerender(view([]));
    await expect.element(screen.getByRole('group', { name: '0 people here' })).toHaveFocus();
  });
});

describe('<PresenceListView variant="list">', () => {
  test('rows with avatar, name, "(you)", devices and status', async () => {
    const members = [
      person('me', { name: 'Mia Self', status: 'online' }, { isSelf: true }),
      person('away', { name: 'Al Away', status: 'away' }, { devices: 2 }),
      person('busy', { name: 'Bo Busy', status: 'busy' }),
      person('gone', { name: 'Lee Left' }, { leftAt: Date.now() - 1000 }),
    ];
    const screen = await render(<PresenceListView variant="list" members={members} locale="en" />);
    const group = screen.getByRole('group', { name: '3 people here' });
    const rows = group.getByRole('listitem').elements();
    expect(rows.map((r) => r.getAttribute('data-status'))).toEqual([
      'online',
      'away',
      'busy',
      'left',
    ]);
    const text = (row: Element | undefined) => [
      row?.querySelector('.pk-presence-list__name')?.textContent,
      row?.querySelector('.pk-status')?.textContent,
    ];
    expect(text(rows[0])).toEqual(['Mia Self (you)', 'Online']);
    expect(rows[0]?.hasAttribute('data-self')).toBe(true);
    expect(text(rows[1])).toEqual(['Al Away on 2 devices', 'Away']);
    expect(text(rows[3])).toEqual(['Lee Left', 'Left']);
    // Avatars in rows are decorative: the name is right beside them.
    expect(rows[0]?.querySelector('.pk-avatar')?.getAttribute('aria-hidden')).toBe('true');
    expect(rows.map((r) => r.getAttribute('aria-posinset'))).toEqual(['1', '2', '3', '4']);
    expect(rows.every((r) => r.getAttribute('aria-setsize') === '4')).toBe(true);
    await expectNoAxeViolations(screen.container);
  });

  test('custom sort; the local user stays first unless selfFirst is false', async () => {
    const members = [
      person('c', { name: 'Cy' }),
      person('me', { name: 'Zed' }, { isSelf: true }),
      person('a', { name: 'Ann' }),
    ];
    const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
    const names = () =>
      Array.from(document.querySelectorAll('.pk-presence-list__name bdi')).map(
        (n) => n.textContent,
      );
    const screen = await render(
      <PresenceListView variant="list" members={members} sort={byName} />,
    );
    expect(names()).toEqual(['Zed', 'Ann', 'Cy']);
    await screen.rerender(
      <PresenceListView variant="list" members={members} sort={byName} selfFirst={false} />,
    );
    expect(names()).toEqual(['Ann', 'Cy', 'Zed']);
  });

  test('10,000 members keep a small, constant DOM while scrolling', async () => {
    const many = makePeople(10_000, { selfIndex: 42 });
    const screen = await render(
      <PresenceListView variant="list" members={many} maxHeight={320} rowHeight={40} locale="en" />,
    );
    const group = screen.getByRole('group', { name: '10,000 people here' });
    await expect.element(group).toBeVisible();
    const root = group.element();
    const rows = () => root.querySelectorAll('li');
    const nodes = () => root.querySelectorAll('*').length;
    // 320 px / 40 px = 8 visible rows plus overscan on each side.
    expect(rows().length).toBeLessThanOrEqual(16);
    expect(rows().length).toBeGreaterThanOrEqual(8);
    const before = nodes();
    expect(before).toBeLessThan(200);
    expect(rows()[0]?.getAttribute('aria-setsize')).toBe('10000');

    const viewport = root.querySelector<HTMLElement>('.pk-presence-list__viewport')!;
    expect(viewport.scrollHeight).toBe(400_000);
    viewport.scrollTop = 200_000;
    await expect.poll(() => rows()[0]?.getAttribute('aria-posinset')).toBe(String(5000 - 4 + 1));
    expect(rows().length).toBeLessThanOrEqual(16);
    expect(Math.abs(nodes() - before)).toBeLessThan(40);

    viewport.scrollTop = viewport.scrollHeight;
    await expect.poll(() => rows()[rows().length - 1]?.getAttribute('aria-posinset')).toBe('10000');
    expect(rows().length).toBeLessThanOrEqual(16);
    await expectNoAxeViolations(root);
  });

  test('10,000 members in the stack popover are windowed too', async () => {
    const screen = await render(
      <PresenceListView members={makePeople(10_000)} max={5} locale="en" />,
    );
    await screen.getByRole('button', { name: 'Show 9,995 more people' }).click();
    const dialog = screen.getByRole('dialog', { name: '9,995 more people' });
    await expect.element(dialog).toBeVisible();
    expect(dialog.element().querySelectorAll('li').length).toBeLessThanOrEqual(20);
    expect(screen.container.querySelectorAll('*').length).toBeLessThan(250);
  });

  test('rows keep their DOM nodes under churn (stable keys)', async () => {
    const base = makePeople(50);
    const screen = await render(<PresenceListView variant="list" members={base} maxHeight={400} />);
    const rowOf = (id: string) =>
      Array.from(document.querySelectorAll('li')).find((li) =>
        li.textContent?.includes(
          (base.find((p) => p.clientId === id)!.data as { name: string }).name,
        ),
      );
    const third = rowOf('user-00002');
    expect(third).toBeDefined();
    // Someone after them leaves, someone new joins at the end, someone updates their status.
    const churned = [
      ...base
        .slice(0, 5)
        .map((p, i) =>
          i === 1 ? person(p.clientId, { ...(p.data as object), status: 'busy' }) : p,
        ),
      ...base.slice(6),
      person('newcomer', { name: 'New Comer' }),
    ];
    await screen.rerender(<PresenceListView variant="list" members={churned} maxHeight={400} />);
    expect(document.querySelectorAll('li')[2]).toBe(third);
  });

  test('empty, loading and error states', async () => {
    const screen = await render(<PresenceListView variant="list" members={[]} locale="en" />);
    const group = screen.getByRole('group', { name: '0 people here' });
    await expect.element(group).toHaveAttribute('data-empty', '');
    await expect.element(group.getByText('Nobody is here yet')).toBeVisible();
    await expectNoAxeViolations(screen.container);

    await screen.rerender(<PresenceListView members={[]} empty={<em>Be the first!</em>} />);
    await expect.element(screen.getByText('Be the first!')).toBeVisible();

    await screen.rerender(<PresenceListView members={[]} status="loading" />);
    const loading = screen.getByRole('group', { name: 'Loading who is here' });
    await expect.element(loading).toHaveAttribute('aria-busy', 'true');
    await expectNoAxeViolations(screen.container);

    const error = new PresenceKitError(
      'presence_fetch_failed',
      'Fetching the presence set failed.',
    );
    await screen.rerender(<PresenceListView members={[]} status="error" error={error} />);
    const failed = screen.getByRole('group', { name: 'Could not load who is here' });
    await expect.element(failed).toHaveAttribute('data-error-code', 'presence_fetch_failed');
    await expect.element(failed.getByText('Could not load who is here')).toBeVisible();
  });

  test('announces joins and leaves, throttled and summarised, when asked to', async () => {
    const base = makePeople(3);
    const view = (members: typeof base) => (
      <PresenceListView members={members} announce announceIntervalMs={1500} locale="en" />
    );
    const screen = await render(view(base));
    const region = () => screen.getByRole('status').element().textContent;
    expect(region()).toBe('');
    await screen.rerender(view([...base, person('x', { name: 'Xena' })]));
    await expect.poll(region).toBe('Xena joined');
    await screen.rerender(
      view([
        ...base.slice(1),
        person('x', { name: 'Xena' }),
        person('y', { name: 'Yul' }),
        person('z', { name: 'Zia' }),
      ]),
    );
    await expect
      .poll(region, { timeout: 4000 })
      .toBe(`2 people joined. ${String((base[0]!.data as { name: string }).name)} left`);
  });
});

test('a pending announcement survives a parent passing a new strings object', async () => {
  const base = makePeople(2);
  const strings = () => ({
    announceJoined: (names: readonly string[]) => `${names.join(' & ')} arrived`,
  });
  const first = strings();
  const view = (members: typeof base, s: ReturnType<typeof strings>) => (
    <PresenceListView members={members} announce announceIntervalMs={1500} strings={s} />
  );
  const screen = await render(view(base, first));
  const region = () => screen.getByRole('status').element().textContent;
  const withXena = [...base, person('x', { name: 'Xena' })];
  await screen.rerender(view(withXena, first));
  await expect.poll(region).toBe('Xena arrived');
  // Yul joins inside the interval (pending), then the parent re-renders with an equal but new
  // strings object, as inline `strings={{…}}` does: the pending announcement is still spoken.
  const withYul = [...withXena, person('y', { name: 'Yul' })];
  await screen.rerender(view(withYul, first));
  await screen.rerender(view(withYul, strings()));
  expect(region()).toBe('Xena arrived');
  await expect.poll(region, { timeout: 4000 }).toBe('Yul arrived');
});

describe('hostile presence data', () => {
  test('avatars on private addresses show initials in the stack, its popover and the list, and are never requested', async () => {
    const token = requestToken('list-private');
    const keys = ['avatar', 'avatarUrl', 'image'] as const;
    const members = privateAvatarUrls(token).map((url, i) =>
      person(`eve-${i}`, { name: `Eve ${i}`, [keys[i % keys.length]!]: url }),
    );
    const control = servedAvatarUrl(token, 'control');
    members.push(person('control', { name: 'Control', avatar: control }));
    // Small rows, so every avatar is near enough to the viewport for Chromium to fetch it lazily.
    const small = { rowHeight: 12, avatarSize: 10, maxHeight: 10_000, locale: 'en' } as const;
    const screen = await render(
      <div>
        <PresenceListView {...small} members={members} max={members.length} />
        <PresenceListView {...small} members={members} max={1} />
        <PresenceListView {...small} members={members} variant="list" />
      </div>,
    );
    await userEvent.click(screen.getByRole('button', { name: /more people/ }));
    const dialog = screen.getByRole('dialog').element();
    await expect.poll(() => dialog.querySelectorAll('.pk-avatar').length).toBe(members.length - 1);
    await untilLoaded(screen.container, control);
    // Every avatar on a private host has initials, in every place an avatar shows...
    const avatars = Array.from(screen.container.querySelectorAll('.pk-avatar'));
    expect(avatars).toHaveLength(members.length * 3);
    const images = avatars.filter((avatar) => !avatar.hasAttribute('data-fallback'));
    expect(images.map((avatar) => avatar.querySelector('img')?.src)).toEqual([
      control,
      control,
      control,
    ]);
    // ...and Chromium requested none of them.
    expect(new Set((await requestsContaining(token)).map((r) => r.url))).toEqual(
      new Set([control]),
    );
  });

  test('avatarUrl (prop or provider) rewrites every avatar through the app proxy; renderMember sees the result', async () => {
    const token = requestToken('list-proxy');
    const proxy = (url: string) =>
      `https://proxy.presencekit.test/${token}?u=${encodeURIComponent(url)}`;
    const members = [
      person('a', { name: 'Ada', avatar: 'http://169.254.169.254/latest/meta-data' }),
      person('b', { name: 'Bob', avatar: 'https://cdn.example.com/bob.png' }),
      person('c', { name: 'Cy', avatar: 'javascript:window.__pwned=1' }),
    ];
    const seen: (string | undefined)[] = [];
    const screen = await render(
      <div>
        <PresenceListView members={members} avatarUrl={proxy} locale="en" />
        <PresenceKitAvatarProvider avatarUrl={proxy}>
          <PresenceListView members={members} variant="list" locale="en" />
          <PresenceListView
            members={members}
            renderMember={(profile) => {
              seen.push(profile.avatarUrl);
              return <span>{profile.name}</span>;
            }}
            locale="en"
          />
        </PresenceKitAvatarProvider>
      </div>,
    );
    const sources = Array.from(screen.container.querySelectorAll('img')).map((img) => img.src);
    expect(sources).toEqual([
      proxy('http://169.254.169.254/latest/meta-data'),
      proxy('https://cdn.example.com/bob.png'),
      proxy('http://169.254.169.254/latest/meta-data'),
      proxy('https://cdn.example.com/bob.png'),
    ]);
    expect(seen.slice(-3)).toEqual([sources[0], sources[1], undefined]);
    await untilLoaded(screen.container, sources[0]!);
    await untilLoaded(screen.container, sources[1]!);
    const hosts = (await requestsContaining(token)).map((r) => new URL(r.url).host);
    expect(new Set(hosts)).toEqual(new Set(['proxy.presencekit.test']));
    expect(window.__pwned).toBeUndefined();
  });

  test('names render as inert, bidi-isolated text and unsafe avatar URLs never load', async () => {
    const screen = await render(
      <PresenceListView variant="list" members={hostilePeople()} maxHeight={2000} locale="en" />,
    );
    const root = screen.getByRole('group').element();
    // Every name is there, as text.
    for (const name of HOSTILE_NAMES.slice(0, 3)) {
      expect(Array.from(root.querySelectorAll('bdi')).some((b) => b.textContent === name)).toBe(
        true,
      );
    }
    expect(root.querySelector('script, svg, iframe, object, embed, b')).toBeNull();
    // Only URLs that pass the check reach an <img>; none of the hostile ones do.
    const sources = Array.from(root.querySelectorAll('img')).map((img) => img.getAttribute('src'));
    for (const src of sources) expect(safeAvatarUrl(src)).toBe(src);
    expect(sources.some((s) => /javascript|svg|text\/html|user:pass/i.test(s ?? ''))).toBe(false);
    // The inherited `name` and the object name were ignored: the clientId shows instead.
    expect(root.textContent).toContain('hostile-proto');
    expect(root.textContent).toContain('hostile-types');
    expect(root.textContent).not.toContain('inherited');
    // The right-to-left override stays inside its <bdi>, so it cannot flip the rest of the row.
    const rlo = Array.from(root.querySelectorAll('bdi')).find((b) =>
      b.textContent?.includes('\u202E'),
    );
    expect(rlo?.parentElement?.className).toBe('pk-presence-list__name');
    // Very long names are clipped in the DOM, not only visually.
    const longest = Math.max(
      ...Array.from(root.querySelectorAll('bdi')).map((b) => b.textContent?.length ?? 0),
    );
    expect(longest).toBeLessThanOrEqual(121);
    // The broken URL falls back to initials once the image fails.
    await expect
      .poll(() => root.querySelector('li:last-child .pk-avatar')?.hasAttribute('data-fallback'))
      .toBe(true);
    // Nothing ran.
    await new Promise((resolve) => requestAnimationFrame(resolve));
    expect(window.__pwned).toBeUndefined();
    await expectNoAxeViolations(root);
  });

  test('hostile names in the stack stay text in accessible names and tooltips', async () => {
    const screen = await render(<PresenceListView members={hostilePeople()} max={4} />);
    const first = screen.getByRole('img', { name: HOSTILE_NAMES[0] });
    await expect.element(first).toHaveAttribute('title', HOSTILE_NAMES[0]);
    expect(screen.container.querySelector('script, svg')).toBeNull();
    expect(window.__pwned).toBeUndefined();
    await expect.element(page.getByRole('button', { name: /more people/ })).toBeVisible();
  });
});
