import { expect, test } from 'vitest';
import { HistoryStore } from '../src/state/history.js';

interface Item {
  timestamp: number;
  clientId?: string;
  n: number;
}

function store(retentionMs = 1_000_000) {
  let now = 1_000;
  const s = new HistoryStore<Item>(
    () => retentionMs,
    () => now,
  );
  return { s, advance: (ms: number) => (now += ms), now: () => now };
}

test('backwards by default, forwards on request, cursor pagination', () => {
  const { s, now } = store();
  for (let n = 0; n < 5; n++)
    s.append({ timestamp: now() + n, n, clientId: n % 2 ? 'odd' : 'even' });
  const page1 = s.query({ limit: 2 });
  expect(page1.items.map((i) => i.n)).toEqual([4, 3]);
  const page2 = s.query({ limit: 2, cursor: page1.next! });
  expect(page2.items.map((i) => i.n)).toEqual([2, 1]);
  const page3 = s.query({ limit: 2, cursor: page2.next! });
  expect(page3.items.map((i) => i.n)).toEqual([0]);
  expect(page3.next).toBeUndefined();
  const fwd = s.query({ direction: 'forwards', limit: 3 });
  expect(fwd.items.map((i) => i.n)).toEqual([0, 1, 2]);
  expect(s.query({ direction: 'forwards', cursor: fwd.next! }).items.map((i) => i.n)).toEqual([
    3, 4,
  ]);
});

test('start/end (inclusive) and clientId filters', () => {
  const { s, now } = store();
  const t0 = now();
  for (let n = 0; n < 6; n++)
    s.append({ timestamp: t0 + n * 10, n, clientId: n % 2 ? 'odd' : 'even' });
  expect(s.query({ start: t0 + 10, end: t0 + 30 }).items.map((i) => i.n)).toEqual([3, 2, 1]);
  expect(s.query({ clientId: 'odd', direction: 'forwards' }).items.map((i) => i.n)).toEqual([
    1, 3, 5,
  ]);
  expect(() => s.query({ cursor: 'x' })).toThrow(RangeError);
});

test('retention drops old items', () => {
  const { s, advance, now } = store(100);
  s.append({ timestamp: now(), n: 1 });
  advance(60);
  s.append({ timestamp: now(), n: 2 });
  advance(60);
  expect(s.query().items.map((i) => i.n)).toEqual([2]);
  expect(s.size).toBe(1);
});
