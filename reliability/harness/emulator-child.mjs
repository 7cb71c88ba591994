// The emulator in its own process, driven over IPC by `emulator-process.ts`. A separate process
// lets a test measure the emulator's heap on its own, see a crash as an exit, and keeps the
// server's CPU off the test's event loop. Started with --expose-gc so `heap` can force a GC.
import { startEmulator } from '@presencekit/ably-emulator';

/** @type {import('@presencekit/ably-emulator').Emulator | undefined} */
let emulator;
/** Log lines that point at a bug in the emulator rather than at a bad client (bounded). */
const suspicious = [];
const SUSPICIOUS = /internal error|Internal emulator error|REST \S+ \S+: |websocket server error/i;

function log(line) {
  if (SUSPICIOUS.test(line) && suspicious.length < 200) suspicious.push(line);
}

function info() {
  if (!emulator) throw new Error('emulator not started');
  return { url: emulator.url, host: emulator.host, port: emulator.port, key: emulator.key };
}

function running() {
  if (!emulator) throw new Error('emulator not started');
  return emulator;
}

const commands = {
  async start(options) {
    emulator = await startEmulator({ ...options, log });
    return info();
  },
  async stop() {
    await emulator?.stop();
    emulator = undefined;
  },
  heap() {
    // Two passes: the first can leave garbage reachable only from finalizers.
    globalThis.gc?.();
    globalThis.gc?.();
    const m = process.memoryUsage();
    return { heapUsed: m.heapUsed, rss: m.rss, external: m.external, arrayBuffers: m.arrayBuffers };
  },
  channel(name, appId) {
    return running().channel(name, appId);
  },
  messages(name) {
    const ch = running().app.findChannel(name);
    if (!ch) return [];
    return ch.messages.query({ direction: 'forwards', limit: 10_000 }).items.map((m) => ({
      id: m.id,
      name: m.name,
      data: m.data,
      clientId: m.clientId,
      connectionId: m.connectionId,
      serial: m.serial,
    }));
  },
  channelCount() {
    return running().app.channels.size;
  },
  connectionCount() {
    return running().connectionCount;
  },
  drop(connectionId) {
    return running().dropConnection(connectionId);
  },
  createToken(params) {
    return running().createToken(params);
  },
  suspicious() {
    return suspicious.slice();
  },
};

process.on('message', async (message) => {
  const { id, cmd, args = [] } = message;
  try {
    const fn = commands[cmd];
    if (!fn) throw new Error(`unknown command ${cmd}`);
    const result = await fn(...args);
    process.send({ id, ok: true, result });
  } catch (err) {
    process.send({ id, ok: false, error: err instanceof Error ? err.stack : String(err) });
  }
});

// The test process went away (crash, Ctrl-C): never outlive it.
process.on('disconnect', () => process.exit(0));
process.send({ ready: true });
