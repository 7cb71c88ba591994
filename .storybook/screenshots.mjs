#!/usr/bin/env node
// Screenshots for the READMEs, taken from the built Storybook (run `pnpm build-storybook` first):
//   node .storybook/screenshots.mjs
// Serves storybook-static on a free loopback port, renders each story (play functions included)
// in Debian's Chromium through playwright-core, and writes PNGs cropped to the story to docs/images/.
import { createReadStream, existsSync, mkdirSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';

import { chromium } from 'playwright-core';

const root = fileURLToPath(new URL('..', import.meta.url));
const staticDir = join(root, 'storybook-static');
const outDir = join(root, 'docs/images');

/** Story id → file name. Fixture stories only: the static build has no emulator. */
const shots = [
  ['components-viewercount--locales', 'viewer-count.png'],
  ['components-presencelist--stack-open', 'presence-list-stack.png'],
  ['components-presencelist--list', 'presence-list.png'],
  ['components-presencehistory--default', 'presence-history.png'],
  ['components-presencelist--dark', 'presence-list-dark.png'],
  ['components-presencelist--right-to-left', 'presence-list-rtl.png'],
];

if (!existsSync(join(staticDir, 'iframe.html'))) {
  console.error('storybook-static/ is missing: run `pnpm build-storybook` first.');
  process.exit(1);
}

const types = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.woff2': 'font/woff2',
  '.png': 'image/png',
};

const server = createServer((req, res) => {
  const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
  const file = join(staticDir, path === '/' ? 'index.html' : path);
  if (!file.startsWith(staticDir) || !existsSync(file) || !statSync(file).isFile()) {
    res.writeHead(404).end();
    return;
  }
  res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' });
  createReadStream(file).pipe(res);
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
});
try {
  const page = await browser.newPage({
    viewport: { width: 900, height: 700 },
    deviceScaleFactor: 2,
  });
  mkdirSync(outDir, { recursive: true });
  for (const [id, name] of shots) {
    await page.goto(`http://127.0.0.1:${port}/iframe.html?id=${id}&viewMode=story`);
    await page.waitForSelector('.pk-story .pk-root');
    // Let the play function finish and images decode.
    await page.waitForFunction(() => {
      const imgs = Array.from(document.images);
      return imgs.every((img) => img.complete);
    });
    await page.waitForTimeout(800);
    const box = await page.evaluate(() => {
      const story = document.querySelector('.pk-story');
      let [left, top, right, bottom] = [Infinity, Infinity, -Infinity, -Infinity];
      // The story's top-level elements and any popover: not every descendant, since a windowed
      // list's inner element is as tall as all its rows.
      const parts = [...(story?.children ?? []), ...document.querySelectorAll('[role="dialog"]')];
      for (const el of parts) {
        const r = el.getBoundingClientRect();
        if (r.width === 0 || r.height === 0) continue;
        left = Math.min(left, r.left);
        top = Math.min(top, r.top);
        right = Math.max(right, r.right);
        bottom = Math.max(bottom, r.bottom);
      }
      return { left, top, right, bottom };
    });
    const pad = 16;
    const clip = {
      x: Math.max(0, box.left - pad),
      y: Math.max(0, box.top - pad),
      width: box.right - box.left + pad * 2,
      height: box.bottom - box.top + pad * 2,
    };
    await page.screenshot({ path: join(outDir, name), clip });
    console.log(`docs/images/${name}`);
  }
} finally {
  await browser.close();
  server.close();
}
