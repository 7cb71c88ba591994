import { PresenceKitError } from '../core/errors';
import type {
  InvalidDataMode,
  InvalidPresenceData,
  StandardSchemaV1,
} from '../core/standard-schema';
import type { PresenceMember } from '../core/types';

/**
 * The server helpers' options that check member data against a schema. On the server any
 * Standard Schema v1 validator is taken as it is (no `presenceSchema` wrapper: bytes do not
 * count there), and asynchronous checks are awaited.
 *
 * @typeParam TData - The data type: the schema's output.
 */
export interface ServerSchemaOptions<TData> {
  /**
   * A Standard Schema v1 validator (zod 3.24+, valibot 1.x, arktype, …, or a `presenceSchema`)
   * for the members' data: each member's data is checked and replaced by the schema's output.
   */
  schema?: StandardSchemaV1<unknown, TData>;
  /**
   * What to do with members whose data fails `schema`: `'exclude'` leaves them out; `'flag'`
   * keeps them with `data: undefined` and the issues in `invalid`.
   * @defaultValue `'exclude'`
   */
  invalidData?: InvalidDataMode;
  /** Called for each member whose data fails `schema`, for logging. */
  onInvalidData?: (failure: InvalidPresenceData) => void;
}

/** `members` with their data checked against `options.schema` (as they are without one). */
export async function checkMembers<TData>(
  members: PresenceMember<TData>[],
  { schema, invalidData = 'exclude', onInvalidData }: ServerSchemaOptions<TData>,
): Promise<PresenceMember<TData>[]> {
  if (!schema) return members;
  const checked = await Promise.all(
    members.map(async (member): Promise<PresenceMember<TData> | undefined> => {
      const result = await schema['~standard'].validate(member.data);
      if (!result.issues) return { ...member, data: result.value };
      const { clientId, connectionId, data } = member;
      onInvalidData?.({ clientId, connectionId, data, issues: result.issues });
      return invalidData === 'flag'
        ? { ...member, data: undefined, invalid: result.issues }
        : undefined;
    }),
  );
  return checked.filter((member) => member !== undefined);
}

/** Throws `invalid_argument` for schema options the server helpers cannot use (every build). */
export function assertSchemaOptions(
  { schema, invalidData, onInvalidData }: ServerSchemaOptions<unknown>,
  where: string,
): void {
  const fail = (message: string) => new PresenceKitError('invalid_argument', message);
  const props = (schema as { '~standard'?: { validate?: unknown } } | undefined)?.['~standard'];
  if (schema !== undefined && typeof props?.validate !== 'function') {
    throw fail(
      `${where}: schema must be a Standard Schema v1 validator (zod 3.24+, valibot 1.x, arktype, …).`,
    );
  }
  if (invalidData !== undefined && invalidData !== 'exclude' && invalidData !== 'flag') {
    throw fail(`${where}: invalidData must be 'exclude' or 'flag', got ${String(invalidData)}.`);
  }
  if (onInvalidData !== undefined && typeof onInvalidData !== 'function') {
    throw fail(`${where}: onInvalidData must be a function.`);
  }
}
