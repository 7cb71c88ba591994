import { describe, expect, test, vi } from 'vitest';

import { type ExternalStore, cell } from './store';
import { firstData, readPromise, releaseFirstData } from './suspense';

/** A store over a cell that counts its listeners, as a shared store starts and stops with them. */
function countedStore(initial: string): ExternalStore<string> & {
  set: (value: string) => void;
  listeners: () => number;
} {
  const value = cell(initial);
  let listeners = 0;
  return {
    getSnapshot: value.get,
    set: value.set,
    listeners: () => listeners,
    subscribe(listener) {
      listeners++;
      const off = value.subscribe(listener);
      return () => {
        listeners--;
        off();
      };
    },
  };
}

describe('firstData', () => {
  test('one promise per store while pending, resolved by the store, held until released', async () => {
    const store = countedStore('loading');
    const ready = (s: string) => s !== 'loading';
    const first = firstData(store, ready);
    expect(firstData(store, ready)).toBe(first);
    expect(store.listeners()).toBe(1);

    let resolved = false;
    void first.then(() => (resolved = true));
    store.set('still loading');
    await Promise.resolve();
    expect(resolved).toBe(true);
    // Kept running after resolving, until the committed component takes over.
    expect(store.listeners()).toBe(1);
    releaseFirstData(store);
    expect(store.listeners()).toBe(0);
    releaseFirstData(store);
    expect(store.listeners()).toBe(0);
  });

  test('a store that already has data resolves at once; an abandoned hold lets go by itself', async () => {
    vi.useFakeTimers();
    try {
      const store = countedStore('data');
      await firstData(store, (s) => s === 'data');
      expect(store.listeners()).toBe(1);
      vi.advanceTimersByTime(30_000);
      expect(store.listeners()).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });

  test('a pending hold is not released by a commit elsewhere', () => {
    const store = countedStore('loading');
    void firstData(store, (s) => s !== 'loading');
    releaseFirstData(store);
    expect(store.listeners()).toBe(1);
  });
});

describe('readPromise', () => {
  test('throws the promise until it settles, then returns its value or throws its reason', async () => {
    const promise = Promise.resolve(42);
    expect(() => readPromise(promise)).toThrow();
    try {
      readPromise(promise);
    } catch (thrown) {
      expect(thrown).toBe(promise);
    }
    await promise;
    expect(readPromise(promise)).toBe(42);

    const failing = Promise.reject(new Error('nope'));
    try {
      readPromise(failing);
    } catch (thrown) {
      expect(thrown).toBe(failing);
    }
    await failing.catch(() => undefined);
    expect(() => readPromise(failing)).toThrow('nope');
  });

  test('reads a promise React or the RSC runtime already marked as fulfilled on the first call', () => {
    const promise = Object.assign(new Promise<number>(() => {}), {
      status: 'fulfilled',
      value: 7,
    });
    expect(readPromise(promise)).toBe(7);
  });
});

describe('readPromise on a thenable with bookkeeping of its own', () => {
  test('an RSC-style chunk is asked to settle, never written to, and read once it says fulfilled', () => {
    const listeners: (() => void)[] = [];
    const chunk = {
      status: 'resolved_model',
      value: '{"connections":3}' as unknown,
      reason: null as unknown,
      then(resolve: () => void) {
        // Parses itself on first `then`, as React's Flight chunks do.
        if (chunk.status === 'resolved_model') {
          chunk.status = 'fulfilled';
          chunk.value = JSON.parse(chunk.value as string);
        }
        listeners.push(resolve);
      },
    };
    expect(readPromise(chunk as unknown as PromiseLike<unknown>)).toEqual({ connections: 3 });

    const pending = { status: 'pending', value: [] as unknown[], reason: [], then: vi.fn() };
    expect(() => readPromise(pending as unknown as PromiseLike<unknown>)).toThrow();
    expect(pending.status).toBe('pending');
    expect(pending.value).toEqual([]);
  });
});
