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
 * | `presence_limit_reached` | The room already holds as many present members as Ably allows on a channel (Ably error 91003). |
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
  | 'presence_limit_reached'
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
    const { cause } = options;
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'PresenceKitError';
    this.code = code;
    const facts = (cause ?? {}) as { code?: unknown; statusCode?: unknown };
    this.ablyCode = options.ablyCode ?? numberOrUndefined(facts.code);
    this.statusCode = options.statusCode ?? numberOrUndefined(facts.statusCode);
  }
}

/**
 * `true` when `value` is a {@link PresenceKitError} (also across duplicated copies of the package,
 * which `instanceof` would miss).
 */
export function isPresenceKitError(value: unknown): value is PresenceKitError {
  return (
    value instanceof Error &&
    value.name === 'PresenceKitError' &&
    typeof (value as { code?: unknown }).code === 'string'
  );
}

function numberOrUndefined(value: unknown): number | undefined {
  return typeof value === 'number' ? value : undefined;
}

/**
 * Wraps any thrown value into a {@link PresenceKitError}. `fix` is the sentence that tells the
 * developer what to do; the Ably reason is appended so nothing is lost. A value that already is a
 * `PresenceKitError` is returned unchanged. Ably's "room exists with different options" (102107)
 * becomes `room_options_conflict`, and its "too many presence members" (91003, an enter or update
 * past the channel's limit) `presence_limit_reached`.
 *
 * @internal
 */
export function toPresenceKitError(
  cause: unknown,
  code: PresenceKitErrorCode,
  fix: string,
): PresenceKitError {
  if (isPresenceKitError(cause)) return cause;
  if ((cause as { code?: unknown } | undefined)?.code === 102107) {
    return new PresenceKitError(
      'room_options_conflict',
      'This room is already in use with different options: give every <ChatRoomProvider> for the ' +
        'same room name equal options (compared by value), or use another room name.',
      { cause },
    );
  }
  if ((cause as { code?: unknown } | undefined)?.code === 91003) {
    return new PresenceKitError(
      'presence_limit_reached',
      'This room already has as many people present as Ably allows on one channel (200 unless ' +
        'your account raised it), so this user was not entered: for large audiences, show how ' +
        'many are there with useOccupancy() or <ViewerCount> and enter only the people you list.',
      { cause },
    );
  }
  const reason = (cause as { message?: unknown } | undefined)?.message ?? cause;
  return new PresenceKitError(
    code,
    `${fix} (Ably: ${typeof reason === 'string' && reason ? reason : 'no reason given'})`,
    { cause },
  );
}

/** A hook (or provider) outside the provider it needs. @internal */
export function missingProvider(what: string, client?: boolean, option = true): PresenceKitError {
  return new PresenceKitError(
    client ? 'missing_client_provider' : 'missing_room_provider',
    `${what} needs ${client ? 'a ChatClient' : 'a room'}: render it inside ` +
      `${client ? '<ChatClientProvider client={chatClient}>' : '<ChatRoomProvider name="…">'} ` +
      `(from @presencekit/react or @ably/chat/react)` +
      (option ? `, or pass ${client ? '{ client }' : 'the room explicitly with { room }'}.` : '.'),
  );
}

/** @internal */
export const occupancyEventsDisabledMessage =
  'Live occupancy events are off for this room: pass options={{ occupancy: { enableEvents: true } }} ' +
  'to <ChatRoomProvider>, or use useOccupancy({ updates: "auto" }) to poll instead.';

/** @internal */
export const presenceEventsDisabledMessage =
  'Presence events are off for this room, so the member list cannot stay live: remove ' +
  'presence: { enableEvents: false } from the room options.';

const invalidArguments = new Map<string, PresenceKitError>();

/**
 * An `invalid_argument` error, the same object for the same message: a hook that reports bad
 * input on every render keeps returning an equal result instead of a new error each time.
 *
 * @internal
 */
export function invalidArgument(message: string): PresenceKitError {
  let error = invalidArguments.get(message);
  if (!error)
    invalidArguments.set(message, (error = new PresenceKitError('invalid_argument', message)));
  return error;
}

/** `invalidArgument` for one option: "`hook` got `name`: `value`: `fix`." @internal */
export function invalidOption(
  hook: string,
  name: string,
  value: unknown,
  fix: string,
): PresenceKitError {
  const shown =
    typeof value === 'string'
      ? JSON.stringify(value)
      : typeof value === 'function'
        ? 'a function'
        : value && typeof value === 'object'
          ? 'an object'
          : String(value);
  return invalidArgument(`${hook} got ${name}: ${shown}: ${fix}.`);
}

/** `invalid_argument` unless `value` is a finite number of milliseconds, at least `min`. @internal */
export function invalidMs(
  hook: string,
  name: string,
  value: unknown,
  min: number,
): PresenceKitError | undefined {
  return typeof value === 'number' && value >= min && value !== Infinity
    ? undefined
    : invalidOption(hook, name, value, `pass a number of milliseconds of at least ${min}`);
}
