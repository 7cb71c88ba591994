/** The demo's rooms. The emulator keeps simulated visitors in the first two; backstage starts empty. */
export const ROOMS = ['lobby', 'stage', 'backstage'] as const;

/** A room of the demo. */
export type RoomName = (typeof ROOMS)[number];

/** Visitors the emulator keeps present per room when the demo starts its own emulator. */
export const SIMULATED_VISITORS: Readonly<Partial<Record<RoomName, number>>> = {
  lobby: 12,
  stage: 40,
};

/** What this app enters presence with; the simulated visitors use the same shape. */
export interface VisitorProfile {
  name: string;
  status: 'online' | 'away' | 'busy';
  avatar?: string;
}

/**
 * What the browser learns from `GET /api/config` before it connects: where Ably is and where to
 * get tokens. No secret in here, ever.
 */
export interface DemoConfig {
  /** Token endpoint for ably's `authUrl`. */
  authUrl: string;
  /** `endpoint`/`port`/`tls` client options; empty for Ably itself. */
  endpoint: Record<string, string | number | boolean>;
  /** `'emulator'` or `'ably'`, shown in the footer. */
  backend: 'emulator' | 'ably';
}
