import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Operation } from '../auth/capability.js';
import type { Principal } from '../auth/principal.js';
import { authenticateKey, authenticateToken } from '../auth/tokens.js';
import { parseChannelName } from '../protocol/channel-name.js';
import type { WireFormat } from '../protocol/codec.js';
import { AblyError, Errors } from '../protocol/errors.js';
import type { ResolvedOptions } from '../options.js';
import type { Realtime } from '../realtime/realtime.js';
import type { App } from '../state/app.js';
import type { AppRegistry, AppSpec } from '../state/apps.js';
import { linkHeader, readBody, sendBody, sendError } from './http.js';

/** What routes can reach of the emulator. */
export interface RestEnv {
  readonly apps: AppRegistry;
  readonly realtime: Realtime;
  readonly options: ResolvedOptions;
  /** Where clients connect (host and port of the listener). */
  address(): { host: string; port: number };
  /**
   * Creates an app for `POST /apps`: as the programmatic `createApp`, but at most `maxApps` of
   * these live at once (40115 beyond).
   */
  createApp(spec: AppSpec): App;
  /** Deletes an app, closing its connections. False when it does not exist. */
  deleteApp(appId: string): boolean;
}

/**
 * One REST request: parsed URL and path params, negotiated format, and helpers that answer in
 * the right format, envelope and headers. A route handler reads from it and calls one `send*`.
 * Throwing an {@link AblyError} from a handler answers with that error.
 */
export class RestContext {
  private principalCache: Principal | undefined;

  constructor(
    readonly env: RestEnv,
    readonly req: IncomingMessage,
    readonly res: ServerResponse,
    readonly url: URL,
    /** Decoded path parameters (regex groups of the route). */
    readonly params: string[],
    /** Response format (from `accept`). */
    readonly format: WireFormat,
    /** Browser envelope format, when asked for. */
    readonly envelope: WireFormat | undefined,
  ) {}

  /** The format the response body is encoded in (the envelope's, when there is one). */
  get bodyFormat(): WireFormat {
    return this.envelope ?? this.format;
  }

  get query(): URLSearchParams {
    return this.url.searchParams;
  }

  /** Path parameter `i`, decoded. */
  param(i: number): string {
    return this.params[i] ?? '';
  }

  /**
   * The authenticated caller: `Authorization: Basic base64(key)` or `Bearer base64(token)`
   * (ably-js base64-encodes tokens), or `?key=` / `?access_token=`. Throws 40101/4014x.
   */
  principal(): Principal {
    if (this.principalCache) return this.principalCache;
    const header = this.req.headers.authorization;
    let principal: Principal;
    if (header?.startsWith('Basic ')) {
      principal = authenticateKey(
        this.env.apps,
        Buffer.from(header.slice(6), 'base64').toString('utf8'),
      );
    } else if (header?.startsWith('Bearer ')) {
      const raw = header.slice(7).trim();
      const decoded = Buffer.from(raw, 'base64').toString('utf8');
      // Tokens are sent base64-encoded; accept a raw one too (curl users).
      principal = tryToken(this.env, decoded) ?? authenticateToken(this.env.apps, raw);
    } else if (this.query.get('key')) {
      principal = authenticateKey(this.env.apps, this.query.get('key')!);
    } else if (this.query.get('access_token')) {
      principal = authenticateToken(this.env.apps, this.query.get('access_token')!);
    } else {
      throw new AblyError(
        40101,
        401,
        'No credentials: send Authorization: Basic base64(key) or Bearer base64(token).',
      );
    }
    return (this.principalCache = principal);
  }

  /** The principal, if the request carried credentials at all (for optional auth). */
  optionalPrincipal(): Principal | undefined {
    const h = this.req.headers.authorization;
    return h || this.query.get('key') || this.query.get('access_token')
      ? this.principal()
      : undefined;
  }

  /**
   * The caller's app after checking it may do one of `ops` on `channel` (40160 otherwise) and
   * that the channel name is one Ably accepts (40010 otherwise).
   */
  authorize(channel: string, ...ops: Operation[]): App {
    const p = this.principal();
    parseChannelName(channel);
    if (!ops.some((op) => p.capability.allows(channel, op))) {
      throw Errors.notPermitted(
        `Not permitted on channel "${channel}": the key or token needs the ${ops.map((o) => `"${o}"`).join(' or ')} capability.`,
      );
    }
    return p.app;
  }

  /** Reads the request body (msgpack or JSON by content-type). */
  body(): Promise<unknown> {
    return readBody(this.req);
  }

  /** Answers with a body in the negotiated format. */
  send(status: number, body: unknown, headers: Record<string, string> = {}): void {
    sendBody(this.req, this.res, status, body, this.format, this.envelope, headers);
  }

  /** Answers a JSON body whatever `accept` said (e.g. `/time`'s callers parse JSON). */
  sendJson(status: number, body: unknown): void {
    sendBody(this.req, this.res, status, body, 'json', this.envelope);
  }

  /**
   * Answers one page of a paginated resource with a `Link` header (in the envelope too).
   * @param word - the last path segment, for the relative links (`presence`, `messages`, ...).
   * @param query - the complete query state to repeat in every link (no cursor, envelope or rnd).
   */
  sendPage(
    items: unknown[],
    word: string,
    query: Record<string, string | number | undefined>,
    current: string | undefined,
    next: string | undefined,
  ): void {
    this.send(200, items, { link: linkHeader(word, query, current, next) });
  }

  /** Answers with an Ably error. */
  sendError(error: AblyError): void {
    sendError(this.req, this.res, error, this.envelope);
  }
}

function tryToken(env: RestEnv, token: string): Principal | undefined {
  try {
    return authenticateToken(env.apps, token);
  } catch (err) {
    // Expired is a real answer; "unrecognised" may just mean the token was not base64-encoded.
    if (err instanceof AblyError && err.code !== 40143) throw err;
    return undefined;
  }
}
