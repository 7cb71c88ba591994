import type { ChannelSummary } from '../wire.js';

/** A time of day, to the second, in the reader's locale (24-hour clock). */
export function clock(ms: number): string {
  return new Date(ms).toLocaleTimeString(undefined, { hour12: false });
}

/** How a channel is named on the page: chat rooms by their room name. */
export function channelLabel(channel: Pick<ChannelSummary, 'name' | 'room'>): string {
  return channel.room ?? channel.name;
}
