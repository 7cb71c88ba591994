import { PresenceKitError } from '../core/errors';

/** Client options that point `ably` at a host other than Ably's own (see {@link ablyEndpointOptions}). */
export type AblyEndpointOptions =
  | Record<string, never>
  | { endpoint: string; port: number; tls: false }
  | { endpoint: string; tlsPort: number; tls: true };

/**
 * Turns a base URL such as `http://127.0.0.1:8787` (the PresenceKit emulator) into the
 * `endpoint`/`port`/`tls` client options of `ably`, to spread into `new Ably.Rest({...})` or
 * `new Ably.Realtime({...})`. `undefined` or an empty string gives `{}`: Ably itself. The result
 * holds no secret, so it may be passed to browser code.
 *
 * @param url - For example `process.env.ABLY_ENDPOINT`.
 * @throws {@link PresenceKitError} `invalid_argument` when `url` is not an http(s) URL.
 *
 * @example
 * ```ts
 * const rest = new Ably.Rest({ key: process.env.ABLY_API_KEY, ...ablyEndpointOptions(process.env.ABLY_ENDPOINT) });
 * ```
 */
export function ablyEndpointOptions(url: string | undefined): AblyEndpointOptions {
  if (url === undefined || url === '') return {};
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
    throw new PresenceKitError(
      'invalid_argument',
      `ablyEndpointOptions: "${url}" is not an http(s) URL: use the URL the emulator prints, ` +
        `for example http://127.0.0.1:8787, or leave it unset for Ably itself.`,
    );
  }
  // URL keeps IPv6 hosts in brackets; ably wants the bare address.
  const endpoint = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  if (parsed.protocol === 'http:') {
    return { endpoint, port: Number(parsed.port || 80), tls: false };
  }
  return { endpoint, tlsPort: Number(parsed.port || 443), tls: true };
}
