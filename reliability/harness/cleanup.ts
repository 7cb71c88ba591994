import { afterEach } from 'vitest';

const pending: (() => unknown)[] = [];

// After each test, undo what it started, newest first (clients before the server they use).
afterEach(async () => {
  for (const fn of pending.splice(0).reverse()) await fn();
});

/** Registers something to stop or close after the current test. */
export function onCleanup(fn: () => unknown): void {
  pending.push(fn);
}
