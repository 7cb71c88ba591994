import { existsSync } from 'node:fs';
import { request } from 'node:http';
import * as Ably from 'ably';
import { describe, expect, test, vi } from 'vitest';
import type { Emulator } from '../src/index.js';
import { ASSETS_DIR } from '../src/inspector/assets.js';
import {
  ACTION_HEADER,
  type ConnectionRow,
  type InspectorAction,
  type LogEntry,
  type MemberRow,
  type Snapshot,
  type Update,
} from '../src/inspector/wire.js';
import { emulator, onCleanup, realtime } from './helpers.js';
import { type Answer, call } from './raw-http.js';

/**
 * The inspector's server side, driven over HTTP as its page drives it: the stream's snapshot and
 * live updates, each action as real SDK clients see it, and who may use it (the page itself only).
 */

/** The headers the inspector page sends with an action. */
function pageHeaders(e: Emulator): Record<string, string> {
  return {
    origin: e.url,
    'content-type': 'application/json',
    'sec-fetch-site': 'same-origin',
    [ACTION_HEADER]: '1',
  };
}

/** Sends an action as the page does. */
async function act(e: Emulator, action: InspectorAction): Promise<Answer> {
  return call(e, 'POST', '/inspector/api/action', pageHeaders(e), JSON.stringify(action));
}

/** What a stream has shown so far, kept as the page keeps it. */
interface StreamView {
  snapshots: number;
  snapshot: Snapshot | undefined;
  members: Map<string, MemberRow>;
  connections: Map<string, ConnectionRow>;
  log: LogEntry[];
  channels: Snapshot['channels'];
  emulator: Snapshot['emulator'] | undefined;
}

/** Opens the inspector's stream for an app and channel; closed after the test. */
function stream(e: Emulator, query: string): Promise<StreamView> {
  const view: StreamView = {
    snapshots: 0,
    snapshot: undefined,
    members: new Map(),
    connections: new Map(),
    log: [],
    channels: [],
    emulator: undefined,
  };
  const apply = (event: string, data: string) => {
    if (event === 'snapshot') {
      const s = JSON.parse(data) as Snapshot;
      view.snapshots++;
      view.snapshot = s;
      view.members = new Map(s.members.map((m) => [m.key, m]));
      view.connections = new Map(s.connections.map((c) => [c.id, c]));
      view.log = s.log;
      view.channels = s.channels;
      view.emulator = s.emulator;
      return;
    }
    const u = JSON.parse(data) as Update;
    for (const m of u.members?.set ?? []) view.members.set(m.key, m);
    for (const key of u.members?.remove ?? []) view.members.delete(key);
    for (const c of u.connections?.set ?? []) view.connections.set(c.id, c);
    for (const id of u.connections?.remove ?? []) view.connections.delete(id);
    if (u.log) view.log = [...view.log, ...u.log];
    if (u.channels) view.channels = u.channels;
    if (u.emulator) view.emulator = u.emulator;
  };
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: e.port,
        path: `/inspector/api/stream?${query}`,
        headers: { 'sec-fetch-site': 'same-origin' },
        agent: false,
      },
      (res) => {
        expect(res.statusCode).toBe(200);
        expect(res.headers['content-type']).toMatch(/^text\/event-stream/);
        let buffered = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buffered += chunk;
          const events = buffered.split('\n\n');
          buffered = events.pop()!;
          for (const block of events) {
            const event = /^event: (.*)$/m.exec(block)?.[1];
            const data = /^data: (.*)$/m.exec(block)?.[1];
            if (event && data) apply(event, data);
          }
          if (view.snapshot) resolve(view);
        });
      },
    );
    req.on('error', reject);
    req.end();
    onCleanup(() => req.destroy());
  });
}

function members(view: StreamView): string[] {
  return [...view.members.values()].map((m) => m.clientId).sort();
}

/** An SDK client that watches who is present on a channel. */
async function observer(e: Emulator, channel: string): Promise<{ present: () => string[] }> {
  const client = await realtime(e, { clientId: 'observer' });
  const ch = client.channels.get(channel);
  const present = new Set<string>();
  await ch.presence.subscribe((m) => {
    if (m.action === 'leave') present.delete(m.clientId);
    else present.add(m.clientId);
  });
  for (const m of await ch.presence.get()) present.add(m.clientId);
  return { present: () => [...present].sort() };
}

describe('the stream', () => {
  test('a snapshot, then members, connections, channels and the log as they change', async () => {
    const e = await emulator();
    const view = await stream(e, `channel=${encodeURIComponent('lobby::$chat')}`);
    expect(view.snapshot).toMatchObject({
      app: e.app.id,
      channel: 'lobby::$chat',
      members: [],
      emulator: { url: e.url, defaultApp: e.app.id, leaveGraceMs: 200, maxPresenceMembers: 200 },
    });

    const alice = await realtime(e, { clientId: 'alice', useBinaryProtocol: false });
    const entered = Date.now();
    await alice.channels.get('lobby::$chat').presence.enter({ name: 'Alice' });
    await vi.waitFor(() => expect(members(view)).toEqual(['alice']), { timeout: 1000 });
    const member = [...view.members.values()][0]!;
    expect(member).toMatchObject({ connectionId: alice.connection.id, data: '{"name":"Alice"}' });
    expect(member.since).toBeGreaterThanOrEqual(entered - 1000);
    await vi.waitFor(() =>
      expect(view.connections.get(alice.connection.id!)).toEqual({
        id: alice.connection.id,
        clientId: 'alice',
        format: 'json',
        state: 'connected',
        simulated: false,
        auth: 'key',
        tokenExpires: null,
        attachments: ['lobby::$chat'],
      }),
    );
    await vi.waitFor(() =>
      expect(view.channels).toEqual([
        expect.objectContaining({
          name: 'lobby::$chat',
          room: 'lobby',
          metrics: expect.objectContaining({ connections: 1, presenceMembers: 1 }) as unknown,
        }),
      ]),
    );

    // An update keeps "since" (when it entered), and moves "updated".
    await alice.channels.get('lobby::$chat').presence.update({ name: 'Alice', status: 'away' });
    await vi.waitFor(() =>
      expect(view.members.get(member.key)?.data).toBe('{"name":"Alice","status":"away"}'),
    );
    expect(view.members.get(member.key)?.since).toBe(member.since);

    await alice.channels.get('lobby::$chat').publish('greeting', 'hi');
    await alice.channels.get('lobby::$chat').presence.leave();
    await vi.waitFor(() => expect(view.members.size).toBe(0));
    await vi.waitFor(() =>
      expect(view.log.map((l) => `${l.kind} ${l.action} ${l.clientId} ${l.detail}`)).toEqual([
        'connection opened alice null',
        'channel attached alice null',
        'presence enter alice {"name":"Alice"}',
        'presence update alice {"name":"Alice","status":"away"}',
        'message greeting alice "hi"',
        'presence leave alice {"name":"Alice","status":"away"}',
      ]),
    );
  });

  test('another app is shown apart, and binary data in both wire formats reads the same', async () => {
    const e = await emulator();
    const other = e.createApp();
    const view = await stream(e, `app=${other.appId}&channel=c`);
    expect(view.snapshot?.app).toBe(other.appId);
    const bin = await realtime(e, { key: other.keys[0]!.keyStr, clientId: 'bin' });
    await bin.channels.get('c').presence.enter({ n: 1 });
    const json = await realtime(e, {
      key: other.keys[0]!.keyStr,
      clientId: 'json',
      useBinaryProtocol: false,
    });
    await json.channels.get('c').presence.enter({ n: 1 });
    await vi.waitFor(() => expect(members(view)).toEqual(['bin', 'json']));
    expect([...view.members.values()].map((m) => m.data)).toEqual(['{"n":1}', '{"n":1}']);
    // The default app's stream does not list them.
    const main = await stream(e, 'channel=c');
    expect(main.snapshot?.members).toEqual([]);
    expect(main.snapshot?.apps.map((a) => a.id).sort()).toEqual([e.app.id, other.appId].sort());
  });

  test('a stream whose app is deleted gets a snapshot without it', async () => {
    const e = await emulator();
    const other = e.createApp();
    const view = await stream(e, `app=${other.appId}`);
    await realtime(e, { key: other.keys[0]!.keyStr, clientId: 'doomed' });
    await vi.waitFor(() => expect(view.connections.size).toBe(1));
    e.deleteApp(other.appId);
    await vi.waitFor(() => expect(view.snapshots).toBe(2));
    expect(view.snapshot).toMatchObject({ app: null, connections: [], channels: [] });
    expect(view.snapshot?.apps.map((a) => a.id)).toEqual([e.app.id]);
  });

  test('a stream opened later gets the recent log in its snapshot', async () => {
    const e = await emulator();
    const bob = await realtime(e, { clientId: 'bob' });
    await bob.channels.get('r').presence.enter();
    const view = await stream(e, 'channel=r');
    expect(view.snapshot?.members.map((m) => m.clientId)).toEqual(['bob']);
    expect(view.snapshot?.log.map((l) => l.action)).toEqual(['opened', 'attached', 'enter']);
  });
});

describe('actions', () => {
  test('drop: the member stays for the leave grace, then leaves; the client comes back after', async () => {
    const e = await emulator({ leaveGraceMs: 400 });
    const watch = await observer(e, 'room');
    const bob = await realtime(e, { clientId: 'bob', disconnectedRetryTimeout: 200 });
    await bob.channels.get('room').presence.enter();
    await vi.waitFor(() => expect(watch.present()).toEqual(['bob']));
    const id = bob.connection.id!;

    const dropped = Date.now();
    const answer = await act(e, { type: 'drop', app: e.app.id, connectionId: id });
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual({
      ok: true,
      message: `Dropped ${id} (bob): its members leave in 400 ms, then it may resume.`,
    });
    await vi.waitFor(() => expect(bob.connection.state).not.toBe('connected'));
    expect(watch.present()).toEqual(['bob']);
    await vi.waitFor(() => expect(watch.present()).toEqual([]), { timeout: 3000 });
    expect(Date.now() - dropped).toBeGreaterThanOrEqual(380);
    // Then it resumes its connection and re-enters (RTP17i).
    await vi.waitFor(() => expect(bob.connection.state).toBe('connected'), { timeout: 5000 });
    expect(bob.connection.id).toBe(id);
    await vi.waitFor(() => expect(watch.present()).toEqual(['bob']), { timeout: 3000 });
  });

  test('close: the member leaves at once, and the SDK connection is closed', async () => {
    const e = await emulator({ leaveGraceMs: 60_000 });
    const watch = await observer(e, 'room');
    const bob = await realtime(e, { clientId: 'bob' });
    await bob.channels.get('room').presence.enter();
    await vi.waitFor(() => expect(watch.present()).toEqual(['bob']));
    const answer = await act(e, { type: 'close', app: e.app.id, connectionId: bob.connection.id! });
    expect(answer.status).toBe(200);
    await vi.waitFor(() => expect(watch.present()).toEqual([]));
    await vi.waitFor(() => expect(bob.connection.state).toBe('closed'));
    expect(e.connectionCount).toBe(1);
  });

  test('detach: the member leaves; the SDK re-attaches on its own and re-enters', async () => {
    const e = await emulator({ leaveGraceMs: 60_000 });
    const watch = await observer(e, 'room');
    const bob = await realtime(e, { clientId: 'bob' });
    const channel = bob.channels.get('room');
    await channel.presence.enter();
    await vi.waitFor(() => expect(watch.present()).toEqual(['bob']));
    const states: string[] = [];
    channel.on((change) => states.push(change.current));
    const leaves: string[] = [];
    const watcher = await realtime(e, { clientId: 'w2' });
    await watcher.channels.get('room').presence.subscribe('leave', (m) => leaves.push(m.clientId));
    const answer = await act(e, {
      type: 'detach',
      app: e.app.id,
      connectionId: bob.connection.id!,
      channel: 'room',
    });
    expect(answer.status).toBe(200);
    await vi.waitFor(() => expect(leaves).toEqual(['bob']));
    await vi.waitFor(() => expect(states).toEqual(['attaching', 'attached']));
    await vi.waitFor(() => expect(watch.present()).toEqual(['bob']));

    const missing = await act(e, {
      type: 'detach',
      app: e.app.id,
      connectionId: bob.connection.id!,
      channel: 'elsewhere',
    });
    expect(missing.status).toBe(404);
  });

  test('expire token: the SDK renews its token and resumes; a key has no token to expire', async () => {
    const e = await emulator();
    let tokens = 0;
    const bob = await realtime(e, {
      key: undefined,
      authCallback: (_params, cb) => {
        tokens++;
        cb(null, e.createToken({ clientId: 'bob' }).token);
      },
    });
    await bob.channels.get('room').presence.enter();
    const id = bob.connection.id!;
    const errors: (number | undefined)[] = [];
    bob.connection.on('disconnected', (change) => errors.push(change.reason?.code));
    const answer = await act(e, { type: 'expireToken', app: e.app.id, connectionId: id });
    expect(answer.status).toBe(200);
    await vi.waitFor(() => expect(errors).toEqual([40142]));
    await vi.waitFor(() => expect(bob.connection.state).toBe('connected'));
    expect(tokens).toBe(2);
    expect(bob.connection.id).toBe(id);
    expect(e.channel('room').members.map((m) => m.clientId)).toEqual(['bob']);

    const keyed = await realtime(e, { clientId: 'keyed' });
    const refused = await act(e, {
      type: 'expireToken',
      app: e.app.id,
      connectionId: keyed.connection.id!,
    });
    expect(refused.status).toBe(400);
    expect(refused.body).toContain('uses a key, not a token');
  });

  test('remove member: everyone else sees it leave', async () => {
    const e = await emulator();
    const watch = await observer(e, 'room');
    const bob = await realtime(e, { clientId: 'bob' });
    await bob.channels.get('room').presence.enter('here');
    await vi.waitFor(() => expect(watch.present()).toEqual(['bob']));
    const answer = await act(e, {
      type: 'removeMember',
      app: e.app.id,
      channel: 'room',
      clientId: 'bob',
      connectionId: bob.connection.id!,
    });
    expect(answer.status).toBe(200);
    await vi.waitFor(() => expect(watch.present()).toEqual([]));
    expect(e.channel('room').metrics.presenceMembers).toBe(0);
    const again = await act(e, {
      type: 'removeMember',
      app: e.app.id,
      channel: 'room',
      clientId: 'bob',
      connectionId: bob.connection.id!,
    });
    expect(again.status).toBe(404);
  });

  test('visitors: a room gets simulated visitors, more, fewer, none; over the presence limit is refused', async () => {
    const e = await emulator({ maxPresenceMembers: 100 });
    const watch = await observer(e, 'hall::$chat');
    const view = await stream(e, '');
    expect((await act(e, { type: 'setVisitors', room: 'hall', count: 5 })).status).toBe(200);
    await vi.waitFor(() => expect(watch.present()).toHaveLength(5));
    await vi.waitFor(() => expect(view.emulator?.visitors).toEqual({ hall: 5 }));
    expect((await act(e, { type: 'setVisitors', room: 'hall', count: 20 })).status).toBe(200);
    expect(e.simulatedVisitors()).toEqual({ hall: 20 });
    await vi.waitFor(() => expect(watch.present().length).toBeGreaterThanOrEqual(16));
    expect((await act(e, { type: 'setVisitors', room: 'hall', count: 0 })).status).toBe(200);
    await vi.waitFor(() => expect(watch.present()).toEqual([]));
    // A simulated visitor has no socket to drop.
    await act(e, { type: 'setVisitors', room: 'hall', count: 1 });
    const sim = [...e.app.connections].find((c) => c.clientId?.startsWith('sim-'))!;
    const drop = await act(e, { type: 'drop', app: e.app.id, connectionId: sim.id });
    expect(drop.status).toBe(400);

    const over = await act(e, { type: 'setVisitors', room: 'hall', count: 90 });
    expect(over.status).toBe(400);
    expect(JSON.parse(over.body)).toMatchObject({
      ok: false,
      error: {
        code: 40003,
        message: expect.stringContaining('maxPresenceMembers (100)') as unknown,
      },
    });
  });

  test('latency: set while connections are open, it delays their frames from then on', async () => {
    const e = await emulator();
    const client = await realtime(e, { clientId: 'c' });
    const channel = client.channels.get('echo');
    await channel.attach();
    const roundTrip = async () => {
      const started = performance.now();
      const got = new Promise<void>((resolve) => void channel.subscribe(() => resolve()));
      await channel.publish('x', 'ping');
      await got;
      channel.unsubscribe();
      return performance.now() - started;
    };
    const view = await stream(e, '');
    expect((await act(e, { type: 'setLatency', ms: 120, jitterMs: 0 })).status).toBe(200);
    expect(e.latency).toEqual({ latencyMs: 120, latencyJitterMs: 0 });
    await vi.waitFor(() => expect(view.emulator?.latency).toEqual({ ms: 120, jitterMs: 0 }));
    expect(await roundTrip()).toBeGreaterThanOrEqual(230);
    await act(e, { type: 'setLatency', ms: 0, jitterMs: 0 });
    expect(await roundTrip()).toBeLessThan(100);
    const bad = await act(e, { type: 'setLatency', ms: -1, jitterMs: 0 });
    expect(bad.status).toBe(400);
  });

  test('malformed actions are refused with a sentence saying what is expected', async () => {
    const e = await emulator();
    const unknown = await call(e, 'POST', '/inspector/api/action', pageHeaders(e), '{"type":"x"}');
    expect(unknown.status).toBe(400);
    expect(unknown.body).toContain('Expected an action');
    const missing = await call(
      e,
      'POST',
      '/inspector/api/action',
      pageHeaders(e),
      '{"type":"drop","app":"x"}',
    );
    expect(missing.body).toContain('needs \\"connectionId\\"');
    const gone = await act(e, { type: 'close', app: e.app.id, connectionId: 'nope' });
    expect(gone.status).toBe(404);
  });
});

describe('who may use it', () => {
  const action = JSON.stringify({ type: 'setLatency', ms: 5, jitterMs: 0 });

  test('actions come only from its own page: Origin, header and a JSON body', async () => {
    const e = await emulator();
    const own = pageHeaders(e);
    const cases: [string, Record<string, string>, number][] = [
      ['no Origin (a script, a form of an old browser)', { ...own, origin: '' }, 403],
      ['another loopback page', { ...own, origin: 'http://localhost:5173' }, 403],
      ['another site', { ...own, origin: 'https://evil.example' }, 403],
      ['a cross-site request', { ...own, 'sec-fetch-site': 'cross-site' }, 403],
      ['no inspector header (a form post)', { ...own, [ACTION_HEADER]: '' }, 403],
      ['a form body', { ...own, 'content-type': 'application/x-www-form-urlencoded' }, 415],
    ];
    for (const [what, headers, status] of cases) {
      const sent = Object.fromEntries(Object.entries(headers).filter(([, v]) => v !== ''));
      const answer = await call(e, 'POST', '/inspector/api/action', sent, action);
      expect(answer.status, what).toBe(status);
      expect(answer.headers['access-control-allow-origin'], what).toBeUndefined();
    }
    expect(e.latency.latencyMs).toBe(0);
    expect((await call(e, 'POST', '/inspector/api/action', own, action)).status).toBe(200);
    expect(e.latency.latencyMs).toBe(5);
  });

  test('its stream and page answer no other origin, and no rebound Host', async () => {
    const e = await emulator();
    for (const path of ['/inspector', '/inspector/api/stream']) {
      const refused: Record<string, string>[] = [
        { origin: 'https://evil.example' },
        { host: 'evil.example' },
        ...(path.includes('/api/') ? [{ origin: 'http://localhost:5173' }] : []),
      ];
      for (const headers of refused) {
        const answer = await call(e, 'GET', path, headers);
        expect(answer.status, `${path} ${JSON.stringify(headers)}`).toBe(403);
        expect(answer.headers['access-control-allow-origin']).toBeUndefined();
      }
    }
    // A preflight from another page gets no CORS answer.
    const preflight = await call(e, 'OPTIONS', '/inspector/api/action', {
      origin: 'http://localhost:5173',
      'access-control-request-method': 'POST',
      'access-control-request-headers': ACTION_HEADER,
    });
    expect(preflight.status).toBe(403);
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
  });

  test('the page may not be framed by another site, and runs only its own scripts', async () => {
    if (!existsSync(ASSETS_DIR))
      throw new Error('The inspector page is not built: run pnpm build.');
    const e = await emulator();
    const page = await call(e, 'GET', '/inspector');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['x-frame-options']).toBe('DENY');
    expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    const script = /src="(\/inspector\/assets\/[^"]+\.js)"/.exec(page.body)?.[1];
    expect(script).toBeDefined();
    const js = await call(e, 'GET', script!);
    expect(js.status).toBe(200);
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect((await call(e, 'GET', '/inspector/assets/../../package.json')).status).toBe(404);
    expect((await call(e, 'GET', '/inspector/nope.js')).status).toBe(404);
  });

  test("a malformed URL is the router's to refuse, as before", async () => {
    const e = await emulator();
    expect((await call(e, 'GET', '//[')).status).toBe(400);
    expect((await call(e, 'GET', '/inspector/api/nothing')).status).toBe(404);
  });

  test('inspector: false serves nothing and observes nothing', async () => {
    const e = await emulator({ inspector: false });
    expect(e.inspectorUrl).toBeUndefined();
    expect((await call(e, 'GET', '/inspector')).status).toBe(404);
    expect((await call(e, 'GET', '/inspector/api/stream')).status).toBe(404);
    expect(e.app.observer).toBeUndefined();
    const on = await emulator();
    expect(on.inspectorUrl).toBe(`${on.url}/inspector`);
  });
});

test('Ably clients are not held up by an open stream', async () => {
  const e = await emulator();
  await stream(e, '');
  const client = new Ably.Rest(e.clientOptions({ logLevel: 0 }));
  expect(await client.time()).toBeGreaterThan(0);
});
