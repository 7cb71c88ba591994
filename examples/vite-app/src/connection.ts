import { ChatClient } from '@ably/chat';
import * as Ably from 'ably';

import type { DemoConfig } from './rooms';

/**
 * This tab's id, kept for the tab's lifetime (sessionStorage), so a reload stays the same visitor
 * and another tab is another one. The token endpoint turns it into the client id's suffix.
 */
function tabId(): string {
  const stored = sessionStorage.getItem('presencekit-demo-tab');
  if (stored && /^[a-z0-9]{1,12}$/.test(stored)) return stored;
  const id = Math.random().toString(36).slice(2, 10);
  sessionStorage.setItem('presencekit-demo-tab', id);
  return id;
}

/**
 * Asks the demo server where Ably is, then connects with token auth: the browser only ever holds
 * short-lived tokens from `/api/ably-token`, never the API key.
 */
export async function connect(): Promise<{ chat: ChatClient; config: DemoConfig }> {
  const response = await fetch('/api/config');
  if (!response.ok) throw new Error(`GET /api/config answered ${response.status}`);
  const config = (await response.json()) as DemoConfig;
  const realtime = new Ably.Realtime({
    ...config.endpoint,
    authUrl: config.authUrl,
    authParams: { tab: tabId() },
  });
  return { chat: new ChatClient(realtime), config };
}
