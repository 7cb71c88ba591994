import type { ChatClient } from '@ably/chat';
import type * as Ably from 'ably';

import { listenerCount } from '@presencekit/test-utils';

/**
 * What a client holds on to: channels, listeners on every SDK emitter we can reach, and chat
 * rooms. Reads SDK internals on purpose — the point is to prove that unmounting leaves nothing
 * behind, which the public API cannot show.
 */
export interface Footprint {
  /** Channels the realtime client knows (`channels.all`). */
  channels: number;
  /** Of those, attached or attaching. */
  attachedChannels: number;
  /** Listeners on channels: state, messages, presence state and presence events. */
  channelListeners: number;
  /** Listeners on the connection's state emitter. */
  connectionListeners: number;
  /** Rooms the chat client holds (not released). */
  chatRooms: number;
}

export function footprint(realtime: Ably.Realtime, chat: ChatClient): Footprint {
  const channels = Object.values(
    (realtime.channels as unknown as { all: Record<string, Ably.RealtimeChannel> }).all,
  );
  let channelListeners = 0;
  for (const ch of channels) {
    const c = ch as unknown as {
      subscriptions: unknown;
      presence: { subscriptions: unknown };
    };
    channelListeners +=
      listenerCount(ch) +
      listenerCount(c.subscriptions) +
      listenerCount(ch.presence) +
      listenerCount(c.presence.subscriptions);
  }
  return {
    channels: channels.length,
    attachedChannels: channels.filter((c) => c.state === 'attached' || c.state === 'attaching')
      .length,
    channelListeners,
    connectionListeners: listenerCount(realtime.connection),
    chatRooms: (chat.rooms as unknown as { _rooms: Map<string, unknown> })._rooms.size,
  };
}
