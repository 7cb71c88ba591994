import type * as Ably from 'ably';
import { inject } from 'vitest';

/**
 * Client options a browser app would use against the test emulator: JSON over WebSocket only (no
 * comet fallback), the emulator's key, logs off.
 */
export function browserOptions(clientId: string): Ably.ClientOptions {
  const ctx = inject('ablyEmulator');
  return {
    endpoint: ctx.endpoint,
    port: ctx.port,
    tls: false,
    key: ctx.key,
    clientId,
    transports: ['web_socket'],
    logLevel: 0,
  };
}
