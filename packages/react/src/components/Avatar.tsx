import { type CSSProperties, forwardRef, type HTMLAttributes, useState } from 'react';

import { avatarColor } from './internal/avatar-color';
import { cx } from './internal/cx';
import { initials } from './internal/initials';
import { safeAvatarUrl } from './internal/safe-avatar-url';

/** Props of {@link Avatar}. */
export interface AvatarProps extends HTMLAttributes<HTMLSpanElement> {
  /** Whose avatar: gives the initials (and the accessible name unless `decorative`). */
  name: string;
  /** Picks the fallback colour, the same on every device. */
  clientId: string;
  /** Image URL; anything but absolute http(s) or raster `data:image` URLs is ignored. */
  src?: string | undefined;
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

/**
 * A round avatar: the image when it is safe and loads, otherwise initials on a colour derived
 * from the clientId. `data-fallback` is present while initials are shown.
 */
export const Avatar = forwardRef<HTMLSpanElement, AvatarProps>(function Avatar(
  { name, clientId, src, size = 32, decorative = false, className, style, ...rest },
  ref,
) {
  const url = safeAvatarUrl(src);
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
