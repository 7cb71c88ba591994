import { createContext, type ReactNode, useContext } from 'react';

import {
  type AvatarUrlMember,
  type AvatarUrlResolver,
  safeAvatarUrl,
} from './helpers/safe-avatar-url';

const AvatarUrlContext = createContext<AvatarUrlResolver>(safeAvatarUrl);

/** Props of {@link PresenceKitAvatarProvider}. */
export interface PresenceKitAvatarProviderProps {
  /**
   * Decides which image every avatar below loads, in place of the default rule
   * (`safeAvatarUrl`: public `http(s)` hosts and raster `data:image` URLs only). It receives each
   * avatar URL of an acceptable shape, private hosts included, and returns the URL to load or
   * `undefined` for initials. The default private-address rule is not applied to what it returns
   * (it is your code), but the result must still be `http(s)` or a raster `data:image` URL.
   * A component's own `avatarUrl` prop wins over it.
   *
   * @example
   * ```tsx
   * // Every avatar through your own image proxy, which fetches and checks it on the server:
   * (url) => (url.startsWith('data:') ? url : `https://app.example/avatar?u=${encodeURIComponent(url)}`)
   * // Only your own CDN:
   * (url) => (new URL(url).origin === 'https://cdn.app.example' ? url : undefined)
   * ```
   */
  avatarUrl: AvatarUrlResolver;
  children?: ReactNode;
}

/**
 * Sets how every PresenceKit avatar below it picks its image: one setting for the whole app,
 * for example to send avatars through your own image proxy or to allow only your CDN.
 *
 * @example
 * ```tsx
 * <PresenceKitAvatarProvider avatarUrl={(url) => `https://app.example/avatar?u=${encodeURIComponent(url)}`}>
 *   <App />
 * </PresenceKitAvatarProvider>
 * ```
 */
export function PresenceKitAvatarProvider({ avatarUrl, children }: PresenceKitAvatarProviderProps) {
  return <AvatarUrlContext.Provider value={avatarUrl}>{children}</AvatarUrlContext.Provider>;
}

/**
 * The avatar URL resolver in effect: `override` (a component's `avatarUrl` prop), else the
 * nearest {@link PresenceKitAvatarProvider}'s, else `safeAvatarUrl`.
 */
export function useAvatarUrlResolver<TMember extends AvatarUrlMember>(
  override?: AvatarUrlResolver<TMember>,
): AvatarUrlResolver<TMember> {
  const context = useContext(AvatarUrlContext);
  return override ?? context;
}
