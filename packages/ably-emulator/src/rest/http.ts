import type { IncomingMessage, ServerResponse } from 'node:http';
import msgpack from '@ably/msgpack-js';
import { base64Item, encodeValue, type WireFormat } from '../protocol/codec.js';
import { AblyError, Errors } from '../protocol/errors.js';
import type { WireMessage, WirePresenceMessage } from '../protocol/types.js';

/** Request bodies larger than this are refused (413, 40009). */
export const MAX_BODY_BYTES = 2 * 1024 * 1024;

/** Response format: msgpack only when `accept` asks for it (ably-js decodes by its own format). */
export function responseFormat(req: IncomingMessage): WireFormat {
  return (req.headers.accept ?? '').includes('application/x-msgpack') ? 'msgpack' : 'json';
}

/** The `envelope` query parameter (browser build): answer 200 with the real status inside. */
export function envelopeFormat(query: URLSearchParams): WireFormat | undefined {
  const e = query.get('envelope');
  return e === 'json' || e === 'msgpack' ? e : undefined;
}

/**
 * Headers every response gets. CORS echoes the Origin (not `*`: ably-js sends credentials); only
 * requests from allowed origins get this far (`transport/access.ts` refuses the others first).
 */
export function corsHeaders(req: IncomingMessage): Record<string, string> {
  const origin = req.headers.origin;
  if (!origin) return {};
  return {
    'access-control-allow-origin': origin,
    'access-control-allow-credentials': 'true',
    'access-control-expose-headers': 'link, x-ably-errorcode, x-ably-errormessage, x-ably-serverid',
    vary: 'Origin',
  };
}

/** Answers a CORS preflight. */
export function sendPreflight(req: IncomingMessage, res: ServerResponse): void {
  const requested = req.headers['access-control-request-headers'];
  res.writeHead(204, {
    ...corsHeaders(req),
    'access-control-allow-methods': 'GET,POST,PUT,PATCH,DELETE,OPTIONS',
    'access-control-allow-headers':
      typeof requested === 'string' && requested !== ''
        ? requested
        : 'authorization, accept, content-type, x-ably-version, ably-agent, x-ably-clientid',
    'access-control-max-age': '86400',
    'content-length': '0',
  });
  res.end();
}

function contentType(format: WireFormat): string {
  return format === 'msgpack' ? 'application/x-msgpack' : 'application/json';
}

/**
 * Writes a response in `format`, or wrapped in the browser envelope (HTTP 200 with the real
 * status and headers inside) when the request asked for one.
 */
export function sendBody(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  body: unknown,
  format: WireFormat,
  envelope: WireFormat | undefined,
  headers: Record<string, string> = {},
): void {
  if (envelope) {
    const payload = encodeValue({ statusCode: status, response: body, headers }, envelope);
    res.writeHead(200, {
      ...corsHeaders(req),
      'content-type': contentType(envelope),
      'content-length': String(Buffer.byteLength(payload)),
    });
    res.end(payload);
    return;
  }
  const payload = encodeValue(body, format);
  res.writeHead(status, {
    ...corsHeaders(req),
    ...headers,
    'content-type': contentType(format),
    'content-length': String(Buffer.byteLength(payload)),
  });
  res.end(payload);
}

/**
 * Writes an Ably error: JSON body (even for msgpack clients), `content-type: application/json`
 * exactly (ably-js parses error bodies only then) and the `x-ably-errorcode` /
 * `x-ably-errormessage` headers.
 */
export function sendError(
  req: IncomingMessage,
  res: ServerResponse,
  error: AblyError,
  envelope: WireFormat | undefined,
): void {
  sendBody(
    req,
    res,
    error.statusCode,
    { error: error.toWire() },
    'json',
    envelope,
    errorHeaders(error),
  );
}

/** The `x-ably-errorcode` / `x-ably-errormessage` headers of an error response. */
export function errorHeaders(error: AblyError): Record<string, string> {
  return {
    'x-ably-errorcode': String(error.code),
    // A header value: printable ASCII only, kept short.
    'x-ably-errormessage': error.message.replace(/[^\x20-\x7e]/g, '?').slice(0, 300),
  };
}

/** Reads and decodes a request body by its content-type (msgpack or JSON). */
export async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of req as AsyncIterable<Buffer>) {
      total += chunk.length;
      if (total > MAX_BODY_BYTES) {
        throw new AblyError(40009, 413, `Request body over ${MAX_BODY_BYTES} bytes.`);
      }
      chunks.push(chunk);
    }
  } catch (err) {
    if (err instanceof AblyError) throw err;
    // The client went away mid-upload ("aborted"): its fault, not an internal error.
    throw Errors.badRequest('The request body was cut short.');
  }
  const raw = Buffer.concat(chunks);
  if (raw.length === 0) return undefined;
  const type = req.headers['content-type'] ?? '';
  try {
    if (type.includes('application/x-msgpack')) return msgpack.decode(raw) as unknown;
    return JSON.parse(raw.toString('utf8')) as unknown;
  } catch {
    throw Errors.badRequest(
      `Malformed request body: expected ${type.includes('msgpack') ? 'msgpack' : 'JSON'}.`,
    );
  }
}

/** Items with binary `data` converted for a JSON response (bytes → base64, `encoding` += base64). */
export function itemsFor<T extends WireMessage | WirePresenceMessage>(
  items: T[],
  format: WireFormat,
): T[] {
  return format === 'json' ? items.map(base64Item) : items;
}

/**
 * Builds a `Link` header ably-js can follow: relative `./<word>?<query>` URLs (ably-js ignores
 * anything else), every value percent-encoded (a raw `,` or `+` breaks its parser), and the full
 * query state repeated in each link. `first` drops the cursor; `next` is left out on the last page.
 */
export function linkHeader(
  word: string,
  query: Record<string, string | number | undefined>,
  current: string | undefined,
  next: string | undefined,
): string {
  const qs = (cursor: string | undefined) =>
    Object.entries({ ...query, cursor } as Record<string, string | number | undefined>)
      .filter((e): e is [string, string | number] => e[1] !== undefined)
      .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
      .join('&');
  const links = [
    `<./${word}?${qs(undefined)}>; rel="first"`,
    `<./${word}?${qs(current)}>; rel="current"`,
  ];
  if (next !== undefined) links.push(`<./${word}?${qs(next)}>; rel="next"`);
  return links.join(', ');
}

/** Parses `limit` (default 100, at most 1000). Throws 40003. */
export function parseLimit(query: URLSearchParams): number {
  const raw = query.get('limit');
  if (raw === null || raw === '') return 100;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 1000) {
    throw Errors.invalidParameter(`Invalid limit "${raw}": use an integer from 1 to 1000.`);
  }
  return n;
}

/** Parses `direction` (default backwards). Throws 40003. */
export function parseDirection(query: URLSearchParams): 'forwards' | 'backwards' {
  const raw = query.get('direction');
  if (raw === null || raw === '' || raw === 'backwards') return 'backwards';
  if (raw === 'forwards') return 'forwards';
  throw Errors.invalidParameter(`Invalid direction "${raw}": use "forwards" or "backwards".`);
}

/** Parses a time parameter (`start`, `end`) in ms since the epoch. Throws 40003. */
export function parseTime(query: URLSearchParams, name: string): number | undefined {
  const raw = query.get(name);
  if (raw === null || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0) {
    throw Errors.invalidParameter(`Invalid ${name} "${raw}": use a time in ms since the epoch.`);
  }
  return n;
}
