import type { Operation } from '../auth/capability.js';
import { Action, Flag, MessageAction } from '../protocol/actions.js';
import { OutboundFrame } from '../protocol/codec.js';
import type { Attachment, Channel, OccupancyMetrics } from '../state/channel.js';
import { deliver } from './fanout.js';

/** The `[meta]occupancy` MESSAGE for a channel's current metrics. */
export function occupancyFrame(
  channel: Channel,
  metrics: OccupancyMetrics = channel.metrics(),
): OutboundFrame {
  const timestamp = channel.app.now();
  const id = `meta-${channel.serial}`;
  return new OutboundFrame({
    action: Action.MESSAGE,
    channel: channel.name,
    id,
    timestamp,
    messages: [
      {
        id: `${id}:0`,
        name: '[meta]occupancy',
        action: MessageAction.META,
        timestamp,
        // As captured from real Ably: JSON text with encoding "json".
        data: JSON.stringify({ metrics }),
        encoding: 'json',
      },
    ],
  });
}

/**
 * Whether an attachment is sent `[meta]occupancy` events: it asked for them (`occupancy` param
 * `metrics` or `metrics.<category>`), it may receive messages (SUBSCRIBE: the events are
 * messages, and ably-js says a channel without that mode gets none), and its capability has
 * `channel-metadata` on the channel (Ably: room occupancy needs `subscribe` and
 * `channel-metadata`). Worked out again whenever the attachment's modes or credentials change.
 */
export function receivesOccupancy(
  params: Readonly<Record<string, string>>,
  modes: number,
  ops: ReadonlySet<Operation>,
): boolean {
  return (
    params['occupancy']?.startsWith('metrics') === true &&
    (modes & Flag.SUBSCRIBE) !== 0 &&
    ops.has('channel-metadata')
  );
}

/** Sends the current metrics to one attachment (right after its ATTACHED). */
export function sendInitialOccupancy(att: Attachment): void {
  if (att.occupancy) deliver(att, occupancyFrame(att.channel));
}

function flipsZero(a: OccupancyMetrics, b: OccupancyMetrics): boolean {
  for (const k of Object.keys(a) as (keyof OccupancyMetrics)[]) {
    if ((a[k] === 0) !== (b[k] === 0)) return true;
  }
  return false;
}

/**
 * Notes that a channel's occupancy may have changed. Changes are coalesced: one event carries
 * the latest metrics after `debounceMs` (at once when a category flips between zero and non-zero,
 * as Ably does); an event equal to the previous one is not sent.
 */
export function occupancyChanged(channel: Channel, debounceMs: number): void {
  const state = channel.occupancyState;
  if (channel.occupancySubscribers === 0 || state.timer !== undefined) return;
  let delay = debounceMs;
  if (state.last !== undefined && delay > 0) {
    const previous = JSON.parse(state.last) as OccupancyMetrics;
    if (flipsZero(previous, channel.metrics())) delay = 0;
  }
  state.timer = setTimeout(() => {
    state.timer = undefined;
    flushOccupancy(channel);
  }, delay);
}

/** Sends the pending occupancy event now (if metrics changed since the last one). */
export function flushOccupancy(channel: Channel): void {
  const metrics = channel.metrics();
  const text = JSON.stringify(metrics);
  if (text === channel.occupancyState.last) return;
  channel.occupancyState.last = text;
  if (channel.occupancySubscribers === 0) return;
  const frame = occupancyFrame(channel, metrics);
  for (const att of channel.attachments.values()) if (att.occupancy) deliver(att, frame);
}

/** Cancels a pending occupancy event (emulator shutdown). */
export function cancelOccupancy(channel: Channel): void {
  if (channel.occupancyState.timer !== undefined) clearTimeout(channel.occupancyState.timer);
  channel.occupancyState.timer = undefined;
}
