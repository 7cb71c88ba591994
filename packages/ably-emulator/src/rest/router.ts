import type { IncomingMessage, ServerResponse } from 'node:http';
import { Errors, toAblyError } from '../protocol/errors.js';
import { type RestContext as Ctx, RestContext, type RestEnv } from './context.js';
import { envelopeFormat, responseFormat, sendError, sendPreflight } from './http.js';

/** HTTP methods routes can use. */
export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * One REST route. `path` is matched against the raw (still percent-encoded) pathname; its capture
 * groups become `ctx.params`, decoded once.
 *
 * @example
 * ```ts
 * export const routes: Route[] = [
 *   { method: 'GET', path: /^\/channels\/([^/]+)$/, handler: (ctx) => ctx.send(200, { name: ctx.param(0) }) },
 * ];
 * ```
 */
export interface Route {
  method: Method;
  path: RegExp;
  handler: (ctx: Ctx) => void | Promise<void>;
}

/**
 * Dispatches HTTP requests to a route table. Any error (thrown or rejected) becomes an Ably error
 * response; nothing a request does can crash the server.
 */
export class Router {
  constructor(
    private readonly env: RestEnv,
    private readonly routes: readonly Route[],
  ) {}

  /** Handles one request. */
  handle(req: IncomingMessage, res: ServerResponse): void {
    void this.dispatch(req, res);
  }

  private async dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://emulator.invalid');
    } catch {
      sendError(req, res, Errors.badRequest('Malformed request URL.'), undefined);
      return;
    }
    const envelope = envelopeFormat(url.searchParams);
    try {
      if (req.method === 'OPTIONS') {
        sendPreflight(req, res);
        return;
      }
      let pathMatched = false;
      for (const route of this.routes) {
        const m = route.path.exec(url.pathname);
        if (!m) continue;
        pathMatched = true;
        if (route.method !== req.method && !(route.method === 'GET' && req.method === 'HEAD'))
          continue;
        const params = m.slice(1).map(decodePathParam);
        const ctx = new RestContext(this.env, req, res, url, params, responseFormat(req), envelope);
        await route.handler(ctx);
        return;
      }
      if (pathMatched)
        throw Errors.methodNotAllowed(`${req.method ?? '?'} is not supported on ${url.pathname}.`);
      throw Errors.notFound(`No emulated endpoint ${req.method ?? '?'} ${url.pathname}.`);
    } catch (err) {
      const error = toAblyError(err);
      if (error.statusCode >= 500)
        this.env.options.log(`REST ${req.method} ${url.pathname}: ${error.message}`);
      if (res.headersSent) {
        res.destroy();
        return;
      }
      sendError(req, res, error, envelope);
    }
  }
}

function decodePathParam(p: string | undefined): string {
  try {
    return decodeURIComponent(p ?? '');
  } catch {
    throw Errors.badRequest('Malformed percent-encoding in the request path.');
  }
}
