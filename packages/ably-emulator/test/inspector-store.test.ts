import { describe, expect, test } from 'vitest';
import {
  applyChanges,
  applySnapshot,
  applyUpdate,
  INITIAL_STATE,
} from '../src/inspector/ui/store.js';
import { LOG_LIMIT, type LogEntry, type Snapshot } from '../src/inspector/wire.js';

/** The inspector page's store: its pure transitions, without a browser or an emulator. */

const id = (row: { id: string }) => row.id;

describe('applyChanges', () => {
  test('replaces rows where they are, appends new ones, drops removed ones', () => {
    const rows = [
      { id: 'a', v: 1 },
      { id: 'b', v: 1 },
      { id: 'c', v: 1 },
    ];
    const next = applyChanges(
      rows,
      {
        set: [
          { id: 'd', v: 1 },
          { id: 'b', v: 2 },
        ],
        remove: ['a'],
      },
      id,
    );
    expect(next).toEqual([
      { id: 'b', v: 2 },
      { id: 'c', v: 1 },
      { id: 'd', v: 1 },
    ]);
    expect(rows).toHaveLength(3);
  });

  test('keeps the same array when nothing changed (no re-render)', () => {
    const rows = [{ id: 'a' }];
    expect(applyChanges(rows, undefined, id)).toBe(rows);
    expect(applyChanges(rows, { set: [], remove: [] }, id)).toBe(rows);
  });
});

function entry(seq: number): LogEntry {
  const base = { kind: 'presence', action: 'enter', channel: 'c', clientId: 'x' } as const;
  return { ...base, seq, at: seq, connectionId: null, detail: null };
}

test('a snapshot replaces everything; updates keep what they do not mention', () => {
  const snapshot: Snapshot = {
    emulator: {
      url: 'http://127.0.0.1:1',
      defaultApp: 'emulator',
      leaveGraceMs: 15_000,
      maxPresenceMembers: 200,
      latency: { ms: 0, jitterMs: 0 },
      visitors: {},
    },
    apps: [{ id: 'emulator', channels: 1, connections: 1 }],
    app: 'emulator',
    channels: [],
    channelsTotal: 0,
    connections: [],
    channel: 'c',
    members: [{ key: 'x:1', clientId: 'x', connectionId: '1', data: null, since: 1, updated: 1 }],
    log: [entry(1)],
  };
  const live = applySnapshot(INITIAL_STATE, snapshot);
  expect(live.status).toBe('live');
  const next = applyUpdate(live, {
    members: { set: [], remove: ['x:1'] },
    log: Array.from({ length: LOG_LIMIT }, (_, i) => entry(i + 2)),
  });
  expect(next.members).toEqual([]);
  expect(next.connections).toBe(live.connections);
  expect(next.apps).toBe(live.apps);
  // At most LOG_LIMIT entries, the newest.
  expect(next.log).toHaveLength(LOG_LIMIT);
  expect(next.log[0]!.seq).toBe(2);
});
