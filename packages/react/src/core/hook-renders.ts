import type { RoomSource } from './room-source';

/**
 * Development only: one mounted room hook and how many renders React committed for it, for
 * `<PresenceKitDevtools>`. Plain mutable records, read by the devtools on their own schedule:
 * counting never notifies anyone, so it cannot cause a render.
 */
export interface HookRenders {
  /** The hook's name, as in its error messages (`'usePresenceMembers()'`). */
  readonly hook: string;
  /** Where the hook gets its room (a provider's registry entry, the `room` option, …). */
  source: RoomSource | undefined;
  /** Renders React committed (StrictMode's replayed effects not counted twice). */
  renders: number;
}

const mounted = new Set<HookRenders>();
const lastCommit = new WeakMap<HookRenders, object>();

/** A new record for a hook, with no render counted yet. */
export function hookRenders(hook: string): HookRenders {
  return { hook, source: undefined, renders: 0 };
}

/** Counts the commit of `render` (once, however often its effects run) and its room source. */
export function countCommit(record: HookRenders, source: RoomSource, render: object): void {
  record.source = source;
  if (lastCommit.get(record) === render) return;
  lastCommit.set(record, render);
  record.renders++;
}

/** Adds a mounted hook; returns the function that removes it. */
export function trackHook(record: HookRenders): () => void {
  mounted.add(record);
  return () => void mounted.delete(record);
}

/** The room hooks mounted now, in mount order. */
export function mountedHooks(): readonly HookRenders[] {
  return [...mounted];
}
