// Providers and hooks only: the small entry (`@presencekit/react/hooks`), no components.
export { ChatClientProvider, type ChatClientProviderProps } from './providers/ChatClientProvider';
export { ChatRoomProvider, type ChatRoomProviderProps } from './providers/ChatRoomProvider';
export {
  useOccupancy,
  type UseOccupancyOptions,
  type UseOccupancyResult,
} from './hooks/useOccupancy';
export {
  usePresenceMembers,
  type PresenceEntry,
  type PresenceListOptions,
  type UsePresenceMembersOptions,
  type UsePresenceMembersResult,
} from './hooks/usePresenceMembers';
export {
  usePresenceMemberIds,
  type UsePresenceMemberIdsResult,
} from './hooks/usePresenceMemberIds';
export { usePresenceMember, type UsePresenceMemberResult } from './hooks/usePresenceMember';
export {
  usePresenceHistory,
  type UsePresenceHistoryOptions,
  type UsePresenceHistoryResult,
} from './hooks/usePresenceHistory';
export { usePresence, type UsePresenceOptions, type UsePresenceResult } from './hooks/usePresence';
export {
  useRoomsOccupancy,
  type UseRoomsOccupancyOptions,
  type UseRoomsOccupancyResult,
} from './hooks/useRoomsOccupancy';
export { shallow } from './core/shallow';
export {
  PresenceKitError,
  isPresenceKitError,
  type PresenceKitErrorCode,
  type PresenceKitErrorOptions,
} from './core/errors';
export type {
  HookState,
  HookStatus,
  OccupancyData,
  PresenceAction,
  PresenceGroupBy,
  PresenceHistoryEvent,
  PresenceMember,
  PresencePerson,
  RoomOccupancyEntry,
} from './core/types';
