import type { PresenceData, Room } from '@ably/chat';

import { PresenceKitError, asyncSchema, invalidData } from './errors';
import type {
  PresenceHistoryQuery,
  PresenceHistorySnapshot,
  PresenceHistoryStore,
  RoomHistoryStore,
} from './presence-history-store';
import { type PresenceSet, type PresenceSnapshot, RoomPresenceStore } from './presence-store';
import type { SelfPresence, SelfPresenceSnapshot } from './self-presence';
import type { InvalidDataMode, InvalidPresenceData, StandardSchemaV1 } from './standard-schema';
import { type ExternalStore, cached, cell, noop } from './store';
import type { HookState, PresenceHistoryEvent, PresenceMember } from './types';

/** Options for {@link presenceSchema}. */
export interface PresenceSchemaOptions {
  /**
   * Called once for each data another client sent that fails the schema (each time a member's
   * data changes, each history event), wherever it is read: for logging. It runs outside
   * rendering; if it throws, the error is rethrown in a later task and nothing else stops.
   */
  onInvalidData?: (failure: InvalidPresenceData) => void;
}

/**
 * The options that check presence data from other clients against a schema; taken by the
 * presence list hooks, `usePresenceHistory` and the components.
 *
 * @typeParam TData - The data type: the schema's output.
 */
export interface PresenceDataOptions<TData> {
  /**
   * Checks every member's (or event's) data once, when it arrives or changes, and types it as
   * the schema's output. Make it once, outside your components, with {@link presenceSchema}.
   */
  schema?: PresenceSchema<unknown, TData> | undefined;
  /**
   * What to do with data that fails `schema`: `'exclude'` leaves the member (or event) out, as
   * if it were not there, so it is neither listed nor counted; `'flag'` keeps it with
   * `data: undefined` and the schema's issues in `invalid`, for a placeholder row. Data from
   * other clients is untrusted, hence the default.
   * @defaultValue `'exclude'`
   */
  invalidData?: InvalidDataMode;
}

/** Development only: when schema stores were last made, per room. */
const madeAt = new WeakMap<Room, number[]>();

/**
 * Throws `invalid_argument` when one room gets more than 20 new schema stores within a second:
 * `presenceSchema(...)` is being called during render, so every render subscribes anew (and
 * each new subscription renders again). Development only.
 */
function checkChurn(room: Room): void {
  const now = Date.now();
  const recent = cached(madeAt, room, () => []).filter((at) => now - at < 1000);
  recent.push(now);
  madeAt.set(room, recent);
  if (recent.length > 20) {
    throw new PresenceKitError(
      'invalid_argument',
      'A new presenceSchema(...) reaches the presence hooks on every render, so each render ' +
        'subscribes to presence again: call presenceSchema once, at module scope (or in useMemo).',
    );
  }
}

/** The issue of data a schema could not check because it answered with a promise. */
const UNCHECKED: readonly StandardSchemaV1.Issue[] = [{ message: 'asynchronous schema' }];

/**
 * Checks `data` against `schema` synchronously: the schema's result, or `undefined` when it
 * answered with a promise (asynchronous checks cannot hold up a presence event or a render).
 */
export function checkData<T>(
  schema: StandardSchemaV1<unknown, T>,
  data: unknown,
): StandardSchemaV1.Result<T> | undefined {
  const result = schema['~standard'].validate(data);
  if (!(result instanceof Promise)) return result;
  // Nobody awaits it: keep a rejection from surfacing as an unhandled one.
  result.catch(noop);
  return undefined;
}

/**
 * A Standard Schema wrapped for presence, made by {@link presenceSchema}. It is still the same
 * Standard Schema (its `'~standard'` is the wrapped one's), so it can be used anywhere one is.
 *
 * @typeParam Input - What the schema accepts: the data `usePresence` sends.
 * @typeParam Output - What it gives back: the data the list hooks and components return.
 */
export class PresenceSchema<Input = unknown, Output = Input> implements StandardSchemaV1<
  Input,
  Output
> {
  /** The wrapped schema's Standard Schema properties. */
  readonly '~standard': StandardSchemaV1.Props<Input, Output>;
  readonly #onInvalidData: PresenceSchemaOptions['onInvalidData'];
  /**
   * Results by data object. The SDK hands every listener (and a resync) the same object until
   * the data changes, so each data is checked and reported once, however many stores read it.
   */
  readonly #results = new WeakMap<object, StandardSchemaV1.Result<Output> | undefined>();
  /** This schema's stores per room, by `leftGraceMs` or query, and mode. */
  readonly #stores = new WeakMap<Room, Map<string, unknown>>();
  /** The local user's presence per room, with what it sends checked. */
  readonly #selves = new WeakMap<SelfPresence, SelfPresence>();

  constructor(schema: StandardSchemaV1<Input, Output>, options: PresenceSchemaOptions = {}) {
    this['~standard'] = schema['~standard'];
    this.#onInvalidData = options.onInvalidData;
  }

  /**
   * Checks data another client sent: the result (`undefined` for an asynchronous schema), each
   * failure reported to `onInvalidData` the first time this data is seen.
   *
   * @internal
   */
  check(
    data: unknown,
    from: { readonly clientId: string; readonly connectionId: string },
  ): StandardSchemaV1.Result<Output> | undefined {
    const run = () => {
      const result = checkData(this, data);
      if (!result?.issues) return result;
      const { clientId, connectionId } = from;
      this.#report({ clientId, connectionId, data, issues: result.issues });
      return result;
    };
    return data && typeof data === 'object' ? cached(this.#results, data, run) : run();
  }

  #report(failure: InvalidPresenceData): void {
    try {
      this.#onInvalidData?.(failure);
    } catch (error) {
      setTimeout(() => {
        throw error;
      });
    }
  }

  /** The presence store of `room` whose members this schema checks. @internal */
  members(
    room: Room,
    {
      leftGraceMs = 0,
      invalidData: mode = 'exclude',
    }: { leftGraceMs?: number; invalidData?: InvalidDataMode | undefined },
  ): ExternalStore<PresenceSnapshot> {
    return this.#store(
      room,
      `presence:${leftGraceMs}:${mode}`,
      () => new SchemaPresenceStore(room, leftGraceMs, this, mode === 'flag'),
    );
  }

  /**
   * The history store of `room` whose events this schema checks. The hook passes the store class
   * it already has, so an app that reads no history with a schema ships none of it. @internal
   */
  history(
    room: Room,
    query: PresenceHistoryQuery,
    mode: InvalidDataMode = 'exclude',
    Store: typeof RoomHistoryStore,
  ): PresenceHistoryStore {
    return this.#store(room, `history:${JSON.stringify(query)}:${mode}`, () => {
      const Checked = checkedHistory(Store, this, mode === 'flag');
      return new Checked(room, query);
    });
  }

  /** The local user's presence (`own`), refusing to send data that fails this schema. @internal */
  self(own: SelfPresence): SelfPresence {
    return cached(this.#selves, own, () => checkedSelfPresence(own, this));
  }

  #store<S>(room: Room, key: string, create: () => S): S {
    const stores = cached(this.#stores, room, () => new Map<string, unknown>());
    if (process.env.NODE_ENV !== 'production' && !stores.has(key)) checkChurn(room);
    return cached(stores, key, create) as S;
  }
}

/**
 * Wraps a Standard Schema v1 validator (zod 3.24+, valibot 1.x, arktype, …) for presence data,
 * for the `schema` option of the presence hooks and components. Make it once, outside your
 * components (a new schema is a new set of presence subscriptions). Its checks must be
 * synchronous: an asynchronous one is reported as `invalid_argument`.
 *
 * Apps that never call it do not ship any of the schema code.
 *
 * @example
 * ```tsx
 * const Profile = presenceSchema(z.object({ name: z.string().max(80) }), {
 *   onInvalidData: (failure) => console.warn('bad presence data', failure),
 * });
 * function Who() {
 *   const { members } = usePresenceMembers({ schema: Profile }); // data: { name: string }
 *   return <>{members.map((m) => m.data?.name).join(', ')}</>;
 * }
 * ```
 */
export function presenceSchema<Input, Output>(
  schema: StandardSchemaV1<Input, Output>,
  options?: PresenceSchemaOptions,
): PresenceSchema<Input, Output> {
  return new PresenceSchema(schema, options);
}

/** A room's presence set with each member's data checked: the schema's output, left out or flagged. */
class SchemaPresenceStore extends RoomPresenceStore {
  readonly #schema: PresenceSchema;
  readonly #flag: boolean;
  /** Set when the schema answered asynchronously: it cannot be used here. */
  #misuse: PresenceKitError | undefined;
  readonly #withError = errorOverlay<PresenceSnapshot>();

  constructor(room: Room, leftGraceMs: number, schema: PresenceSchema, flag: boolean) {
    super(room, leftGraceMs);
    this.#schema = schema;
    this.#flag = flag;
  }

  protected override put(member: PresenceMember, set: PresenceSet): void {
    const result = this.#schema.check(member.data, member);
    if (result && !result.issues) {
      set.put({ ...member, data: result.value as PresenceData });
      return;
    }
    if (!result) this.#misuse ??= asyncSchema();
    const old = set.members.get(member.key);
    if (this.#flag) set.put({ ...member, data: undefined, invalid: result?.issues ?? UNCHECKED });
    // Data that stopped passing takes the member out, like a leave; passing again brings it back.
    else if (old) set.remove(old);
  }

  protected override set(next: PresenceSnapshot): void {
    super.set(this.#misuse ? this.#withError(next, this.#misuse) : next);
  }
}

/** The history store class with each event's data checked: the schema's output, left out or flagged. */
function checkedHistory(Store: typeof RoomHistoryStore, schema: PresenceSchema, flag: boolean) {
  return class SchemaHistoryStore extends Store {
    /** Set when the schema answered asynchronously: it cannot be used here. */
    #misuse: PresenceKitError | undefined;
    readonly #withError = errorOverlay<PresenceHistorySnapshot>();

    protected override accept(event: PresenceHistoryEvent): PresenceHistoryEvent | undefined {
      const result = schema.check(event.data, event);
      if (result && !result.issues) return { ...event, data: result.value as PresenceData };
      if (!result) this.#misuse ??= asyncSchema();
      return flag ? { ...event, data: undefined, invalid: result?.issues ?? UNCHECKED } : undefined;
    }

    protected override set(next: PresenceHistorySnapshot): void {
      super.set(this.#misuse ? this.#withError(next, this.#misuse) : next);
    }
  };
}

/**
 * Shows an error on a store's snapshots: each snapshot with status `'error'` and `error`, the
 * same object again for the same snapshot and error, so nothing re-renders for nothing.
 */
function errorOverlay<T extends HookState>(): (from: T, error: PresenceKitError) => T {
  let last: { from: T; error: PresenceKitError; shown: T } | undefined;
  return (from, error) => {
    if (last?.from !== from || last.error !== error) {
      last = { from, error, shown: { ...from, status: 'error', error } };
    }
    return last.shown;
  };
}

/**
 * The local user's presence with what it sends checked first: data that fails the schema is not
 * sent, and the snapshot says why (`invalid_argument`) until data that passes is given. What is
 * sent is the data as given (the schema's input), so receivers check what was checked here.
 */
function checkedSelfPresence(inner: SelfPresence, schema: StandardSchemaV1): SelfPresence {
  const refusal = cell<PresenceKitError | undefined>(undefined);
  /** The data the holders were last allowed to send: kept while newer data is refused. */
  let allowed: { data: PresenceData | undefined } | undefined;
  const withError = errorOverlay<SelfPresenceSnapshot>();

  const refuse = (data: unknown): PresenceKitError | undefined => {
    const result = checkData(schema, data);
    const error = result && !result.issues ? undefined : invalidData(result?.issues);
    refusal.set(error);
    return error;
  };
  const send = (data: PresenceData | undefined, operation: 'enter' | 'leave') => {
    // No data: the data already held (and checked) is used.
    const error = data === undefined ? undefined : refuse(data);
    return error ? Promise.reject(error) : inner[operation](data);
  };

  return {
    subscribe(listener) {
      const stops = [inner.subscribe(listener), refusal.subscribe(listener)];
      return () => stops.forEach((stop) => stop());
    },
    getSnapshot() {
      const error = refusal.get();
      return error ? withError(inner.getSnapshot(), error) : inner.getSnapshot();
    },
    hold(data) {
      if (!refuse(data)) allowed = { data };
      // Refused data leaves the user as they were: present with the last data that passed.
      return allowed ? inner.hold(allowed.data) : noop;
    },
    enter: (data) => send(data, 'enter'),
    leave: (data) => send(data, 'leave'),
  };
}
