import { type Emulator, type EmulatorOptions, startEmulator } from '@presencekit/ably-emulator';

import { onCleanup } from './cleanup';

/**
 * An emulator in the test's own process (for tests that need its programmatic API: tokens, apps,
 * channel snapshots), on a free port, with test timings; stopped after the test.
 */
export async function emulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const e = await startEmulator({ leaveGraceMs: 0, occupancyDebounceMs: 10, ...options });
  onCleanup(() => e.stop());
  return e;
}
