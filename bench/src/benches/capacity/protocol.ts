/**
 * What the capacity benchmark's processes agree on. The crowd speaks the Ably realtime protocol
 * (v6, JSON) to the emulator, and a minimal made-up protocol to the floor server.
 */

/** `@ably/chat`'s room channel modes: PUBLISH|SUBSCRIBE|PRESENCE|PRESENCE_SUBSCRIBE|ANNOTATION_PUBLISH. */
export const CHAT_ATTACH_FLAGS = 3080192;

export const ACTION = { CONNECTED: 4, ERROR: 9, ATTACH: 10, ATTACHED: 11, PRESENCE: 14 } as const;

/** The room every client joins; the chat channel behind it. */
export const ROOM = 'capacity';
export const CHANNEL = `${ROOM}::$chat`;

/**
 * Milliseconds on the system-wide monotonic clock (`CLOCK_MONOTONIC` on Linux), so a time taken
 * in one process can be subtracted from one taken in another. `performance.timeOrigin` is not
 * good enough: each process derives it from the wall clock at its own start.
 */
export function now(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

/** Presence data of an enter: when it was sent, so the observer can compute the latency. */
export interface EnterData {
  t: number;
  i: number;
}

/** Which side a run measures. */
export type Side = 'emulator' | 'floor';
