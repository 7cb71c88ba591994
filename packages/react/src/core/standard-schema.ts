/**
 * The Standard Schema v1 interface (https://standardschema.dev), which zod, valibot, arktype and
 * others implement, written out here so the package depends on no validator. Types only.
 */

/**
 * A Standard Schema v1 validator: what zod (3.24+), valibot (1.x), arktype and others expose as
 * `schema['~standard']`. Any of them can be passed as a `schema` option.
 *
 * @typeParam Input - What the schema accepts (the data as sent).
 * @typeParam Output - What it gives back (the data your components read).
 */
export interface StandardSchemaV1<Input = unknown, Output = Input> {
  /** The Standard Schema properties. */
  readonly '~standard': StandardSchemaV1.Props<Input, Output>;
}

// A namespace of types only, as the spec writes it, so `StandardSchemaV1.Issue` reads the same
// in our docs as in every validator's.
// eslint-disable-next-line @typescript-eslint/no-namespace
export declare namespace StandardSchemaV1 {
  /** The properties under `'~standard'`. */
  export interface Props<Input = unknown, Output = Input> {
    /** The version of the standard: 1. */
    readonly version: 1;
    /** The library that made the schema (`'zod'`, `'valibot'`, …). */
    readonly vendor: string;
    /** Checks a value: a result, or a promise of one for schemas with asynchronous checks. */
    readonly validate: (
      value: unknown,
      options?: Options,
    ) => Result<Output> | Promise<Result<Output>>;
    /** The inferred types (present in types only). */
    readonly types?: Types<Input, Output> | undefined;
  }

  /** What `validate` gives back. */
  export type Result<Output> = SuccessResult<Output> | FailureResult;

  /** A value that passed. */
  export interface SuccessResult<Output> {
    /** The value, as the schema outputs it (defaults filled in, transforms applied). */
    readonly value: Output;
    /** No issues: the value passed. */
    readonly issues?: undefined;
  }

  /** A value that failed. */
  export interface FailureResult {
    /** What is wrong with it. */
    readonly issues: ReadonlyArray<Issue>;
  }

  /** Options a validator may take. */
  export interface Options {
    /** Library-specific options. */
    readonly libraryOptions?: Record<string, unknown> | undefined;
  }

  /** One thing wrong with a value. */
  export interface Issue {
    /** What is wrong, as the validator words it. */
    readonly message: string;
    /** Where in the value, if the validator says. */
    readonly path?: ReadonlyArray<PropertyKey | PathSegment> | undefined;
  }

  /** One step of an issue's path. */
  export interface PathSegment {
    /** The key of this step. */
    readonly key: PropertyKey;
  }

  /** The types a schema carries. */
  export interface Types<Input = unknown, Output = Input> {
    /** What the schema accepts. */
    readonly input: Input;
    /** What it gives back. */
    readonly output: Output;
  }

  /** What a schema accepts. */
  export type InferInput<Schema extends StandardSchemaV1> = NonNullable<
    Schema['~standard']['types']
  >['input'];

  /** What a schema gives back. */
  export type InferOutput<Schema extends StandardSchemaV1> = NonNullable<
    Schema['~standard']['types']
  >['output'];
}

/**
 * Presence data that failed its schema, as reported to `onInvalidData`: who sent it, what they
 * sent and what is wrong with it.
 */
export interface InvalidPresenceData {
  /** The member's client id. */
  readonly clientId: string;
  /** The member's connection. */
  readonly connectionId: string;
  /** The data as received. Untrusted: log it, do not render it. */
  readonly data: unknown;
  /** What the schema found wrong with it. */
  readonly issues: readonly StandardSchemaV1.Issue[];
}

/**
 * What to do with members (or history events) whose data fails the schema: `'exclude'` leaves
 * them out (they are not listed or counted), `'flag'` keeps them with `data: undefined` and the
 * issues in `invalid`.
 */
export type InvalidDataMode = 'exclude' | 'flag';
