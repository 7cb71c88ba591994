import type { ReactNode, Ref } from 'react';

import { AvatarFrame } from './Avatar';
import type { MemberProfile, ProfileSource } from './helpers/member-profile';
import type { PresenceKitStrings } from './strings';

/** Props of {@link AvatarStack}. */
export interface AvatarStackProps<TEntry extends ProfileSource> {
  /** The people in the stack, in order. */
  profiles: readonly MemberProfile<TEntry>[];
  listRef: Ref<HTMLUListElement>;
  avatarSize: number;
  renderMember: ((profile: MemberProfile<TEntry>) => ReactNode) | undefined;
  strings: PresenceKitStrings;
  /** The last item, after the avatars (the "+N" button). */
  children?: ReactNode;
}

/**
 * Overlapping avatars, one focusable item per person, named with their status ("Ada, away") and
 * "(you)" for the local user; `renderMember` replaces what is inside an item.
 */
export function AvatarStack<TEntry extends ProfileSource>({
  profiles,
  listRef,
  avatarSize,
  renderMember,
  strings,
  children,
}: AvatarStackProps<TEntry>): ReactNode {
  return (
    <ul ref={listRef} className="pk-presence-list__stack">
      {profiles.map((profile) => {
        const name = profile.isSelf ? `${profile.name} ${strings.you}` : profile.name;
        const described =
          profile.status === 'online' ? name : `${name}, ${strings.status[profile.status]}`;
        return (
          <li
            key={profile.key}
            className="pk-presence-list__item"
            data-status={profile.status}
            data-self={profile.isSelf ? '' : undefined}
          >
            {renderMember ? (
              renderMember(profile)
            ) : (
              <AvatarFrame
                name={described}
                clientId={profile.clientId}
                url={profile.avatarUrl}
                size={avatarSize}
                title={described}
                tabIndex={0}
              />
            )}
          </li>
        );
      })}
      {children}
    </ul>
  );
}
