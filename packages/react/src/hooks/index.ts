// The `@presencekit/react/hooks` entry: providers and hooks only, no components (the small entry).
export { ChatClientProvider, type ChatClientProviderProps } from '../providers/ChatClientProvider';
export { ChatRoomProvider, type ChatRoomProviderProps } from '../providers/ChatRoomProvider';
export { useOccupancy, type UseOccupancyOptions, type UseOccupancyResult } from './useOccupancy';
export {
  usePresenceMembers,
  type UsePresenceMembersOptions,
  type UsePresenceMembersResult,
} from './usePresenceMembers';
export {
  useSuspenseOccupancy,
  type UseSuspenseOccupancyOptions,
  type UseSuspenseOccupancyResult,
} from './useSuspenseOccupancy';
export {
  useSuspensePresenceMembers,
  type UseSuspensePresenceMembersOptions,
  type UseSuspensePresenceMembersResult,
} from './useSuspensePresenceMembers';
export { usePresenceMemberIds, type UsePresenceMemberIdsResult } from './usePresenceMemberIds';
export { usePresenceMember, type UsePresenceMemberResult } from './usePresenceMember';
export {
  usePresenceHistory,
  type UsePresenceHistoryOptions,
  type UsePresenceHistoryResult,
} from './usePresenceHistory';
export { usePresence, type UsePresenceOptions, type UsePresenceResult } from './usePresence';
export {
  useRoomsOccupancy,
  type UseRoomsOccupancyOptions,
  type UseRoomsOccupancyResult,
} from './useRoomsOccupancy';
export { shallow } from '../core/shallow';
export {
  PresenceKitError,
  isPresenceKitError,
  type PresenceKitErrorCode,
  type PresenceKitErrorOptions,
} from '../core/errors';
export type {
  HookState,
  HookStatus,
  OccupancyData,
  PresenceAction,
  PresenceEntry,
  PresenceGroupBy,
  PresenceListOptions,
  PresenceHistoryEvent,
  PresenceMember,
  PresencePerson,
  RoomOccupancyEntry,
} from '../core/types';
