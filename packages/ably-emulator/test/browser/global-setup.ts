import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as Ably from 'ably';
import type { TestProject } from 'vitest/node';
import { startEmulator } from '../../src/index.js';
import { browserRecord } from './record.js';

/** What the browser tests receive through `inject('ablyEmulator')`. */
export interface BrowserEmulatorContext {
  /** Base URL of the emulator, e.g. `http://127.0.0.1:51234`. */
  url: string;
  endpoint: string;
  port: number;
  /** The emulator's local development key (no real Ably account exists here). */
  key: string;
  /** The channel the Node client is present on. */
  channel: string;
  /** The Node client's clientId and presence data. */
  nodeClientId: string;
  nodeData: { from: string };
}

declare module 'vitest' {
  export interface ProvidedContext {
    ablyEmulator: BrowserEmulatorContext;
  }
}

const CHANNEL = 'browser-lobby';
const NODE_CLIENT_ID = 'node-visitor';

/**
 * Starts the emulator on port 0 (on our own http.Server, so every upgrade and request can be
 * recorded), and a Node ably client present on the test channel. Stops both afterwards.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const record = browserRecord();
  const server = createServer();
  // Registered before the emulator's own listeners; they only look.
  server.on('upgrade', (req) => {
    const q = new URL(req.url ?? '/', 'http://x').searchParams;
    record.upgrades.push({
      clientId: q.get('clientId'),
      format: q.get('format'),
      agent: q.get('agent'),
    });
  });
  server.on('request', (req) => {
    const url = new URL(req.url ?? '/', 'http://x');
    record.requests.push({
      method: req.method ?? '',
      path: url.pathname,
      envelope: url.searchParams.get('envelope'),
      origin: req.headers.origin ?? null,
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const emulator = await startEmulator({ server, leaveGraceMs: 200 });
  const node = new Ably.Realtime(emulator.clientOptions({ clientId: NODE_CLIENT_ID, logLevel: 0 }));
  const nodeData = { from: 'node' };
  try {
    await node.channels.get(CHANNEL).presence.enter(nodeData);
  } catch (err) {
    node.close();
    await emulator.stop();
    server.close();
    throw err;
  }
  record.nodeSeesMembers = async () =>
    (await node.channels.get(CHANNEL).presence.get()).map((m) => m.clientId);

  project.provide('ablyEmulator', {
    url: emulator.url,
    endpoint: emulator.host,
    port,
    key: emulator.key,
    channel: CHANNEL,
    nodeClientId: NODE_CLIENT_ID,
    nodeData,
  });

  return async () => {
    node.close();
    await emulator.stop();
    await new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  };
}
