#!/usr/bin/env node
// The live demo behind `npm start`: serves the built Vite example (examples/vite-app) with
// `vite preview`. Its server plugin starts the Ably emulator with simulated visitors in this same
// process (unless ABLY_API_KEY or ABLY_TOKEN_URL point at Ably), so Ctrl-C stops both.
//   PORT=5000 node scripts/demo.mjs
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const appDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'examples', 'vite-app');
if (!existsSync(join(appDir, 'dist', 'index.html'))) {
  console.error('The demo app is not built: run `pnpm build` (or `npm start`, which builds it).');
  process.exit(1);
}

// The example's own Vite, so its config and plugins resolve as they do for `pnpm dev`.
const vitePath = createRequire(join(appDir, 'package.json')).resolve('vite');
const { preview } = await import(pathToFileURL(vitePath).href);

const port = process.env.PORT === undefined ? 4173 : Number(process.env.PORT);
const server = await preview({
  root: appDir,
  configFile: join(appDir, 'vite.config.ts'),
  preview: { host: '127.0.0.1', port, strictPort: false, open: false },
  logLevel: 'warn',
});
const url = server.resolvedUrls?.local[0] ?? `http://127.0.0.1:${port}/`;

// The first config request waits for the emulator (or the Ably settings) to be ready.
const config = await fetch(new URL('/api/config', url)).then((response) => response.json());
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
