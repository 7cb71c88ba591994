import { type RefObject, useEffect, useLayoutEffect, useRef } from 'react';

// React 18 warns about useLayoutEffect during server rendering; nothing has focus there anyway.
const useCommitEffect = typeof document === 'undefined' ? useEffect : useLayoutEffect;

const FOCUSABLE = 'a[href], button, input, select, textarea, [tabindex]:not([tabindex="-1"])';

interface Focused<T> {
  readonly element: Element;
  where: T;
}

/**
 * Where focus goes when its element was removed: the element to focus (`null`: leave it).
 * @param where - What `locate` said about the element after the last commit that kept it.
 * @param root - The element focus is kept in.
 */
export type FocusRescue<T> = (where: T, root: HTMLElement) => HTMLElement | null;

/**
 * Keeps keyboard focus inside a component whose items come and go. When a re-render removes the
 * focused element (the person left, or was pushed out of view), or moves it (some browsers drop
 * focus from a moved node), focus would fall to `<body>` and a keyboard user would lose their
 * place; right after that commit, `rescue` says where it goes instead. Focus that was not inside
 * `root`, or that the user moved away, is never taken.
 *
 * @param root - The component's root element, the same for its whole life.
 * @param locate - Where a focused element is (its index, its key), for `rescue`; `undefined` to
 *   let it go. Asked on focus and after every commit that keeps the element.
 */
export function useKeepFocus<T>(
  root: RefObject<HTMLElement | null>,
  locate: (element: Element) => T | undefined,
  rescue: FocusRescue<T>,
): void {
  const focused = useRef<Focused<T> | null>(null);
  // The last commit's locate, which matches the DOM that events see.
  const locateCommitted = useRef(locate);

  useCommitEffect(() => {
    locateCommitted.current = locate;
    const was = focused.current;
    const element = root.current;
    if (!was || !element) return;
    const { activeElement, body } = element.ownerDocument;
    if (activeElement === was.element) {
      const where = locate(was.element);
      if (where === undefined) focused.current = null;
      else was.where = where;
      return;
    }
    if (activeElement && activeElement !== body) return;
    // Still tracked with focus on <body>: this commit took it (a user's blur is forgotten first).
    focused.current = null;
    const moved = was.element.isConnected && element.contains(was.element);
    const target = moved ? (was.element as HTMLElement) : rescue(was.where, element);
    target?.focus({ preventScroll: true });
  });

  // Native listeners on the root: React's own skip the blur that a removal causes mid-commit.
  useCommitEffect(() => {
    const element = root.current;
    if (!element) return;
    const onFocusIn = (event: FocusEvent) => {
      const target = event.target as Element;
      const where = locateCommitted.current(target);
      focused.current = where === undefined ? null : { element: target, where };
    };
    const onFocusOut = () => {
      const was = focused.current;
      // Chromium blurs a removed element inside React's commit, whose layout effects run before
      // any microtask; other browsers do not blur it at all. A blur the user causes (clicking the
      // page, tabbing away) is forgotten here, before a later commit could mistake it for a
      // removal; switching windows keeps the element active and tracked.
      queueMicrotask(() => {
        if (was && focused.current === was && element.ownerDocument.activeElement !== was.element) {
          focused.current = null;
        }
      });
    };
    element.addEventListener('focusin', onFocusIn);
    element.addEventListener('focusout', onFocusOut);
    return () => {
      element.removeEventListener('focusin', onFocusIn);
      element.removeEventListener('focusout', onFocusOut);
    };
  }, [root]);
}

/**
 * The first focusable element in `items[index]` (or the item itself), else in the nearest item
 * before it: the neighbour that takes the place of a removed one.
 */
export function focusableNear(items: ArrayLike<Element>, index: number): HTMLElement | null {
  for (let i = Math.min(index, items.length - 1); i >= 0; i--) {
    const item = items[i];
    const target = item?.matches(FOCUSABLE) ? item : item?.querySelector(FOCUSABLE);
    if (target) return target as HTMLElement;
  }
  return null;
}

/** Focuses `root` as the last resort, making it focusable from script only if it is not. */
export function focusableRoot(root: HTMLElement): HTMLElement | null {
  if (!root.isConnected) return null;
  if (!root.hasAttribute('tabindex')) root.tabIndex = -1;
  return root;
}

/**
 * {@link useKeepFocus} for a windowed list whose rows may hold focusable content. A focused row
 * scrolled out of the window hands focus to the scroller being scrolled (which keeps the keyboard
 * scrolling); a row whose entry is gone, to the row now in its place; anything else lost, to the
 * scroller, else to `root`.
 *
 * @param list - The element whose children are the rendered rows, entries `start` onwards.
 * @param keyAt - The key of entry `index` of all `count`.
 */
export function useKeepRowFocus(
  root: RefObject<HTMLElement | null>,
  list: RefObject<HTMLElement | null>,
  viewport: RefObject<HTMLElement | null>,
  start: number,
  count: number,
  keyAt: (index: number) => string | undefined,
): void {
  useKeepFocus(
    root,
    (element) => {
      const rows = list.current?.children ?? [];
      for (let i = 0; i < rows.length; i++) {
        if (rows[i]?.contains(element)) return { index: i, key: keyAt(start + i) };
      }
      return { index: -1, key: undefined };
    },
    ({ index, key }, rootElement) => {
      const rows = list.current;
      let gone = index >= 0;
      for (let i = 0; gone && i < count; i++) gone = keyAt(i) !== key;
      const near = gone && rows ? focusableNear(rows.children, index) : null;
      const scroller = viewport.current;
      return near ?? (scroller?.isConnected ? scroller : focusableRoot(rootElement));
    },
  );
}
