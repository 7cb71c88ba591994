import { describe, expect, test } from 'vitest';
import { OutboundFrame } from '../src/protocol/codec.js';
import type { Attachment } from '../src/state/channel.js';
import { ChannelLog, MAX_LOGGED_BYTES, MAX_LOGGED_FRAMES } from '../src/state/channel-log.js';

// Pure bookkeeping: a stand-in attachment is enough (the log only hands it to `include`).
const att = {} as Attachment;
const everyone = (): boolean => true;
const frame = (size = 10): OutboundFrame => new OutboundFrame(() => Buffer.alloc(size));

describe('ChannelLog', () => {
  test('returns the frames after a position, split into presence and messages, in order', () => {
    const log = new ChannelLog(0);
    const frames = [frame(), frame(), frame(), frame()];
    frames.forEach((f, i) => log.append(i + 1, f, i % 2 === 0, everyone));
    expect(log.framesAfter(1, att, 4)).toEqual({
      presence: [frames[2]],
      messages: [frames[1], frames[3]],
    });
    // Only the frames that were for the attachment.
    const other = {} as Attachment;
    log.append(5, frame(), false, (a) => a === other);
    expect(log.framesAfter(4, att, 4)).toEqual({ presence: [], messages: [] });
    expect(log.framesAfter(4, other, 5)!.messages).toHaveLength(1);
  });

  test('once frames after a position were evicted, that position is no longer covered', () => {
    const log = new ChannelLog(0);
    for (let i = 1; i <= MAX_LOGGED_FRAMES + 2; i++) log.append(i, frame(), false, everyone);
    // Positions 1 and 2 were evicted: a client at 0 or 1 missed one of them.
    expect(log.framesAfter(0, att, MAX_LOGGED_FRAMES + 2)).toBeUndefined();
    expect(log.framesAfter(1, att, MAX_LOGGED_FRAMES + 2)).toBeUndefined();
    expect(log.framesAfter(2, att, MAX_LOGGED_FRAMES + 2)!.messages).toHaveLength(
      MAX_LOGGED_FRAMES,
    );
    // ...unless nothing after it was for that attachment.
    expect(log.framesAfter(0, att, 0)).toEqual({ presence: [], messages: [] });
  });

  test('keeps at most MAX_LOGGED_BYTES, and always the latest frame', () => {
    const log = new ChannelLog(0);
    const big = Math.floor(MAX_LOGGED_BYTES / 3) + 1;
    for (let i = 1; i <= 4; i++) log.append(i, frame(big), false, everyone);
    expect(log.framesAfter(1, att, 4)).toBeUndefined();
    expect(log.framesAfter(2, att, 4)!.messages).toHaveLength(2);
    const huge = new ChannelLog(0);
    huge.append(1, frame(MAX_LOGGED_BYTES + 1), true, everyone);
    expect(huge.framesAfter(0, att, 1)!.presence).toHaveLength(1);
  });

  test('clear forgets everything before the given position', () => {
    const log = new ChannelLog(0);
    log.append(1, frame(), false, everyone);
    log.clear(1);
    expect(log.framesAfter(0, att, 1)).toBeUndefined();
    expect(log.framesAfter(1, att, 1)).toEqual({ presence: [], messages: [] });
  });
});
