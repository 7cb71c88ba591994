import '../styles/presencekit.css';

import { beforeAll, describe, expect, test } from 'vitest';
import { render } from 'vitest-browser-react';

import { expectNoAxeViolations } from '../../test/browser/axe';
import {
  privateAvatarUrls,
  requestsContaining,
  requestToken,
  servedAvatarUrl,
  untilLoaded,
  watchRequests,
} from '../../test/browser/seen-requests';
import { PRIVATE_AVATAR_ORIGINS } from '../../test/fixtures/avatar-urls';
import { Avatar } from './Avatar';

declare global {
  interface Window {
    __pwned?: unknown;
  }
}

beforeAll(watchRequests);

describe('<Avatar> and private addresses', () => {
  test('every private, loopback, link-local or reserved host shows initials and is never requested', async () => {
    const token = requestToken('private');
    const urls = privateAvatarUrls(token);
    const control = servedAvatarUrl(token, 'control');
    const screen = await render(
      <div>
        {urls.map((src, i) => (
          <Avatar key={src} name={`Eve ${i}`} clientId={`eve-${i}`} src={src} />
        ))}
        <Avatar name="Control" clientId="control" src={control} />
      </div>,
    );
    const root = screen.container;
    await untilLoaded(root, control);
    // No request for any of them, in whatever spelling Chromium normalised it to...
    expect((await requestsContaining(token)).map((r) => r.url)).toEqual([control]);
    // ...because none of them has an <img>: initials instead.
    expect(Array.from(root.querySelectorAll('img')).map((img) => img.src)).toEqual([control]);
    for (let i = 0; i < urls.length; i++) {
      const avatar = screen.getByRole('img', { name: `Eve ${i}`, exact: true }).element();
      expect(avatar.hasAttribute('data-fallback')).toBe(true);
      expect(avatar.textContent).toBe(`E${String(i)[0]}`);
    }
    expect(urls).toHaveLength(PRIVATE_AVATAR_ORIGINS.length);
  });

  test('a public https URL renders, lazily and without a referrer', async () => {
    const token = requestToken('public');
    const src = servedAvatarUrl(token);
    const screen = await render(<Avatar name="Ada Lovelace" clientId="ada" src={src} />);
    await untilLoaded(screen.container, src);
    const avatar = screen.getByRole('img', { name: 'Ada Lovelace' });
    await expect.element(avatar).not.toHaveAttribute('data-fallback');
    const img = avatar.element().querySelector('img')!;
    expect(img.getAttribute('loading')).toBe('lazy');
    expect(img.getAttribute('decoding')).toBe('async');
    expect(img.getAttribute('referrerpolicy')).toBe('no-referrer');
    expect(img.hasAttribute('crossorigin')).toBe(false);
    const requests = await requestsContaining(token);
    expect(requests).toEqual([{ url: src, referer: undefined }]);
    await expectNoAxeViolations(screen.container);
  });
});
