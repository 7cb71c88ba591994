import { afterEach, beforeEach, expect, test, vi } from 'vitest';

import { createAnnouncer } from './announcer';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

test('speaks the first event at once, then one summary per interval', () => {
  const spoken: string[] = [];
  const announcer = createAnnouncer<string>({
    intervalMs: 1000,
    summarize: (items) => items.join(', '),
    onAnnounce: (m) => spoken.push(m),
  });
  announcer.push('a');
  expect(spoken).toEqual(['a']);
  announcer.push('b');
  announcer.push('c');
  expect(spoken).toEqual(['a']);
  vi.advanceTimersByTime(999);
  expect(spoken).toEqual(['a']);
  vi.advanceTimersByTime(1);
  expect(spoken).toEqual(['a', 'b, c']);
  // A quiet interval passes, then the next event waits for the window to reopen.
  vi.advanceTimersByTime(1000);
  announcer.push('d');
  expect(spoken).toEqual(['a', 'b, c', 'd']);
  announcer.dispose();
  announcer.push('e');
  vi.advanceTimersByTime(5000);
  expect(spoken).toEqual(['a', 'b, c', 'd']);
});

test('a summary of null stays silent', () => {
  const onAnnounce = vi.fn();
  const announcer = createAnnouncer<number>({ intervalMs: 10, summarize: () => null, onAnnounce });
  announcer.push(1);
  vi.advanceTimersByTime(100);
  expect(onAnnounce).not.toHaveBeenCalled();
  announcer.dispose();
});
