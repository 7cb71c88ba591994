// Type-level tests: checked by `tsc` (`pnpm typecheck`, part of `npm test`); nothing runs.
import type { PresenceData } from '@ably/chat';
import { expectTypeOf, test } from 'vitest';

import type { PresenceMember, PresencePerson } from '../core/types';
import { shallow } from '../core/shallow';
import { usePresenceMembers } from './usePresenceMembers';

type Profile = { name: string; avatar?: string };

test('a data type alone: members, per connection', () => {
  const { members, count } = usePresenceMembers<Profile>();
  expectTypeOf(members).toEqualTypeOf<readonly PresenceMember<Profile>[]>();
  expectTypeOf(count).toEqualTypeOf<number>();
  expectTypeOf(members[0]!.data).toEqualTypeOf<Profile | undefined>();
});

test("a data type with groupBy: 'clientId': people (the Quick start's call)", () => {
  const { members } = usePresenceMembers<Profile>({ groupBy: 'clientId' });
  expectTypeOf(members).toEqualTypeOf<readonly PresencePerson<Profile>[]>();
  expectTypeOf(members.map((p) => p.data?.name ?? p.clientId)).toEqualTypeOf<string[]>();
  expectTypeOf(
    usePresenceMembers<Profile, 'clientId'>({ groupBy: 'clientId' }).members,
  ).toEqualTypeOf<readonly PresencePerson<Profile>[]>();
});

test('without type arguments: the SDK data type, and groupBy picks the entry', () => {
  expectTypeOf(usePresenceMembers().members).toEqualTypeOf<
    readonly PresenceMember<PresenceData>[]
  >();
  expectTypeOf(usePresenceMembers({ groupBy: 'connection' }).members).toEqualTypeOf<
    readonly PresenceMember<PresenceData>[]
  >();
  expectTypeOf(usePresenceMembers({ groupBy: 'clientId' }).members).toEqualTypeOf<
    readonly PresencePerson<PresenceData>[]
  >();
});

test('a selector decides what members is', () => {
  const { members } = usePresenceMembers({
    groupBy: 'clientId',
    selector: (people) => people.map((person) => person.clientId),
    isEqual: shallow,
  });
  expectTypeOf(members).toEqualTypeOf<string[]>();
  const first = usePresenceMembers<Profile, 'connection', string | undefined>({
    selector: (list) => list[0]?.data?.name,
  });
  expectTypeOf(first.members).toEqualTypeOf<string | undefined>();
});

test('a grouping known only at run time gives members or people', () => {
  const groupBy = Math.random() > 0.5 ? ('clientId' as const) : ('connection' as const);
  expectTypeOf(usePresenceMembers<Profile>({ groupBy }).members).toEqualTypeOf<
    readonly (PresenceMember<Profile> | PresencePerson<Profile>)[]
  >();
});

test('mistakes do not compile', () => {
  // @ts-expect-error people need groupBy: 'clientId' at run time too
  usePresenceMembers<Profile, 'clientId'>();
  // @ts-expect-error not a grouping
  usePresenceMembers({ groupBy: 'room' });
  // @ts-expect-error a selector sees the list, not one member
  usePresenceMembers({ selector: (member: PresenceMember) => member.clientId });
  // @ts-expect-error initialData is members, not people
  usePresenceMembers<Profile>({ initialData: [{ clientId: 'ada' }] });
});
