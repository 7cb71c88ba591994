import { ChatClient, type JsonObject, LogLevel, type Room, type RoomOptions } from '@ably/chat';
import * as Ably from 'ably';

import { closeRealtime } from './close-realtime';
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

/** Runs one operation after the previous one; a failure is counted, not thrown. */
class Serial {
  private chain: Promise<void> = Promise.resolve();
  failed = false;

  run(op: () => Promise<void>, onFailure: () => void): Promise<void> {
    this.chain = this.chain.then(op).catch(() => {
      this.failed = true;
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
  private readonly serial = new Serial();

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

  private op(fn: () => Promise<void>): Promise<void> {
    return this.serial.run(fn, () => this.failures++);
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
    }
    await this.room!.attach();
    return this.room!;
  }

  join(): Promise<void> {
    this.present = true;
    return this.op(async () => {
      await (await this.ensureRoom()).presence.enter(this.data);
    });
  }

  update(version: number): Promise<void> {
    this.data = { ...this.data, v: version };
    return this.op(async () => {
      if (this.present && this.room) await this.room.presence.update(this.data);
    });
  }

  leavePresence(): Promise<void> {
    this.present = false;
    return this.op(async () => {
      if (this.room) await this.room.presence.leave();
    });
  }

  quit(): Promise<void> {
    this.present = false;
    return this.op(async () => {
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
    await (this.present ? this.join() : this.online ? this.leavePresence() : this.quit());
  }
}

/** A React app: providers and the hooks under test in StrictMode (see `presence-probe.tsx`). */
export class ReactActor implements Actor {
  readonly kind = 'react';
  failures = 0;
  tree: MountedTree | undefined;
  private version = 0;
  private readonly serial = new Serial();

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

  private op(fn: () => Promise<void>): Promise<void> {
    return this.serial.run(fn, () => this.failures++);
  }

  join(): Promise<void> {
    return this.op(() => {
      this.tree ??= mountTree({
        clientOptions: this.ctx.clientOptions(this.proxy),
        clientId: this.clientId,
        room: this.ctx.room,
        roomOptions: this.ctx.roomOptions,
      });
      return Promise.resolve();
    });
  }

  update(version: number): Promise<void> {
    this.version = version;
    return this.op(async () => {
      await this.tree?.setData({ name: this.clientId, v: this.version });
    });
  }

  leavePresence(): Promise<void> {
    return this.quit();
  }

  quit(): Promise<void> {
    return this.op(async () => {
      const tree = this.tree;
      this.tree = undefined;
      await tree?.close();
    });
  }

  async settle(): Promise<void> {
    await this.serial.idle();
  }
}
