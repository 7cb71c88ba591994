import { expect } from 'vitest';
import { commands } from 'vitest/browser';

import { PRIVATE_AVATAR_ORIGINS } from '../fixtures/avatar-urls';
import type { SeenRequest } from './requests';

/**
 * A token no other test uses, to put in the URLs of one test so its requests can be told apart
 * (the URL Chromium requests is normalised, the path is not).
 */
export function requestToken(prefix: string): string {
  return `${prefix}-${Math.random().toString(36).slice(2, 10)}`;
}

/** An avatar URL on the reserved test host that `commands.watchRequests` serves (a 1×1 PNG). */
export function servedAvatarUrl(token: string, name = 'avatar'): string {
  return `https://avatars.presencekit.test/${token}/${name}.png`;
}

/** Every private-address form of the fixtures as an avatar URL, each with `token` in its path. */
export function privateAvatarUrls(token: string): string[] {
  return PRIVATE_AVATAR_ORIGINS.map((origin, i) => `${origin}/${token}/${i}.png`);
}

/** Starts recording Chromium's requests (and serving the test host); await before rendering. */
export function watchRequests(): Promise<void> {
  return commands.watchRequests();
}

/** The requests Chromium made so far whose URL contains `token`. */
export function requestsContaining(token: string): Promise<SeenRequest[]> {
  return commands.requestsContaining(token);
}

/**
 * Waits until the `<img>` of `url` under `root` has loaded and Chromium's request for it was
 * seen: a control rendered after the avatars under test, so that "nothing else was requested" is
 * not asserted before the browser had its chance to request it.
 */
export async function untilLoaded(root: Element, url: string): Promise<void> {
  await expect
    .poll(() => {
      const img = root.querySelector<HTMLImageElement>(`img[src="${url}"]`);
      return img !== null && img.complete && img.naturalWidth > 0;
    })
    .toBe(true);
  await expect.poll(async () => (await requestsContaining(url)).length).toBeGreaterThan(0);
}
