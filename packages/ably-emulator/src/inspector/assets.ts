import { readdirSync, readFileSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where the package build puts the page (`vite.inspector.config.ts`). The same path from
 * `src/inspector/` (tests run the sources) and from `dist/inspector/` (the published package).
 */
// Not `new URL('…', import.meta.url)`: Vite rewrites that pattern into a web asset URL when the
// sources run under a DOM test environment (the React package's jsdom tests start the emulator).
export const ASSETS_DIR = join(dirname(fileURLToPath(import.meta.url)), '../../dist/inspector/ui/');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

/** One file of the page, read once. */
export interface Asset {
  body: Buffer;
  type: string;
}

/**
 * The page's files by path (`/index.html`, `/assets/index-1a2b3c.js`), read into memory (about
 * 200 kB): only these paths are ever served, so no request can reach another file. Empty when the
 * page has not been built.
 */
export function loadAssets(dir: string = ASSETS_DIR): Map<string, Asset> {
  const files = new Map<string, Asset>();
  const walk = (sub: string) => {
    let entries;
    try {
      entries = readdirSync(join(dir, sub), { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const path = `${sub}/${entry.name}`;
      const type = TYPES[extname(entry.name)];
      if (entry.isDirectory()) walk(path);
      else if (type) files.set(path, { body: readFileSync(join(dir, path)), type });
    }
  };
  walk('');
  return files;
}
