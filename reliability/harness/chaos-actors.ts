import { ChatClient, type JsonObject, LogLevel, type Room, type RoomOptions } from '@ably/chat';
import * as Ably from 'ably';

import { closeRealtime } from '@presencekit/test-utils';
import type { EmulatorProcess } from './emulator-process';
import type { FaultProxy } from './fault-proxy';
import { type MountedTree, mountTree } from './presence-probe';

/**
 * The participants of a chaos run. Each one talks to the emulator through its own
 * {@link FaultProxy}, runs its operations one at a time, and keeps the intended state (`present`)
 * that the run's model compares with the server: after the faults stop, the server's presence
 * set must be exactly the actors that mean to be present, on their current connections.
 */
export interface Actor {
  readonly clientId: string;
  readonly kind: 'sdk' | 'react';
  readonly proxy: FaultProxy;
  /** Whether the actor means to be in the presence set now. */
  readonly present: boolean;
  /** Whether it has a client at all (joined and not quit). */
  readonly online: boolean;
  /** Its realtime connection, when online. */
  readonly realtime: Ably.Realtime | undefined;
  /** Operations that failed (the actor re-asserts its intent when the chaos ends). */
  failures: number;
  /** What happened to this actor, timestamped, to explain a mismatch. */
  readonly log: string[];
  /** Records a fault injected by the run. */
  note(line: string): void;
  join(): Promise<void>;
  update(version: number): Promise<void>;
  /** Leaves presence but stays connected and attached (SDK actors). */
  leavePresence(): Promise<void>;
  /** Goes away: unmount / close. */
  quit(): Promise<void>;
  /** Waits for pending operations and re-asserts the intended state if one failed. */
  settle(): Promise<void>;
}

interface ActorContext {
  proc: EmulatorProcess;
  room: string;
  roomOptions: RoomOptions;
  /** Client options for the actor's proxy. */
  clientOptions: (proxy: FaultProxy) => Ably.ClientOptions;
}

const started = Date.now();

/** A timestamped event log, bounded. */
class EventLog {
  readonly lines: string[] = [];

  add(line: string): void {
    this.lines.push(`${String(Date.now() - started).padStart(6)}ms ${line}`);
    if (this.lines.length > 400) this.lines.splice(0, 100);
  }

  /** Logs the connection's state changes. */
  watchConnection(realtime: Ably.Realtime): void {
    realtime.connection.on((c) =>
      this.add(
        `connection ${c.current} ${realtime.connection.id ?? ''}${c.reason ? ` (${c.reason.code})` : ''}`,
      ),
    );
  }

  /**
   * Logs a channel's state changes and the client's own presence events on it. Only for a
   * channel the room already created: creating it here, without the room's options, would make
   * the room's own `channels.get` fail.
   */
  watchChannel(channel: Ably.RealtimeChannel, clientId: string): void {
    channel.on((c) =>
      this.add(
        `channel ${c.current}${c.resumed ? ' resumed' : ''}${c.reason ? ` (${c.reason.code})` : ''}`,
      ),
    );
    void channel.presence.subscribe((m) => {
      if (m.clientId === clientId) this.add(`presence ${m.action} ${m.connectionId} ${m.id}`);
    });
  }
}

/** Runs one operation after the previous one; a failure is counted and logged, not thrown. */
class Serial {
  private chain: Promise<void> = Promise.resolve();
  failed = false;

  constructor(private readonly log: EventLog) {}

  run(name: string, op: () => Promise<void>, onFailure: () => void): Promise<void> {
    this.chain = this.chain
      .then(async () => {
        this.log.add(`${name} …`);
        await op();
        this.log.add(`${name} done`);
      })
      .catch((error: unknown) => {
        this.failed = true;
        const code = (error as { code?: unknown }).code;
        this.log.add(`${name} FAILED ${typeof code === 'number' ? code : String(error)}`);
        onFailure();
      });
    return this.chain;
  }

  idle(): Promise<void> {
    return this.chain;
  }
}

/** A plain `ably` + `@ably/chat` client, as a Node service or another app would use them. */
export class SdkActor implements Actor {
  readonly kind = 'sdk';
  present = false;
  failures = 0;
  private client: Ably.Realtime | undefined;
  private room: Room | undefined;
  private data: JsonObject;
  private readonly events = new EventLog();
  private readonly serial = new Serial(this.events);

  constructor(
    readonly clientId: string,
    readonly proxy: FaultProxy,
    private readonly ctx: ActorContext,
  ) {
    this.data = { name: clientId, v: 0 };
  }

  get online(): boolean {
    return this.client !== undefined;
  }

  get realtime(): Ably.Realtime | undefined {
    return this.client;
  }

  get log(): string[] {
    return this.events.lines;
  }

  note(line: string): void {
    this.events.add(line);
  }

  private op(name: string, fn: () => Promise<void>): Promise<void> {
    return this.serial.run(name, fn, () => this.failures++);
  }

  private async ensureRoom(): Promise<Room> {
    if (!this.client) {
      this.client = new Ably.Realtime({
        ...this.ctx.clientOptions(this.proxy),
        clientId: this.clientId,
        useBinaryProtocol: this.clientId.endsWith('0') || this.clientId.endsWith('5'),
      });
      const chat = new ChatClient(this.client, { logLevel: LogLevel.Silent });
      this.room = await chat.rooms.get(this.ctx.room, this.ctx.roomOptions);
      this.events.watchConnection(this.client);
      this.events.watchChannel(this.room.channel, this.clientId);
    }
    await this.room!.attach();
    return this.room!;
  }

  join(): Promise<void> {
    this.present = true;
    return this.op('join', async () => {
      await (await this.ensureRoom()).presence.enter(this.data);
    });
  }

  update(version: number): Promise<void> {
    this.data = { ...this.data, v: version };
    return this.op(`update v${version}`, async () => {
      if (this.present && this.room) await this.room.presence.update(this.data);
    });
  }

  leavePresence(): Promise<void> {
    this.present = false;
    return this.op('leave', async () => {
      if (this.room) await this.room.presence.leave();
    });
  }

  quit(): Promise<void> {
    this.present = false;
    return this.op('quit', async () => {
      const client = this.client;
      this.client = undefined;
      this.room = undefined;
      if (client) await closeRealtime(client);
    });
  }

  async settle(): Promise<void> {
    await this.serial.idle();
    if (!this.serial.failed) return;
    this.serial.failed = false;
    this.events.add('settle: re-asserting intent after a failed operation');
    await (this.present ? this.join() : this.online ? this.leavePresence() : this.quit());
  }
}

/** A React app: providers and the hooks under test in StrictMode (see `presence-probe.tsx`). */
export class ReactActor implements Actor {
  readonly kind = 'react';
  failures = 0;
  tree: MountedTree | undefined;
  private version = 0;
  private readonly events = new EventLog();
  private readonly serial = new Serial(this.events);

  constructor(
    readonly clientId: string,
    readonly proxy: FaultProxy,
    private readonly ctx: ActorContext,
    /** Observers stay mounted throughout (they still suffer every network fault). */
    readonly observer: boolean,
  ) {}

  get present(): boolean {
    return this.tree !== undefined;
  }

  get online(): boolean {
    return this.tree !== undefined;
  }

  get realtime(): Ably.Realtime | undefined {
    return this.tree?.realtime;
  }

  get log(): string[] {
    return this.events.lines;
  }

  note(line: string): void {
    this.events.add(line);
  }

  private op(name: string, fn: () => Promise<void>): Promise<void> {
    return this.serial.run(name, fn, () => this.failures++);
  }

  join(): Promise<void> {
    return this.op('mount', () => {
      if (!this.tree) {
        this.tree = mountTree({
          clientOptions: this.ctx.clientOptions(this.proxy),
          clientId: this.clientId,
          room: this.ctx.room,
          roomOptions: this.ctx.roomOptions,
        });
        this.events.watchConnection(this.tree.realtime);
      }
      return Promise.resolve();
    });
  }

  update(version: number): Promise<void> {
    this.version = version;
    return this.op(`update v${version}`, async () => {
      await this.tree?.setData({ name: this.clientId, v: this.version });
    });
  }

  leavePresence(): Promise<void> {
    return this.quit();
  }

  quit(): Promise<void> {
    return this.op('unmount', async () => {
      const tree = this.tree;
      this.tree = undefined;
      await tree?.close();
    });
  }

  async settle(): Promise<void> {
    await this.serial.idle();
  }
}
