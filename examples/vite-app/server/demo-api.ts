import type { IncomingMessage, ServerResponse } from 'node:http';

import { type Emulator, startEmulator } from '@presencekit/ably-emulator';
import { ablyEndpointOptions, createTokenHandler } from '@presencekit/react/server';
import type { Connect, Logger, Plugin } from 'vite';

import { type DemoConfig, ROOMS, SIMULATED_VISITORS } from '../src/rooms.ts';

/**
 * The demo's server side, as a Vite plugin for `vite` and `vite preview`:
 *
 * - `GET /api/config`: where the browser's Ably client connects and gets tokens;
 * - `GET /api/ably-token`: a token request for this visitor, signed here with the API key, which
 *   never reaches the browser; it may use presence and chat in the demo's rooms.
 *
 * Where Ably is comes from the environment:
 * - `ABLY_API_KEY` (+ `ABLY_ENDPOINT` for an emulator, e.g. `http://127.0.0.1:8787`): tokens are
 *   signed with that key;
 * - `ABLY_TOKEN_URL`: the browser gets tokens from your own endpoint instead;
 * - neither: an emulator with simulated visitors starts in this process and stops with it
 *   (`EMULATOR_LATENCY_MS` gives it that much simulated network latency).
 */
export function demoApi(): Plugin {
  let api: Promise<DemoApi> | undefined;
  const start = (logger: Logger, onClose: (stop: () => Promise<void>) => void) => {
    api ??= createDemoApi(logger).then((created) => {
      if (created.emulator) onClose(() => created.emulator!.stop());
      return created;
    });
    return api;
  };
  const middleware =
    (getApi: () => Promise<DemoApi>): Connect.NextHandleFunction =>
    (req, res, next) => {
      const path = (req.url ?? '/').split('?')[0];
      if (path !== '/api/config' && path !== '/api/ably-token') {
        next();
        return;
      }
      getApi()
        .then((demo) =>
          path === '/api/config' ? json(res, 200, demo.config) : demo.token(req, res),
        )
        .catch(next);
    };

  return {
    name: 'presencekit-demo-api',
    configureServer(server) {
      const getApi = () =>
        start(server.config.logger, (stop) => server.httpServer?.on('close', () => void stop()));
      server.middlewares.use(middleware(getApi));
    },
    configurePreviewServer(server) {
      const getApi = () =>
        start(server.config.logger, (stop) => server.httpServer.on('close', () => void stop()));
      // Start before the first request so the emulator's line is printed with Vite's URLs.
      void getApi();
      server.middlewares.use(middleware(getApi));
    },
  };
}

interface DemoApi {
  config: DemoConfig;
  token: (req: IncomingMessage, res: ServerResponse) => Promise<void>;
  emulator: Emulator | undefined;
}

async function createDemoApi(logger: Logger): Promise<DemoApi> {
  const env = process.env;
  if (env.ABLY_TOKEN_URL) {
    return {
      config: { authUrl: env.ABLY_TOKEN_URL, endpoint: {}, backend: 'ably' },
      token: (_req, res) =>
        Promise.resolve(json(res, 404, { error: 'tokens come from ABLY_TOKEN_URL' })),
      emulator: undefined,
    };
  }

  let key = env.ABLY_API_KEY;
  let endpointUrl = env.ABLY_ENDPOINT;
  let emulator: Emulator | undefined;
  if (!key) {
    emulator = await startEmulator({
      simulate: Object.entries(SIMULATED_VISITORS).map(([room, count]) => ({ room, count })),
      // Ably's own limit, as in production: the demo's rooms stay well under it.
      maxPresenceMembers: 200,
      // `EMULATOR_LATENCY_MS=100 npm start`: every frame and request waits that long each way.
      ...(env.EMULATOR_LATENCY_MS ? { latencyMs: Number(env.EMULATOR_LATENCY_MS) } : {}),
    });
    key = emulator.key;
    endpointUrl = emulator.url;
    logger.info(
      `  ➜  Emulator: ${emulator.url} (simulated visitors in ${Object.keys(SIMULATED_VISITORS).join(', ')})`,
    );
  }

  const handler = createTokenHandler({
    key,
    rooms: ROOMS,
    // Presence and occupancy (the default set), and the chat: send messages, typing and room
    // reactions (publish), edit and delete one's own messages, react to any message. Ably's
    // Chat docs list these per feature.
    operations: [
      'subscribe',
      'presence',
      'history',
      'channel-metadata',
      'publish',
      'message-update-own',
      'message-delete-own',
      'annotation-publish',
    ],
    // Each browser tab is its own visitor in this demo, so a second tab shows up as a second
    // person: the tab adds a short suffix to the visitor's client id. The browser picks the tab,
    // but it cannot pick the id before the dot (derived from its secret cookie), so it can only
    // ever become one of its own tabs. A real app returns the id of its signed-in user instead.
    clientId: (request, { visitorClientId }) => {
      const tab = new URL(request.url).searchParams.get('tab') ?? '';
      return /^[a-z0-9]{1,12}$/.test(tab) ? `${visitorClientId}.${tab}` : visitorClientId;
    },
  });
  return {
    config: {
      authUrl: '/api/ably-token',
      endpoint: ablyEndpointOptions(endpointUrl),
      backend: endpointUrl ? 'emulator' : 'ably',
    },
    token: async (req, res) => sendResponse(res, await handler(toRequest(req))),
    emulator,
  };
}

/** Node's request as a Fetch `Request` (headers and URL; the token endpoint reads no body). */
function toRequest(req: IncomingMessage): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (typeof value === 'string') headers.set(name, value);
    else if (Array.isArray(value)) for (const v of value) headers.append(name, v);
  }
  const url = new URL(req.url ?? '/', `http://${req.headers.host ?? '127.0.0.1'}`);
  return new Request(url, { method: req.method, headers });
}

async function sendResponse(res: ServerResponse, response: Response): Promise<void> {
  res.statusCode = response.status;
  response.headers.forEach((value, name) => res.setHeader(name, value));
  res.end(Buffer.from(await response.arrayBuffer()));
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json');
  res.setHeader('cache-control', 'no-store');
  res.end(JSON.stringify(body));
}
