import { type CSSProperties, forwardRef, type HTMLAttributes, useState } from 'react';

import { avatarColor } from './helpers/avatar-color';
import { cx } from './internal/cx';
import { initials } from './helpers/initials';
import { type AvatarUrlResolver, resolveAvatarUrl } from './helpers/safe-avatar-url';
import { useAvatarUrlResolver } from './PresenceKitAvatarProvider';

/** What {@link Avatar} and {@link AvatarFrame} share. */
interface AvatarBaseProps extends HTMLAttributes<HTMLSpanElement> {
  /** Whose avatar: gives the initials (and the accessible name unless `decorative`). */
  name: string;
  /** Picks the fallback colour, the same on every device. */
  clientId: string;
  /**
   * Width and height in CSS pixels; also set on the `<img>`, so a huge image stays small even
   * without the stylesheet.
   * @defaultValue `32`
   */
  size?: number;
  /**
   * The name is given by surrounding text (a list row): hide the avatar from assistive technology.
   * @defaultValue `false`
   */
  decorative?: boolean;
}

/** Props of {@link Avatar}. */
export interface AvatarProps extends AvatarBaseProps {
  /**
   * Image URL, untrusted: by default loaded only if it is an absolute `http(s)` URL on a public
   * host (not `localhost` or a private, loopback or link-local IP address) or a raster
   * `data:image` URL; otherwise initials are shown and nothing is fetched.
   * @example `src="https://cdn.example.com/ada.png"`
   */
  src?: string | undefined;
  /**
   * Decides which image to load for `src`, in place of the default rule: returns the URL to load
   * (`src` itself, or one through your image proxy) or `undefined` for initials. What it returns
   * must still be `http(s)` or a raster `data:image` URL.
   * @defaultValue the nearest `PresenceKitAvatarProvider`'s, else `safeAvatarUrl`
   * @example
   * ```tsx
   * <Avatar name={name} clientId={clientId} src={src} avatarUrl={(url) => `https://app.example/avatar?u=${encodeURIComponent(url)}`} />
   * ```
   */
  avatarUrl?: AvatarUrlResolver | undefined;
}

/** Props of {@link AvatarFrame}. */
export interface AvatarFrameProps extends AvatarBaseProps {
  /** The image to load, already decided (a member's `avatarUrl`), or `undefined` for initials. */
  url: string | undefined;
}

/**
 * A round avatar: the image when it is safe and loads, otherwise initials on a colour derived
 * from the clientId. `data-fallback` is present while initials are shown. The image loads
 * lazily and without a `Referer`, so its host does not learn which page shows it.
 *
 * @example
 * ```tsx
 * <Avatar name="Ada Lovelace" clientId="ada" src="https://cdn.example.com/ada.png" />
 * ```
 */
export const Avatar = forwardRef<HTMLSpanElement, AvatarProps>(function Avatar(
  { src, avatarUrl, ...props },
  ref,
) {
  const resolve = useAvatarUrlResolver(avatarUrl);
  const url = resolveAvatarUrl(src, { clientId: props.clientId, data: undefined }, resolve);
  return <AvatarFrame ref={ref} url={url} {...props} />;
});

/**
 * {@link Avatar} for a URL already decided (a member profile's `avatarUrl`, which went through
 * the `avatarUrl` resolver once): the lists use it so a rewrite is not applied twice.
 */
export const AvatarFrame = forwardRef<HTMLSpanElement, AvatarFrameProps>(function AvatarFrame(
  { name, clientId, url, size = 32, decorative = false, className, style, ...rest },
  ref,
) {
  // Remember which URL failed rather than a flag, so a new URL gets a fresh try.
  const [failed, setFailed] = useState<string | undefined>(undefined);
  const showImage = url !== undefined && url !== failed;
  const sized: CSSProperties = {
    ['--pk-avatar-size' as string]: `${size}px`,
    ['--pk-avatar-color' as string]: avatarColor(clientId),
    ...style,
  };
  return (
    <span
      ref={ref}
      className={cx('pk-avatar', className)}
      role={decorative ? undefined : 'img'}
      aria-label={decorative ? undefined : name}
      aria-hidden={decorative ? true : undefined}
      data-fallback={showImage ? undefined : ''}
      style={sized}
      {...rest}
    >
      {showImage ? (
        <img
          className="pk-avatar__image"
          src={url}
          alt=""
          width={size}
          height={size}
          loading="lazy"
          decoding="async"
          // The image's host does not learn which page shows it. No crossOrigin: "anonymous"
          // would keep cookies off the request, but most avatar hosts send no CORS headers, so
          // the image would not load; an app that wants no third-party request at all sends
          // avatars through its own proxy (the avatarUrl option).
          referrerPolicy="no-referrer"
          draggable={false}
          onError={() => setFailed(url)}
        />
      ) : (
        <span className="pk-avatar__initials" aria-hidden="true">
          {initials(name, clientId)}
        </span>
      )}
    </span>
  );
});
