import type * as Ably from 'ably';
import { describe, expect, test, vi } from 'vitest';
import { emulator, FORMATS, realtime } from './helpers.js';
import { RawClient } from './raw-client.js';

describe.each(FORMATS)('presence over $name', ({ name: format, useBinaryProtocol }) => {
  test('a LEAVE carries its own extras, and the last data only when it brings neither (RTP8e)', async () => {
    const e = await emulator();
    const watcher = await realtime(e, { useBinaryProtocol });
    const leaves: Ably.PresenceMessage[] = [];
    await watcher.channels.get('leaving').presence.subscribe('leave', (m) => leaves.push(m));

    // ably-js cannot send extras with a leave: a raw client does.
    const raw = await RawClient.connect(e, { format });
    raw.send({ action: 10, channel: 'leaving' });
    await raw.next((m) => m.action === 11);
    const entered = { data: 'entered with', extras: { headers: { role: 'guest' } } };
    raw.send({
      action: 14,
      channel: 'leaving',
      msgSerial: 0,
      presence: [
        { action: 2, clientId: 'own-extras', ...entered },
        { action: 2, clientId: 'bare', ...entered },
      ],
    });
    await raw.next((m) => m.action === 1 && m.msgSerial === 0);
    raw.send({
      action: 14,
      channel: 'leaving',
      msgSerial: 1,
      presence: [
        { action: 3, clientId: 'own-extras', extras: { headers: { reason: 'bye' } } },
        { action: 3, clientId: 'bare' },
      ],
    });

    await vi.waitFor(() => expect(leaves).toHaveLength(2));
    const byClient = Object.fromEntries(leaves.map((m) => [m.clientId, m]));
    expect(byClient['own-extras']!.extras).toEqual({ headers: { reason: 'bye' } });
    expect(byClient['own-extras']!.data).toBeUndefined();
    expect(byClient['bare']!.data).toBe('entered with');
  });
});
