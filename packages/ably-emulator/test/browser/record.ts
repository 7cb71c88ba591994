/**
 * What the emulator saw of the browser, shared between the Node-side `globalSetup` (which
 * records) and the browser commands in `vitest.browser.config.ts` (which read it). Both run in
 * the Vitest main process but load this file as separate module instances, so the state lives
 * on `globalThis` under a registered symbol.
 */

/** One WebSocket upgrade at the emulator: who connected, in which format, with which build. */
export interface UpgradeRecord {
  clientId: string | null;
  /** `format` query parameter (`msgpack`, `json`, or null = JSON). */
  format: string | null;
  /** `agent` query parameter, e.g. `ably-js/2.28.0 browser`. */
  agent: string | null;
}

/** One HTTP request at the emulator. */
export interface RequestRecord {
  method: string;
  path: string;
  envelope: string | null;
  origin: string | null;
}

/** The shared record. */
export interface BrowserRecord {
  upgrades: UpgradeRecord[];
  requests: RequestRecord[];
  /** Current presence of the test channel as the Node client sees it (clientIds). */
  nodeSeesMembers: () => Promise<string[]>;
}

const KEY = Symbol.for('@presencekit/ably-emulator/browser-record');

/** The record of this test run (created on first use). */
export function browserRecord(): BrowserRecord {
  const holder = globalThis as { [KEY]?: BrowserRecord };
  holder[KEY] ??= {
    upgrades: [],
    requests: [],
    nodeSeesMembers: () => Promise.reject(new Error('The Node client is not running.')),
  };
  return holder[KEY];
}
