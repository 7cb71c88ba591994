import type { Meta, StoryObj } from '@storybook/react-vite';
import { useEffect, useState } from 'react';
import { expect, userEvent, waitFor } from 'storybook/test';
import { z } from 'zod';

import { LiveRoom } from '../../../../.storybook/LiveRoom';
import {
  avatarDataUrl,
  type FixtureData,
  hostilePeople,
  makePeople,
  person,
} from '../../test/fixtures/presence';
import { PresenceKitError } from '../core/errors';
import { presenceSchema } from '../core/presence-schema';
import type { PresencePerson } from '../core/types';
import { useOccupancy } from '../hooks/useOccupancy';
import { PresenceList } from './PresenceList';
import { PresenceListView } from './PresenceListView';

const few = makePeople(8, { selfIndex: 2, multiDevice: [4] });
const roster = makePeople(40, { selfIndex: 0, multiDevice: [3, 7], leftIndexes: [5, 11] });
const tenThousand = makePeople(10_000, { selfIndex: 0 });

const meta = {
  title: 'Components/PresenceList',
  component: PresenceListView,
  args: { members: few, locale: 'en', max: 4 },
} satisfies Meta<typeof PresenceListView>;

export default meta;
type Story = StoryObj<typeof meta>;

/** Overlapping avatars, the local user first; "+N" opens the rest in an accessible popover. */
export const Stack: Story = {
  play: async ({ canvas }) => {
    const group = canvas.getByRole('group', { name: '8 people here' });
    await expect(canvas.getAllByRole('img')).toHaveLength(4);
    await expect(canvas.getAllByRole('img')[0]?.getAttribute('aria-label')).toMatch(/\(you\)/);
    const more = canvas.getByRole('button', { name: 'Show 4 more people' });
    more.focus();
    await userEvent.keyboard('{Enter}');
    const dialog = canvas.getByRole('dialog', { name: '4 more people' });
    await waitFor(() => expect(dialog.contains(document.activeElement)).toBe(true));
    await userEvent.keyboard('{Escape}');
    await waitFor(() => expect(more).toHaveFocus());
    await expect(group).not.toHaveAttribute('data-open');
  },
};

/** The stack with its popover open (keyboard focus inside). */
export const StackOpen: Story = {
  play: async ({ canvas }) => {
    await userEvent.click(canvas.getByRole('button', { name: 'Show 4 more people' }));
    const dialog = canvas.getByRole('dialog', { name: '4 more people' });
    await expect(dialog.querySelectorAll('li')).toHaveLength(4);
  },
};

/** Rows with avatar, name, "(you)", devices and status; people who just left are greyed. */
export const List: Story = {
  args: { members: roster, variant: 'list', style: { maxInlineSize: 420 } },
  play: async ({ canvas }) => {
    const group = canvas.getByRole('group', { name: '38 people here' });
    const rows = group.querySelectorAll('li');
    await expect(rows[0]).toHaveAttribute('data-self', '');
    await expect(group.querySelector('li[data-status="left"]')).not.toBeNull();
  },
};

/** Before the list is known: placeholder avatars, `aria-busy`. */
export const Loading: Story = {
  args: { members: [], status: 'loading' },
  play: async ({ canvas }) => {
    await expect(canvas.getByRole('group', { name: 'Loading who is here' })).toHaveAttribute(
      'aria-busy',
      'true',
    );
  },
};

/** The list could not be had. */
export const ErrorState: Story = {
  name: 'Error',
  args: {
    members: [],
    status: 'error',
    error: new PresenceKitError('presence_fetch_failed', 'Fetching the presence set failed.'),
  },
  play: async ({ canvas }) => {
    await expect(canvas.getByRole('group', { name: 'Could not load who is here' })).toHaveAttribute(
      'data-error-code',
      'presence_fetch_failed',
    );
  },
};

/** Nobody here. */
export const Empty: Story = {
  args: { members: [], variant: 'list' },
  play: async ({ canvas }) => {
    await expect(canvas.getByText('Nobody is here yet')).toBeVisible();
  },
};

/** A few people, with `total` from occupancy counting those not in presence. */
export const WithTotal: Story = {
  args: { members: makePeople(3), max: 3, total: 1204 },
  play: async ({ canvas }) => {
    await expect(canvas.getByRole('button', { name: 'Show 1,201 more people' })).toHaveTextContent(
      '+1,201',
    );
  },
};

/** 10,000 members: windowed, so the DOM holds only the rows in view. */
export const TenThousand: Story = {
  name: '10,000 members',
  args: { members: tenThousand, variant: 'list', style: { maxInlineSize: 420 } },
  play: async ({ canvas }) => {
    const group = canvas.getByRole('group', { name: '10,000 people here' });
    await expect(group.querySelectorAll('li').length).toBeLessThanOrEqual(20);
    const viewport = group.querySelector<HTMLElement>('.pk-presence-list__viewport')!;
    viewport.scrollTop = viewport.scrollHeight / 2;
    await waitFor(() =>
      expect(Number(group.querySelector('li')?.getAttribute('aria-posinset'))).toBeGreaterThan(
        4000,
      ),
    );
    await expect(group.querySelectorAll('*').length).toBeLessThan(250);
  },
};

/** 10,000 members in a stack: the popover's list is windowed too. */
export const TenThousandStack: Story = {
  name: '10,000 members (stack)',
  args: { members: tenThousand, max: 5 },
  play: async ({ canvas }) => {
    await userEvent.click(canvas.getByRole('button', { name: 'Show 9,995 more people' }));
    const dialog = canvas.getByRole('dialog');
    await expect(dialog.querySelectorAll('li').length).toBeLessThanOrEqual(20);
  },
};

function Churning({ variant }: { variant: 'stack' | 'list' }) {
  const [people, setPeople] = useState<PresencePerson<FixtureData>[]>(() =>
    makePeople(2000, { selfIndex: 0 }),
  );
  const [ticks, setTicks] = useState(0);
  useEffect(() => {
    let next = 0;
    const timer = setInterval(() => {
      setPeople((current) => {
        // Twenty leave, twenty join and twenty change status, ten times a second.
        const kept = current.filter((_, i) => i === 0 || (i + next) % 97 !== 0).slice(0, 1980);
        const joined = Array.from({ length: 20 }, (_, i) =>
          person(`churn-${next}-${i}`, { name: `Newcomer ${next}-${i}`, status: 'online' }),
        );
        const updated = kept.map((p, i) =>
          i > 0 && i % 100 === next % 100
            ? person(p.clientId, { ...(p.data as object), status: 'away' }, { isSelf: p.isSelf })
            : p,
        );
        next += 1;
        return [...updated, ...joined];
      });
      setTicks((t) => t + 1);
    }, 100);
    return () => clearInterval(timer);
  }, []);
  return (
    <PresenceListView members={people} variant={variant} locale="en" max={5} data-ticks={ticks} />
  );
}

/** Two thousand people, sixty changes ten times a second: rows stay put, the DOM stays small. */
export const HeavyChurn: Story = {
  args: { members: [] },
  render: () => (
    <div style={{ display: 'grid', gap: 16 }}>
      <Churning variant="stack" />
      <Churning variant="list" />
    </div>
  ),
  play: async ({ canvasElement }) => {
    const list = canvasElement.querySelector<HTMLElement>('[data-variant="list"]')!;
    const firstRow = list.querySelector('li');
    await waitFor(() => expect(Number(list.dataset.ticks)).toBeGreaterThanOrEqual(5), {
      timeout: 15_000,
    });
    // The local user's row (first) is the same DOM node after hundreds of changes.
    await expect(list.querySelector('li')).toBe(firstRow);
    await expect(list.querySelectorAll('li').length).toBeLessThanOrEqual(20);
  },
};

/** Hostile and awkward names and avatar URLs: all text, no unsafe URL loaded, broken images fall back. */
export const LongNamesAndBrokenAvatars: Story = {
  args: { members: hostilePeople(), variant: 'list', maxHeight: 520 },
  play: async ({ canvasElement }) => {
    await expect(canvasElement.querySelector('script, svg, iframe')).toBeNull();
    for (const img of Array.from(canvasElement.querySelectorAll('img'))) {
      await expect(img.getAttribute('src')).toMatch(
        /^(https?:|data:image\/(png|jpeg|gif|webp|avif))/,
      );
    }
    await waitFor(() =>
      expect(
        canvasElement.querySelector('li:last-child .pk-avatar')?.hasAttribute('data-fallback'),
      ).toBe(true),
    );
  },
};

const privateAvatars = [
  person('metadata', { name: 'Cloud Metadata', avatar: 'http://169.254.169.254/latest/meta-data' }),
  person('router', { name: 'Home Router', avatar: 'http://192.168.1.1/logo.png' }),
  person('loopback', { name: 'Loop Back', avatar: 'http://0x7f.1:8080/admin' }),
  person('link-local', { name: 'Link Local', avatar: 'http://[fe80::1]/a.png' }),
  person('localhost', { name: 'Local Host', avatar: 'http://localhost:3000/avatar.png' }),
];

/**
 * Stands in for your image proxy (`https://app.example/avatar?u=…`), which Storybook does not
 * have: it answers every URL with a picture drawn in the page.
 */
const imageProxy = (url: string) => avatarDataUrl(url.length % 16);

/**
 * Avatars on private addresses show initials and are never requested (left). With `avatarUrl`
 * (or `PresenceKitAvatarProvider`) the app decides instead, here through its image proxy (right).
 */
export const PrivateAddressAvatars: Story = {
  name: 'Private-address avatars and avatarUrl',
  args: { members: privateAvatars, variant: 'list' },
  render: (args) => (
    <div style={{ display: 'grid', gap: 16, gridTemplateColumns: '1fr 1fr', maxInlineSize: 720 }}>
      <PresenceListView {...args} aria-label="Default rule" />
      <PresenceListView {...args} avatarUrl={imageProxy} aria-label="Through the app's proxy" />
    </div>
  ),
  play: async ({ canvas }) => {
    const refused = canvas.getByRole('group', { name: 'Default rule' });
    await expect(refused.querySelectorAll('.pk-avatar[data-fallback]')).toHaveLength(5);
    await expect(refused.querySelector('img')).toBeNull();
    const proxied = canvas.getByRole('group', { name: "Through the app's proxy" });
    await waitFor(() => expect(proxied.querySelectorAll('img')).toHaveLength(5));
    for (const img of Array.from(proxied.querySelectorAll('img'))) {
      await expect(img.getAttribute('src')).toMatch(/^data:image\/png/);
    }
  },
};

/** The stack and the list in the dark theme, popover open. */
export const Dark: Story = {
  globals: { theme: 'dark' },
  render: (args) => (
    <div style={{ display: 'grid', gap: 16, maxInlineSize: 420 }}>
      <PresenceListView {...args} members={roster} variant="list" maxHeight={240} />
      <PresenceListView {...args} members={roster} />
    </div>
  ),
  play: async ({ canvas }) => {
    // The dark tokens are in force (light text), not just a dark page behind light components.
    for (const group of canvas.getAllByRole('group')) {
      await expect(getComputedStyle(group).color).toBe('rgb(236, 236, 241)');
    }
    await userEvent.click(canvas.getByRole('button', { name: /more people/ }));
    await expect(canvas.getByRole('dialog')).toBeVisible();
    await expect(getComputedStyle(canvas.getByRole('dialog')).backgroundColor).toBe(
      'rgb(29, 29, 34)',
    );
  },
};

const arabic = [
  person('me', { name: 'ليلى حداد', status: 'online' }, { isSelf: true }),
  person('a', { name: 'محمد عبد الله', status: 'away' }),
  person('b', { name: 'מרים כהן', status: 'busy' }),
  person('c', { name: 'Ada Lovelace', status: 'online' }),
  person('d', { name: 'يوسف', status: 'online' }),
  person('e', { name: 'سارة', status: 'online' }),
];

/** Right to left: the stack grows leftwards, rows mirror, names keep their own direction; "+3" stays "+3". */
export const RightToLeft: Story = {
  globals: { direction: 'rtl', lang: 'ar' },
  args: {
    members: arabic,
    locale: 'ar',
    max: 3,
    strings: {
      you: '(أنت)',
      presenceListLabel: (_n, formatted) => `${formatted} أشخاص هنا`,
      moreButtonLabel: (_n, formatted) => `عرض ${formatted} آخرين`,
      morePopoverLabel: (_n, formatted) => `${formatted} آخرون`,
      status: { online: 'متصل', away: 'بعيد', busy: 'مشغول', left: 'غادر' },
    },
  },
  render: (args) => (
    <div style={{ display: 'grid', gap: 16, maxInlineSize: 420 }}>
      <PresenceListView {...args} />
      <PresenceListView {...args} variant="list" />
    </div>
  ),
  play: async ({ canvas }) => {
    const avatars = canvas.getAllByRole('img');
    const [first, second] = [avatars[0]!, avatars[1]!].map((a) => a.getBoundingClientRect());
    await expect(first!.left).toBeGreaterThan(second!.left);
    // The "+N" token keeps its sign on the left.
    const more = canvas.getByRole('button', { name: 'عرض 3 آخرين' });
    await expect(more).toHaveTextContent('+3');
    const text = document.createTreeWalker(more, NodeFilter.SHOW_TEXT).nextNode()!;
    const left = (i: number) => {
      const range = document.createRange();
      range.setStart(text, i);
      range.setEnd(text, i + 1);
      return range.getBoundingClientRect().left;
    };
    await expect(left(0)).toBeLessThan(left(1));
  },
};

function LiveLists() {
  const { presenceMembers } = useOccupancy();
  return (
    <div style={{ display: 'grid', gap: 16, maxInlineSize: 420 }}>
      <PresenceList locale="en" max={5} total={presenceMembers} />
      <PresenceList locale="en" variant="list" leftGraceMs={5000} />
    </div>
  );
}

/**
 * Live against the emulator: simulated visitors join, leave and change status. Their avatars are
 * on the emulator (a loopback address), which `LiveRoom` allows with `PresenceKitAvatarProvider`.
 */
export const Live: StoryObj<typeof PresenceList> = {
  render: () => (
    <LiveRoom room="storybook-lobby" clientId="storybook-viewer">
      <LiveLists />
    </LiveRoom>
  ),
  play: async ({ canvasElement }) => {
    await waitFor(
      async () => {
        const list = canvasElement.querySelector('[data-variant="list"]');
        await expect(list?.getAttribute('data-status')).toBe('ready');
        await expect(list?.querySelectorAll('li').length).toBeGreaterThan(3);
        const loaded = Array.from(list?.querySelectorAll('img') ?? []).filter(
          (img) => img.complete && img.naturalWidth > 0 && img.src.includes('/avatars/'),
        );
        await expect(loaded.length).toBeGreaterThan(0);
      },
      { timeout: 10_000 },
    );
  },
};

// Made once, at module scope, as the docs ask: the simulated visitors' data, where only
// `status: 'online'` passes, to show what the schema does with the others.
const OnlineVisitor = presenceSchema(
  z.object({
    name: z.string().max(40),
    avatar: z.string().optional(),
    status: z.literal('online'),
  }),
);

/**
 * With a `schema`: visitors whose data fails it (here, anyone not `'online'`) are left out by
 * default (left), or kept and shown by their client id with `invalidData="flag"` (right).
 */
export const LiveWithSchema: StoryObj<typeof PresenceList> = {
  render: () => (
    <LiveRoom room="storybook-lobby" clientId="storybook-schema-viewer">
      <div style={{ display: 'flex', gap: 24 }}>
        <PresenceList variant="list" locale="en" schema={OnlineVisitor} data-testid="excluded" />
        <PresenceList
          variant="list"
          locale="en"
          schema={OnlineVisitor}
          invalidData="flag"
          data-testid="flagged"
        />
      </div>
    </LiveRoom>
  ),
  play: async ({ canvasElement }) => {
    const rows = (id: string) => canvasElement.querySelectorAll(`[data-testid="${id}"] li`).length;
    await waitFor(
      async () => {
        await expect(rows('excluded')).toBeGreaterThan(0);
        await expect(rows('flagged')).toBeGreaterThanOrEqual(rows('excluded'));
      },
      { timeout: 10_000 },
    );
  },
};
