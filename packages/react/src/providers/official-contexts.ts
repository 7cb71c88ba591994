import type { ChatClient } from '@ably/chat';
import { ChatRoomContext, type ChatRoomContextType } from '@ably/chat/react';
import { type Context, createContext } from 'react';

/**
 * The contexts of the official `@ably/chat/react` providers, so every PresenceKit hook also works
 * under `<ChatClientProvider>` / `<ChatRoomProvider>` from `@ably/chat/react`.
 *
 * The room context is exported by `@ably/chat/react`. The client context is not, but that package
 * keeps it on `globalThis` under a registered symbol (so duplicated copies share it); the import
 * above has created it by the time this module runs. If a future version stops doing so, we read
 * a context nobody provides, and the hooks say which provider is missing.
 */
type OfficialClientContextValue = Record<string, { client?: ChatClient } | undefined>;

const officialClientKey = Symbol.for('__ABLY_CHAT_CLIENT_CONTEXT__');

export const OfficialClientContext: Context<OfficialClientContextValue> =
  ((globalThis as Record<symbol, unknown>)[officialClientKey] as
    Context<OfficialClientContextValue> | undefined) ??
  createContext<OfficialClientContextValue>({});

/** The official room context: `{ room: Promise<Room>, roomName, options, client }` or `undefined`. */
export const OfficialRoomContext: Context<ChatRoomContextType | undefined> = ChatRoomContext;

/** The key under which the official `<ChatClientProvider>` stores its client. */
export const OFFICIAL_DEFAULT_CLIENT = 'default';
