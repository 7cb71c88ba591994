import type { IncomingHttpHeaders } from 'node:http';
import { isIPv4, isIPv6 } from 'node:net';
import { type AblyError, Errors } from '../protocol/errors.js';
import { errorHeaders } from '../rest/http.js';

/** The `allowedOrigins` entry that admits every origin and every Host. */
export const ANY_ORIGIN = '*';

/**
 * A hostname in the form the WHATWG URL parser gives it (what browsers send): lowercase,
 * punycode, IPv4 as a dotted quad (`127.1` → `127.0.0.1`), IPv6 compressed in brackets.
 * Undefined for anything that is not a bare hostname or IP literal (userinfo, paths, spaces).
 */
function canonicalHostname(raw: string): string | undefined {
  if (!/^(?:[\w.-]+|\[[\da-f:.]+\])$/i.test(raw)) return undefined;
  try {
    return new URL(`http://${raw}/`).hostname;
  } catch {
    return undefined;
  }
}

/**
 * `localhost` or a loopback address (127.0.0.0/8, `[::1]`, IPv4-mapped 127.x). None of these can
 * be pointed at another machine by a DNS answer, and only this machine can serve a page on them.
 */
function isLoopback(hostname: string): boolean {
  return (
    hostname === 'localhost' ||
    (isIPv4(hostname) && hostname.startsWith('127.')) ||
    hostname === '[::1]' ||
    /^\[::ffff:7f[\da-f]{2}:[\da-f]{1,4}\]$/.test(hostname)
  );
}

function isIpLiteral(hostname: string): boolean {
  return isIPv4(hostname) || (hostname.startsWith('[') && isIPv6(hostname.slice(1, -1)));
}

/** The hostname of a `Host` header (port dropped), canonical; undefined when malformed. */
function hostOf(header: string): string | undefined {
  const m = /^(.+?)(?::\d{1,5})?$/.exec(header);
  return m ? canonicalHostname(m[1]!) : undefined;
}

/**
 * An `allowedOrigins` entry as browsers serialise origins (`http://devbox.lan:5173`, default port
 * dropped, lowercase), or undefined when it is not an http(s) origin: no path, query or userinfo.
 */
export function normalizeOrigin(entry: string): string | undefined {
  if (!/^https?:\/\/[^/?#@\s]+\/?$/i.test(entry)) return undefined;
  try {
    return new URL(entry).origin;
  } catch {
    return undefined;
  }
}

/** A printable, bounded rendering of a header value for messages and logs. */
function shown(value: string): string {
  const printable = value.replace(/[^\x20-\x7e]/g, '?');
  return JSON.stringify(printable.length > 80 ? `${printable.slice(0, 80)}...` : printable);
}

/**
 * Who may use the emulator, decided from a request's `Origin` and `Host` headers alone, for HTTP
 * requests and WebSocket upgrades alike.
 *
 * - `Origin` is what stops other web pages: a browser sends it on every cross-origin request and
 *   every WebSocket, and a page cannot forge it. Absent (Node, curl, server-side code): allowed.
 *   Loopback origins (`http(s)://localhost`, `127.x.x.x`, `[::1]`, any port) and the listed
 *   `allowedOrigins` are allowed; anything else, `null` included, is refused.
 * - `Host` is what stops DNS rebinding: a page on `attacker.example` whose DNS answer turns into
 *   127.0.0.1 is same-origin with the emulator and sends no `Origin` on GETs, but its requests
 *   carry `Host: attacker.example`. Allowed: loopback names, the address the emulator binds (any
 *   IP address when it binds every interface: an address cannot be rebound), and the hosts of
 *   `allowedOrigins`.
 * - `'*'` in `allowedOrigins` turns both checks off.
 */
export class AccessPolicy {
  private readonly anyOrigin: boolean;
  private readonly origins: ReadonlySet<string>;
  private readonly hosts = new Set<string>();
  private anyIpHost = false;

  /**
   * @param allowedOrigins - normalised origins (see {@link normalizeOrigin}) and/or `'*'`.
   * @param boundHosts - the `host` option and the address actually bound, as far as known.
   */
  constructor(allowedOrigins: readonly string[], boundHosts: readonly string[]) {
    this.anyOrigin = allowedOrigins.includes(ANY_ORIGIN);
    this.origins = new Set(allowedOrigins.filter((o) => o !== ANY_ORIGIN));
    for (const origin of this.origins) this.hosts.add(new URL(origin).hostname);
    for (const bound of boundHosts) {
      const hostname = canonicalHostname(isIPv6(bound) ? `[${bound}]` : bound);
      if (hostname === '0.0.0.0' || hostname === '[::]' || bound === '') this.anyIpHost = true;
      else if (hostname !== undefined) this.hosts.add(hostname);
    }
  }

  /** Why a request (or upgrade) must be refused (40300), or undefined to let it in. */
  check(headers: IncomingHttpHeaders): AblyError | undefined {
    if (this.anyOrigin) return undefined;
    const host = headers.host ?? '';
    const hostname = hostOf(host);
    if (
      hostname === undefined ||
      !(
        isLoopback(hostname) ||
        this.hosts.has(hostname) ||
        (this.anyIpHost && isIpLiteral(hostname))
      )
    ) {
      return Errors.forbidden(
        `Host ${shown(host)} is not a name of this emulator (DNS rebinding protection). Use localhost or 127.0.0.1, bind that name with the host option, or list an origin on it in allowedOrigins.`,
      );
    }
    const origin = headers.origin;
    if (origin === undefined || origin === '' || this.allowsOrigin(origin)) return undefined;
    return Errors.forbidden(
      `Origin ${shown(origin)} may not use this emulator: only pages on localhost, 127.0.0.1 or [::1] may. To allow it, start the emulator with allowedOrigins (CLI: --allowed-origins).`,
    );
  }

  private allowsOrigin(origin: string): boolean {
    if (this.origins.has(origin)) return true;
    let url: URL;
    try {
      url = new URL(origin);
    } catch {
      return false;
    }
    // Exactly as browsers serialise an origin: no path, userinfo or odd spelling slips through.
    return (
      (url.protocol === 'http:' || url.protocol === 'https:') &&
      url.origin === origin &&
      isLoopback(url.hostname)
    );
  }
}

/**
 * The answer to a refused request: an Ably error body and headers, and no CORS headers, so a
 * page in a browser learns nothing from it.
 */
export function refusal(error: AblyError): {
  status: number;
  headers: Record<string, string>;
  body: string;
} {
  const body = JSON.stringify({ error: error.toWire() });
  return {
    status: error.statusCode,
    headers: {
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(body)),
      ...errorHeaders(error),
    },
    body,
  };
}
