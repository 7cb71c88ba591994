import { startEmulator } from '@presencekit/ably-emulator';
import type { TestProject } from 'vitest/node';

/** What the integration tests need to reach the emulator this project started. */
export interface EmulatorInfo {
  host: string;
  port: number;
  key: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    emulator: EmulatorInfo;
  }
}

/**
 * One emulator per Vitest project on a free port, stopped when the run ends. Tests use unique
 * room names, so files running in parallel do not see each other.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const emulator = await startEmulator({
    port: 0,
    leaveGraceMs: 1000,
    occupancyDebounceMs: 20,
    // Some tests fill a room far past Ably's 200 members per channel (bursts of 500 enters);
    // those that test the limit itself start their own emulator with a low one.
    maxPresenceMembers: 1_000,
  });
  project.provide('emulator', { host: emulator.host, port: emulator.port, key: emulator.key });
  return () => emulator.stop();
}
