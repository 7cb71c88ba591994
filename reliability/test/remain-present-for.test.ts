import { expect, test, vi } from 'vitest';
import WebSocket from 'ws';

import { onCleanup } from '../harness/cleanup';
import { emulator } from '../harness/in-process-emulator';

/**
 * Regression found by the frame fuzzer: a client's `remainPresentFor` above 2^31 - 1 ms overflowed
 * setTimeout, which then fired after 1 ms — members of a dropped connection left at once instead
 * of staying. Compared against a connection asking for 100 ms, dropped at the same moment.
 */

test('a huge remainPresentFor keeps members present after a drop instead of removing them at once', async () => {
  const e = await emulator({ leaveGraceMs: 60_000 });
  const enter = async (clientId: string, remainPresentFor: string) => {
    const query = new URLSearchParams({ key: e.key, clientId, format: 'json', remainPresentFor });
    const ws = new WebSocket(`ws://${e.host}:${e.port}/?${query.toString()}`);
    onCleanup(() => ws.terminate());
    const frames: { action: number }[] = [];
    ws.on('message', (d: Buffer) => frames.push(JSON.parse(d.toString()) as { action: number }));
    const seen = (action: number) =>
      vi.waitFor(() => expect(frames.map((f) => f.action)).toContain(action));
    await seen(4);
    ws.send(JSON.stringify({ action: 10, channel: 'stay' }));
    await seen(11);
    ws.send(
      JSON.stringify({ action: 14, channel: 'stay', msgSerial: 0, presence: [{ action: 2 }] }),
    );
    await seen(1);
    return ws;
  };
  const huge = await enter('huge', String(10 ** 12));
  const short = await enter('short', '100');
  huge.terminate();
  short.terminate();
  await vi.waitFor(
    () => expect(e.channel('stay').members.map((m) => m.clientId)).toEqual(['huge']),
    {
      timeout: 5_000,
    },
  );
});
