// `@presencekit/react/server`: helpers for server code (Server Components, route handlers, any
// Node or edge server) on the `ably` REST client. No React and no 'use client' in this entry.
export { getOccupancy } from './getOccupancy';
export { getRoomsOccupancy, type RoomsOccupancy } from './getRoomsOccupancy';
export { getPresenceMembers, type GetPresenceMembersOptions } from './getPresenceMembers';
export {
  getRoomsPresence,
  type GetRoomsPresenceOptions,
  type RoomPresence,
} from './getRoomsPresence';
export { createTokenHandler, type TokenHandlerOptions } from './createTokenHandler';
export { readClientId, type ReadClientIdOptions } from './readClientId';
export { VISITOR_COOKIE, type CookieSource } from './visitor-id';
export { ablyEndpointOptions, type AblyEndpointOptions } from './ablyEndpointOptions';
export {
  PresenceKitError,
  isPresenceKitError,
  type PresenceKitErrorCode,
  type PresenceKitErrorOptions,
} from '../core/errors';
export type { OccupancyData, PresenceMember } from '../core/types';
export type { ServerSchemaOptions } from './check-members';
export type {
  InvalidDataMode,
  InvalidPresenceData,
  StandardSchemaV1,
} from '../core/standard-schema';
