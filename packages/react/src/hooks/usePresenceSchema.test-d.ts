// Type-level tests: checked by `tsc` (`pnpm typecheck`, part of `npm test`); nothing runs.
import * as v from 'valibot';
import { expectTypeOf, test } from 'vitest';
import { z } from 'zod';

import { presenceSchema } from '../core/presence-schema';
import type { PresenceHistoryEvent, PresenceMember, PresencePerson } from '../core/types';
import { usePresence } from './usePresence';
import { usePresenceHistory } from './usePresenceHistory';
import { usePresenceMember } from './usePresenceMember';
import { usePresenceMembers } from './usePresenceMembers';

const Profile = presenceSchema(z.object({ name: z.string(), age: z.number().default(0) }));
type In = { name: string; age?: number | undefined };
type Out = { name: string; age: number };
const Since = presenceSchema(
  v.object({
    name: v.string(),
    since: v.pipe(
      v.string(),
      v.transform((s) => s.length),
    ),
  }),
);

test('zod: members, people, a selector and one member are typed by the output', () => {
  expectTypeOf(usePresenceMembers({ schema: Profile }).members).toEqualTypeOf<
    readonly PresenceMember<Out>[]
  >();
  expectTypeOf(usePresenceMembers({ schema: Profile, groupBy: 'clientId' }).members).toEqualTypeOf<
    readonly PresencePerson<Out>[]
  >();
  const names = usePresenceMembers({
    schema: Profile,
    invalidData: 'flag',
    selector: (list) => list.map((m) => m.data?.name),
  }).members;
  expectTypeOf(names).toEqualTypeOf<(string | undefined)[]>();
  expectTypeOf(usePresenceMember('key', { schema: Profile }).member).toEqualTypeOf<
    PresenceMember<Out> | undefined
  >();
});

test('valibot: transforms give the output type', () => {
  expectTypeOf(usePresenceMembers({ schema: Since }).members).toEqualTypeOf<
    readonly PresenceMember<{ name: string; since: number }>[]
  >();
  expectTypeOf(usePresenceHistory({ schema: Since }).events).toEqualTypeOf<
    readonly PresenceHistoryEvent<{ name: string; since: number }>[]
  >();
});

test('usePresence sends the input type', () => {
  const self = usePresence({ name: 'Ada' }, { schema: Profile });
  expectTypeOf(self.update).parameter(0).toEqualTypeOf<In | undefined>();
  // @ts-expect-error data that does not match the schema's input
  usePresence({ name: 1 }, { schema: Profile });
});

test('mistakes do not compile', () => {
  // @ts-expect-error a bare Standard Schema must be wrapped with presenceSchema()
  usePresenceMembers({ schema: z.object({ name: z.string() }) });
  // @ts-expect-error not a mode
  usePresenceMembers({ schema: Profile, invalidData: 'drop' });
  // Data follows the schema: no fields it does not declare.
  expectTypeOf(usePresenceMembers({ schema: Profile }).members[0]!.data!).not.toHaveProperty(
    'nickname',
  );
});
