import msgpack from '@ably/msgpack-js';
import WebSocket from 'ws';

import type { EmulatorAddress } from './emulator-process';
import { createRng, type Rng } from './rng';
import { HOSTILE_STRINGS, randomValue } from './values';

/**
 * A realtime protocol fuzzer: opens WebSockets to the emulator (JSON and msgpack, good and bad
 * credentials and query strings) and sends valid frames, structurally mutated frames (missing
 * fields, wrong types, unknown actions, huge values, deep nesting) and byte-level garbage
 * (truncation, bit flips, invalid UTF-8, binary where text is expected, oversize frames).
 */

type Format = 'json' | 'msgpack';
type Frame = Record<string, unknown>;

/** What a fuzzing run did, for the printed figures and the assertions. */
export interface FrameFuzzStats {
  sessions: number;
  /** Sessions the server refused at connect (bad credentials or query). */
  refused: number;
  framesSent: number;
  /**
   * Frames the harness made but could not encode itself (a generator bug, not a server finding):
   * counted against the budget, never sent, never a failure.
   */
  unencodable: number;
  /** Frames by how they were made. */
  byKind: Record<string, number>;
  /** Server frames received, by action number. */
  replies: Record<number, number>;
  /** Socket close codes seen. */
  closeCodes: Record<number, number>;
}

export interface FrameFuzzOptions {
  address: EmulatorAddress;
  /** How many frames to send in total. */
  frames: number;
  /** Sessions open at once. */
  concurrency: number;
  /** Channels the fuzzer must never write to (the well-behaved clients' channels). */
  protectedChannels: readonly string[];
  /** Largest frame the server accepts (a few frames go over it on purpose). */
  maxFrameSize: number;
}

const ACTIONS = {
  HEARTBEAT: 0,
  CONNECT: 3,
  DISCONNECT: 5,
  CLOSE: 7,
  ATTACH: 10,
  DETACH: 12,
  PRESENCE: 14,
  MESSAGE: 15,
  SYNC: 16,
  AUTH: 17,
  ACTIVATE: 18,
  OBJECT: 19,
  ANNOTATION: 21,
} as const;

const MODE_BITS = [1 << 16, 1 << 17, 1 << 18, 1 << 19, 1 << 21, 1 << 22, 1 << 24, 1 << 25];

export function emptyStats(): FrameFuzzStats {
  return {
    sessions: 0,
    refused: 0,
    framesSent: 0,
    unencodable: 0,
    byKind: {},
    replies: {},
    closeCodes: {},
  };
}

function bump<K extends string | number>(table: Record<K, number>, key: K): void {
  table[key] = (table[key] ?? 0) + 1;
}

/**
 * Runs sessions until `frames` frames have been sent. The same seed sends the same frames against
 * the same server whatever the timing: each worker has its own share of the budget and its own
 * random stream, each session draws from a stream of its own (so a session the server ends early
 * does not shift the ones after it), and a frame that may end the connection is followed by a
 * round trip before the next one.
 */
export async function fuzzFrames(rng: Rng, options: FrameFuzzOptions, stats: FrameFuzzStats) {
  const channels = channelPool(rng, options.protectedChannels);
  const worker = async (workerRng: Rng, frames: number): Promise<void> => {
    const budget = { remaining: frames };
    while (budget.remaining > 0) {
      await session(createRng(workerRng.int(0, 2 ** 32 - 1)), options, channels, budget, stats);
    }
  };
  const { concurrency, frames } = options;
  const seeds = Array.from({ length: concurrency }, () => rng.int(0, 2 ** 32 - 1));
  await Promise.all(
    seeds.map((seed, i) =>
      worker(
        createRng(seed),
        Math.floor(frames / concurrency) + (i < frames % concurrency ? 1 : 0),
      ),
    ),
  );
}

function channelPool(rng: Rng, protectedChannels: readonly string[]): string[] {
  const names = [
    ...Array.from({ length: 12 }, (_, i) => `fuzz:${i}`),
    ...Array.from({ length: 4 }, (_, i) => `fuzz-room-${i}::$chat`),
    '[meta]occupancy',
    '[?rewind=1]fuzz:rewind',
    '[?occupancy=metrics]fuzz:meta',
    'fuzz:' + 'n'.repeat(2100),
    'fuzz:💥\u202e',
    ...Array.from({ length: 20 }, () => `fuzz:${rng.string(rng.int(1, 12))}`),
    ...HOSTILE_STRINGS.map((s) => `fuzz:${s}`),
  ];
  return names.filter((n) => !protectedChannels.includes(n));
}

/** The connect query: usually a working key and format, sometimes anything but. */
function connectQuery(rng: Rng, address: EmulatorAddress): { query: string; format: Format } {
  const format: Format = rng.chance(0.5) ? 'msgpack' : 'json';
  const params = new URLSearchParams();
  const auth = rng.weighted({ key: 12, badKey: 1, token: 1, none: 1, both: 0.5 });
  if (auth === 'key' || auth === 'both') params.set('key', address.key);
  if (auth === 'badKey')
    params.set('key', rng.pick([`${address.key}x`, 'a.b:c', '', ':', 'x'.repeat(5000)]));
  if (auth === 'token' || auth === 'both') params.set('access_token', rng.string(rng.int(0, 40)));
  if (rng.chance(0.6))
    params.set('clientId', rng.chance(0.8) ? `fuzzer-${rng.int(0, 5)}` : rng.pick(HOSTILE_STRINGS));
  params.set('format', rng.chance(0.95) ? format : rng.pick(['xml', '', 'MSGPACK']));
  params.set('v', rng.chance(0.9) ? '6' : rng.pick(['1', '99', 'x']));
  params.set('heartbeats', rng.chance(0.5) ? 'true' : 'false');
  if (rng.chance(0.1)) params.set('echo', 'false');
  // Guessing someone's resume key must never take over their connection.
  if (rng.chance(0.1))
    params.set(rng.chance(0.5) ? 'resume' : 'recover', `${rng.string(12)}!${rng.string(9)}`);
  if (rng.chance(0.1))
    params.set('remainPresentFor', String(rng.pick([-1, 0, 1.5, 1e12, 'x' as unknown as number])));
  if (rng.chance(0.05)) params.set(rng.pick(HOSTILE_STRINGS) || 'k', rng.pick(HOSTILE_STRINGS));
  return { query: params.toString(), format };
}

async function session(
  rng: Rng,
  options: FrameFuzzOptions,
  channels: string[],
  budget: { remaining: number },
  stats: FrameFuzzStats,
): Promise<void> {
  stats.sessions++;
  const { query, format } = connectQuery(rng, options.address);
  const ws = new WebSocket(`ws://${options.address.host}:${options.address.port}/?${query}`, {
    maxPayload: 64 * 1024 * 1024,
  });
  const closed = new Promise<void>((resolve) => {
    ws.on('close', (code) => {
      bump(stats.closeCodes, code);
      resolve();
    });
    ws.on('error', () => resolve());
  });
  let connected = false;
  let failed = false;
  let firstFrame: (() => void) | undefined;
  const gotFirst = new Promise<void>((resolve) => (firstFrame = resolve));
  const pongs = new Map<string, () => void>();
  ws.on('message', (data: Buffer, isBinary: boolean) => {
    let msg: { action?: unknown; id?: unknown; channel?: unknown } = {};
    let action: number;
    try {
      msg = (isBinary ? msgpack.decode(data) : JSON.parse(data.toString('utf8'))) as typeof msg;
      action = typeof msg.action === 'number' ? msg.action : -1;
    } catch {
      action = -2; // the server sent something unparseable: counted and asserted on.
    }
    bump(stats.replies, action);
    if (action === 4) connected = true;
    // A connection-level ERROR: the server is done with this connection.
    if (action === 9 && msg.channel === undefined) failed = true;
    if (action === 0 && typeof msg.id === 'string') pongs.get(msg.id)?.();
    firstFrame?.();
  });
  /** Round trip: true once the server answered a ping sent after everything before it. */
  const ping = async (): Promise<boolean> => {
    if (ws.readyState !== WebSocket.OPEN || failed) return false;
    const id = `ping-${rng.string(8)}`;
    const answered = new Promise<boolean>((resolve) => pongs.set(id, () => resolve(true)));
    ws.send(encode({ action: ACTIONS.HEARTBEAT, id }, format), { binary: format === 'msgpack' });
    const alive = await Promise.race([
      answered,
      closed.then(() => false),
      delay(5_000).then(() => false),
    ]);
    pongs.delete(id);
    return alive && !failed;
  };
  await Promise.race([gotFirst, closed, delay(10_000)]);
  if (!connected) {
    stats.refused++;
    ws.terminate();
    await closed;
    return;
  }

  let msgSerial = 0;
  const count = rng.int(5, 60);
  for (let i = 0; i < count && budget.remaining > 0; i++) {
    if (ws.readyState !== WebSocket.OPEN || failed) break;
    budget.remaining--;
    let frame: ReturnType<typeof makeFrame>;
    try {
      frame = makeFrame(rng, format, channels, () => msgSerial++, options);
    } catch {
      // Our own encoder refused what the generator made (a msgpack-js TypeError on an odd
      // object, say): the server never saw it, so there is nothing to learn; skip it.
      stats.unencodable++;
      continue;
    }
    const { kind, payload, binary, mayEnd } = frame;
    bump(stats.byKind, kind);
    stats.framesSent++;
    ws.send(payload, { binary });
    // After anything that may end the connection, wait until the server has dealt with it, so
    // the frames that follow are really processed (not dropped behind a fatal one) and the
    // session ends at the same frame every run. Otherwise send in bursts, with a round trip now
    // and then to keep both sides' buffers bounded.
    if (kind !== 'valid' || mayEnd || i % 10 === 9) {
      if (!(await ping())) break;
    }
  }
  const ending = rng.weighted({ close: 2, closeFrame: 1, terminate: 2, leave: 1 });
  if (ws.readyState === WebSocket.OPEN) {
    if (ending === 'close') ws.close(1000);
    else if (ending === 'closeFrame')
      ws.send(encode({ action: ACTIONS.CLOSE }, format), { binary: format === 'msgpack' });
    else if (ending === 'terminate') ws.terminate();
    // 'leave': give the server a moment to answer, then close abruptly below.
  }
  await Promise.race([closed, delay(ending === 'leave' ? 200 : 5_000)]);
  if (ws.readyState !== WebSocket.CLOSED) ws.terminate();
  await closed;
}

function encode(frame: unknown, format: Format): string | Buffer {
  return format === 'msgpack' ? msgpack.encode(frame, true) : JSON.stringify(frame);
}

/** A frame of one of the kinds the fuzzer knows, ready to send. */
function makeFrame(
  rng: Rng,
  format: Format,
  channels: string[],
  nextSerial: () => number,
  options: FrameFuzzOptions,
): { kind: string; payload: string | Buffer; binary: boolean; mayEnd?: boolean } {
  const binary = format === 'msgpack';
  const kind = rng.weighted({
    valid: 10,
    mutatedItem: 6,
    mutated: 2.5,
    deep: 0.6,
    huge: 0.6,
    bytes: 0.5,
    invalidUtf8: 0.2,
    wrongFrameType: 0.3,
    oversize: 0.05,
    empty: 0.1,
    notAnObject: 0.3,
  });
  const valid = () => validFrame(rng, format, channels, nextSerial);
  switch (kind) {
    case 'valid': {
      const frame = valid();
      // Valid frames that close, replace or re-authenticate the connection (a random token).
      const mayEnd = [
        ACTIONS.CONNECT,
        ACTIONS.DISCONNECT,
        ACTIONS.CLOSE,
        ACTIONS.AUTH,
        ACTIONS.ACTIVATE,
      ].includes(frame.action as never);
      return { kind, payload: encode(frame, format), binary, mayEnd };
    }
    case 'mutated':
      return { kind, payload: encode(mutate(rng, valid(), format), format), binary };
    case 'mutatedItem':
      return { kind, payload: encode(mutateItems(rng, valid(), format), format), binary };
    case 'deep':
      return { kind, payload: deepFrame(rng, format, channels, nextSerial()), binary };
    case 'huge': {
      const frame = valid();
      const big = 'h'.repeat(rng.int(60_000, Math.floor(options.maxFrameSize * 0.9)));
      if (Array.isArray(frame.presence) && frame.presence.length > 0)
        (frame.presence[0] as Frame).data = big;
      else if (Array.isArray(frame.messages) && frame.messages.length > 0)
        (frame.messages[0] as Frame).data = big;
      else frame.params = { big };
      return { kind, payload: encode(frame, format), binary };
    }
    case 'bytes': {
      const encoded = Buffer.from(encode(valid(), format));
      const mutatedBytes = mutateBytes(rng, encoded);
      return { kind, payload: binary ? mutatedBytes : mutatedBytes.toString('latin1'), binary };
    }
    case 'invalidUtf8':
      // Text frames must be UTF-8; ws closes the socket with 1007.
      return { kind, payload: Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), binary: false };
    case 'wrongFrameType': {
      const other: Format = format === 'json' ? 'msgpack' : 'json';
      const payload = encode(valid(), other);
      return { kind, payload, binary: typeof payload !== 'string' };
    }
    case 'oversize':
      return { kind, payload: Buffer.alloc(options.maxFrameSize + 1024, 0x20), binary };
    case 'empty':
      return { kind, payload: binary ? Buffer.alloc(0) : '', binary };
    case 'notAnObject':
      return {
        kind,
        payload: encode(rng.pick([[], 42, 'ATTACH', null, true, [{ action: 10 }]]), format),
        binary,
      };
  }
}

/** A frame a correct client could send (though not necessarily a sensible one). */
function validFrame(rng: Rng, format: Format, channels: string[], nextSerial: () => number): Frame {
  const binary = format === 'msgpack';
  const channel = rng.pick(channels);
  const value = () => randomValue(rng, { binary, maxString: 2_000 });
  const action = rng.weighted({
    ATTACH: 5,
    DETACH: 1.5,
    PRESENCE: 5,
    MESSAGE: 5,
    SYNC: 0.5,
    HEARTBEAT: 1,
    AUTH: 0.2,
    CONNECT: 0.1,
    ACTIVATE: 0.2,
    OBJECT: 0.2,
    ANNOTATION: 0.2,
    CLOSE: 0.15,
    DISCONNECT: 0.15,
  });
  switch (action) {
    case 'ATTACH': {
      const frame: Frame = { action: ACTIONS.ATTACH, channel };
      if (rng.chance(0.5))
        frame.flags = MODE_BITS.filter(() => rng.chance(0.5)).reduce((a, b) => a | b, 0);
      if (rng.chance(0.4))
        frame.params = rng.chance(0.6)
          ? { occupancy: 'metrics' }
          : { [rng.string(5)]: rng.string(5) };
      if (rng.chance(0.2)) frame.channelSerial = rng.string(rng.int(0, 20));
      return frame;
    }
    case 'DETACH':
      return { action: ACTIONS.DETACH, channel };
    case 'PRESENCE':
      return {
        action: ACTIONS.PRESENCE,
        channel,
        msgSerial: nextSerial(),
        presence: Array.from({ length: rng.int(1, rng.chance(0.05) ? 300 : 3) }, () => {
          const item: Frame = { action: rng.pick([0, 1, 2, 2, 3, 4, 4]) };
          if (rng.chance(0.6)) item.data = value();
          if (rng.chance(0.3))
            item.clientId = rng.chance(0.7) ? `fuzzer-${rng.int(0, 5)}` : rng.pick(HOSTILE_STRINGS);
          if (rng.chance(0.1)) item.id = `${rng.string(9)}:${rng.int(0, 9)}:0`;
          if (rng.chance(0.1))
            item.encoding = rng.pick(['json', 'base64', 'utf-8/base64', 'cipher', 'x']);
          if (rng.chance(0.1)) item.extras = { headers: { a: 1 } };
          return item;
        }),
      };
    case 'MESSAGE':
      return {
        action: ACTIONS.MESSAGE,
        channel,
        msgSerial: nextSerial(),
        messages: Array.from({ length: rng.int(0, rng.chance(0.05) ? 200 : 3) }, () => {
          const item: Frame = {};
          if (rng.chance(0.8)) item.name = rng.string(rng.int(0, 12));
          if (rng.chance(0.8)) item.data = value();
          if (rng.chance(0.2))
            item.clientId = rng.chance(0.7) ? `fuzzer-${rng.int(0, 5)}` : rng.pick(HOSTILE_STRINGS);
          if (rng.chance(0.1)) item.encoding = rng.pick(['json', 'base64', 'x/y']);
          if (rng.chance(0.2))
            item.extras = rng.chance(0.5) ? { ephemeral: true } : { headers: value() };
          if (rng.chance(0.05)) item.id = rng.string(10);
          return item;
        }),
      };
    case 'SYNC':
      return { action: ACTIONS.SYNC, channel, channelSerial: rng.string(6) };
    case 'HEARTBEAT':
      return rng.chance(0.5)
        ? { action: ACTIONS.HEARTBEAT }
        : { action: ACTIONS.HEARTBEAT, id: rng.string(8) };
    case 'AUTH':
      return { action: ACTIONS.AUTH, auth: { accessToken: rng.string(rng.int(0, 30)) } };
    case 'CONNECT':
      return { action: ACTIONS.CONNECT };
    case 'ACTIVATE':
      return { action: ACTIONS.ACTIVATE };
    case 'OBJECT':
      return { action: ACTIONS.OBJECT, channel, msgSerial: nextSerial(), state: [value()] };
    case 'ANNOTATION':
      return {
        action: ACTIONS.ANNOTATION,
        channel,
        msgSerial: nextSerial(),
        annotations: [
          rng.chance(0.5)
            ? value()
            : {
                type: rng.pick(['reaction:distinct.v1', 'x:multiple.v1', 'x:total.v1', 'nope']),
                messageSerial: rng.string(rng.int(0, 30)),
                ...(rng.chance(0.7) ? { name: rng.string(rng.int(0, 10)) } : {}),
                ...(rng.chance(0.3) ? { action: rng.pick([0, 1, 2, -1]) } : {}),
                ...(rng.chance(0.3) ? { count: rng.pick([1, 0, -5, 1.5]) } : {}),
              },
        ],
      };
    case 'CLOSE':
      return { action: ACTIONS.CLOSE };
    case 'DISCONNECT':
      return { action: ACTIONS.DISCONNECT };
  }
}

/** One to three structural mutations: drop, retype, add or duplicate fields, anywhere in the frame. */
function mutate(rng: Rng, frame: Frame, format: Format): Frame {
  const binary = format === 'msgpack';
  const containers: Frame[] = [frame];
  for (const key of ['presence', 'messages'] as const) {
    const items = frame[key];
    if (Array.isArray(items)) for (const item of items) if (isObject(item)) containers.push(item);
  }
  if (isObject(frame.params)) containers.push(frame.params);
  for (let n = rng.int(1, 3); n > 0; n--) {
    const target = rng.pick(containers);
    const keys = Object.keys(target);
    const op = rng.weighted({ drop: 2, retype: 5, add: 2, action: 1.5, serial: 1.5 });
    if (op === 'drop' && keys.length > 0) delete target[rng.pick(keys)];
    else if (op === 'retype' && keys.length > 0)
      target[rng.pick(keys)] = randomValue(rng, { binary, maxString: 5_000 });
    else if (op === 'add')
      // defineProperty: assigning a "__proto__" key would set the prototype, not add a field.
      Object.defineProperty(target, rng.chance(0.3) ? rng.pick(HOSTILE_STRINGS) : rng.string(6), {
        value: randomValue(rng, { binary, maxString: 5_000 }),
        enumerable: true,
        configurable: true,
        writable: true,
      });
    else if (op === 'action')
      frame.action = rng.pick([-1, 1, 2, 4, 6, 8, 9, 11, 13, 20, 22, 99, 2 ** 31, 1.5]);
    else if (op === 'serial') frame.msgSerial = rng.pick([-1, 0, 2 ** 53, 1.5, 1e9, -(2 ** 31)]);
  }
  return frame;
}

/**
 * Mutations inside messages and presence items only (data, name, encoding, extras, ids): the
 * frame stays well-formed, so these reach the handlers and test what they accept or NACK.
 */
function mutateItems(rng: Rng, frame: Frame, format: Format): Frame {
  const binary = format === 'msgpack';
  const items = [frame.presence, frame.messages].flatMap((list) =>
    Array.isArray(list) ? list.filter(isObject) : [],
  );
  if (items.length === 0) return frame;
  for (let n = rng.int(1, 3); n > 0; n--) {
    const item = rng.pick(items);
    const field = rng.pick(['data', 'data', 'name', 'encoding', 'id', 'clientId', 'extras']);
    if (field === 'extras')
      item.extras = {
        [rng.pick(HOSTILE_STRINGS) || 'k']: randomValue(rng, { binary, maxString: 5_000 }),
      };
    else if (field === 'data') item.data = randomValue(rng, { binary, maxString: 30_000 });
    else item[field] = rng.chance(0.7) ? rng.pick(HOSTILE_STRINGS) : rng.string(rng.int(0, 300));
  }
  return frame;
}

/** A PRESENCE or MESSAGE frame whose data nests thousands of levels deep. */
function deepFrame(
  rng: Rng,
  format: Format,
  channels: string[],
  msgSerial: number,
): string | Buffer {
  const depth = rng.int(200, 50_000);
  const presence = rng.chance(0.5);
  const item = presence ? { action: 2, data: '@@DEEP@@' } : { name: 'deep', data: '@@DEEP@@' };
  const frame: Frame = {
    action: presence ? ACTIONS.PRESENCE : ACTIONS.MESSAGE,
    channel: rng.pick(channels),
    msgSerial,
    [presence ? 'presence' : 'messages']: [item],
  };
  if (format === 'json') {
    const open = rng.chance(0.5) ? '[' : '{"a":';
    const close = open === '[' ? ']' : '}';
    return JSON.stringify(frame).replace(
      '"@@DEEP@@"',
      `${open.repeat(depth)}0${close.repeat(depth)}`,
    );
  }
  // msgpack: a chain of one-element arrays (0x91) ending in nil, spliced in for the placeholder.
  const encoded = msgpack.encode(frame, true);
  const marker = msgpack.encode('@@DEEP@@');
  const at = encoded.indexOf(marker);
  const deep = Buffer.concat([Buffer.alloc(depth, 0x91), Buffer.from([0xc0])]);
  return Buffer.concat([encoded.subarray(0, at), deep, encoded.subarray(at + marker.length)]);
}

function mutateBytes(rng: Rng, bytes: Buffer): Buffer {
  const out = Buffer.from(bytes);
  switch (rng.weighted({ truncate: 2, flip: 3, insert: 1, swapType: 1 })) {
    case 'truncate':
      return out.subarray(0, rng.int(0, Math.max(0, out.length - 1)));
    case 'flip':
      for (let n = rng.int(1, 8); n > 0 && out.length > 0; n--) {
        const at = rng.int(0, out.length - 1);
        out[at] = out[at]! ^ (1 << rng.int(0, 7));
      }
      return out;
    case 'insert': {
      const at = rng.int(0, out.length);
      return Buffer.concat([out.subarray(0, at), rng.bytes(rng.int(1, 16)), out.subarray(at)]);
    }
    case 'swapType':
      // msgpack type bytes that claim enormous lengths (map32, array32, str32, bin32).
      return Buffer.concat([
        Buffer.from([rng.pick([0xdf, 0xdd, 0xdb, 0xc6]), 0x7f, 0xff, 0xff, 0xff]),
        out,
      ]);
  }
  return out;
}

function isObject(v: unknown): v is Frame {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
