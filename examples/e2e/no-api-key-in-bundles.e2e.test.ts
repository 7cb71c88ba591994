import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';

import { describe, expect, test } from 'vitest';

import { repoRoot, requireBuilt } from './harness';

// The browser gets tokens, never the key. This reads every file the examples ship to browsers
// and fails if an Ably API key (the emulator's, the one in the environment, or anything shaped
// like one) is in it.

/** The emulator's default key, which the demo and the e2e tests use. */
const emulatorPackage = createRequire(
  join(repoRoot, 'examples', 'vite-app', 'package.json'),
).resolve('@presencekit/ably-emulator/package.json');
const { DEFAULT_KEY: EMULATOR_KEY } = (await import(
  pathToFileURL(join(dirname(emulatorPackage), 'dist', 'index.js')).href
)) as { DEFAULT_KEY: string };

/** `appId.keyId:secret` inside a string literal: the shape of every Ably API key. */
const KEY_SHAPE = /["'`][\w-]{3,}\.[\w-]{3,}:[\w+/=-]{16,}["'`]/;

const CLIENT_ASSETS = [
  { example: 'examples/vite-app', dir: join(repoRoot, 'examples', 'vite-app', 'dist') },
  { example: 'examples/nextjs', dir: join(repoRoot, 'examples', 'nextjs', '.next', 'static') },
];

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

const secrets = [
  EMULATOR_KEY,
  EMULATOR_KEY.split(':')[1]!,
  ...(process.env.ABLY_API_KEY
    ? [process.env.ABLY_API_KEY, process.env.ABLY_API_KEY.split(':')[1]!]
    : []),
];

describe.each(CLIENT_ASSETS)('client assets of $example', ({ example, dir }) => {
  test('hold no Ably API key', () => {
    requireBuilt(dir, example);
    const files = filesUnder(dir).filter((file) => /\.(js|mjs|css|html|json|map|txt)$/.test(file));
    expect(files.filter((file) => file.endsWith('.js')).length).toBeGreaterThan(0);
    const leaks: string[] = [];
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      for (const secret of secrets) {
        if (secret && text.includes(secret))
          leaks.push(`${relative(repoRoot, file)}: contains a key`);
      }
      const shaped = KEY_SHAPE.exec(text);
      if (shaped)
        leaks.push(`${relative(repoRoot, file)}: key-shaped string ${shaped[0].slice(0, 12)}…`);
    }
    expect(leaks).toEqual([]);
  });
});
