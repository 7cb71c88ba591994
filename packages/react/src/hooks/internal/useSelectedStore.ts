import { useEffect, useMemo, useRef, useSyncExternalStore } from 'react';

import type { ExternalStore } from '../../core/store';

/**
 * `useSyncExternalStore` with a selector: the component re-renders only when `isEqual` says the
 * selected value changed. Same contract as React's `useSyncExternalStoreWithSelector`: the last
 * rendered selection is remembered across renders, so an inline selector that builds a new array
 * each time does not loop, and a store change that the selector ignores costs no render.
 */
export function useSelectedStore<S, T>(
  store: ExternalStore<S>,
  serverSnapshot: S,
  select: (snapshot: S) => T,
  isEqual: (a: T, b: T) => boolean,
): T {
  // The selection React last committed; written after commit, read when selecting anew.
  const committed = useRef<{ value: T } | null>(null);

  const [getSelection, getServerSelection] = useMemo(() => {
    // The last (snapshot, selection) pair: React calls getSnapshot repeatedly and expects the
    // same value back for the same snapshot.
    const memo: { last?: { snapshot: S; selection: T } } = {};
    const selectMemoized = (snapshot: S): T => {
      const { last } = memo;
      if (last && Object.is(last.snapshot, snapshot)) return last.selection;
      const next = select(snapshot);
      const prior =
        last ?? (committed.current ? { selection: committed.current.value } : undefined);
      const selection = prior && isEqual(prior.selection, next) ? prior.selection : next;
      memo.last = { snapshot, selection };
      return selection;
    };
    return [() => selectMemoized(store.getSnapshot()), () => selectMemoized(serverSnapshot)];
  }, [store, serverSnapshot, select, isEqual]);

  const value = useSyncExternalStore(store.subscribe, getSelection, getServerSelection);
  useEffect(() => {
    committed.current = { value };
  }, [value]);
  return value;
}
