// Raster formats only: an SVG can carry script when opened directly, and some renderers mishandle it.
const DATA_IMAGE = /^data:image\/(?:png|jpeg|gif|webp|avif)(?:;[a-z0-9=.+-]+)*,/i;

/** Longer data URLs are refused: presence data is small, and a megabyte avatar is an attack, not a photo. */
export const MAX_AVATAR_URL_LENGTH = 64 * 1024;

/** Whose avatar an {@link AvatarUrlResolver} is asked about: a presence entry or history event. */
export interface AvatarUrlMember {
  /** Their clientId (set by your token server, so it is as trustworthy as your auth). */
  readonly clientId: string;
  /** Their presence data (untrusted); `undefined` for a standalone `<Avatar>`. */
  readonly data: unknown;
}

/**
 * Decides which image an avatar loads: given an avatar URL from presence data (already an
 * absolute `http(s)` URL or a raster `data:image` URL, normalised by the URL parser), returns the
 * URL to load (the same one, or one through your own image proxy), or `undefined` for initials.
 * What it returns must again be `http(s)` or a raster `data:image` URL, or initials are shown.
 * It replaces {@link safeAvatarUrl}, the default: call that for the URLs you do not handle.
 */
export type AvatarUrlResolver<TMember extends AvatarUrlMember = AvatarUrlMember> = (
  url: string,
  member: TMember,
) => string | undefined;

/**
 * `url`, normalised, if an `<img src>` may hold it at all: an absolute `http:`/`https:` URL
 * without credentials, or a raster `data:image` URL. Everything else (`javascript:`,
 * `data:image/svg+xml`, `file:`, relative paths, control characters, non-strings) is refused.
 * No address check: this is the rule for what an {@link AvatarUrlResolver} returns.
 */
export function avatarUrlShape(url: unknown): string | undefined {
  if (typeof url !== 'string' || url.length === 0 || url.length > MAX_AVATAR_URL_LENGTH) {
    return undefined;
  }
  // The URL parser strips tabs and newlines ("java\nscript:"); refuse them rather than guess.
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f\s]/.test(url)) return undefined;
  if (DATA_IMAGE.test(url)) return url;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return undefined;
  // Credentials in an image URL leak on every render and are a phishing trick ("https://bank@evil").
  if (parsed.username || parsed.password) return undefined;
  return parsed.href;
}

// IPv4 blocks that are not globally reachable (the IANA special-purpose registry): this network,
// private, CGNAT, loopback, link-local, IETF protocol assignments, documentation, 6to4 relays,
// benchmarking, and 224/3 (multicast, reserved and broadcast).
const PRIVATE_IPV4 = [
  '0.0.0.0/8',
  '10.0.0.0/8',
  '100.64.0.0/10',
  '127.0.0.0/8',
  '169.254.0.0/16',
  '172.16.0.0/12',
  '192.0.0.0/24',
  '192.0.2.0/24',
  '192.88.99.0/24',
  '192.168.0.0/16',
  '198.18.0.0/15',
  '198.51.100.0/24',
  '203.0.113.0/24',
  '224.0.0.0/3',
];

function ipv4(address: string): number {
  return address.split('.').reduce((n, part) => n * 256 + Number(part), 0);
}

/**
 * `true` if `hostname`, as the URL parser spells it (`new URL(url).hostname`), is `localhost`,
 * `*.localhost`, or an IP address that is not globally reachable: IPv4 loopback, private, CGNAT,
 * link-local, multicast, reserved or unspecified; IPv6 outside global unicast (`::`, `::1`,
 * IPv4-mapped and -compatible, unique-local, link-local, multicast), 6to4, Teredo and the
 * documentation ranges. Names are not resolved: a public name may still point at a private address.
 */
export function isPrivateHost(hostname: string): boolean {
  // Trailing dots ("localhost.", "127.0.0.1..") name the same host.
  const host = hostname.replace(/\.+$/, '');
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  // The parser has already turned every IPv4 spelling (0x7f.1, 2130706433, 0177.0.0.1, 127.1)
  // into dotted decimal, and refuses any other host that ends in a number.
  if (/^[\d.]+$/.test(host)) {
    const address = ipv4(host);
    return PRIVATE_IPV4.some((block) => {
      const [base = '', bits] = block.split('/');
      const size = 2 ** (32 - Number(bits));
      return Math.floor(address / size) === Math.floor(ipv4(base) / size);
    });
  }
  if (host.startsWith('[')) {
    // Serialised compressed and in lower case, with no IPv4 tail (::ffff:127.0.0.1 is
    // [::ffff:7f00:1]): the first two groups are the text before the first two colons.
    const [a = 0, b = 0] = host
      .slice(1, -1)
      .split(':', 2)
      .map((group) => parseInt(group || '0', 16));
    return (
      // Only 2000::/3 is global unicast.
      (a & 0xe000) !== 0x2000 ||
      // 6to4, then 2001::/23 (Teredo, benchmarking, ORCHID), then documentation.
      a === 0x2002 ||
      (a === 0x2001 && (b < 0x200 || b === 0xdb8)) ||
      (a === 0x3fff && b < 0x1000)
    );
  }
  return false;
}

/**
 * The default {@link AvatarUrlResolver}: `url` (normalised) if it is safe to load in every
 * viewer's browser, otherwise `undefined` and the caller shows initials. Presence data comes from
 * other clients, so only the shapes {@link avatarUrlShape} accepts, and not on a host that
 * {@link isPrivateHost} refuses (`http://169.254.169.254/`, `http://[::1]/`, `http://0x7f.1/`,
 * `http://printer.localhost/`): a member must not make everyone's browser call their private
 * network. A public host name that resolves to a private address cannot be caught here.
 *
 * Accepted: absolute `http:` and `https:` URLs on public hosts, and
 * `data:image/(png|jpeg|gif|webp|avif)`.
 */
export function safeAvatarUrl(url: unknown): string | undefined {
  const checked = avatarUrlShape(url);
  return checked === undefined || isPrivateHost(new URL(checked).hostname) ? undefined : checked;
}

/**
 * The URL an avatar loads for `url` found in presence data: `resolve` decides (by default
 * {@link safeAvatarUrl}), and is asked only about URLs of an acceptable shape, and what it
 * returns must be of an acceptable shape too (so no resolver can produce `javascript:`).
 */
export function resolveAvatarUrl<TMember extends AvatarUrlMember>(
  url: unknown,
  member: TMember,
  resolve: AvatarUrlResolver<TMember> = safeAvatarUrl,
): string | undefined {
  const checked = avatarUrlShape(url);
  return checked === undefined ? undefined : avatarUrlShape(resolve(checked, member));
}
