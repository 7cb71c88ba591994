import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';

import { frameBatch } from './frame';

/** Frames run by hand: `frame()` runs the callbacks requested so far, as a browser frame would. */
let callbacks: (() => void)[] = [];
const frame = (): void => {
  const due = callbacks;
  callbacks = [];
  for (const callback of due) callback();
};
const tick = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

beforeEach(() => {
  callbacks = [];
  vi.stubGlobal('requestAnimationFrame', (callback: () => void) => callbacks.push(callback));
  vi.stubGlobal('cancelAnimationFrame', (id: number) => {
    callbacks[id - 1] = () => undefined;
  });
});
afterEach(() => {
  vi.unstubAllGlobals();
});

describe('frameBatch', () => {
  test('a lone change flushes at once (one microtask later), without waiting for a frame', async () => {
    const flush = vi.fn();
    const batch = frameBatch(flush);
    batch();
    batch(); // same task: same flush
    expect(flush).not.toHaveBeenCalled();
    await Promise.resolve();
    expect(flush).toHaveBeenCalledTimes(1);
  });

  test('changes after a flush wait for the frame, then flush once right after it', async () => {
    const flush = vi.fn();
    const batch = frameBatch(flush);
    batch();
    await Promise.resolve();
    batch();
    batch();
    await tick();
    expect(flush).toHaveBeenCalledTimes(1); // the coming frame paints the first flush only
    frame();
    await Promise.resolve();
    expect(flush).toHaveBeenCalledTimes(1); // not inside the frame: that would be a second commit
    await tick();
    expect(flush).toHaveBeenCalledTimes(2);
  });

  test('a burst spread over many frames costs one flush per frame', async () => {
    const flush = vi.fn();
    const batch = frameBatch(flush);
    for (let i = 0; i < 10; i++) {
      for (let j = 0; j < 50; j++) {
        batch();
        await Promise.resolve();
      }
      await tick();
      frame();
      await tick();
    }
    // The first change at once, then one per frame: each of the 10 frames painted one flush.
    expect(flush).toHaveBeenCalledTimes(11);
    // Once quiet, the next change flushes at once again.
    frame();
    batch();
    await Promise.resolve();
    expect(flush).toHaveBeenCalledTimes(12);
  });

  test('cancel drops what was asked for', async () => {
    const flush = vi.fn();
    const batch = frameBatch(flush);
    batch();
    batch.cancel();
    await tick();
    frame();
    await tick();
    expect(flush).not.toHaveBeenCalled();
  });
});
