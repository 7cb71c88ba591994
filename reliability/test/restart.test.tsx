import * as Ably from 'ably';
import { expect, test, vi } from 'vitest';

import { EmulatorProcess } from '../harness/emulator-process';
import { onCleanup } from '../harness/cleanup';
import { type MountedTree, mountTree } from '../harness/presence-probe';

/**
 * The server goes away and comes back on the same port with no memory of anyone (stop, then
 * startEmulator({ port })). Mounted trees must say so in `status` while it is down, then recover
 * on their own — no remount, no reload — and converge: everyone re-entered, occupancy right.
 */

const ROOM = 'restart';
const ROOM_OPTIONS = { occupancy: { enableEvents: true } };

test('hooks report a server restart in status, recover without a reload, and converge', async () => {
  const proc = await EmulatorProcess.start({ leaveGraceMs: 300, occupancyDebounceMs: 20 });
  onCleanup(() => proc.stop());
  const clientOptions: Ably.ClientOptions = {
    ...proc.clientOptions(),
    logLevel: 0,
    // Retry quickly while the server is down (the default waits 15 s between attempts).
    disconnectedRetryTimeout: 250,
  };
  const trees: MountedTree[] = ['ada', 'bo', 'cy'].map((clientId) =>
    mountTree({ clientOptions, clientId, room: ROOM, roomOptions: ROOM_OPTIONS }),
  );
  for (const tree of trees) onCleanup(() => tree.close());
  const rest = new Ably.Rest({ ...proc.clientOptions(), logLevel: 0 });

  /** Every tree shows exactly what the server has, and says it is ready. */
  const converged = async () => {
    const items = (await rest.channels.get(`${ROOM}::$chat`).presence.get()).items;
    const truth = items.map((m) => `${m.clientId}@${m.connectionId}`).sort();
    expect(truth).toEqual(trees.map((t) => `${t.clientId}@${t.realtime.connection.id}`).sort());
    for (const { state } of trees) {
      expect(state.members).toEqual(truth);
      expect([state.connections, state.presenceMembers]).toEqual([trees.length, trees.length]);
      expect(state.isPresent).toBe(true);
      expect([state.membersStatus, state.occupancyStatus, state.presenceStatus]).toEqual([
        'ready',
        'ready',
        'ready',
      ]);
    }
  };
  await vi.waitFor(converged, { timeout: 30_000, interval: 100 });
  const before = trees.map((t) => ({ id: t.realtime.connection.id, mounts: t.state.mounts }));

  await proc.restart(async () => {
    // While nothing listens on the port: every hook says its data is not live.
    await vi.waitFor(
      () => {
        for (const { state } of trees) {
          expect(state.membersStatus).not.toBe('ready');
          expect(state.occupancyStatus).not.toBe('ready');
          expect(state.presenceStatus).not.toBe('ready');
        }
      },
      { timeout: 20_000, interval: 50 },
    );
    // The last known numbers stay on screen ('stale'), rather than dropping to zero.
    for (const { state } of trees) {
      expect(state.membersStatus).toBe('stale');
      expect(state.members).toHaveLength(trees.length);
      expect(state.connections).toBe(trees.length);
    }
  });

  await vi.waitFor(converged, { timeout: 60_000, interval: 100 });
  trees.forEach((tree, i) => {
    // A new server: new connections (the resume failed), same React trees (no remount).
    expect(tree.realtime.connection.id).not.toBe(before[i]!.id);
    expect(tree.state.mounts).toBe(before[i]!.mounts);
  });
  console.log(
    `[restart] ${trees.length} trees; status history: ${trees
      .map((t) => `${t.clientId}: ${t.state.statusHistory.join(' → ')}`)
      .join('; ')}`,
  );
});
