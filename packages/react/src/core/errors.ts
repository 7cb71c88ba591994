/**
 * Errors, and the one rule for bad input.
 *
 * 1. **Wiring mistakes throw**, in every build: a hook outside the provider it needs
 *    (`missing_room_provider`, `missing_client_provider`), a Suspense hook on the server without
 *    `initialData` (`missing_initial_data`). Nothing sensible can render, so the nearest error
 *    boundary gets it, on the first render.
 * 2. **Runtime failures go to `status` and `error`**, never thrown: a room that cannot be
 *    attached, a fetch that failed, presence that cannot be entered, a room whose options turn a
 *    feature off. They depend on the network, the server and the credentials, so the UI shows
 *    them and they clear when the cause goes away. (The Suspense hooks, which have no `'error'`
 *    status, throw them to the nearest error boundary when there is no data to show.)
 * 3. **Wrong option and prop types throw in development only** (`invalid_argument`): a hook or
 *    component given a value it cannot use (`updates: 'sometimes'`, `max={-1}`, a room that is
 *    not a `Room`). The checks sit behind `process.env.NODE_ENV !== 'production'`, so an app's
 *    production build drops them with the sentences; fix what they say before shipping.
 * 4. **Production builds keep the codes, not the sentences.** In development every message says
 *    what is wrong and how to fix it; a production build replaces those sentences with the short
 *    form: the code, and Ably's reason when there is one (`room_attach_failed (Ably: …)`). Switch
 *    on `code`, never on `message`.
 *
 * The server helpers (`@presencekit/react/server`) check their input in every build: they run on
 * your server, where a wrong secret or origin is a security problem, and bytes do not count.
 *
 * `process.env.NODE_ENV` is left in the published code for the app's bundler to replace, as
 * React does: Vite, webpack, Next.js, esbuild and Rollup (with its replace plugin) all do.
 */

/**
 * What went wrong, as a stable string you can switch on.
 *
 * | Code | Meaning |
 * |---|---|
 * | `missing_client_provider` | A hook or provider needs a `ChatClient` and found none. |
 * | `missing_room_provider` | A room hook found no room: no provider above it and no `room` option. |
 * | `missing_initial_data` | A Suspense hook rendered on the server without `initialData`. |
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
  | 'missing_initial_data'
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
 * The one error type every PresenceKit hook, provider and helper reports. `code` is stable for
 * programmatic handling; in development `message` says what is wrong and how to fix it (in
 * production builds it is the short form: the code and Ably's reason).
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
   * @param message - One sentence: what is wrong and how to fix it (production builds pass none:
   *   the message is then the code).
   * @param options - The cause, and Ably's codes (read from the cause when not given).
   */
  constructor(code: PresenceKitErrorCode, message?: string, options: PresenceKitErrorOptions = {}) {
    const { cause } = options;
    super(message || code, cause === undefined ? undefined : { cause });
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
 * developer what to do (pass it behind `process.env.NODE_ENV !== 'production'`: production builds
 * give none and the message is the code); the Ably reason is appended so nothing is lost. A value
 * that already is a `PresenceKitError` is returned unchanged. Ably's "room exists with different
 * options" (102107) becomes `room_options_conflict`, and its "too many presence members" (91003, an
 * enter or update past the channel's limit) `presence_limit_reached`.
 *
 * @internal
 */
export function toPresenceKitError(
  cause: unknown,
  code: PresenceKitErrorCode,
  fix?: string,
): PresenceKitError {
  if (isPresenceKitError(cause)) return cause;
  if ((cause as { code?: unknown } | undefined)?.code === 102107) {
    return new PresenceKitError(
      'room_options_conflict',
      process.env.NODE_ENV !== 'production'
        ? 'This room is already in use with different options: give every <ChatRoomProvider> ' +
            'for the same room name equal options (compared by value), or use another room name.'
        : undefined,
      { cause },
    );
  }
  if ((cause as { code?: unknown } | undefined)?.code === 91003) {
    return new PresenceKitError(
      'presence_limit_reached',
      process.env.NODE_ENV !== 'production'
        ? 'This room already has as many people present as Ably allows on one channel (200 ' +
            'unless your account raised it), so this user was not entered: for large audiences, ' +
            'show how many are there with useOccupancy() or <ViewerCount> and enter only the ' +
            'people you list.'
        : undefined,
      { cause },
    );
  }
  const reason = (cause as { message?: unknown } | undefined)?.message ?? cause;
  return new PresenceKitError(
    code,
    `${fix ?? code} (Ably: ${typeof reason === 'string' && reason ? reason : 'no reason given'})`,
    { cause },
  );
}

/**
 * A hook (or provider) outside the provider it needs: thrown in every build (rule 1), with the
 * sentence in development. `option`: whether the hook also takes the client or room as an option.
 *
 * @internal
 */
export function missingProvider(what: string, client?: boolean, option = true): PresenceKitError {
  const code = client ? 'missing_client_provider' : 'missing_room_provider';
  return new PresenceKitError(
    code,
    process.env.NODE_ENV !== 'production'
      ? `${what} needs ${client ? 'a ChatClient' : 'a room'}: render it inside ` +
          `${client ? '<ChatClientProvider client={chatClient}>' : '<ChatRoomProvider name="…">'} ` +
          `(from @presencekit/react or @ably/chat/react)` +
          (option
            ? `, or pass ${client ? '{ client }' : 'the room explicitly with { room }'}.`
            : '.')
      : undefined,
  );
}

/** A room whose live occupancy events are off, asked for them (a runtime state, rule 2). @internal */
export function occupancyEventsDisabled(): PresenceKitError {
  return new PresenceKitError(
    'occupancy_events_disabled',
    process.env.NODE_ENV !== 'production'
      ? 'Live occupancy events are off for this room: pass options={{ occupancy: { enableEvents: ' +
          'true } }} to <ChatRoomProvider>, or use useOccupancy({ updates: "auto" }) to poll instead.'
      : undefined,
  );
}

/** A presence list asked of a room whose presence events are off (rule 2). @internal */
export function presenceEventsDisabled(cause?: unknown): PresenceKitError {
  return new PresenceKitError(
    'presence_events_disabled',
    process.env.NODE_ENV !== 'production'
      ? 'Presence events are off for this room, so the member list cannot stay live: remove ' +
          'presence: { enableEvents: false } from the room options.'
      : undefined,
    { cause },
  );
}

// Development only from here: the option checks of rule 3. Call them inside
// `if (process.env.NODE_ENV !== 'production')` so production bundles drop them.

/**
 * An `invalid_argument` error for a wrong option (rule 3): "`where` got `name`: `value`: `fix`."
 * Development only.
 *
 * @internal
 */
export function invalidOption(
  where: string,
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
  return new PresenceKitError('invalid_argument', `${where} got ${name}: ${shown}: ${fix}.`);
}

/**
 * Throws {@link invalidOption} unless `value` is a finite number of milliseconds, at least `min`.
 * Development only.
 *
 * @internal
 */
export function checkMs(where: string, name: string, value: unknown, min: number): void {
  if (!(typeof value === 'number' && value >= min && value !== Infinity)) {
    throw invalidOption(where, name, value, `pass a number of milliseconds of at least ${min}`);
  }
}

/**
 * Throws {@link invalidOption} unless `value` is one of `allowed`. Development only.
 *
 * @internal
 */
export function checkOneOf(
  where: string,
  name: string,
  value: unknown,
  allowed: readonly string[],
): void {
  if (!allowed.includes(value as string)) {
    const list = allowed.map((item) => `'${item}'`);
    throw invalidOption(
      where,
      name,
      value,
      `use ${list.slice(0, -1).join(', ')} or ${list.at(-1)}`,
    );
  }
}

/**
 * Throws {@link invalidOption} when a JavaScript caller passed something other than a
 * `ChatClient` (`{}`, an `Ably.Realtime`, a room) where one is needed. No value at all passes:
 * that is a missing client, reported where one is needed. Development only.
 *
 * @internal
 */
export function checkChatClient(where: string, value: unknown): void {
  const client = value as { rooms?: { get?: unknown }; realtime?: unknown } | null | undefined;
  if (
    client != null &&
    !(typeof client.rooms?.get === 'function' && typeof client.realtime === 'object')
  ) {
    throw invalidOption(
      where,
      'client',
      value,
      'pass a ChatClient, e.g. new ChatClient(new Ably.Realtime({ authUrl }))',
    );
  }
}
