import * as Ably from 'ably';
import { expect, test, vi } from 'vitest';

import { type Actor, ReactActor, SdkActor } from '../harness/chaos-actors';
import { EmulatorProcess } from '../harness/emulator-process';
import { FaultProxy } from '../harness/fault-proxy';
import { onCleanup } from '../harness/cleanup';
import { seeded, seedsFor } from '../harness/rng';

/**
 * Convergence under chaos. 30 clients — plain SDK clients and React trees using the hooks — join,
 * update, leave, quit, lose their connection for a moment (it resumes) or for longer than the
 * leave grace (the server removes them; they come back and must re-enter), at random from a
 * printed seed. When the chaos stops, the server's presence set must be exactly who means to be
 * present (no ghosts, nobody missing), and every mounted tree's usePresenceMembers and
 * useOccupancy must equal the server's. `pnpm soak` runs the same for longer.
 */

const DURATION_MS = Number(process.env.PRESENCEKIT_CHAOS_MS ?? 15_000);
/** At least this many actions, however slow a loaded machine makes each one. */
const MIN_ACTIONS = Number(process.env.PRESENCEKIT_CHAOS_MIN_ACTIONS ?? 80);
const SDK_CLIENTS = 20;
const REACT_TREES = 10;
/** Trees that stay mounted throughout (they still get every network fault). */
const OBSERVERS = 3;
const LEAVE_GRACE_MS = 500;
const ROOM = 'chaos';
const ROOM_CHANNEL = `${ROOM}::$chat`;
const ROOM_OPTIONS = { occupancy: { enableEvents: true } };

test.for(seedsFor('chaos'))(
  `${SDK_CLIENTS + REACT_TREES} clients in chaos converge: no ghosts, nobody missing, hooks equal the server (seed %i)`,
  async (seed) => {
    const { rng } = seeded('chaos', seed);
    const proc = await EmulatorProcess.start({
      leaveGraceMs: LEAVE_GRACE_MS,
      occupancyDebounceMs: 20,
    });
    onCleanup(() => proc.stop());
    const ctx = {
      proc,
      room: ROOM,
      roomOptions: ROOM_OPTIONS,
      clientOptions: (proxy: FaultProxy): Ably.ClientOptions => ({
        ...proc.clientOptions(),
        port: proxy.port,
        logLevel: 0,
        // Come back quickly after a fault (the default waits 15 s between attempts).
        disconnectedRetryTimeout: 200,
      }),
    };
    const proxy = async () => {
      const p = await FaultProxy.start(proc.address.host, proc.address.port);
      onCleanup(() => p.close());
      return p;
    };
    const actors: Actor[] = [];
    for (let i = 0; i < SDK_CLIENTS; i++) actors.push(new SdkActor(`sdk-${i}`, await proxy(), ctx));
    const trees: ReactActor[] = [];
    for (let i = 0; i < REACT_TREES; i++) {
      trees.push(new ReactActor(`react-${i}`, await proxy(), ctx, i < OBSERVERS));
    }
    actors.push(...trees);
    onCleanup(async () => {
      await Promise.all(actors.map((a) => a.quit()));
    });

    const figures = {
      events: { join: 0, update: 0, leave: 0, quit: 0 },
      faults: { serverDrop: 0, networkCut: 0, longOutage: 0 },
    };
    // Everyone starts in the room.
    await Promise.all(actors.map((a) => a.join()));

    const started = Date.now();
    let version = 0;
    let actions = 0;
    while (Date.now() - started < DURATION_MS || actions < MIN_ACTIONS) {
      actions++;
      const actor = rng.pick(actors);
      const observer = actor instanceof ReactActor && actor.observer;
      const choice = rng.weighted({
        join: actor.present ? 0 : 4,
        update: actor.present ? 3 : 0,
        leave: actor.present && actor.kind === 'sdk' ? 1 : 0,
        quit: actor.online && !observer ? 1.5 : 0,
        serverDrop: actor.online ? 1.5 : 0,
        networkCut: actor.online ? 1.5 : 0,
        longOutage: actor.online ? 1 : 0,
      });
      switch (choice) {
        case 'join':
          figures.events.join++;
          void actor.join();
          break;
        case 'update':
          figures.events.update++;
          void actor.update(++version);
          break;
        case 'leave':
          figures.events.leave++;
          void actor.leavePresence();
          break;
        case 'quit':
          figures.events.quit++;
          void actor.quit();
          break;
        case 'serverDrop': {
          // The emulator cuts the socket (its test API): the client resumes within the grace.
          const id = actor.realtime?.connection.id;
          if (id && (await proc.drop(id))) {
            figures.faults.serverDrop++;
            actor.note(`fault: server drops ${id}`);
          }
          break;
        }
        case 'networkCut':
          if (actor.proxy.cut() > 0) {
            figures.faults.networkCut++;
            actor.note('fault: network cut');
          }
          break;
        case 'longOutage':
          // Longer than the leave grace: the server removes the members before the client is back.
          {
            const ms = rng.int(LEAVE_GRACE_MS * 2, LEAVE_GRACE_MS * 4);
            actor.proxy.outage(ms);
            figures.faults.longOutage++;
            actor.note(`fault: outage ${ms} ms`);
          }
          break;
      }
      await new Promise((resolve) => setTimeout(resolve, rng.int(20, 120)));
    }

    // The chaos stops: networks back, pending operations done, every client connected again.
    const chaosEnded = Date.now();
    for (const a of actors) a.proxy.restore();
    await Promise.all(actors.map((a) => a.settle()));
    await vi.waitFor(
      () => {
        for (const a of actors)
          if (a.online) expect(a.realtime?.connection.state, a.clientId).toBe('connected');
      },
      { timeout: 60_000, interval: 100 },
    );

    const rest = new Ably.Rest({ ...proc.clientOptions(), logLevel: 0 });
    /** Every disagreement between intent, server and hooks; empty once converged. */
    const mismatches = async (): Promise<string[]> => {
      const problems: string[] = [];
      const server = (await rest.channels.get(ROOM_CHANNEL).presence.get({ limit: 1000 })).items
        .map((m) => `${m.clientId}@${m.connectionId}`)
        .sort();
      const intended = actors
        .filter((a) => a.present)
        .map((a) => `${a.clientId}@${a.realtime?.connection.id}`)
        .sort();
      const ghosts = server.filter((m) => !intended.includes(m));
      const missing = intended.filter((m) => !server.includes(m));
      if (ghosts.length > 0) problems.push(`server has ghosts: ${ghosts.join(', ')}`);
      if (missing.length > 0) problems.push(`server is missing: ${missing.join(', ')}`);
      const metrics = (await rest.channels.get(ROOM_CHANNEL).status()).status.occupancy.metrics;
      for (const tree of trees) {
        const state = tree.tree?.state;
        if (!state) continue;
        const who = tree.clientId;
        if (JSON.stringify(state.members) !== JSON.stringify(server)) {
          const extra = state.members.filter((m) => !server.includes(m));
          const lacking = server.filter((m) => !state.members.includes(m));
          problems.push(`${who} members: +[${extra.join(', ')}] -[${lacking.join(', ')}]`);
        }
        if (
          state.connections !== metrics.connections ||
          state.presenceMembers !== metrics.presenceMembers
        ) {
          problems.push(
            `${who} occupancy ${state.connections}/${state.presenceMembers}, server ${metrics.connections}/${metrics.presenceMembers}`,
          );
        }
        const statuses = [state.membersStatus, state.occupancyStatus, state.presenceStatus];
        if (statuses.some((s) => s !== 'ready'))
          problems.push(`${who} status ${statuses.join('/')} errors ${state.errors.join('/')}`);
      }
      return problems;
    };

    let last: string[] = [];
    /** On a failure, what happened to the actors involved: the timeline to debug it from. */
    const explain = (problems: string[]) => {
      for (const actor of actors) {
        if (!problems.some((p) => p.includes(`${actor.clientId}@`) || p.startsWith(actor.clientId)))
          continue;
        console.log(
          `[chaos] ${actor.clientId} (${actor.kind}, present=${actor.present}, ` +
            `connection ${actor.realtime?.connection.id ?? 'none'}):\n  ${actor.log.slice(-60).join('\n  ')}`,
        );
      }
    };
    const converge = () =>
      vi
        .waitFor(
          async () => {
            last = await mismatches();
            expect(last).toEqual([]);
          },
          { timeout: 60_000, interval: 200 },
        )
        .catch((error: unknown) => {
          explain(last);
          throw error;
        });
    await converge();
    const convergedAfter = Date.now() - chaosEnded;
    // And it stays converged past another leave grace: no late leave timer, no late re-entry.
    await new Promise((resolve) => setTimeout(resolve, LEAVE_GRACE_MS * 2));
    const late = await mismatches();
    if (late.length > 0) explain(late);

    const present = actors.filter((a) => a.present).length;
    const mounted = trees.filter((t) => t.tree).length;
    const faults = Object.values(figures.faults).reduce((a, b) => a + b, 0);
    const events = Object.values(figures.events).reduce((a, b) => a + b, 0);
    console.log(
      `[chaos] seed=${rng.seed} duration=${chaosEnded - started}ms clients=${actors.length} ` +
        `(${SDK_CLIENTS} sdk, ${REACT_TREES} react) events=${events} ${JSON.stringify(figures.events)} ` +
        `faults=${faults} ${JSON.stringify(figures.faults)} ` +
        `opFailures=${actors.reduce((n, a) => n + a.failures, 0)} ` +
        `present=${present} observers=${mounted} convergedAfter=${convergedAfter}ms ` +
        `mismatches=${last.length + late.length}`,
    );
    expect(late).toEqual([]);
    expect(proc.exited).toBeUndefined();
    expect(faults).toBeGreaterThan(0);
  },
);
