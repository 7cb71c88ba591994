import { ChatClient, LogLevel } from '@ably/chat';
import {
  ChatClientProvider,
  ChatRoomProvider,
  PresenceHistory,
  PresenceList,
  ViewerCount,
} from '@presencekit/react';
import { cleanup, render } from '@testing-library/react';
import * as Ably from 'ably';
import { StrictMode } from 'react';
import { afterEach, expect, test, vi } from 'vitest';

import { closeRealtime } from '@presencekit/test-utils';
import { onCleanup } from '../harness/cleanup';
import { EmulatorProcess } from '../harness/emulator-process';

/**
 * Presence data comes from other clients: whatever they enter with, the components must render
 * it as text, load no script, follow no `javascript:` or SVG URL, keep a megabyte-long name from
 * becoming a megabyte of DOM, and keep a bidi override from flipping the rest of the row. Here a
 * plain SDK client enters hostile members in a room; the real components render them.
 */

const ROOM = 'hostile';
const PWNED = '__presencekitPwned';

const HOSTILE: [clientId: string, data: Record<string, unknown>][] = [
  [
    '<b>bold</b>',
    { name: `<img src=x onerror="window.${PWNED}=1">`, avatar: `javascript:window.${PWNED}=1` },
  ],
  [
    'svg',
    {
      name: `<script>window.${PWNED}=1</script>`,
      avatarUrl: `data:image/svg+xml,<svg onload="window.${PWNED}=1"/>`,
    },
  ],
  ['long', { name: 'L'.repeat(50_000) }],
  ['bidi', { name: '\u202eevil\u202c ok' }],
  ['not-a-string', { name: { toString: 'x' }, status: { $gt: '' } }],
  ['creds', { name: 'Creds', image: 'https://user:secret@evil.example/a.png' }],
  ['newline-url', { name: 'Tab', avatar: 'java\nscript:alert(1)' }],
];

afterEach(() => cleanup());

test('hostile presence data renders as inert text in ViewerCount, PresenceList and PresenceHistory', async () => {
  const proc = await EmulatorProcess.start({ leaveGraceMs: 0, occupancyDebounceMs: 20 });
  onCleanup(() => proc.stop());
  // A server-side client with a key may enter anyone (enterClient).
  const attacker = new Ably.Realtime({ ...proc.clientOptions(), logLevel: 0 });
  onCleanup(() => closeRealtime(attacker));
  const channel = attacker.channels.get(`${ROOM}::$chat`);
  for (const [clientId, data] of HOSTILE) await channel.presence.enterClient(clientId, data);

  const viewer = new Ably.Realtime({ ...proc.clientOptions(), clientId: 'viewer', logLevel: 0 });
  onCleanup(() => closeRealtime(viewer));
  const chat = new ChatClient(viewer, { logLevel: LogLevel.Silent });
  const { container } = render(
    <StrictMode>
      <ChatClientProvider client={chat}>
        <ChatRoomProvider name={ROOM} options={{ occupancy: { enableEvents: true } }}>
          <ViewerCount />
          <PresenceList variant="list" />
          <PresenceList max={3} />
          <PresenceHistory />
        </ChatRoomProvider>
      </ChatClientProvider>
    </StrictMode>,
  );

  // Everyone is listed (by name, or by clientId when the name is unusable).
  await vi.waitFor(
    () => {
      const text = container.textContent ?? '';
      for (const label of ['<img src=x onerror', '<script>', 'LLL', 'Creds', 'not-a-string', 'Tab'])
        expect(text).toContain(label);
    },
    { timeout: 20_000, interval: 50 },
  );

  expect((window as unknown as Record<string, unknown>)[PWNED]).toBeUndefined();
  expect(container.querySelectorAll('script, iframe, object, embed')).toHaveLength(0);
  const elements = Array.from(container.querySelectorAll('*'));
  // No event-handler attribute came from data, and no link or image points anywhere unsafe.
  const handlers = elements.flatMap((el) =>
    Array.from(el.attributes)
      .filter((a) => /^on/i.test(a.name))
      .map((a) => `${el.tagName} ${a.name}`),
  );
  expect(handlers).toEqual([]);
  const urls = elements.flatMap((el) =>
    ['src', 'href', 'srcset', 'xlink:href']
      .map((name) => el.getAttribute(name))
      .filter((v): v is string => v !== null),
  );
  for (const url of urls) {
    expect(url).not.toMatch(/^\s*(javascript|vbscript|data:image\/svg|file):/i);
    expect(url).not.toMatch(/\/\/[^/]*@/);
  }
  // A 50,000-character name is cut, not rendered whole (in rows, labels or titles).
  const longest = Math.max(
    ...elements.map((el) => el.textContent?.length ?? 0).filter((n) => n < 20_000),
    ...elements.flatMap((el) => Array.from(el.attributes).map((a) => a.value.length)),
  );
  expect(longest).toBeLessThan(2_000);
  expect((container.textContent ?? '').length).toBeLessThan(20_000);
  // The right-to-left override is isolated in <bdi> wherever the name appears.
  const withOverride = elements.filter(
    (el) => el.children.length === 0 && el.textContent?.includes('\u202e'),
  );
  expect(withOverride.length).toBeGreaterThan(0);
  for (const el of withOverride) expect(el.closest('bdi'), el.outerHTML).not.toBeNull();
});
