import { Action, Flag } from '../protocol/actions.js';
import { publishAnnotations } from '../realtime/annotations.js';
import { isChatMessage, sendChatMessage } from '../realtime/chat-messages.js';
import { handleAttach } from '../realtime/handlers/attach.js';
import { handlePresence } from '../realtime/handlers/presence.js';
import type { Realtime } from '../realtime/realtime.js';
import { avatarPath } from '../rest/routes/avatars.js';
import type { App } from '../state/app.js';
import { Connection } from '../state/connection.js';
import { seededRandom } from '../state/ids.js';

const FIRST = [
  'Ada',
  'Alan',
  'Amara',
  'Ana',
  'Bea',
  'Bilal',
  'Chen',
  'Chloé',
  'Dara',
  'Diego',
  'Elif',
  'Emeka',
  'Farah',
  'Finn',
  'Grace',
  'Hana',
  'Hugo',
  'Ines',
  'Ivan',
  'Jonas',
  'Kai',
  'Kavya',
  'Lena',
  'Leo',
  'Mara',
  'Mateo',
  'Mei',
  'Nadia',
  'Nils',
  'Omar',
  'Priya',
  'Quinn',
  'Rosa',
  'Sami',
  'Sofia',
  'Tariq',
  'Uma',
  'Vera',
  'Wen',
  'Yara',
  'Yusuf',
  'Zoe',
];
const LAST = 'ABCDEFGHIJKLMNOPRSTVWYZ';
const STATUSES = ['online', 'away', 'busy'] as const;

/** Share of visitors with an avatar image; the others show initials in the components. */
const AVATAR_SHARE = 0.75;

/** What simulated visitors say in the chat. */
const LINES = [
  'Hi all 👋',
  'Has it started yet?',
  'Great point!',
  'Can everyone hear the audio?',
  'Loving this so far',
  'Where can I find the slides?',
  'Hello from Lisbon',
  'brb, coffee ☕',
  'This is neat',
  'Anyone tried the new API yet?',
  '+1',
  'Thanks for sharing!',
  'What time is the next session?',
  'Good morning, everyone',
  'Q&A is after this, I think',
  'Same question here',
];

/** The reactions simulated visitors add to messages (Ably Chat's default type, distinct). */
const REACTIONS = ['👍', '❤️', '😂', '🎉', '👀'];

/** Chat messages a simulated room starts with, so a page opened at once is not empty. */
const OPENING_MESSAGES = 3;

/** Presence data of a simulated visitor. */
export interface VisitorData {
  name: string;
  /**
   * An absolute http URL of an SVG the emulator serves, `<emulator url>/avatars/<clientId>.svg`
   * (works offline). About a quarter of visitors have none, so demos show initials too.
   */
  avatar?: string;
  status: (typeof STATUSES)[number];
}

interface Visitor {
  conn: Connection;
  data: VisitorData;
  msgSerial: number;
}

/**
 * Keeps about `target` simulated visitors present in a chat room (channel `<room>::$chat`).
 * Each visitor is a server-side connection with no socket, so it goes through the same ATTACH
 * and PRESENCE handlers as a real client and counts in occupancy. Over time visitors enter,
 * change status and leave; now and then one sends a chat message or reacts to one of the latest
 * (any sender's), through the same code as the Chat REST API.
 */
export class SimulatedRoom {
  private readonly visitors = new Map<string, Visitor>();
  private readonly random: () => number;
  /**
   * The chat's own stream of random numbers: the presence timeline of a seed stays what it was,
   * with or without chat.
   */
  private readonly chatRandom: () => number;
  private timer: NodeJS.Timeout | undefined;
  private chatTimer: NodeJS.Timeout | undefined;
  private serial = 0;
  private chatSerial = 0;
  private stopped = false;

  constructor(
    private readonly rt: Realtime,
    private readonly app: App,
    readonly room: string,
    private target: number,
    seed: number,
    /** Mean time between events in ms. */
    private readonly meanIntervalMs = 1500,
    /**
     * The emulator's URL (`http://127.0.0.1:8787`), where `GET /avatars/<seed>.svg` is served;
     * without it no visitor has an avatar.
     */
    private readonly avatarBaseUrl?: string,
    /** Mean time between chat messages or reactions in ms; 0: no chat. */
    private readonly messageIntervalMs = 8000,
  ) {
    this.random = seededRandom(seed);
    this.chatRandom = seededRandom((seed ^ 0x5bd1e995) >>> 0);
  }

  /** The chat channel the visitors are present on. */
  get channel(): string {
    return `${this.room}::$chat`;
  }

  /** Number of visitors present now. */
  get size(): number {
    return this.visitors.size;
  }

  /** Enters the initial visitors, sends the opening chat messages and starts the churn. */
  start(): void {
    for (let i = 0; i < this.target; i++) this.enter();
    if (this.messageIntervalMs > 0) {
      for (let i = 0; i < OPENING_MESSAGES; i++) this.say();
      this.react();
    }
    this.schedule();
    this.scheduleChat();
  }

  /** Stops the churn and the chat; visitors leave (their connections close). */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    clearTimeout(this.chatTimer);
    for (const v of this.visitors.values()) this.rt.closeConnection(v.conn, 'simulation stopped');
    this.visitors.clear();
  }

  private pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.random() * items.length)]!;
  }

  private schedule(): void {
    if (this.stopped || this.target === 0) return;
    // Busier rooms churn faster, so a big room visibly moves.
    const mean = this.meanIntervalMs / Math.max(1, Math.log10(this.target + 1));
    const delay = Math.round(mean * (0.3 + this.random() * 1.4));
    this.timer = setTimeout(() => {
      this.step();
      this.schedule();
    }, delay);
    this.timer.unref();
  }

  private scheduleChat(): void {
    if (this.stopped || this.messageIntervalMs === 0) return;
    const delay = Math.round(this.messageIntervalMs * (0.3 + this.chatRandom() * 1.4));
    this.chatTimer = setTimeout(() => {
      this.chatStep();
      this.scheduleChat();
    }, delay);
    this.chatTimer.unref();
  }

  /** One chat event: a visitor says something, or reacts to one of the latest messages. */
  chatStep(): void {
    if (this.chatRandom() < 0.55) this.say();
    else this.react();
  }

  /** A present visitor, drawn from the chat's stream; none when the room is empty. */
  private speaker(): string | undefined {
    const ids = [...this.visitors.keys()];
    return ids.length === 0 ? undefined : ids[Math.floor(this.chatRandom() * ids.length)];
  }

  private say(): void {
    const clientId = this.speaker();
    if (clientId === undefined) return;
    const text = LINES[Math.floor(this.chatRandom() * LINES.length)]!;
    // Sent as the Chat REST API sends it (no connection), so it is like any visitor's message.
    sendChatMessage(
      this.rt,
      this.app.channel(this.channel),
      { text },
      {
        idBase: `sim-${this.room}-chat-${++this.chatSerial}`,
        clientIdOf: () => clientId,
      },
    );
  }

  /** A distinct reaction, by a present visitor, to one of the room's five latest messages. */
  private react(): void {
    const clientId = this.speaker();
    const channel = this.app.channel(this.channel);
    const latest = channel.messages.query({ limit: 5 }, isChatMessage).items;
    if (clientId === undefined || latest.length === 0) return;
    const message = latest[Math.floor(this.chatRandom() * latest.length)]!;
    const name = REACTIONS[Math.floor(this.chatRandom() * REACTIONS.length)]!;
    publishAnnotations(
      this.rt,
      channel,
      [{ messageSerial: message.serial, type: 'reaction:distinct.v1', name }],
      { idBase: `sim-${this.room}-reaction-${++this.chatSerial}`, clientIdOf: () => clientId },
    );
  }

  /** One random event: enter, leave or status change, keeping the size near the target. */
  step(): void {
    const low = Math.floor(this.target * 0.8);
    const high = Math.ceil(this.target * 1.2);
    const r = this.random();
    if (this.visitors.size <= low || (r < 0.3 && this.visitors.size < high)) this.enter();
    else if (r < 0.6 || this.visitors.size >= high) this.leave();
    else this.changeStatus();
  }

  private enter(): void {
    const name = `${this.pick(FIRST)} ${this.pick(LAST.split(''))}.`;
    const clientId = `sim-${this.room}-${++this.serial}`;
    // Drawn even without a base URL, so a seed gives the same names and timeline either way.
    const withAvatar = this.random() < AVATAR_SHARE && this.avatarBaseUrl !== undefined;
    const data: VisitorData = {
      name,
      ...(withAvatar ? { avatar: `${this.avatarBaseUrl}${avatarPath(clientId)}` } : {}),
      status: this.random() < 0.7 ? 'online' : this.pick(STATUSES),
    };
    const conn = new Connection(
      this.app,
      {
        app: this.app,
        keyName: 'simulation',
        capability: this.app.primaryKey!.capability,
        kind: 'key',
      },
      { clientId, mode: 'bound' },
      { format: 'json', echo: false, remainPresentForMs: 0 },
      null,
    );
    this.rt.register(conn);
    handleAttach(this.rt, conn, {
      action: Action.ATTACH,
      channel: this.channel,
      flags: Flag.PUBLISH | Flag.SUBSCRIBE | Flag.PRESENCE | Flag.PRESENCE_SUBSCRIBE,
    });
    const visitor: Visitor = { conn, data, msgSerial: 0 };
    this.visitors.set(clientId, visitor);
    this.sendPresence(visitor, 2);
  }

  private leave(): void {
    const keys = [...this.visitors.keys()];
    if (keys.length === 0) return;
    const clientId = this.pick(keys);
    const v = this.visitors.get(clientId)!;
    this.visitors.delete(clientId);
    this.sendPresence(v, 3);
    this.rt.closeConnection(v.conn, 'visitor left');
  }

  private changeStatus(): void {
    const keys = [...this.visitors.keys()];
    if (keys.length === 0) return;
    const v = this.visitors.get(this.pick(keys))!;
    const others = STATUSES.filter((s) => s !== v.data.status);
    v.data = { ...v.data, status: this.pick(others) };
    this.sendPresence(v, 4);
  }

  /**
   * Keeps about `target` visitors from now on: the difference enters, or leaves (picked at
   * random), at once; the churn goes on around the new number (none at 0).
   */
  resize(target: number): void {
    if (this.stopped) return;
    this.target = target;
    while (this.visitors.size < target) this.enter();
    // One list of keys for the whole batch: picking from a fresh copy per leave is quadratic.
    const keys = [...this.visitors.keys()];
    while (this.visitors.size > target) {
      const i = Math.floor(this.random() * keys.length);
      const clientId = keys[i]!;
      keys[i] = keys[keys.length - 1]!;
      keys.pop();
      const v = this.visitors.get(clientId)!;
      this.visitors.delete(clientId);
      this.sendPresence(v, 3);
      this.rt.closeConnection(v.conn, 'visitor left');
    }
    clearTimeout(this.timer);
    this.schedule();
  }

  private sendPresence(v: Visitor, action: number): void {
    handlePresence(this.rt, v.conn, {
      action: Action.PRESENCE,
      channel: this.channel,
      msgSerial: v.msgSerial++,
      presence: [{ action, data: JSON.stringify(v.data), encoding: 'json' }],
    });
  }
}
