/**
 * What went wrong, as a stable string you can switch on.
 *
 * | Code | Meaning |
 * |---|---|
 * | `missing_client_provider` | A hook or provider needs a `ChatClient` and found none. |
 * | `missing_room_provider` | A room hook found no room: no provider above it and no `room` option. |
 * | `invalid_argument` | A hook, provider or helper was given a value it cannot use. |
 * | `room_options_conflict` | The same room name is used with different options at the same time. |
 * | `room_unavailable` | The room could not be created, or was released while in use. |
 * | `room_attach_failed` | Attaching the room failed. |
 * | `room_failed` | The room (its channel) went to the `failed` state. |
 * | `connection_failed` | The Ably connection failed, closed or was suspended. |
 * | `occupancy_events_disabled` | Live occupancy events were requested on a room that has them off. |
 * | `presence_events_disabled` | A presence list was requested on a room whose presence events are off. |
 * | `occupancy_fetch_failed` | Fetching occupancy over REST failed. |
 * | `presence_fetch_failed` | Fetching the presence set failed. |
 * | `presence_enter_failed` | Entering presence failed. |
 * | `presence_update_failed` | Updating presence data failed. |
 * | `presence_leave_failed` | Leaving presence failed. |
 * | `history_fetch_failed` | Fetching presence history failed. |
 * | `unknown` | Anything else; `cause` holds the original error. |
 */
export type PresenceKitErrorCode =
  | 'missing_client_provider'
  | 'missing_room_provider'
  | 'invalid_argument'
  | 'room_options_conflict'
  | 'room_unavailable'
  | 'room_attach_failed'
  | 'room_failed'
  | 'connection_failed'
  | 'occupancy_events_disabled'
  | 'presence_events_disabled'
  | 'occupancy_fetch_failed'
  | 'presence_fetch_failed'
  | 'presence_enter_failed'
  | 'presence_update_failed'
  | 'presence_leave_failed'
  | 'history_fetch_failed'
  | 'unknown';

/** Extra facts attached to a {@link PresenceKitError}. */
export interface PresenceKitErrorOptions {
  /** The error that caused this one (often an Ably `ErrorInfo`). */
  cause?: unknown;
  /** Ably's numeric error code (for example `40142`), when the cause came from Ably. */
  ablyCode?: number;
  /** The HTTP-style status code Ably gave (for example `401`), when known. */
  statusCode?: number;
}

/**
 * The one error type every PresenceKit hook, provider and helper reports. Its `message` says
 * what is wrong and how to fix it; `code` is stable for programmatic handling.
 *
 * @example
 * ```tsx
 * const { status, error } = useOccupancy();
 * if (status === 'error' && error?.code === 'occupancy_events_disabled') { ... }
 * ```
 */
export class PresenceKitError extends Error {
  /** What went wrong; see {@link PresenceKitErrorCode}. */
  readonly code: PresenceKitErrorCode;
  /** Ably's numeric error code, when the cause came from Ably. */
  readonly ablyCode: number | undefined;
  /** The HTTP-style status code from Ably, when known. */
  readonly statusCode: number | undefined;

  /**
   * @param code - What went wrong.
   * @param message - One sentence: what is wrong and how to fix it.
   * @param options - The cause, and Ably's codes (read from the cause when not given).
   */
  constructor(code: PresenceKitErrorCode, message: string, options: PresenceKitErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'PresenceKitError';
    this.code = code;
    const fromCause = ablyFacts(options.cause);
    this.ablyCode = options.ablyCode ?? fromCause.ablyCode;
    this.statusCode = options.statusCode ?? fromCause.statusCode;
  }
}

/**
 * `true` when `value` is a {@link PresenceKitError} (also across duplicated copies of the package,
 * which `instanceof` would miss).
 */
export function isPresenceKitError(value: unknown): value is PresenceKitError {
  return (
    value instanceof PresenceKitError ||
    (value instanceof Error &&
      value.name === 'PresenceKitError' &&
      typeof (value as { code?: unknown }).code === 'string')
  );
}

/** Ably error codes we translate to our own codes (from `@ably/chat`'s `ErrorCode`). */
const ABLY_ROOM_EXISTS_WITH_DIFFERENT_OPTIONS = 102107;
const ABLY_FEATURE_NOT_ENABLED = 102108;

function ablyFacts(cause: unknown): { ablyCode?: number; statusCode?: number } {
  if (typeof cause !== 'object' || cause === null) return {};
  const { code, statusCode } = cause as { code?: unknown; statusCode?: unknown };
  return {
    ablyCode: typeof code === 'number' ? code : undefined,
    statusCode: typeof statusCode === 'number' ? statusCode : undefined,
  };
}

function reasonOf(cause: unknown): string {
  if (cause instanceof Error || (typeof cause === 'object' && cause !== null)) {
    const message = (cause as { message?: unknown }).message;
    if (typeof message === 'string' && message) return message;
  }
  if (typeof cause === 'string' && cause) return cause;
  return 'no reason given';
}

/**
 * Wraps any thrown value into a {@link PresenceKitError}. `fix` is the sentence that tells the
 * developer what to do; the Ably reason is appended so nothing is lost. A value that already is a
 * `PresenceKitError` is returned unchanged.
 *
 * @internal
 */
export function toPresenceKitError(
  cause: unknown,
  code: PresenceKitErrorCode,
  fix: string,
): PresenceKitError {
  if (isPresenceKitError(cause)) return cause;
  const { ablyCode } = ablyFacts(cause);
  if (ablyCode === ABLY_ROOM_EXISTS_WITH_DIFFERENT_OPTIONS) {
    return new PresenceKitError('room_options_conflict', roomOptionsConflictMessage(), { cause });
  }
  if (ablyCode === ABLY_FEATURE_NOT_ENABLED && code === 'presence_fetch_failed') {
    return new PresenceKitError('presence_events_disabled', presenceEventsDisabledMessage(), {
      cause,
    });
  }
  return new PresenceKitError(code, `${fix} (Ably: ${reasonOf(cause)})`, { cause });
}

/** @internal */
export function missingRoomMessage(hook: string): string {
  return (
    `${hook} needs a room: render it inside <ChatRoomProvider name="…"> (from @presencekit/react ` +
    `or @ably/chat/react), or pass the room explicitly with { room }.`
  );
}

/** @internal */
export function missingClientMessage(what: string, option = true): string {
  return (
    `${what} needs a ChatClient: render it inside <ChatClientProvider client={chatClient}> ` +
    `(from @presencekit/react or @ably/chat/react)${option ? ', or pass { client }' : ''}.`
  );
}

/** @internal */
export function roomOptionsConflictMessage(): string {
  return (
    'This room is already in use with different options: give every <ChatRoomProvider> for the ' +
    'same room name equal options (compared by value), or use a different room name.'
  );
}

/** @internal */
export function occupancyEventsDisabledMessage(): string {
  return (
    'Live occupancy events are off for this room: pass options={{ occupancy: { enableEvents: true } }} ' +
    'to <ChatRoomProvider>, or use useOccupancy({ updates: "auto" }) to poll instead.'
  );
}

/** @internal */
export function presenceEventsDisabledMessage(): string {
  return (
    'Presence events are off for this room, so the member list cannot stay live: remove ' +
    'presence: { enableEvents: false } from the room options.'
  );
}

const invalidArguments = new Map<string, PresenceKitError>();

/**
 * An `invalid_argument` error, the same object for the same message: a hook that reports bad
 * input on every render keeps returning an equal result instead of a new error each time.
 *
 * @internal
 */
export function invalidArgument(message: string): PresenceKitError {
  let error = invalidArguments.get(message);
  if (!error) {
    error = new PresenceKitError('invalid_argument', message);
    invalidArguments.set(message, error);
  }
  return error;
}
