import { ChatClient } from '@ably/chat';
import * as Ably from 'ably';
import { expect, test, vi } from 'vitest';

import { onCleanup } from '../harness/cleanup';
import { closeRealtime } from '@presencekit/test-utils';
import { EmulatorProcess } from '../harness/emulator-process';
import { FaultProxy } from '../harness/fault-proxy';

/**
 * Regression found by a `pnpm soak` chaos run (`server has ghosts`): frames the emulator wrote to
 * a socket just before it noticed the socket was dead were lost, yet the resumed ATTACH was
 * answered RESUMED. When the lost frame was the echo of the client's own LEAVE, ably-js kept the
 * member in its own-members map (RTP17b: only the echo removes it) and re-entered it at the next
 * non-resumed attach (RTP17i): the member the app had left came back for good.
 */

const GRACE = 300;

test('a leave whose echo is lost in flight does not come back as a ghost after a later outage', async () => {
  const proc = await EmulatorProcess.start({ leaveGraceMs: GRACE });
  onCleanup(() => proc.stop());
  const proxy = await FaultProxy.start(proc.address.host, proc.address.port);
  onCleanup(() => proxy.close());
  const client = new Ably.Realtime({
    ...proc.clientOptions(),
    port: proxy.port,
    clientId: 'leaver',
    logLevel: 0,
    disconnectedRetryTimeout: 100,
  });
  onCleanup(() => closeRealtime(client));
  const room = await new ChatClient(client).rooms.get('lost');
  await room.attach();
  await room.presence.enter({ here: true });
  const members = async () => (await proc.channel('lost::$chat')).members.map((m) => m.clientId);
  await vi.waitFor(async () => expect(await members()).toEqual(['leaver']));

  proxy.stall(); // the LEAVE reaches the server; its echo and ACK are lost
  const leaving = room.presence.leave();
  await vi.waitFor(async () => expect(await members()).toEqual([]));
  proxy.cut(); // the client resumes: the echo must come after the resumed ATTACHED
  await leaving;
  // The client's own view loses the member too (it did not, while the echo was missing).
  await vi.waitFor(async () => expect(await room.channel.presence.get()).toEqual([]));

  proxy.outage(GRACE * 4); // later: longer than the grace, so the next attach is not resumed
  await vi.waitFor(() => expect(client.connection.state).not.toBe('connected'));
  await vi.waitFor(() => expect(client.connection.state).toBe('connected'), { timeout: 10_000 });
  await vi.waitFor(() => expect(room.channel.state).toBe('attached'));
  await client.connection.ping();
  expect(await members()).toEqual([]);
});
