// Type-level tests: checked by `tsc` (`pnpm typecheck`, part of `npm test`); nothing runs.
import { expectTypeOf, test } from 'vitest';

import type { PresenceMember, PresencePerson } from '../core/types';
import { usePresenceMember } from './usePresenceMember';
import { usePresenceMemberIds } from './usePresenceMemberIds';

type Profile = { name: string };

test('one member, or one person with the same groupBy as the ids', () => {
  const { ids, count } = usePresenceMemberIds({ groupBy: 'clientId' });
  expectTypeOf(ids).toEqualTypeOf<readonly string[]>();
  expectTypeOf(count).toEqualTypeOf<number>();
  expectTypeOf(usePresenceMember<Profile>('k').member).toEqualTypeOf<
    PresenceMember<Profile> | undefined
  >();
  expectTypeOf(usePresenceMember<Profile>('k', { groupBy: 'clientId' }).member).toEqualTypeOf<
    PresencePerson<Profile> | undefined
  >();
  expectTypeOf(usePresenceMember<Profile>('k').member?.data).toEqualTypeOf<Profile | undefined>();
});

test('mistakes do not compile', () => {
  // @ts-expect-error a person needs groupBy: 'clientId' at run time too
  usePresenceMember<Profile, 'clientId'>('k');
  // @ts-expect-error the key is a string
  usePresenceMember(1);
});
