import { ChatClient, type Room } from '@ably/chat';
import * as Ably from 'ably';

import { closeRealtime } from '@presencekit/test-utils';
import type { EmulatorProcess } from './emulator-process';

/** Room and channel the well-behaved clients use; fuzzers must never write there. */
export const VICTIM_ROOM = 'victim-room';
export const VICTIM_ROOM_CHANNEL = `${VICTIM_ROOM}::$chat`;
export const VICTIM_CHANNEL = 'victim-channel';

interface Member {
  client: Ably.Realtime;
  chat: ChatClient;
  room: Room;
  data: { name: string; seq: number };
}

/**
 * Two ordinary SDK clients (one msgpack, one JSON) in a chat room with presence and occupancy
 * events, plus a plain channel one publishes on and the other subscribes to. They keep acting
 * while a fuzzer hammers the emulator; {@link verify} then says whether anything the fuzzer did
 * touched their state: connection, presence set, occupancy, stored and delivered messages.
 */
export class WellBehavedClients {
  private readonly published: string[] = [];
  private readonly received: string[] = [];
  /** Connection state changes after start: there should be none. */
  readonly stateChanges: string[] = [];
  private ids: Record<string, string> = {};
  private rounds = 0;

  private constructor(
    private readonly members: Record<'a' | 'b', Member>,
    private readonly rest: Ably.Rest,
  ) {}

  static async start(proc: EmulatorProcess): Promise<WellBehavedClients> {
    const make = async (clientId: string, useBinaryProtocol: boolean): Promise<Member> => {
      const client = new Ably.Realtime(
        proc.clientOptions({ clientId, useBinaryProtocol, logLevel: 0 }),
      );
      const chat = new ChatClient(client);
      const room = await chat.rooms.get(VICTIM_ROOM, { occupancy: { enableEvents: true } });
      await room.attach();
      const data = { name: clientId, seq: 0 };
      await room.presence.enter(data);
      return { client, chat, room, data };
    };
    const members = { a: await make('victim-a', true), b: await make('victim-b', false) };
    const clients = new WellBehavedClients(
      members,
      new Ably.Rest(proc.clientOptions({ logLevel: 0 })),
    );
    await members.b.client.channels
      .get(VICTIM_CHANNEL)
      .subscribe((m) => clients.received.push(m.name ?? '?'));
    for (const [name, m] of Object.entries(members)) {
      clients.ids[name] = m.client.connection.id!;
      m.client.connection.on((change) => clients.stateChanges.push(`${name}: ${change.current}`));
    }
    return clients;
  }

  /** One round of legitimate activity: a publish and a presence update. */
  async act(): Promise<void> {
    const round = ++this.rounds;
    const name = `m${round}`;
    this.published.push(name);
    const who = round % 2 === 0 ? this.members.a : this.members.b;
    who.data = { ...who.data, seq: round };
    await Promise.all([
      this.members.a.client.channels.get(VICTIM_CHANNEL).publish(name, { round }),
      who.room.presence.update(who.data),
    ]);
  }

  /** Acts a round every 25 ms while `work` runs, as users would while someone attacks the server. */
  async actWhile<T>(work: Promise<T>): Promise<T> {
    let running = true;
    const acting = (async () => {
      while (running) {
        await this.act();
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    })();
    try {
      return await work;
    } finally {
      running = false;
      await acting;
    }
  }

  /** Everything that differs from what the clients did themselves; empty when untouched. */
  async verify(proc: EmulatorProcess): Promise<string[]> {
    const problems: string[] = [];
    const { a, b } = this.members;
    for (const [name, m] of Object.entries(this.members)) {
      if (m.client.connection.state !== 'connected')
        problems.push(`${name} is ${m.client.connection.state}`);
      if (m.client.connection.id !== this.ids[name]) problems.push(`${name} changed connection id`);
    }
    if (this.stateChanges.length > 0)
      problems.push(`connection state changes: ${this.stateChanges.join(', ')}`);

    const expectMembers = [a, b]
      .map((m) => `${m.client.auth.clientId}@${m.client.connection.id}=${JSON.stringify(m.data)}`)
      .sort();
    const restMembers = (await this.rest.channels.get(VICTIM_ROOM_CHANNEL).presence.get()).items
      .map((m) => `${m.clientId}@${m.connectionId}=${JSON.stringify(m.data)}`)
      .sort();
    if (JSON.stringify(restMembers) !== JSON.stringify(expectMembers))
      problems.push(`presence: ${JSON.stringify(restMembers)} ≠ ${JSON.stringify(expectMembers)}`);
    const realtimeMembers = (await b.room.presence.get())
      .map((m) => `${m.clientId}@${m.connectionId}=${JSON.stringify(m.data)}`)
      .sort();
    if (JSON.stringify(realtimeMembers) !== JSON.stringify(expectMembers))
      problems.push(`realtime presence: ${JSON.stringify(realtimeMembers)}`);

    const occupancy = await a.room.occupancy.get();
    if (occupancy.connections !== 2 || occupancy.presenceMembers !== 2)
      problems.push(`occupancy: ${JSON.stringify(occupancy)}`);
    const metrics = (await proc.channel(VICTIM_ROOM_CHANNEL)).metrics;
    if (metrics.connections !== 2 || metrics.presenceMembers !== 2)
      problems.push(`channel metrics: ${JSON.stringify(metrics)}`);

    const stored = (await proc.messages(VICTIM_CHANNEL)).map((m) => m.name);
    if (JSON.stringify(stored) !== JSON.stringify(this.published))
      problems.push(`history: ${stored.length} stored, ${this.published.length} published`);
    const foreign = (await proc.messages(VICTIM_CHANNEL)).filter(
      (m) => m.connectionId !== a.client.connection.id,
    );
    if (foreign.length > 0) problems.push(`history has ${foreign.length} foreign messages`);
    if (JSON.stringify(this.received) !== JSON.stringify(this.published))
      problems.push(
        `delivered: ${this.received.length} received, ${this.published.length} published`,
      );
    return problems;
  }

  /** Waits until every published message has been delivered (bounded). */
  async settle(timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.received.length < this.published.length && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 20));
  }

  async close(): Promise<void> {
    await Promise.all(
      Object.values(this.members).map(async (m) => {
        await m.chat.rooms.release(VICTIM_ROOM).catch(() => undefined);
        await closeRealtime(m.client);
      }),
    );
  }
}
