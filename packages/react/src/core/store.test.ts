import { afterEach, describe, expect, test, vi } from 'vitest';

import { SharedStore, cell, same } from './store';

/** A store that counts its starts and stops. */
class Counting extends SharedStore<number> {
  starts = 0;
  stops = 0;
  protected start(): () => void {
    this.starts++;
    return () => void this.stops++;
  }
  bump(): void {
    this.set(this.getSnapshot() + 1);
  }
}

afterEach(() => void vi.useRealTimers());

describe('cell', () => {
  test('notifies on a new value only', () => {
    const value = cell(1);
    const listener = vi.fn();
    const off = value.subscribe(listener);
    value.set(1);
    expect(listener).not.toHaveBeenCalled();
    value.set(2);
    expect(value.get()).toBe(2);
    expect(listener).toHaveBeenCalledTimes(1);
    off();
    value.set(3);
    expect(listener).toHaveBeenCalledTimes(1);
  });
});

describe('SharedStore', () => {
  test('starts on the first listener and stops a macrotask after the last', () => {
    vi.useFakeTimers();
    const store = new Counting(0);
    const a = store.subscribe(() => undefined);
    const b = store.subscribe(() => undefined);
    expect(store.starts).toBe(1);
    a();
    b();
    b(); // twice: no effect
    expect(store.stops).toBe(0);
    vi.runAllTimers();
    expect(store.stops).toBe(1);
  });

  test("StrictMode's unsubscribe-then-resubscribe does not restart", () => {
    vi.useFakeTimers();
    const store = new Counting(0);
    store.subscribe(() => undefined)();
    const listener = vi.fn();
    store.subscribe(listener);
    vi.runAllTimers();
    expect([store.starts, store.stops]).toEqual([1, 0]);
    store.bump();
    expect(listener).toHaveBeenCalledTimes(1);
    expect(store.getSnapshot()).toBe(1);
  });
});

describe('same', () => {
  test('keeps the previous object while every field is equal (errors by code)', () => {
    const error = { code: 'x' };
    const previous = { status: 'error', error };
    expect(same(previous, { status: 'error', error: { code: 'x' } })).toBe(previous);
    const next = { status: 'ready', error };
    expect(same(previous, next)).toBe(next);
  });
});
