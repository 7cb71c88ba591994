// Test helpers for apps using PresenceKit (`@presencekit/react/testing`): drive real hooks and
// components without mocking the SDK.
export {
  createMemoryRoom,
  type MemoryConnectionState,
  type MemoryMemberInput,
  type MemoryRoom,
  type MemoryRoomOptions,
  type MemoryRoomStatus,
} from './memory-room';
export { TestRoomProvider, type TestRoomProviderProps } from './TestRoomProvider';
export {
  createTestChatClient,
  createTestRoom,
  TestPresenceProvider,
  type EmulatorEndpoint,
  type TestChatClientOptions,
  type TestPresenceProviderProps,
  type TestRoom,
  type TestRoomOptions,
} from './emulator';
