import { request } from 'node:http';
import { connect } from 'node:net';

import msgpack from '@ably/msgpack-js';

import type { EmulatorAddress } from './emulator-process';
import type { Rng } from './rng';
import { HOSTILE_STRINGS, randomValue } from './values';

/**
 * A REST fuzzer: random methods, paths (real routes and garbage), query strings, credentials,
 * headers (Origin and Host included) and bodies (valid, mutated, malformed JSON and msgpack,
 * oversize, deeply nested), plus raw TCP garbage. It records every answer so the test can require
 * that none was a 5xx, that every error the router gave is Ably-shaped, and that every request
 * from another site's page or to a foreign Host was refused (40300, no CORS headers) while
 * loopback pages and clients without an Origin were served.
 */

export interface HttpFuzzStats {
  requests: number;
  rawSockets: number;
  byStatus: Record<string, number>;
  byRoute: Record<string, number>;
  /** Answers that show a bug: 5xx, or an error without an Ably error body and headers. */
  problems: string[];
}

/** Credentials the fuzzer mixes in (valid, expired, for another app). */
export interface HttpFuzzCredentials {
  key: string;
  /** A valid token (raw string). */
  token: string;
  /** A token that has expired. */
  expiredToken: string;
  /** Id of the default app: deleting it must be refused. */
  appId: string;
}

export interface HttpFuzzOptions {
  address: EmulatorAddress;
  credentials: HttpFuzzCredentials;
  requests: number;
  concurrency: number;
  /** Channels the fuzzer may read but never write (the well-behaved clients'). */
  protectedChannels: readonly string[];
  /**
   * Draws the Origin and Host headers: a stream of its own, so that header cases added here do
   * not change the requests a seed replays.
   */
  headerRng: Rng;
}

export function emptyHttpStats(): HttpFuzzStats {
  return { requests: 0, rawSockets: 0, byStatus: {}, byRoute: {}, problems: [] };
}

/** encodeURIComponent that does not throw on lone surrogates (they become U+FFFD). */
function encodeUri(s: string): string {
  return encodeURIComponent(
    s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd'),
  );
}

function bump(table: Record<string, number>, key: string): void {
  table[key] = (table[key] ?? 0) + 1;
}

interface FuzzRequest {
  route: string;
  method: string;
  /** May hold {@link MESSAGE_SERIAL}, replaced when sent (see {@link ChatSerials}). */
  path: string;
  headers: Record<string, string>;
  body: Buffer | undefined;
  /** Whether the emulator must refuse it for its Origin or Host (decided here, not asked of it). */
  foreign: boolean;
  /** Which of the recent chat message serials {@link MESSAGE_SERIAL} stands for. */
  serialIndex: number;
}

/** In a path: the serial of a chat message the fuzzer sent (or a made-up one before any). */
const MESSAGE_SERIAL = '@@MESSAGE_SERIAL@@';

/**
 * Serials of chat messages the fuzzer sent (from the answers to its chat sends), so that updates,
 * deletes, versions and reactions reach real messages, not only 40400s. Requests are drawn from
 * the seed alone; which serial a placeholder becomes depends on what was answered by then.
 */
class ChatSerials {
  private readonly serials: string[] = [];

  add(serial: unknown): void {
    if (typeof serial !== 'string') return;
    this.serials.push(serial);
    if (this.serials.length > 100) this.serials.shift();
  }

  /** `path` with its placeholder replaced by the `index`-th latest serial. */
  resolve(path: string, index: number): string {
    if (!path.includes(MESSAGE_SERIAL)) return path;
    const n = this.serials.length;
    const serial = n === 0 ? 'no-message-yet' : this.serials[n - 1 - (index % n)]!;
    return path.replace(MESSAGE_SERIAL, encodeUri(serial));
  }
}

/**
 * `Origin` values and whether a page with that origin may use the emulator: loopback pages on any
 * port may; other sites, look-alikes of loopback names, sandboxed frames (`null`) and malformed
 * values may not. An empty value is no Origin (no browser sends one).
 */
const ORIGINS: readonly (readonly [string, boolean])[] = [
  ['http://localhost:5173', true],
  ['http://127.0.0.1:1234', true],
  ['http://[::1]:3000', true],
  ['https://localhost', true],
  ['', true],
  ['null', false],
  ['x', false],
  ['https://evil.example', false],
  ['http://localhost.evil.example', false],
  ['http://127.0.0.1.nip.io:8787', false],
  ['http://localhost:5173/path', false],
  ['http://192.168.1.20:5173', false],
];

/** `Host` values and whether the emulator (bound to 127.0.0.1) answers to them. */
function hosts(port: number): readonly (readonly [string, boolean])[] {
  return [
    [`localhost:${port}`, true],
    [`[::1]:${port}`, true],
    ['127.0.0.2', true],
    [`attacker.example:${port}`, false],
    [`localhost.attacker.example:${port}`, false],
    ['192.168.1.20', false],
  ];
}

const MAX_BODY_BYTES = 2 * 1024 * 1024;

/** Sends `requests` requests (and some raw garbage connections). */
export async function fuzzHttp(
  rng: Rng,
  options: HttpFuzzOptions,
  stats: HttpFuzzStats,
): Promise<void> {
  let remaining = options.requests;
  const serials = new ChatSerials();
  const worker = async (): Promise<void> => {
    while (remaining > 0) {
      remaining--;
      if (rng.chance(0.04)) await rawGarbage(rng, options, stats);
      else await send(makeRequest(rng, options), options.address, stats, serials);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
}

function makeRequest(rng: Rng, options: HttpFuzzOptions): FuzzRequest {
  const { credentials, protectedChannels } = options;
  const writeChannel = () => {
    for (;;) {
      const name = pickChannel(rng);
      if (!protectedChannels.includes(name)) return name;
    }
  };
  const readChannel = () => (rng.chance(0.3) ? rng.pick(protectedChannels) : pickChannel(rng));
  const enc = (s: string) => (rng.chance(0.9) ? encodeUri(s) : s.replace(/[/?#]/g, '_'));
  // Chat rooms: the room of a protected `<room>::$chat` channel may be read, never written.
  const protectedRooms = protectedChannels
    .filter((c) => c.endsWith(CHAT_SUFFIX))
    .map((c) => c.slice(0, -CHAT_SUFFIX.length));
  const writeRoom = () =>
    rng.chance(0.8) ? `fuzz-room-${rng.int(0, 5)}` : `fuzz-${rng.pick(HOSTILE_STRINGS)}`;
  const readRoom = () =>
    rng.chance(0.3) && protectedRooms.length > 0 ? rng.pick(protectedRooms) : writeRoom();
  const serialIndex = rng.int(0, 20);
  const serial = () => (rng.chance(0.7) ? MESSAGE_SERIAL : enc(rng.string(rng.int(0, 30))));

  const route = rng.weighted({
    time: 1,
    channel: 2,
    presence: 3,
    presenceHistory: 2,
    messagesGet: 2,
    messagesPost: 3,
    batchPresence: 2,
    requestToken: 2,
    appsPost: 1.5,
    appsDelete: 1,
    chatOccupancy: 2,
    chatMessagesGet: 1.5,
    chatMessagesPost: 2,
    chatMessage: 3,
    garbagePath: 2,
  });
  let method = 'GET';
  let path = '/';
  let body: Buffer | undefined;
  const headers: Record<string, string> = {};
  switch (route) {
    case 'time':
      path = '/time';
      break;
    case 'channel':
      path = `/channels/${enc(readChannel())}`;
      break;
    case 'presence':
      path = `/channels/${enc(readChannel())}/presence`;
      break;
    case 'presenceHistory':
      path = `/channels/${enc(readChannel())}/presence/history`;
      break;
    case 'messagesGet':
      path = `/channels/${enc(readChannel())}/messages`;
      break;
    case 'messagesPost':
      method = 'POST';
      path = `/channels/${enc(writeChannel())}/messages`;
      body = messageBody(rng, headers);
      break;
    case 'batchPresence': {
      const names = Array.from({ length: rng.int(0, rng.chance(0.1) ? 150 : 5) }, readChannel);
      path = `/presence?channels=${names.map(encodeUri).join(rng.chance(0.9) ? ',' : ';')}`;
      break;
    }
    case 'requestToken': {
      method = 'POST';
      const keyName = rng.chance(0.7) ? credentials.key.split(':')[0]! : rng.pick(HOSTILE_STRINGS);
      path = `/keys/${enc(keyName)}/requestToken`;
      body = tokenRequestBody(rng, keyName, headers);
      break;
    }
    case 'appsPost':
      method = 'POST';
      path = '/apps';
      body = appSpecBody(rng, credentials.appId, headers);
      break;
    case 'appsDelete':
      method = 'DELETE';
      path = `/apps/${enc(rng.chance(0.5) ? credentials.appId : rng.string(rng.int(0, 10)))}`;
      break;
    case 'chatOccupancy':
      path = `/chat/v${rng.pick([1, 2, 4, 99])}/rooms/${enc(rng.chance(0.3) ? 'victim-room' : rng.string(6))}/occupancy`;
      break;
    case 'chatMessagesGet':
      path = `/chat/v4/rooms/${enc(readRoom())}/messages`;
      break;
    case 'chatMessagesPost':
      method = 'POST';
      path = `/chat/v4/rooms/${enc(writeRoom())}/messages`;
      body = chatMessageBody(rng, headers);
      break;
    case 'chatMessage': {
      // Message operations of the Chat REST API v4: reads on any room, changes on the fuzzer's.
      const [op, suffix] = rng.pick([
        ['GET', ''],
        ['PUT', ''],
        ['POST', '/delete'],
        ['GET', '/versions'],
        ['POST', '/reactions'],
        ['DELETE', '/reactions'],
        ['GET', '/client-reactions'],
      ] as const);
      method = op;
      const room = op === 'GET' ? readRoom() : writeRoom();
      path = `/chat/v4/rooms/${enc(room)}/messages/${serial()}${suffix}`;
      if (op === 'PUT') {
        body = encodeBody(
          rng,
          rng.chance(0.8)
            ? {
                message: chatContent(rng),
                ...(rng.chance(0.3) ? { description: rng.pick(['edit', 5, '']) } : {}),
                ...(rng.chance(0.3)
                  ? { metadata: randomValue(rng, { binary: false, maxString: 50 }) }
                  : {}),
              }
            : randomValue(rng, { binary: rng.chance(0.5), maxString: 200 }),
          headers,
        );
      } else if (op === 'POST' && suffix === '/reactions') {
        body = encodeBody(rng, reactionBody(rng), headers);
      }
      break;
    }
    case 'garbagePath':
      path = rng.pick([
        '/',
        '//',
        '/%',
        '/channels/%E0%A4%A/presence',
        '/channels//presence',
        '/channels/a/b/c/d',
        `/${'x'.repeat(rng.int(1000, 20_000))}`,
        '/../../etc/passwd',
        '/channels/%00/messages',
        '/apps/',
        `/${rng.string(rng.int(1, 30), 'abc/%?#&=.')}`,
      ]);
      break;
  }
  // Any method on any route now and then (405s, HEAD, OPTIONS preflights).
  if (rng.chance(0.1))
    method = rng.pick(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'FOO']);
  // Reads of the protected channels are fine; nothing else may reach them.
  if (
    !['GET', 'HEAD', 'OPTIONS'].includes(method) &&
    (protectedChannels.some((c) => path.includes(encodeUri(c)) || path.includes(c)) ||
      protectedRooms.some((r) => path.includes(`/rooms/${encodeUri(r)}/`)))
  )
    method = 'GET';
  path += queryString(rng, path.includes('?'));
  addAuth(rng, credentials, headers);
  if (rng.chance(0.7))
    headers.accept = rng.pick([
      'application/json',
      'application/x-msgpack',
      'application/x-msgpack,application/json',
      '*/*',
      'text/html',
      '',
    ]);
  const { headerRng } = options;
  let foreign = false;
  if (headerRng.chance(0.2)) {
    const [origin, allowed] = headerRng.pick(ORIGINS);
    headers.origin = origin;
    foreign ||= !allowed;
  }
  if (headerRng.chance(0.1)) {
    const [host, allowed] = headerRng.pick(hosts(options.address.port));
    headers.host = host;
    foreign ||= !allowed;
  }
  if (rng.chance(0.05)) headers['access-control-request-headers'] = rng.string(20);
  if (rng.chance(0.05)) headers.upgrade = 'websocket';
  if (body === undefined && rng.chance(0.1)) body = garbageBody(rng, headers);
  return { route, method, path, headers, body, foreign, serialIndex };
}

const CHAT_SUFFIX = '::$chat';

function pickChannel(rng: Rng): string {
  return rng.chance(0.7)
    ? `fuzz:${rng.int(0, 15)}`
    : rng.chance(0.5)
      ? `fuzz:${rng.pick(HOSTILE_STRINGS)}`
      : rng.pick(HOSTILE_STRINGS);
}

function queryString(rng: Rng, hasQuery: boolean): string {
  const params: string[] = [];
  const value = () =>
    rng.pick([
      '',
      '-1',
      '0',
      '1',
      '2',
      '1000',
      '1001',
      'NaN',
      'abc',
      '1e309',
      String(Date.now()),
      'forwards',
      'backwards',
      'sideways',
      'json',
      'msgpack',
      '%zz',
      rng.string(rng.int(0, 50)),
    ]);
  for (const name of [
    'limit',
    'direction',
    'start',
    'end',
    'cursor',
    'clientId',
    'connectionId',
    'envelope',
    'separator',
    'from_serial',
    'fromSerial',
    'idempotencyKey',
    'forClientId',
    'type',
    'name',
    'rnd',
    'key',
    'access_token',
  ]) {
    if (rng.chance(0.12)) params.push(`${name}=${encodeUri(value())}`);
  }
  if (rng.chance(0.05)) params.push(`${rng.string(5)}=${rng.string(5)}&&=&%zz`);
  if (params.length === 0) return '';
  return (hasQuery ? '&' : '?') + params.join('&');
}

function addAuth(rng: Rng, credentials: HttpFuzzCredentials, headers: Record<string, string>) {
  const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
  switch (
    rng.weighted({
      basic: 6,
      none: 2,
      wrongSecret: 1,
      garbageBasic: 1,
      bearer: 2,
      expiredBearer: 1,
      garbageBearer: 1,
      rawBearer: 0.5,
      otherScheme: 0.5,
    })
  ) {
    case 'basic':
      headers.authorization = `Basic ${b64(credentials.key)}`;
      break;
    case 'none':
      break;
    case 'wrongSecret':
      headers.authorization = `Basic ${b64(`${credentials.key}x`)}`;
      break;
    case 'garbageBasic':
      headers.authorization = `Basic ${rng.pick(['', '!!!', b64(':'), b64('a.b'), rng.string(30)])}`;
      break;
    case 'bearer':
      headers.authorization = `Bearer ${b64(credentials.token)}`;
      break;
    case 'expiredBearer':
      headers.authorization = `Bearer ${b64(credentials.expiredToken)}`;
      break;
    case 'garbageBearer':
      headers.authorization = `Bearer ${rng.pick(['', b64(rng.string(20)), rng.string(40), 'eyJ.eyJ.sig'])}`;
      break;
    case 'rawBearer':
      headers.authorization = `Bearer ${credentials.token}`;
      break;
    case 'otherScheme':
      headers.authorization = rng.pick(['Digest x', 'Basic', 'Bearer', rng.string(10)]);
      break;
  }
  if (rng.chance(0.1))
    headers['x-ably-clientid'] = rng.chance(0.5) ? b64(rng.pick(HOSTILE_STRINGS)) : rng.string(8);
}

function encodeBody(rng: Rng, value: unknown, headers: Record<string, string>): Buffer {
  if (rng.chance(0.5)) {
    headers['content-type'] = 'application/x-msgpack';
    return msgpack.encode(value, true);
  }
  headers['content-type'] = 'application/json';
  return Buffer.from(JSON.stringify(value) ?? 'null');
}

function messageBody(rng: Rng, headers: Record<string, string>): Buffer {
  const binary = rng.chance(0.5);
  const message = () => {
    const m: Record<string, unknown> = {};
    if (rng.chance(0.8)) m.name = rng.string(rng.int(0, 10));
    if (rng.chance(0.8)) m.data = randomValue(rng, { binary, maxString: 80_000 });
    if (rng.chance(0.2)) m.clientId = rng.pick(HOSTILE_STRINGS);
    if (rng.chance(0.1)) m.id = rng.string(12);
    if (rng.chance(0.1)) m.extras = randomValue(rng, { binary, maxString: 100 });
    if (rng.chance(0.05)) m.encoding = rng.pick(['json', 'base64', 'x']);
    return m;
  };
  const shape = rng.weighted({ one: 5, many: 2, huge: 0.3, deep: 0.3, wrong: 1 });
  if (shape === 'deep') {
    headers['content-type'] = 'application/json';
    const depth = rng.int(300, 30_000);
    return Buffer.from(`{"name":"deep","data":${'['.repeat(depth)}${']'.repeat(depth)}}`);
  }
  if (shape === 'huge') {
    headers['content-type'] = 'application/json';
    return Buffer.from(JSON.stringify({ name: 'huge', data: 'h'.repeat(MAX_BODY_BYTES + 1024) }));
  }
  const value =
    shape === 'one'
      ? message()
      : shape === 'many'
        ? Array.from({ length: rng.int(0, rng.chance(0.1) ? 1200 : 10) }, message)
        : randomValue(rng, { binary, maxString: 1000 });
  return encodeBody(rng, value, headers);
}

/** `{text, metadata?, headers?}`, or something near it. */
function chatContent(rng: Rng): unknown {
  const binary = rng.chance(0.5);
  const content: Record<string, unknown> = {};
  if (rng.chance(0.9))
    content.text = rng.chance(0.8)
      ? rng.string(rng.int(0, 200))
      : randomValue(rng, { binary, maxString: 80_000 });
  if (rng.chance(0.3)) content.metadata = randomValue(rng, { binary, maxString: 100 });
  if (rng.chance(0.3))
    content.headers = rng.chance(0.5)
      ? { [rng.pick(HOSTILE_STRINGS)]: rng.pick(['v', 1, true, null, [1], { a: 1 }]) }
      : randomValue(rng, { binary, maxString: 100 });
  return content;
}

function chatMessageBody(rng: Rng, headers: Record<string, string>): Buffer {
  return encodeBody(
    rng,
    rng.chance(0.9) ? chatContent(rng) : randomValue(rng, { binary: false, maxString: 100 }),
    headers,
  );
}

/** `{type, name, count?}` of a message reaction, or something near it. */
function reactionBody(rng: Rng): unknown {
  if (rng.chance(0.1)) return randomValue(rng, { binary: false, maxString: 100 });
  const reaction: Record<string, unknown> = {
    type: rng.pick(['unique', 'distinct', 'multiple', 'multiple', 'sideways', 1]),
  };
  if (rng.chance(0.9)) reaction.name = rng.pick(['👍', '❤️', '', ...HOSTILE_STRINGS]);
  if (rng.chance(0.4)) reaction.count = rng.pick([1, 3, 0, -1, 1.5, 'x', 2 ** 40]);
  return reaction;
}

function tokenRequestBody(rng: Rng, keyName: string, headers: Record<string, string>): Buffer {
  const req: Record<string, unknown> = {
    keyName,
    timestamp: rng.chance(0.8) ? Date.now() : randomValue(rng, { binary: false, maxString: 20 }),
    nonce: rng.string(16),
    mac: rng.string(44, 'ABCDEFabcdef0123456789+/='),
  };
  if (rng.chance(0.5)) req.clientId = rng.pick(['alice', '', '*', ...HOSTILE_STRINGS]);
  if (rng.chance(0.5))
    req.capability = rng.pick([
      '{"*":["*"]}',
      '{"victim-channel":["publish"]}',
      'nope',
      '{}',
      '[]',
      randomValue(rng, { binary: false, maxString: 20 }),
    ]);
  if (rng.chance(0.3)) req.ttl = rng.pick([-1, 0, 1, 1e15, 'x', 3_600_000]);
  if (rng.chance(0.2)) delete req[rng.pick(Object.keys(req))];
  return encodeBody(
    rng,
    rng.chance(0.1) ? randomValue(rng, { binary: false, maxString: 100 }) : req,
    headers,
  );
}

function appSpecBody(rng: Rng, defaultAppId: string, headers: Record<string, string>): Buffer {
  const binary = rng.chance(0.5);
  const spec: Record<string, unknown> = {};
  if (rng.chance(0.2))
    spec.appId = rng.pick([defaultAppId, rng.string(8), '', '../x', 'a'.repeat(70)]);
  if (rng.chance(0.7))
    spec.keys = Array.from({ length: rng.int(0, 3) }, () =>
      rng.chance(0.7)
        ? { capability: rng.pick(['{"*":["*"]}', '{"a":["subscribe"]}', 'x', '{}']) }
        : randomValue(rng, { binary, maxString: 50 }),
    );
  if (rng.chance(0.4))
    spec.namespaces = [
      { id: rng.pick(['persisted', '', rng.string(5)]), persisted: rng.chance(0.5) },
    ];
  if (rng.chance(0.4))
    spec.channels = [
      {
        name: rng.pick(['fixtures', '', rng.string(5)]),
        presence: Array.from({ length: rng.int(0, 3) }, () => ({
          clientId: rng.pick(['bob', '', rng.string(4)]),
          data: randomValue(rng, { binary, maxString: 100 }),
        })),
      },
    ];
  return encodeBody(
    rng,
    rng.chance(0.1) ? randomValue(rng, { binary, maxString: 100 }) : spec,
    headers,
  );
}

function garbageBody(rng: Rng, headers: Record<string, string>): Buffer {
  headers['content-type'] = rng.pick([
    'application/json',
    'application/x-msgpack',
    'text/plain',
    '',
  ]);
  switch (rng.weighted({ bytes: 2, badJson: 2, badMsgpack: 2, huge: 0.2 })) {
    case 'bytes':
      return rng.bytes(rng.int(1, 2000));
    case 'badJson':
      return Buffer.from(
        rng.pick(['{', '{"a":', '[1,2', 'undefined', '\u0000', '{"__proto__":{"x":1}}']),
      );
    case 'badMsgpack':
      return Buffer.from([rng.pick([0xdf, 0xdd, 0xdb, 0xc6, 0xc1]), 0x7f, 0xff, 0xff, 0xff, 0x00]);
    case 'huge':
      return Buffer.alloc(MAX_BODY_BYTES + 4096, 0x20);
  }
}

/** Sends one request and checks the answer (and keeps the serial of a chat message it sent). */
function send(
  req: FuzzRequest,
  address: EmulatorAddress,
  stats: HttpFuzzStats,
  serials: ChatSerials,
): Promise<void> {
  stats.requests++;
  bump(stats.byRoute, req.route);
  req = { ...req, path: serials.resolve(req.path, req.serialIndex) };
  return new Promise((resolve) => {
    const r = request(
      {
        host: address.host,
        port: address.port,
        method: req.method,
        // Node refuses to send spaces, controls and non-Latin-1 in a path: escape just those.
        path: req.path.replace(/[^\u0021-\u00ff]/gu, encodeUri),
        headers: {
          ...req.headers,
          ...(req.body ? { 'content-length': String(req.body.length) } : {}),
        },
        timeout: 30_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          bump(stats.byStatus, String(status));
          const body = Buffer.concat(chunks);
          check(req, status, res.headers, body, stats);
          if (req.route === 'chatMessagesPost' && status === 201)
            serials.add(serialIn(res.headers, body));
          resolve();
        });
        res.on('error', () => resolve());
      },
    );
    r.on('timeout', () => {
      stats.problems.push(`${req.method} ${req.path.slice(0, 80)}: no answer in 30 s`);
      r.destroy();
    });
    r.on('error', (err) => {
      // The server may cut an oversize upload short; anything else is a finding.
      const code = (err as NodeJS.ErrnoException).code ?? '';
      if (!['ECONNRESET', 'EPIPE'].includes(code) || (req.body?.length ?? 0) <= MAX_BODY_BYTES)
        stats.problems.push(`${req.method} ${req.path.slice(0, 80)}: ${err.message}`);
      bump(stats.byStatus, `error:${code}`);
      resolve();
    });
    r.end(req.body);
  });
}

/** The `serial` of a chat message in an answer body (msgpack or JSON by content-type). */
function serialIn(headers: Record<string, string | string[] | undefined>, body: Buffer): unknown {
  try {
    const decoded = (
      String(headers['content-type']).includes('msgpack')
        ? msgpack.decode(body)
        : JSON.parse(body.toString('utf8'))
    ) as { serial?: unknown } | null;
    return decoded?.serial;
  } catch {
    return undefined;
  }
}

function check(
  req: FuzzRequest,
  status: number,
  headers: Record<string, string | string[] | undefined>,
  body: Buffer,
  stats: HttpFuzzStats,
): void {
  const what = `${req.method} ${req.path.slice(0, 80)} → ${status}`;
  if (status >= 500) {
    stats.problems.push(`${what}: ${body.toString('utf8').slice(0, 200)}`);
    return;
  }
  // Node answers these itself before the emulator sees the request.
  if (
    status === 431 ||
    (status === 400 && headers['x-ably-errorcode'] === undefined && body.length === 0)
  )
    return;
  const allowOrigin = headers['access-control-allow-origin'];
  if (req.foreign) {
    if (status !== 403 || headers['x-ably-errorcode'] !== '40300')
      stats.problems.push(`${what}: served Origin ${req.headers.origin} Host ${req.headers.host}`);
    if (allowOrigin !== undefined) stats.problems.push(`${what}: CORS headers on a refusal`);
  } else {
    if (headers['x-ably-errorcode'] === '40300')
      stats.problems.push(`${what}: refused Origin ${req.headers.origin} Host ${req.headers.host}`);
    // CORS answers exactly the page that asked, and only a page.
    if (allowOrigin !== (req.headers.origin || undefined))
      stats.problems.push(
        `${what}: access-control-allow-origin ${String(allowOrigin)} for ${req.headers.origin}`,
      );
  }
  if (status < 400 || req.method === 'HEAD') return;
  const code = Number(headers['x-ably-errorcode']);
  let parsed: { error?: { code?: unknown; statusCode?: unknown } } | undefined;
  try {
    parsed = JSON.parse(body.toString('utf8')) as typeof parsed;
  } catch {
    parsed = undefined;
  }
  const bodyCode = parsed?.error?.code;
  if (!Number.isInteger(code) || typeof bodyCode !== 'number' || bodyCode !== code)
    stats.problems.push(`${what}: not an Ably error (${body.toString('utf8').slice(0, 120)})`);
  else if (headers['content-type'] !== 'application/json')
    stats.problems.push(`${what}: error content-type ${String(headers['content-type'])}`);
}

/** A WebSocket upgrade request with these extra header lines. */
function rawUpgrade(lines: string): Buffer {
  return Buffer.from(
    `GET /?key=a HTTP/1.1\r\n${lines}Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n`,
  );
}

/**
 * A raw TCP connection that sends something that is not (quite) HTTP, then goes away. Now and then
 * (from the header stream) it is an upgrade from another site or to a foreign Host instead, which
 * must stop before the WebSocket handshake.
 */
async function rawGarbage(
  rng: Rng,
  { address, headerRng }: HttpFuzzOptions,
  stats: HttpFuzzStats,
): Promise<void> {
  stats.rawSockets++;
  // Host 127.0.0.1: these get past the Host check, to the HTTP parser and the handshake.
  let payload = rng.pick([
    rng.bytes(rng.int(1, 500)),
    Buffer.from('GET / HTTP/1.1\r\n'),
    Buffer.from(`GET /time HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: -1\r\n\r\n`),
    Buffer.from(`POST /apps HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100000\r\n\r\n{"keys":`),
    Buffer.from(
      `GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: x\r\n\r\n`,
    ),
    Buffer.concat([rawUpgrade('Host: 127.0.0.1\r\n'), Buffer.alloc(10)]),
    Buffer.from(
      `GET /time HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n`,
    ),
    Buffer.from('\r\n\r\n\r\n'),
  ]);
  const foreign = headerRng.chance(0.3);
  if (foreign) {
    payload = headerRng.pick([
      rawUpgrade('Host: 127.0.0.1\r\nOrigin: https://evil.example\r\n'),
      rawUpgrade('Host: attacker.example\r\n'),
      rawUpgrade('Host: 127.0.0.1\r\nOrigin: null\r\n'),
    ]);
  }
  let answer = '';
  await new Promise<void>((resolve) => {
    const socket = connect(address.port, address.host);
    const done = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve();
    };
    const delay = rng.int(5, 200);
    // A refused upgrade is read to the end: the server answers and closes.
    const timer = setTimeout(done, foreign ? 30_000 : delay);
    socket.on('error', done);
    socket.on('close', done);
    socket.on('connect', () => socket.write(payload));
    socket.on('data', (chunk: Buffer) => {
      if (foreign) answer += chunk.toString('latin1');
    });
  });
  if (
    foreign &&
    !(
      answer.startsWith('HTTP/1.1 403 ') &&
      /\r\nx-ably-errorcode: 40300\r\n/.test(answer) &&
      !/\r\naccess-control-/i.test(answer)
    )
  ) {
    stats.problems.push(
      `upgrade ${payload.toString('latin1').split('\r\n')[1]}: not refused (${answer.slice(0, 80)})`,
    );
  }
}
