#!/usr/bin/env node
// The live demo behind `npm start`: serves the built Vite example (examples/vite-app) with
// `vite preview`. Its server plugin starts the Ably emulator with simulated visitors in this same
// process (unless ABLY_API_KEY or ABLY_TOKEN_URL point at Ably), so Ctrl-C stops both.
//   PORT=5000 node scripts/demo.mjs
import { existsSync } from 'node:fs';
import { get } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * Ports browsers refuse to open (the Fetch standard's "bad ports"; Chrome says ERR_UNSAFE_PORT).
 * A demo there would start and then be unreachable.
 */
const BLOCKED_PORTS = new Set([
  1, 7, 9, 11, 13, 15, 17, 19, 20, 21, 22, 23, 25, 37, 42, 43, 53, 69, 77, 79, 87, 95, 101, 102,
  103, 104, 109, 110, 111, 113, 115, 117, 119, 123, 135, 137, 139, 143, 161, 179, 389, 427, 465,
  512, 513, 514, 515, 526, 530, 531, 532, 540, 548, 554, 556, 563, 587, 601, 636, 989, 990, 993,
  995, 1719, 1720, 1723, 2049, 3659, 4045, 4190, 5060, 5061, 6000, 6566, 6665, 6666, 6667, 6668,
  6669, 6679, 6697, 10080,
]);

function fail(message) {
  console.error(message);
  process.exit(1);
}

function blocked(port) {
  return `Port ${port} is one browsers refuse to open (ERR_UNSAFE_PORT): pick another, e.g. PORT=5000 npm start.`;
}

const rawPort = process.env.PORT ?? '';
const port = rawPort === '' ? 4173 : Number(rawPort);
if (rawPort !== '' && (!/^\d+$/.test(rawPort) || port > 65_535)) {
  fail(`PORT must be a port number from 0 to 65535 (got ${JSON.stringify(rawPort)}).`);
}
if (BLOCKED_PORTS.has(port)) fail(blocked(port));

const appDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'examples', 'vite-app');
if (!existsSync(join(appDir, 'dist', 'index.html'))) {
  console.error('The demo app is not built: run `pnpm build` (or `npm start`, which builds it).');
  process.exit(1);
}

// The example's own Vite, so its config and plugins resolve as they do for `pnpm dev`.
const vitePath = createRequire(join(appDir, 'package.json')).resolve('vite');
const { preview } = await import(pathToFileURL(vitePath).href);

const server = await preview({
  root: appDir,
  configFile: join(appDir, 'vite.config.ts'),
  preview: { host: '127.0.0.1', port, strictPort: false, open: false },
  logLevel: 'warn',
});
const url = server.resolvedUrls?.local[0] ?? `http://127.0.0.1:${port}/`;
// The port was taken and Vite moved on to one browsers refuse.
if (BLOCKED_PORTS.has(Number(new URL(url).port))) {
  await server.close();
  fail(blocked(new URL(url).port));
}

/** GETs JSON from our own server (node:http: `fetch` refuses the same ports browsers do). */
function getJson(target) {
  return new Promise((resolve, reject) => {
    get(target, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk) => (body += chunk));
      response.on('end', () => {
        try {
          resolve(JSON.parse(body));
        } catch (error) {
          reject(
            new Error(`${target} answered ${response.statusCode}: ${body.slice(0, 200)}`, {
              cause: error,
            }),
          );
        }
      });
    }).on('error', reject);
  });
}

// The first config request waits for the emulator (or the Ably settings) to be ready.
const config = await getJson(new URL('/api/config', url)).catch((error) => {
  void server.close();
  fail(`The demo started at ${url} but its config did not load: ${error.message}`);
});
const backend =
  config.backend === 'emulator' ? 'the local emulator, with simulated visitors' : 'Ably';
console.log(
  `\n  PresenceKit demo: ${url}\n  Connected to ${backend}. Open it in two tabs. Ctrl-C stops everything.\n`,
);

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await server.close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
