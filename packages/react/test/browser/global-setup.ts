import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { startEmulator } from '@presencekit/ably-emulator';
import type { TestProject } from 'vitest/node';

/** What the browser tests receive through `inject('browserEmulator')`. */
export interface EmulatorContext {
  /** Host and port for `new Ably.Realtime({ endpoint, port, tls: false })`. */
  endpoint: string;
  port: number;
  /**
   * An `authUrl` that returns a token for the `clientId` query parameter, signed on the Node
   * side: the key never reaches the browser, as in a real app.
   */
  tokenUrl: string;
  /** A room kept populated with simulated visitors (name, avatar and status in their data). */
  simulatedRoom: string;
  simulatedCount: number;
}

declare module 'vitest' {
  export interface ProvidedContext {
    browserEmulator: EmulatorContext;
  }
}

const SIMULATED_ROOM = 'simulated-lobby';
const SIMULATED_COUNT = 8;

function listen(server: Server): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server.address() as AddressInfo));
  });
}

/**
 * Starts one emulator and a token endpoint for the whole browser run, and stops both afterwards.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const emulator = await startEmulator({
    port: 0,
    simulate: [{ room: SIMULATED_ROOM, count: SIMULATED_COUNT }],
  });
  const tokens = createServer((req, res) => {
    const cors = {
      'access-control-allow-origin': '*',
      'access-control-allow-headers': '*',
      'access-control-allow-methods': 'GET, POST, OPTIONS',
    };
    if (req.method === 'OPTIONS') {
      res.writeHead(204, cors).end();
      return;
    }
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== '/token') {
      res.writeHead(404, cors).end();
      return;
    }
    try {
      const clientId = url.searchParams.get('clientId') ?? undefined;
      // `capability` (JSON) narrows what the token allows, to test refused attaches.
      const capability = url.searchParams.get('capability') ?? undefined;
      const details = emulator.createToken({ clientId, capability, ttl: 60 * 60 * 1000 });
      res.writeHead(200, { ...cors, 'content-type': 'application/json' });
      res.end(JSON.stringify(details));
    } catch (error) {
      res.writeHead(500, { ...cors, 'content-type': 'text/plain' });
      res.end(error instanceof Error ? error.message : 'token error');
    }
  });
  let address: AddressInfo;
  try {
    address = await listen(tokens);
  } catch (error) {
    await emulator.stop();
    throw error;
  }
  project.provide('browserEmulator', {
    endpoint: emulator.host,
    port: emulator.port,
    tokenUrl: `http://127.0.0.1:${address.port}/token`,
    simulatedRoom: SIMULATED_ROOM,
    simulatedCount: SIMULATED_COUNT,
  });
  return async () => {
    await new Promise<void>((resolve) => {
      tokens.closeAllConnections();
      tokens.close(() => resolve());
    });
    await emulator.stop();
  };
}
