import type { Route } from '../router.js';
import { appRoutes } from './apps.js';
import { avatarRoutes } from './avatars.js';
import { batchPresenceRoutes } from './batch-presence.js';
import { batchPublishRoutes } from './batch-publish.js';
import { channelRoutes } from './channel.js';
import { chatMessageRoutes } from './chat-messages.js';
import { chatReactionRoutes } from './chat-reactions.js';
import { chatRoutes } from './chat.js';
import { keyRoutes } from './keys.js';
import { messageRoutes } from './messages.js';
import { presenceHistoryRoutes } from './presence-history.js';
import { presenceRoutes } from './presence.js';
import { timeRoutes } from './time.js';

/**
 * Every REST route, in match order. To add a resource: create `routes/<resource>.ts` exporting a
 * `Route[]`, and add it here.
 */
export const ROUTES: readonly Route[] = [
  ...timeRoutes,
  ...avatarRoutes,
  ...keyRoutes,
  ...chatRoutes,
  ...chatMessageRoutes,
  ...chatReactionRoutes,
  ...appRoutes,
  ...batchPresenceRoutes,
  ...batchPublishRoutes,
  ...presenceRoutes,
  ...presenceHistoryRoutes,
  ...messageRoutes,
  ...channelRoutes,
];
