import '../styles/presencekit.css';

import { type ReactElement, type Ref } from 'react';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { render } from 'vitest-browser-react';

import { expectNoAxeViolations } from '../../test/browser/axe';
import { uniqueRoomName } from '@presencekit/test-utils';

import { closeLiveClients, createLiveClient } from '../../test/browser/live';
import { FIXTURE_NOW, makeHistory, makePeople } from '../../test/fixtures/presence';
import { PresenceKitError } from '../core/errors';
import type { HookStatus } from '../core/types';
import { ChatClientProvider } from '../providers/ChatClientProvider';
import { ChatRoomProvider } from '../providers/ChatRoomProvider';
import { PresenceHistory } from './PresenceHistory';
import { PresenceHistoryView } from './PresenceHistoryView';
import { PresenceList } from './PresenceList';
import { PresenceListView } from './PresenceListView';
import { ViewerCount } from './ViewerCount';
import { ViewerCountView } from './ViewerCountView';

afterEach(closeLiveClients);

/** What every component promises its host page (issue 5): the same, whatever its state. */
interface Case {
  name: string;
  /** The root's own class, besides `pk-root`. */
  rootClass: string;
  /** Renders the component in `status` with the given ref and pass-through props. */
  element: (
    status: 'ready' | 'loading' | 'error' | 'empty',
    ref: Ref<HTMLElement>,
    extra: Record<string, unknown>,
  ) => ReactElement;
}

const failure = new PresenceKitError('presence_fetch_failed', 'It failed.');
const statusOf = (s: Parameters<Case['element']>[0]): HookStatus => (s === 'empty' ? 'ready' : s);

const cases: Case[] = [
  {
    name: 'ViewerCountView',
    rootClass: 'pk-viewer-count',
    element: (status, ref, extra) => (
      <ViewerCountView
        ref={ref}
        count={status === 'loading' ? undefined : status === 'empty' ? 0 : 1234}
        status={statusOf(status)}
        error={status === 'error' ? failure : undefined}
        locale="en"
        {...extra}
      />
    ),
  },
  {
    name: 'PresenceListView (stack)',
    rootClass: 'pk-presence-list',
    element: (status, ref, extra) => (
      <PresenceListView
        ref={ref as Ref<HTMLDivElement>}
        members={status === 'ready' ? makePeople(8) : []}
        status={statusOf(status)}
        error={status === 'error' ? failure : undefined}
        max={3}
        announce
        locale="en"
        {...extra}
      />
    ),
  },
  {
    name: 'PresenceListView (list)',
    rootClass: 'pk-presence-list',
    element: (status, ref, extra) => (
      <PresenceListView
        ref={ref as Ref<HTMLDivElement>}
        variant="list"
        members={status === 'ready' ? makePeople(50) : []}
        total={status === 'ready' ? 60 : undefined}
        status={statusOf(status)}
        error={status === 'error' ? failure : undefined}
        locale="en"
        {...extra}
      />
    ),
  },
  {
    name: 'PresenceHistoryView',
    rootClass: 'pk-presence-history',
    element: (status, ref, extra) => (
      <PresenceHistoryView
        ref={ref as Ref<HTMLDivElement>}
        events={status === 'ready' ? makeHistory(30) : []}
        hasNext={status === 'ready'}
        status={statusOf(status)}
        error={status === 'error' ? failure : undefined}
        now={FIXTURE_NOW}
        locale="en"
        {...extra}
      />
    ),
  },
];

describe.each(cases)('<$name>: one root, forwarded ref, rest props, data-* state', (c) => {
  test('in every state', async () => {
    const ref = { current: null as HTMLElement | null };
    const onClick = vi.fn();
    const extra = {
      id: 'mine',
      className: 'app-class',
      title: 'From the app',
      'data-app': 'yes',
      'aria-describedby': 'help',
      style: { marginInlineStart: 7 },
      onClick,
    };
    const screen = await render(
      <>
        <p id="help">help text</p>
        {c.element('loading', ref, extra)}
      </>,
    );
    const root = () => {
      // Exactly one element of the component's own next to the app's paragraph.
      expect(screen.container.children).toHaveLength(2);
      return screen.container.children[1] as HTMLElement;
    };
    const first = root();
    for (const status of ['loading', 'error', 'empty', 'ready'] as const) {
      await screen.rerender(
        <>
          <p id="help">help text</p>
          {c.element(status, ref, extra)}
        </>,
      );
      const element = root();
      // The same node throughout, handed to the ref.
      expect(element).toBe(first);
      expect(ref.current).toBe(element);
      expect(element.classList.contains('pk-root')).toBe(true);
      expect(element.classList.contains(c.rootClass)).toBe(true);
      expect(element.classList.contains('app-class')).toBe(true);
      expect(element.id).toBe('mine');
      expect(element.title).toBe('From the app');
      expect(element.dataset.app).toBe('yes');
      expect(element.getAttribute('aria-describedby')).toBe('help');
      expect(element.style.marginInlineStart).toBe('7px');
      // State as data attributes.
      expect(element.dataset.status).toBe(statusOf(status));
      expect(element.dataset.errorCode).toBe(
        status === 'error' ? 'presence_fetch_failed' : undefined,
      );
      if (c.rootClass !== 'pk-viewer-count') {
        expect(element.hasAttribute('data-empty')).toBe(status === 'empty');
      } else {
        expect(element.hasAttribute('data-zero')).toBe(status === 'empty');
      }
      expect(element.getAttribute('aria-busy')).toBe(status === 'loading' ? 'true' : null);
      await expectNoAxeViolations(screen.container);
    }
    // Event handlers pass through too.
    root().dispatchEvent(new MouseEvent('click', { bubbles: true }));
    expect(onClick).toHaveBeenCalledTimes(1);
  });
});

describe('the live components forward their ref and props to the same root', () => {
  test('<ViewerCount>, <PresenceList> and <PresenceHistory> in a room on the emulator', async () => {
    const room = uniqueRoomName('contract');
    const viewer = createLiveClient('viewer');
    const refs = {
      count: { current: null as HTMLSpanElement | null },
      list: { current: null as HTMLDivElement | null },
      history: { current: null as HTMLDivElement | null },
    };
    const screen = await render(
      <ChatClientProvider client={viewer.chat}>
        <ChatRoomProvider name={room} options={{ occupancy: { enableEvents: true } }}>
          <ViewerCount ref={refs.count} className="app" data-testid="count" locale="en" />
          <PresenceList ref={refs.list} className="app" data-testid="list" locale="en" />
          <PresenceHistory ref={refs.history} className="app" data-testid="history" locale="en" />
        </ChatRoomProvider>
      </ChatClientProvider>,
    );
    for (const [key, testId, rootClass] of [
      ['count', 'count', 'pk-viewer-count'],
      ['list', 'list', 'pk-presence-list'],
      ['history', 'history', 'pk-presence-history'],
    ] as const) {
      const root = screen.getByTestId(testId);
      await expect.element(root).toHaveAttribute('data-status', 'ready');
      await expect.element(root).toHaveClass('pk-root', rootClass, 'app');
      expect(refs[key].current).toBe(root.element());
    }
    await expect.element(screen.getByTestId('count')).toHaveAttribute('data-metric', 'connections');
    await expectNoAxeViolations(screen.container);
  });
});
