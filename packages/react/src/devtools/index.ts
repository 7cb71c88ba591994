// The `@presencekit/react/devtools` entry: `<PresenceKitDevtools>` in development, nothing in
// production (the panel and everything only it uses are then dropped by the app's bundler).
import type { ReactNode } from 'react';

import { DevtoolsPanel, type PresenceKitDevtoolsProps } from './DevtoolsPanel';

export type { PresenceKitDevtoolsProps };

/**
 * A panel that shows what PresenceKit's hooks hold, for development: every room with its status,
 * its error (code and how-to-fix sentence), occupancy, members, your own presence, the latest
 * presence events, and how many renders each hook committed; "Resync" fetches a room's data again
 * as after a reconnect. A toggle button opens it; Escape closes it.
 *
 * It renders nothing in production builds (`process.env.NODE_ENV === 'production'`), where the
 * app's bundler drops it entirely, so it can stay in the tree. It only reads: mounting it does
 * not re-render the hooks it observes, and it uses the SDK's public API, so it works against
 * Ably as well as the emulator.
 *
 * @example
 * ```tsx
 * import { PresenceKitDevtools } from '@presencekit/react/devtools';
 *
 * <ChatClientProvider client={chatClient}>
 *   <App />
 *   <PresenceKitDevtools />
 * </ChatClientProvider>
 * ```
 */
export const PresenceKitDevtools: (props: PresenceKitDevtoolsProps) => ReactNode =
  process.env.NODE_ENV !== 'production' ? DevtoolsPanel : () => null;
