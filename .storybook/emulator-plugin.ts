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
}

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
  const stop = async () => {
    const running = emulator;
    emulator = undefined;
    if (running) await (await running).stop();
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
      server.httpServer?.once('close', () => void stop());
      server.middlewares.use(
        '/__presencekit',
        (req: IncomingMessage, res: ServerResponse, next: () => void) => {
          const url = new URL(req.url ?? '/', 'http://localhost');
          const running = emulator;
          if (!running) return next();
          running.then(
            (emu) => {
              if (url.pathname === '/emulator') {
                const info: StorybookEmulatorInfo = {
                  endpoint: emu.host,
                  port: emu.port,
                  tokenPath: '/__presencekit/token',
                  rooms: SIMULATED_ROOMS,
                };
                json(res, 200, info);
              } else if (url.pathname === '/token') {
                const clientId = url.searchParams.get('clientId') ?? undefined;
                json(res, 200, emu.createToken({ clientId, ttl: 60 * 60 * 1000 }));
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
