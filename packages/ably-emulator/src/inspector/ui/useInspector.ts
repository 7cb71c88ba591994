import { createContext, useContext, useSyncExternalStore } from 'react';
import type { InspectorState, InspectorStore } from './store.js';

/** The page's store; `main.tsx` provides it. */
export const InspectorContext = createContext<InspectorStore | null>(null);

/** The store itself, for its actions. */
export function useInspectorStore(): InspectorStore {
  const store = useContext(InspectorContext);
  if (!store) {
    throw new Error(
      'useInspector needs <InspectorContext value={store}> around the page (see main.tsx).',
    );
  }
  return store;
}

/** One part of the page's state; `select` must return a part of it, not a new object. */
export function useInspector<T>(select: (state: InspectorState) => T): T {
  const store = useInspectorStore();
  return useSyncExternalStore(store.subscribe, () => select(store.getSnapshot()));
}
