import type { IncomingMessage, ServerResponse } from 'node:http';

import type { Plugin } from 'vite';

/** Rooms the Storybook emulator keeps populated with simulated visitors. */
export const SIMULATED_ROOMS = [
  { room: 'storybook-lobby', count: 12 },
  { room: 'storybook-stage', count: 300 },
] as const;

/** What `GET /__presencekit/emulator` answers; stories read it to connect. */
export interface StorybookEmulatorInfo {
  endpoint: string;
  port: number;
  /** Same-origin `authUrl`: tokens are signed here, on the Node side; no key reaches the page. */
  tokenPath: string;
  rooms: readonly { room: string; count: number }[];
  /**
   * A second emulator whose rooms hold at most {@link LIMITED_PRESENCE_MEMBERS} present members,
   * for the large-audience story (a room past the presence limit without thousands of clients).
   */
  limited: { endpoint: string; port: number; tokenPath: string; maxPresenceMembers: number };
}

/** The presence limit of the `limited` emulator. */
export const LIMITED_PRESENCE_MEMBERS = 5;

type Emulator = Awaited<ReturnType<(typeof import('@presencekit/ably-emulator'))['startEmulator']>>;

function json(res: ServerResponse, status: number, body: unknown): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json');
  res.setHeader('cache-control', 'no-store');
  res.end(JSON.stringify(body));
}

/**
 * Starts `@presencekit/ably-emulator` on a free loopback port with the dev server (`storybook
 * dev`, and the Vitest run of the stories), serves its address and a token endpoint, and stops
 * it with the server. `storybook build` gets nothing: the static Storybook shows live stories'
 * "emulator not running" state and every fixture story as usual.
 */
export function presenceKitEmulator(): Plugin {
  let emulator: Promise<Emulator> | undefined;
  let limited: Promise<Emulator> | undefined;
  const stop = async () => {
    const running = [emulator, limited];
    emulator = limited = undefined;
    for (const one of running) if (one) await (await one).stop();
  };
  return {
    name: 'presencekit:storybook-emulator',
    apply: 'serve',
    configureServer(server) {
      emulator ??= import('@presencekit/ably-emulator').then(({ startEmulator }) =>
        startEmulator({
          port: 0,
          simulate: SIMULATED_ROOMS.map((r) => ({ ...r })),
          // The stage room shows a crowd past Ably's 200 presence members per channel.
          maxPresenceMembers: 1_000,
          // `EMULATOR_LATENCY_MS=100 pnpm storybook`: live stories over a slow network.
          ...(process.env.EMULATOR_LATENCY_MS
            ? { latencyMs: Number(process.env.EMULATOR_LATENCY_MS) }
            : {}),
        }),
      );
      limited ??= import('@presencekit/ably-emulator').then(({ startEmulator }) =>
        startEmulator({ port: 0, maxPresenceMembers: LIMITED_PRESENCE_MEMBERS }),
      );
      server.httpServer?.once('close', () => void stop());
      server.middlewares.use(
        '/__presencekit',
        (req: IncomingMessage, res: ServerResponse, next: () => void) => {
          const url = new URL(req.url ?? '/', 'http://localhost');
          const running = emulator && limited ? Promise.all([emulator, limited]) : undefined;
          if (!running) return next();
          running.then(
            ([emu, small]) => {
              if (url.pathname === '/emulator') {
                const info: StorybookEmulatorInfo = {
                  endpoint: emu.host,
                  port: emu.port,
                  tokenPath: '/__presencekit/token',
                  rooms: SIMULATED_ROOMS,
                  limited: {
                    endpoint: small.host,
                    port: small.port,
                    tokenPath: '/__presencekit/limited-token',
                    maxPresenceMembers: LIMITED_PRESENCE_MEMBERS,
                  },
                };
                json(res, 200, info);
              } else if (url.pathname === '/token') {
                const clientId = url.searchParams.get('clientId') ?? undefined;
                json(res, 200, emu.createToken({ clientId, ttl: 60 * 60 * 1000 }));
              } else if (url.pathname === '/limited-token') {
                const clientId = url.searchParams.get('clientId') ?? undefined;
                json(res, 200, small.createToken({ clientId, ttl: 60 * 60 * 1000 }));
              } else {
                next();
              }
            },
            (error: unknown) => json(res, 503, { error: String(error) }),
          );
        },
      );
    },
    // Vite closes plugins when the server closes (also in Vitest, which may have no httpServer).
    async buildEnd() {
      await stop();
    },
  };
}
