import { ChatClient, type Room } from '@ably/chat';
import * as Ably from 'ably';
import { expect, vi } from 'vitest';

import { onCleanup } from './cleanup';
import { closeRealtime } from '@presencekit/test-utils';
import { EmulatorProcess } from './emulator-process';
import { FaultProxy } from './fault-proxy';

/** What {@link memberBehindProxy} sets up; everything is stopped after the test. */
export interface MemberBehindProxy {
  proc: EmulatorProcess;
  /** The member's network, to break. */
  proxy: FaultProxy;
  client: Ably.Realtime;
  room: Room;
  /** The clientIds the server has in the room's presence set. */
  members: () => Promise<string[]>;
}

/**
 * One SDK client present in a chat room, talking to an emulator (in a child process) through a
 * {@link FaultProxy}, and reconnecting quickly after a fault: the set-up of the lost-echo and
 * leave-while-disconnected regressions.
 */
export async function memberBehindProxy(options: {
  leaveGraceMs: number;
  clientId: string;
  room: string;
}): Promise<MemberBehindProxy> {
  const proc = await EmulatorProcess.start({ leaveGraceMs: options.leaveGraceMs });
  onCleanup(() => proc.stop());
  const proxy = await FaultProxy.start(proc.address.host, proc.address.port);
  onCleanup(() => proxy.close());
  const client = new Ably.Realtime({
    ...proc.clientOptions(),
    port: proxy.port,
    clientId: options.clientId,
    logLevel: 0,
    disconnectedRetryTimeout: 100,
  });
  onCleanup(() => closeRealtime(client));
  const room = await new ChatClient(client).rooms.get(options.room);
  await room.attach();
  await room.presence.enter({ here: true });
  const members = async () =>
    (await proc.channel(`${options.room}::$chat`)).members.map((m) => m.clientId);
  await vi.waitFor(async () => expect(await members()).toEqual([options.clientId]));
  return { proc, proxy, client, room, members };
}
