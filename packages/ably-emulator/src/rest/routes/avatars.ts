import { createHash } from 'node:crypto';
import { Errors } from '../../protocol/errors.js';
import type { Route } from '../router.js';

/** Longest seed accepted, in characters (after percent-decoding). */
export const MAX_AVATAR_SEED_LENGTH = 128;

/**
 * The path of the avatar for `seed`, relative to the emulator's URL.
 *
 * @example
 * ```ts
 * const avatar = `${emulator.url}${avatarPath('sim-lobby-3')}`; // http://127.0.0.1:8787/avatars/sim-lobby-3.svg
 * ```
 */
export function avatarPath(seed: string): string {
  return `/avatars/${encodeURIComponent(seed)}.svg`;
}

/** `hsl(h s% l%)` as `#rrggbb`: hex works in every SVG renderer, not only browsers. */
function hex(h: number, s: number, l: number): string {
  const a = (s / 100) * Math.min(l / 100, 1 - l / 100);
  const channel = (n: number) => {
    const k = (n + h / 30) % 12;
    const v = l / 100 - a * Math.max(-1, Math.min(k - 3, 9 - k, 1));
    return Math.round(v * 255)
      .toString(16)
      .padStart(2, '0');
  };
  return `#${channel(0)}${channel(8)}${channel(4)}`;
}

/**
 * A 64×64 avatar drawn from `seed`: a two-hue gradient, a few soft circles and a head-and-shoulders
 * silhouette. The same seed always gives the same bytes. No text (fonts differ between machines),
 * no script, no external references; the seed itself never appears in the output.
 */
export function avatarSvg(seed: string): string {
  const bytes = createHash('sha256').update(seed, 'utf8').digest();
  const byte = (i: number) => bytes[i % bytes.length]!;
  const hue = Math.round((byte(0) * 360) / 256);
  const hue2 = (hue + 30 + (byte(1) % 60)) % 360;
  const from = hex(hue, 70, 62);
  const to = hex(hue2, 65, 40);
  const tint = hex((hue + 180) % 360, 55, 90);
  const bubbles = [0, 1, 2]
    .map((i) => {
      const cx = 4 + (byte(2 + i * 3) % 56);
      const cy = 4 + (byte(3 + i * 3) % 40);
      const r = 6 + (byte(4 + i * 3) % 12);
      return `<circle cx="${cx}" cy="${cy}" r="${r}" fill="#fff" fill-opacity="0.12"/>`;
    })
    .join('');
  const headR = 10 + (byte(11) % 4);
  const headY = 24 + (byte(12) % 4);
  // Shoulders: two mirrored curves from the bottom corners up to a top edge below the head.
  const rise = 21 + (byte(13) % 4);
  const bend = Math.round(rise * 0.6);
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64" viewBox="0 0 64 64">` +
    `<defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1">` +
    `<stop offset="0" stop-color="${from}"/><stop offset="1" stop-color="${to}"/>` +
    `</linearGradient></defs>` +
    `<rect width="64" height="64" fill="url(#g)"/>` +
    bubbles +
    `<circle cx="32" cy="${headY}" r="${headR}" fill="${tint}"/>` +
    `<path d="M10 64c0-${bend} 10-${rise} 22-${rise}s22 ${rise - bend} 22 ${rise}z" fill="${tint}"/>` +
    `</svg>`
  );
}

// An <img> of an SVG runs no script, but the same URL opened in a tab renders as a document: the
// policy keeps that document inert too (no script, no fetches, sandboxed origin).
const HEADERS = {
  'content-type': 'image/svg+xml; charset=utf-8',
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; sandbox",
  'x-content-type-options': 'nosniff',
  // Pages that require CORP (COEP: require-corp) may still embed it from another origin.
  'cross-origin-resource-policy': 'cross-origin',
  // The same seed always gives the same image.
  'cache-control': 'public, max-age=86400',
};

/**
 * `GET /avatars/<seed>.svg`: a deterministic SVG avatar for any seed, no auth. Simulated visitors
 * point their `avatar` at it, so demos show images with an absolute http URL (which components
 * accept, unlike `data:image/svg+xml`).
 */
export const avatarRoutes: Route[] = [
  {
    method: 'GET',
    path: /^\/avatars\/([^/]+)\.svg$/,
    handler: (ctx) => {
      const seed = ctx.param(0);
      if (seed.length === 0 || seed.length > MAX_AVATAR_SEED_LENGTH) {
        throw Errors.invalidParameter(
          `Avatar seed must be 1 to ${MAX_AVATAR_SEED_LENGTH} characters: request /avatars/<seed>.svg, e.g. /avatars/ada.svg.`,
        );
      }
      const svg = avatarSvg(seed);
      const etag = `"${createHash('sha256').update(svg).digest('base64url').slice(0, 22)}"`;
      if (ctx.req.headers['if-none-match'] === etag) {
        ctx.res.writeHead(304, { etag, 'cache-control': HEADERS['cache-control'] });
        ctx.res.end();
        return;
      }
      const body = Buffer.from(svg, 'utf8');
      ctx.res.writeHead(200, { ...HEADERS, etag, 'content-length': String(body.length) });
      ctx.res.end(body);
    },
  },
];
