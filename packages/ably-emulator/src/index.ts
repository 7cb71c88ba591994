/**
 * `@presencekit/ably-emulator`: a local Ably-compatible realtime + REST server on loopback that the
 * real, unmodified `ably` and `@ably/chat` SDKs connect to. See ARCHITECTURE.md for the layers.
 */
export {
  startEmulator,
  Emulator,
  type EmulatorClientOptions,
  type ChannelSnapshot,
  type MemberSnapshot,
  type CreatedApp,
} from './emulator.js';
export {
  DEFAULT_KEY,
  EmulatorOptionsError,
  type EmulatorOptions,
  type SimulatedRoom,
} from './options.js';
export { AblyError } from './protocol/errors.js';
export type { AppSpec, KeySpec, PresenceFixture } from './state/apps.js';
export type { AppDescription, NamespaceSpec } from './state/app.js';
export type { OccupancyMetrics } from './state/channel.js';
export type { TokenDetails, TokenParams } from './auth/tokens.js';
export type { HistoryQuery, HistoryPage } from './state/history.js';
export type { VisitorData } from './simulate/visitors.js';
