import type { IncomingMessage, ServerResponse } from 'node:http';
import { type AblyError, Errors, toAblyError } from '../protocol/errors.js';
import type { Realtime } from '../realtime/realtime.js';
import { readBody } from '../rest/http.js';
import type { App } from '../state/app.js';
import type { AppRegistry } from '../state/apps.js';
import type { LocalHandler } from '../transport/server.js';
import { type InspectorControls, parseAction, runAction } from './actions.js';
import { type Asset, ASSETS_DIR, loadAssets } from './assets.js';
import { type FeedSource, InspectorFeed } from './feed.js';
import { ACTION_HEADER, type ActionResult, INSPECTOR_PATH } from './wire.js';

/**
 * Headers of every inspector answer. No CORS headers: no other origin may read it. It may not be
 * framed (a page elsewhere could trick clicks on its buttons) nor embedded, and the page runs
 * only its own script.
 */
const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-resource-policy': 'same-origin',
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
};

/**
 * The inspector: its page (`GET /inspector`), its live stream (`GET /inspector/api/stream`,
 * Server-Sent Events) and its actions (`POST /inspector/api/action`). Requests reach it only past
 * the emulator's access policy (loopback Origin and Host); on top of that the API answers only the
 * inspector's own page (same origin), and actions need a JSON body and {@link ACTION_HEADER}, which
 * no cross-site form or simple request can send.
 */
export class Inspector implements LocalHandler {
  readonly feed: InspectorFeed;
  private assets: Map<string, Asset> | undefined;
  private readonly streams = new Set<ServerResponse>();

  constructor(
    source: FeedSource,
    private readonly controls: InspectorControls,
    private readonly assetsDir: string = ASSETS_DIR,
  ) {
    this.feed = new InspectorFeed(source);
  }

  handle(req: IncomingMessage, res: ServerResponse): boolean {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://inspector.invalid');
    } catch {
      return false; // The router answers a malformed URL.
    }
    const path = url.pathname;
    if (path !== INSPECTOR_PATH && !path.startsWith(`${INSPECTOR_PATH}/`)) return false;
    const sub = path.slice(INSPECTOR_PATH.length) || '/';
    try {
      if (sub.startsWith('/api/')) this.api(req, res, sub, url.searchParams);
      else this.page(req, res, sub);
    } catch (err) {
      sendJson(res, ...failure(toAblyError(err)));
    }
    return true;
  }

  /** Ends every stream (emulator stopping). */
  stop(): void {
    this.feed.stop();
    for (const res of this.streams) res.end();
    this.streams.clear();
  }

  private page(req: IncomingMessage, res: ServerResponse, sub: string): void {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      throw Errors.methodNotAllowed(`${req.method ?? '?'} is not supported on the inspector page.`);
    }
    this.assets ??= loadAssets(this.assetsDir);
    if (this.assets.size === 0) {
      res.writeHead(503, { ...SECURITY_HEADERS, 'content-type': 'text/plain; charset=utf-8' });
      res.end(
        `The inspector page is not built (no files in ${this.assetsDir}). Run "pnpm build" in packages/ably-emulator.\n`,
      );
      return;
    }
    const asset = this.assets.get(sub === '/' ? '/index.html' : sub);
    if (!asset) throw Errors.notFound(`No inspector file ${sub}.`);
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'content-type': asset.type,
      'content-length': String(asset.body.length),
      // File names under assets/ change with their content; the page itself must not be stale.
      'cache-control': sub.startsWith('/assets/') ? 'max-age=31536000, immutable' : 'no-cache',
    });
    res.end(req.method === 'HEAD' ? undefined : asset.body);
  }

  private api(
    req: IncomingMessage,
    res: ServerResponse,
    sub: string,
    query: URLSearchParams,
  ): void {
    const action = sub === '/api/action';
    checkSameOrigin(req, action);
    if (sub === '/api/stream') {
      if (req.method !== 'GET') throw Errors.methodNotAllowed('The stream is read with GET.');
      this.stream(req, res, query.get('app'), query.get('channel'));
    } else if (action) {
      if (req.method !== 'POST') throw Errors.methodNotAllowed('Actions are sent with POST.');
      void this.action(req, res);
    } else {
      throw Errors.notFound(`No inspector API ${sub}.`);
    }
  }

  private stream(
    req: IncomingMessage,
    res: ServerResponse,
    app: string | null,
    channel: string | null,
  ): void {
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
    });
    // EventSource reconnects after this long if the stream ends (and gets a new snapshot).
    res.write('retry: 1000\n\n');
    const watcher = this.feed.watch(app, channel, (event, data) =>
      res.write(`event: ${event}\ndata: ${data}\n\n`),
    );
    this.streams.add(res);
    res.on('drain', () => this.feed.resume(watcher));
    res.on('close', () => {
      this.feed.unwatch(watcher);
      this.streams.delete(res);
    });
  }

  private async action(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      if (!(req.headers['content-type'] ?? '').startsWith('application/json')) {
        throw Errors.unsupportedContentType('Actions are JSON (content-type: application/json).');
      }
      const message = runAction(parseAction(await readBody(req)), this.controls);
      this.feed.changed();
      sendJson(res, 200, { ok: true, message });
    } catch (err) {
      const error =
        err instanceof RangeError ? Errors.invalidParameter(err.message) : toAblyError(err);
      sendJson(res, ...failure(error));
    }
  }
}

/** What the inspector reads and changes of the running emulator (`Emulator`). */
export interface InspectedEmulator {
  readonly url: string;
  readonly options: { leaveGraceMs: number; maxPresenceMembers: number };
  readonly latency: { latencyMs: number; latencyJitterMs: number };
  simulatedVisitors(): Record<string, number>;
  setSimulatedVisitors(room: string, count: number): void;
  setLatency(latencyMs: number, latencyJitterMs: number): void;
}

/**
 * The inspector of an emulator, observing every app. `emulator` is undefined until the emulator
 * listens (it needs the inspector first).
 */
export function createInspector(
  apps: AppRegistry,
  realtime: Realtime,
  defaultApp: App,
  emulator: () => InspectedEmulator | undefined,
): Inspector {
  const running = () => {
    const e = emulator();
    if (!e) throw Errors.internal('The emulator is still starting.');
    return e;
  };
  const inspector = new Inspector(
    {
      apps,
      connection: (id) => realtime.connection(id),
      info: () => {
        const e = running();
        return {
          url: e.url,
          defaultApp: defaultApp.id,
          leaveGraceMs: e.options.leaveGraceMs,
          maxPresenceMembers: e.options.maxPresenceMembers,
          latency: { ms: e.latency.latencyMs, jitterMs: e.latency.latencyJitterMs },
          visitors: e.simulatedVisitors(),
        };
      },
    },
    {
      apps,
      realtime,
      setVisitors: (room, count) => running().setSimulatedVisitors(room, count),
      setLatency: (ms, jitterMs) => running().setLatency(ms, jitterMs),
    },
  );
  apps.observe(inspector.feed);
  return inspector;
}

/**
 * Refuses (40300) an API request that does not come from the inspector's own page: an `Origin`
 * other than the emulator's own (browsers send it on every cross-origin request and every POST),
 * a `Sec-Fetch-Site` other than `same-origin`, and, for actions, a missing `Origin` or
 * {@link ACTION_HEADER}. Reads without an `Origin` (curl, scripts) are served, as the REST API is.
 */
function checkSameOrigin(req: IncomingMessage, action: boolean): void {
  const origin = req.headers.origin;
  const host = req.headers.host ?? '';
  const own = origin === `http://${host}` || origin === `https://${host}`;
  const site = req.headers['sec-fetch-site'];
  if ((origin !== undefined && !own) || (site !== undefined && site !== 'same-origin')) {
    throw Errors.forbidden(
      `The inspector API answers only the inspector page (${origin ?? site ?? 'another site'} is not it). Open ${INSPECTOR_PATH} on the emulator itself.`,
    );
  }
  if (action && (!own || req.headers[ACTION_HEADER] !== '1')) {
    throw Errors.forbidden(
      `Inspector actions come only from the inspector page: they need its Origin and the ${ACTION_HEADER}: 1 header.`,
    );
  }
}

function failure(error: AblyError): [number, ActionResult] {
  return [error.statusCode, { ok: false, error: { code: error.code, message: error.message } }];
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(text)),
    'cache-control': 'no-store',
  });
  res.end(text);
}
