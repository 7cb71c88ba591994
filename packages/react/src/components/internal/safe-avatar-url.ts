// Raster formats only: an SVG can carry script when opened directly, and some renderers mishandle it.
const DATA_IMAGE = /^data:image\/(?:png|jpeg|gif|webp|avif)(?:;[a-z0-9=.+-]+)*,/i;

/** Longer data URLs are refused: presence data is small, and a megabyte avatar is an attack, not a photo. */
export const MAX_AVATAR_URL_LENGTH = 64 * 1024;

/**
 * `url` if it is safe to put in an `<img src>`, otherwise `undefined`. Presence data comes from
 * other clients, so anything else (`javascript:`, `data:image/svg+xml`, `file:`, relative paths,
 * control characters, non-strings) is refused and the caller shows initials instead.
 *
 * Accepted: absolute `http:` and `https:` URLs, and `data:image/(png|jpeg|gif|webp|avif)`.
 */
export function safeAvatarUrl(url: unknown): string | undefined {
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
