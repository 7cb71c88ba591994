import type { Message, MessageReactionSummaryEvent } from '@ably/chat';

/** Most messages the panel keeps; older ones drop off the top. */
export const MAX_MESSAGES = 100;

/**
 * The room's messages, oldest first, each in its newest version. Pure transitions, so the order
 * is the server's: history (older than every live event: `historyBeforeSubscribe`) goes in front,
 * live messages at the end, and an update, delete or reaction summary replaces its message in
 * place. No sorting by serial strings.
 */
export type ChatLog = readonly Message[];

/** A live message event: a new message at the end, or a newer version of one the log has. */
export function withMessage(log: ChatLog, message: Message): ChatLog {
  const i = log.findIndex((m) => m.serial === message.serial);
  if (i === -1) return [...log, message].slice(-MAX_MESSAGES);
  // `with` keeps the newest version whatever order the events come in, and the reactions.
  const next = log[i]!.with(message);
  return next === log[i] ? log : log.map((m, j) => (j === i ? next : m));
}

/** A page of history (newest first), in front of what the log has; messages it has win. */
export function withHistory(log: ChatLog, newestFirst: readonly Message[]): ChatLog {
  const known = new Set(log.map((m) => m.serial));
  const older = newestFirst.filter((m) => !known.has(m.serial)).reverse();
  return older.length === 0 ? log : [...older, ...log].slice(-MAX_MESSAGES);
}

/** A reaction summary: the message's reactions replaced by the new summary. */
export function withSummary(log: ChatLog, event: MessageReactionSummaryEvent): ChatLog {
  const i = log.findIndex((m) => m.serial === event.messageSerial);
  if (i === -1) return log;
  return log.map((m, j) => (j === i ? m.with(event) : m));
}
