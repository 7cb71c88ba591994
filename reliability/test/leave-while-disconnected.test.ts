import { ChatClient } from '@ably/chat';
import * as Ably from 'ably';
import { expect, test, vi } from 'vitest';

import { onCleanup } from '../harness/cleanup';
import { closeRealtime } from '@presencekit/test-utils';
import { EmulatorProcess } from '../harness/emulator-process';
import { FaultProxy } from '../harness/fault-proxy';

/**
 * Regression for the chaos ghost of seeds 2288992306, 174632030 and 31196363: a member leaves
 * while its connection is down, then the connection resumes. ably-js 2.28 moves the queued LEAVE
 * to the channel (RTL3d) and sends it on the re-ATTACHED, but on the same ATTACHED it re-enters
 * every member still in its own-members map (RTP17i), and the LEAVE's echo has not arrived yet.
 * The server gets LEAVE (msgSerial n) then an ENTER carrying the member's old id (RTP17g,
 * msgSerial < n). By the spec's ordering of one connection's presence messages (RTP2b2) that
 * ENTER is older than the LEAVE, so it must not bring the member back.
 */

const GRACE = 2_000;

test('a leave() made while disconnected stays left after the connection resumes', async () => {
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
  const room = await new ChatClient(client).rooms.get('away');
  await room.attach();
  await room.presence.enter({ here: true });
  const members = async () => (await proc.channel('away::$chat')).members.map((m) => m.clientId);
  await vi.waitFor(async () => expect(await members()).toEqual(['leaver']));
  const connectionId = client.connection.id;

  // The network goes for a moment, shorter than the leave grace: the connection will resume.
  proxy.outage(400);
  await vi.waitFor(() => expect(client.connection.state).toBe('disconnected'));
  expect(room.channel.state).toBe('attached');
  const leaving = room.presence.leave();

  await vi.waitFor(() => expect(client.connection.state).toBe('connected'), { timeout: 10_000 });
  expect(client.connection.id).toBe(connectionId); // resumed, not a new connection
  await leaving;
  await vi.waitFor(() => expect(room.channel.state).toBe('attached'));
  // The re-entry is sent before the LEAVE's ACK arrives, so a ping round trip after it is past
  // everything the client sent on the ATTACHED.
  await client.connection.ping();
  expect(await members()).toEqual([]);
  expect(await room.channel.presence.get()).toEqual([]);
});
