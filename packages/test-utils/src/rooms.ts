let counter = 0;

/**
 * A room name no other test uses, even across files running in parallel against one emulator:
 * the prefix says which test it belongs to in the emulator's logs.
 */
export function uniqueRoomName(prefix = 'room'): string {
  counter += 1;
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}-${counter}`;
}
