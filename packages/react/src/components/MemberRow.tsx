import type { CSSProperties, ReactNode } from 'react';

import { AvatarFrame } from './Avatar';
import type { MemberProfile, ProfileSource } from './helpers/member-profile';
import { formatCount } from './helpers/format-count';
import { pluralCategory } from './helpers/plural';
import { visuallyHidden } from './internal/visually-hidden';
import type { PresenceKitStrings } from './strings';

/** Props of {@link MemberRow}. */
export interface MemberRowProps<TEntry extends ProfileSource = ProfileSource> {
  profile: MemberProfile<TEntry>;
  /** Position in the whole list (1-based) and its length, for `aria-posinset`/`aria-setsize`. */
  position: number;
  setSize: number;
  rowHeight: number;
  avatarSize: number;
  showStatus: boolean;
  strings: PresenceKitStrings;
  locale: string | undefined;
  renderMember?: ((profile: MemberProfile<TEntry>) => ReactNode) | undefined;
}

/**
 * One row of a member list: avatar, name (bidi-isolated, so a right-to-left or hostile name
 * cannot reorder the row), "(you)", device count and status.
 */
export function MemberRow<TEntry extends ProfileSource>({
  profile,
  position,
  setSize,
  rowHeight,
  avatarSize,
  showStatus,
  strings,
  locale,
  renderMember,
}: MemberRowProps<TEntry>) {
  // The height is structural (the virtual list's maths relies on it), so it is inline.
  const style: CSSProperties = { blockSize: rowHeight, overflow: 'hidden' };
  const devices = profile.connectionCount;
  return (
    <li
      className="pk-presence-list__row"
      style={style}
      aria-posinset={position}
      aria-setsize={setSize}
      data-status={profile.status}
      data-self={profile.isSelf ? '' : undefined}
    >
      {renderMember ? (
        renderMember(profile)
      ) : (
        <>
          <AvatarFrame
            name={profile.name}
            clientId={profile.clientId}
            url={profile.avatarUrl}
            size={avatarSize}
            decorative
          />
          <span className="pk-presence-list__name">
            <bdi>{profile.name}</bdi>
            {profile.isSelf ? (
              <>
                {' '}
                <span className="pk-presence-list__you">{strings.you}</span>
              </>
            ) : null}
            {devices > 1 ? (
              <>
                {' '}
                <span className="pk-presence-list__devices">
                  {strings.devices(
                    devices,
                    formatCount(devices, { locale, compact: false }).exact,
                    pluralCategory(devices, locale),
                  )}
                </span>
              </>
            ) : null}
          </span>
          {showStatus ? (
            <span className="pk-status" data-status={profile.status}>
              <span
                className="pk-status__label"
                style={profile.status === 'online' ? visuallyHidden : undefined}
              >
                {strings.status[profile.status]}
              </span>
            </span>
          ) : null}
        </>
      )}
    </li>
  );
}
