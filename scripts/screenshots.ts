import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import type { Page } from 'playwright-core';

/** Where the READMEs' screenshots live. */
const IMAGES = join(dirname(fileURLToPath(import.meta.url)), '..', 'docs', 'images');

/**
 * Saves a README screenshot (`docs/images/<name>.png`), only when asked (`pnpm screenshots` sets
 * `PRESENCEKIT_SCREENSHOTS`): `npm test` never modifies tracked files.
 */
export async function saveScreenshot(page: Page, name: string): Promise<void> {
  if (!process.env.PRESENCEKIT_SCREENSHOTS) return;
  mkdirSync(IMAGES, { recursive: true });
  await page.screenshot({ path: join(IMAGES, `${name}.png`) });
}
