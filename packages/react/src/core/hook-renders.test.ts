import { expect, test } from 'vitest';

import { countCommit, hookRenders, mountedHooks, trackHook } from './hook-renders';
import { constantStore } from './store';

const source = constantStore({ room: undefined, error: undefined });

test('a commit counts once, however often StrictMode replays its effects', () => {
  const record = hookRenders('useOccupancy()');
  const first = {};
  countCommit(record, source, first);
  countCommit(record, source, first);
  expect(record.renders).toBe(1);
  countCommit(record, source, {});
  expect(record).toMatchObject({ hook: 'useOccupancy()', source, renders: 2 });
});

test('mounted hooks are listed in mount order until they unmount', () => {
  const a = hookRenders('a');
  const b = hookRenders('b');
  const untrackA = trackHook(a);
  const untrackB = trackHook(b);
  expect(mountedHooks()).toEqual([a, b]);
  untrackA();
  expect(mountedHooks()).toEqual([b]);
  untrackB();
  expect(mountedHooks()).toEqual([]);
});
