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
import { safeAvatarUrl } from './helpers/safe-avatar-url';
import { PresenceKitAvatarProvider } from './PresenceKitAvatarProvider';

declare global {
  interface Window {
    __pwned?: unknown;
  }
}

beforeAll(watchRequests);

const proxy = (url: string) => `https://proxy.presencekit.test/avatar?u=${encodeURIComponent(url)}`;

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

describe('<Avatar avatarUrl>', () => {
  test('rewrites through the app proxy: the proxy is requested, the private address never', async () => {
    const token = requestToken('proxy');
    const calls: [string, unknown][] = [];
    const src = `http://169.254.169.254/latest/meta-data/${token}`;
    const screen = await render(
      <Avatar
        name="Mallory"
        clientId="mallory"
        src={src}
        avatarUrl={(url, member) => {
          calls.push([url, member]);
          return proxy(url);
        }}
      />,
    );
    await untilLoaded(screen.container, proxy(src));
    expect(calls[0]).toEqual([src, { clientId: 'mallory', data: undefined }]);
    expect((await requestsContaining(token)).map((r) => new URL(r.url).host)).toEqual([
      'proxy.presencekit.test',
    ]);
  });

  test('allowlists: a private host the app trusts loads, other hosts show initials', async () => {
    const token = requestToken('allow');
    const trusted = servedAvatarUrl(token, 'trusted');
    const elsewhere = `https://elsewhere.example.com/${token}.png`;
    const onlyTrusted = (url: string) =>
      new URL(url).hostname === 'avatars.presencekit.test' ? url : undefined;
    const loopback = `http://127.0.0.1:9/${token}/emulator.png`;
    const screen = await render(
      <div>
        <Avatar name="Elsewhere" clientId="e" src={elsewhere} avatarUrl={onlyTrusted} />
        <Avatar
          name="Dev server"
          clientId="d"
          src={loopback}
          // The default rule refuses loopback; an app may allow its own dev server explicitly.
          avatarUrl={(url) => (url.startsWith('http://127.0.0.1:9/') ? url : safeAvatarUrl(url))}
        />
        <Avatar name="Trusted" clientId="t" src={trusted} avatarUrl={onlyTrusted} />
      </div>,
    );
    await untilLoaded(screen.container, trusted);
    // Nothing listens there, but the browser was allowed to try.
    await expect
      .poll(async () => (await requestsContaining(token)).map((r) => r.url))
      .toContain(loopback);
    await expect
      .element(screen.getByRole('img', { name: 'Elsewhere' }))
      .toHaveAttribute('data-fallback', '');
    expect((await requestsContaining(token)).map((r) => r.url)).not.toContain(elsewhere);
  });

  test('cannot produce javascript:, SVG or HTML data, relative or credentialed URLs', async () => {
    const token = requestToken('bad-result');
    const results = [
      'javascript:window.__pwned=1',
      ' javascript:window.__pwned=1',
      'java\nscript:window.__pwned=1',
      'data:image/svg+xml,<svg xmlns="http://www.w3.org/2000/svg" onload="window.__pwned=1"/>',
      'data:text/html,<script>window.__pwned=1</script>',
      `/${token}/relative.png`,
      `//avatars.presencekit.test/${token}/protocol-relative.png`,
      `https://user:pass@avatars.presencekit.test/${token}/credentials.png`,
      42 as unknown as string,
    ];
    const control = servedAvatarUrl(token, 'control');
    const screen = await render(
      <div>
        {results.map((result, i) => (
          <Avatar
            key={i}
            name={`Bad ${i}`}
            clientId={`bad-${i}`}
            src={servedAvatarUrl(token, `input-${i}`)}
            avatarUrl={() => result}
          />
        ))}
        <Avatar name="Control" clientId="control" src={control} />
      </div>,
    );
    await untilLoaded(screen.container, control);
    expect(Array.from(screen.container.querySelectorAll('img')).map((img) => img.src)).toEqual([
      control,
    ]);
    expect((await requestsContaining(token)).map((r) => r.url)).toEqual([control]);
    await new Promise((resolve) => requestAnimationFrame(resolve));
    expect(window.__pwned).toBeUndefined();
  });

  test('is asked only about URLs of an acceptable shape, normalised', async () => {
    const asked: string[] = [];
    const record = (url: string) => {
      asked.push(url);
      return undefined;
    };
    await render(
      <div>
        {['javascript:alert(1)', 'data:image/svg+xml,<svg/>', '/me.png', 'HTTP://0x7f.1/A.png'].map(
          (src) => (
            <Avatar key={src} name="X" clientId="x" src={src} avatarUrl={record} />
          ),
        )}
      </div>,
    );
    expect(new Set(asked)).toEqual(new Set(['http://127.0.0.1/A.png']));
  });
});

describe('<PresenceKitAvatarProvider>', () => {
  test('one setting for every avatar below; a component prop and an inner provider win', async () => {
    const token = requestToken('provider');
    const src = `http://10.0.0.1/${token}/a.png`;
    const inner = servedAvatarUrl(token, 'inner');
    const own = servedAvatarUrl(token, 'own');
    const screen = await render(
      <div>
        <Avatar name="Outside" clientId="o" src={src} />
        <PresenceKitAvatarProvider avatarUrl={proxy}>
          <Avatar name="Proxied" clientId="p" src={src} />
          <Avatar name="Own" clientId="w" src={src} avatarUrl={() => own} />
          <PresenceKitAvatarProvider avatarUrl={() => inner}>
            <Avatar name="Inner" clientId="i" src={src} />
          </PresenceKitAvatarProvider>
        </PresenceKitAvatarProvider>
      </div>,
    );
    const srcOf = (name: string) =>
      screen.getByRole('img', { name }).element().querySelector('img')?.getAttribute('src');
    await untilLoaded(screen.container, proxy(src));
    expect(srcOf('Outside')).toBeUndefined();
    expect(srcOf('Proxied')).toBe(proxy(src));
    expect(srcOf('Own')).toBe(own);
    expect(srcOf('Inner')).toBe(inner);
    expect((await requestsContaining(token)).some((r) => r.url.startsWith('http://10.'))).toBe(
      false,
    );
  });
});
