import { createServer } from 'node:http';
import * as Ably from 'ably';
import { expect, test } from 'vitest';
import { EmulatorOptionsError, startEmulator } from '../src/index.js';
import { closeClient, emulator, onCleanup } from './helpers.js';

test('invalid options throw EmulatorOptionsError naming the option', async () => {
  const cases: [Record<string, unknown>, string][] = [
    [{ port: -1 }, 'port'],
    [{ port: 1.5 }, 'port'],
    [{ leaveGraceMs: 'soon' }, 'leaveGraceMs'],
    [{ key: 'nocolon' }, 'key'],
    [{ simulate: [{ room: '', count: 1 }] }, 'simulate'],
    [{ simulate: [{ room: 'r', count: 1, messageIntervalMs: -1 }] }, 'simulate'],
    [{ prot: 1 }, 'prot'],
    [{ now: 123 }, 'now'],
    [{ allowedOrigins: 'http://192.168.1.20:5173' }, 'allowedOrigins'],
    [{ allowedOrigins: ['192.168.1.20:5173'] }, 'allowedOrigins'],
    [{ allowedOrigins: ['http://192.168.1.20:5173/app'] }, 'allowedOrigins'],
    [{ allowedOrigins: ['http://user@192.168.1.20'] }, 'allowedOrigins'],
    [{ allowedOrigins: ['ftp://192.168.1.20'] }, 'allowedOrigins'],
    [{ allowedOrigins: ['null'] }, 'allowedOrigins'],
    [{ allowedOrigins: [5] }, 'allowedOrigins'],
    [{ maxApps: -1 }, 'maxApps'],
    [{ maxPresenceMembers: 0 }, 'maxPresenceMembers'],
    [{ maxPresenceDataBytes: -1 }, 'maxPresenceDataBytes'],
    [{ maxChannelsPerConnection: 1.5 }, 'maxChannelsPerConnection'],
    [{ maxInboundRate: 'fast' }, 'maxInboundRate'],
    [{ latencyMs: -5 }, 'latencyMs'],
    [{ latencyJitterMs: 0.5 }, 'latencyJitterMs'],
    // A simulated room must fit under the presence limit (it churns up to 20% above its count).
    [{ simulate: [{ room: 'big', count: 300 }] }, 'simulate'],
    [{ simulate: [{ room: 'big', count: 10 }], maxPresenceMembers: 11 }, 'simulate'],
  ];
  for (const [options, option] of cases) {
    const err = await startEmulator(options as never).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EmulatorOptionsError);
    expect(err).toMatchObject({ option, code: 'ERR_ABLY_EMULATOR_OPTION' });
    expect((err as Error).message).toMatch(new RegExp(`^Invalid emulator option "${option}": `));
  }
});

test('allowedOrigins are kept as browsers spell origins; maxApps defaults to 100', async () => {
  const e = await emulator({
    allowedOrigins: ['HTTP://DevBox.LAN:5173/', 'https://192.168.1.20:443', '*'],
  });
  expect(e.options.allowedOrigins).toEqual(['http://devbox.lan:5173', 'https://192.168.1.20', '*']);
  expect(e.options.maxApps).toBe(100);
  expect((await emulator()).options.allowedOrigins).toEqual([]);
});

test('clientOptions gives endpoint, port, tls:false and the key; extras merge in', async () => {
  const e = await emulator({ key: 'myapp.k1:s3cret' });
  expect(e.key).toBe('myapp.k1:s3cret');
  expect(e.url).toBe(`http://127.0.0.1:${e.port}`);
  expect(e.clientOptions()).toEqual({
    endpoint: '127.0.0.1',
    port: e.port,
    tls: false,
    key: 'myapp.k1:s3cret',
  });
  expect(e.clientOptions({ useBinaryProtocol: false, clientId: 'x' })).toMatchObject({
    useBinaryProtocol: false,
    clientId: 'x',
  });
  expect('useBinaryProtocol' in e.clientOptions()).toBe(false);
});

test('serves on an existing http.Server; stop() is idempotent and leaves that server open', async () => {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  onCleanup(() => new Promise((r) => server.close(r)));
  const e = await startEmulator({ server });
  const client = new Ably.Realtime({ ...e.clientOptions(), clientId: 'shared', logLevel: 0 });
  await client.connection.once('connected');
  expect(e.port).toBe((server.address() as { port: number }).port);
  await closeClient(client);
  await Promise.all([e.stop(), e.stop()]);
  expect(server.listening).toBe(true);
});

test('now: the clock that stamps presence events and answers GET /time', async () => {
  let frozen = 1_700_000_000_000;
  const e = await emulator({ now: () => frozen });
  const client = new Ably.Realtime({ ...e.clientOptions(), clientId: 'clock', logLevel: 0 });
  onCleanup(() => closeClient(client));
  const rest = new Ably.Rest({ ...e.clientOptions(), logLevel: 0 });
  expect(await rest.time()).toBe(frozen);
  const channel = client.channels.get('clocked');
  await channel.presence.enter('first');
  frozen += 5;
  await channel.presence.update('second');
  const history = await rest.channels.get('clocked').presence.history({ direction: 'forwards' });
  expect(history.items.map((m) => [m.action, m.timestamp])).toEqual([
    ['enter', 1_700_000_000_000],
    ['update', 1_700_000_000_005],
  ]);
});
