import type { BrowserCommand, BrowserCommandContext } from 'vitest/node';

/** One request Chromium made, as the Node side saw it. */
export interface SeenRequest {
  /** The URL as Chromium sent it (normalised: `http://0x7f.1/` is `http://127.0.0.1/`). */
  url: string;
  /** The `Referer` header, if any. */
  referer: string | undefined;
}

declare module 'vitest/browser' {
  interface BrowserCommands {
    /**
     * Starts recording every request of this browser context (once; later calls do nothing) and
     * serves `https://*.presencekit.test/` (a reserved name, so never the real network): a 1×1
     * PNG, or a 404 for paths containing `/missing`. Await it before rendering.
     */
    watchRequests: () => Promise<void>;
    /** The requests recorded so far whose URL contains `token`. */
    requestsContaining: (token: string) => Promise<SeenRequest[]>;
  }
}

// A 1×1 transparent PNG.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);

type Context = BrowserCommandContext['context'];
const logs = new WeakMap<Context, SeenRequest[]>();

/** Node-side commands (registered in vitest.browser.config.ts); the tests call them. */
export const watchRequests: BrowserCommand<[]> = async ({ context }) => {
  if (logs.has(context)) return;
  const log: SeenRequest[] = [];
  logs.set(context, log);
  context.on('request', (request) => {
    log.push({ url: request.url(), referer: request.headers()['referer'] });
  });
  await context.route('https://*.presencekit.test/**', (route) =>
    route.request().url().includes('/missing')
      ? route.fulfill({ status: 404, body: '' })
      : route.fulfill({ status: 200, contentType: 'image/png', body: PNG }),
  );
};

export const requestsContaining: BrowserCommand<[token: string]> = ({ context }, token) =>
  (logs.get(context) ?? []).filter((request) => request.url.includes(token));
