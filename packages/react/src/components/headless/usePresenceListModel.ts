import { useMemo } from 'react';

import { type MemberProfile, memberProfile, type ProfileSource } from '../helpers/member-profile';
import type { AvatarUrlResolver } from '../helpers/safe-avatar-url';
import { useAvatarUrlResolver } from '../PresenceKitAvatarProvider';

/** Options for {@link usePresenceListModel}. */
export interface PresenceListModelOptions<TEntry extends ProfileSource = ProfileSource> {
  /**
   * Orders the entries. The local user still comes first unless `selfFirst` is `false`.
   * @defaultValue join order (stable under churn: newcomers go to the end, nobody jumps)
   */
  sort?: ((a: MemberProfile<TEntry>, b: MemberProfile<TEntry>) => number) | undefined;
  /**
   * Put the local user first.
   * @defaultValue `true`
   */
  selfFirst?: boolean | undefined;
  /**
   * Decides each profile's `avatarUrl` from the URL in presence data (see `<PresenceList
   * avatarUrl>`). Keep it stable: profiles are cached per entry and per function.
   * @defaultValue the nearest `PresenceKitAvatarProvider`'s, else `safeAvatarUrl`
   * @example
   * ```ts
   * usePresenceListModel(members, { avatarUrl: (url) => (isMyCdn(url) ? url : undefined) });
   * ```
   */
  avatarUrl?: AvatarUrlResolver<TEntry> | undefined;
}

/** What {@link usePresenceListModel} returns. */
export interface PresenceListModel<TEntry extends ProfileSource = ProfileSource> {
  /** Display-ready entries in display order. */
  readonly profiles: readonly MemberProfile<TEntry>[];
  /** How many of them are present (excluding those kept after leaving by `leftGraceMs`). */
  readonly presentCount: number;
}

// Presence entries are immutable (an update replaces the object), so a profile computed once per
// entry object stays right: under churn only the entries that changed are read again. The avatar
// URL depends on the resolver too, so there is one cache per resolver function.
const caches = new WeakMap<AvatarUrlResolver<never>, WeakMap<object, MemberProfile>>();

/** The display profile of one presence entry, cached per entry object and resolver. */
export function profileOf<TEntry extends ProfileSource>(
  entry: TEntry,
  avatarUrl: AvatarUrlResolver<TEntry>,
): MemberProfile<TEntry> {
  let profiles = caches.get(avatarUrl);
  if (!profiles) caches.set(avatarUrl, (profiles = new WeakMap()));
  let profile = profiles.get(entry) as MemberProfile<TEntry> | undefined;
  if (!profile) {
    profile = memberProfile(entry, avatarUrl);
    profiles.set(entry, profile);
  }
  return profile;
}

/**
 * Turns presence entries (members or people from `usePresenceMembers`) into what a member list
 * shows: names, safe avatar URLs and statuses read from untrusted data, the local user first,
 * an optional custom order. The headless core of `<PresenceList>`.
 */
export function usePresenceListModel<TEntry extends ProfileSource>(
  entries: readonly TEntry[],
  options: PresenceListModelOptions<TEntry> = {},
): PresenceListModel<TEntry> {
  const { sort, selfFirst = true } = options;
  const avatarUrl = useAvatarUrlResolver(options.avatarUrl);
  return useMemo(() => {
    const all = entries.map((entry) => profileOf(entry, avatarUrl));
    const ordered = sort ? [...all].sort(sort) : all;
    const list = selfFirst
      ? [...ordered.filter((p) => p.isSelf), ...ordered.filter((p) => !p.isSelf)]
      : ordered;
    let presentCount = 0;
    for (const p of list) if (p.leftAt === undefined) presentCount++;
    return { profiles: list, presentCount };
  }, [entries, sort, selfFirst, avatarUrl]);
}
