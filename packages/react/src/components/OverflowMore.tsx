import type { ReactNode, Ref } from 'react';

import type { OverflowPopover } from './headless/useOverflowPopover';
import { formatCount } from './helpers/format-count';
import type { MemberProfile, ProfileSource } from './helpers/member-profile';
import { pluralCategory } from './helpers/plural';
import { countText } from './internal/count-text';
import type { PresenceKitStrings } from './strings';
import { VirtualMemberList } from './VirtualMemberList';

/** Props of {@link OverflowMore}. */
export interface OverflowMoreProps<TEntry extends ProfileSource> {
  /** How many are not in the stack: `hidden` plus `unlisted`. */
  count: number;
  /** The listed people beyond the stack, shown in the popover. */
  hidden: readonly MemberProfile<TEntry>[];
  /** People counted in the room but not listed ("and 1,204 others"). */
  unlisted: number;
  popover: OverflowPopover;
  itemRef: Ref<HTMLLIElement>;
  renderMore: ((hidden: number, formatted: string) => ReactNode) | undefined;
  rowHeight: number;
  maxHeight: number;
  avatarSize: number;
  showStatus: boolean;
  strings: PresenceKitStrings;
  locale: string | undefined;
}

/**
 * The stack's last item: a "+N" button, and the popover it opens with the people who did not fit
 * (a windowed list, focused when it opens) and how many more are not listed.
 */
export function OverflowMore<TEntry extends ProfileSource>({
  count,
  hidden,
  unlisted,
  popover,
  itemRef,
  renderMore,
  strings,
  locale,
  ...list
}: OverflowMoreProps<TEntry>): ReactNode {
  // Exact, not compact: the button's accessible name must contain its visible text (WCAG 2.5.3,
  // label in name), and "Show 1,201 more people" does not contain "1.2K".
  const text = formatCount(count, { locale, compact: false }).text;
  return (
    <li ref={itemRef} className="pk-presence-list__item pk-presence-list__more-item">
      <button
        {...popover.buttonProps}
        className="pk-presence-list__more"
        aria-label={countText(strings.moreButtonLabel, count, locale)}
      >
        {renderMore ? (
          renderMore(count, text)
        ) : (
          // A numeric token: isolated left to right, or right-to-left pages show "3+".
          <bdi dir="ltr">{strings.moreButton(count, text, pluralCategory(count, locale))}</bdi>
        )}
      </button>
      {popover.open ? (
        <div
          {...popover.popoverProps}
          className="pk-presence-list__popover"
          aria-label={countText(strings.morePopoverLabel, count, locale)}
        >
          {hidden.length > 0 ? (
            <VirtualMemberList
              profiles={hidden}
              strings={strings}
              locale={locale}
              autoFocus
              {...list}
            />
          ) : null}
          <UnlistedNote count={unlisted} strings={strings} locale={locale} />
        </div>
      ) : null}
    </li>
  );
}

/** "and 1,204 others": people the room counts but the list does not hold. */
export function UnlistedNote({
  count,
  strings,
  locale,
}: {
  count: number;
  strings: PresenceKitStrings;
  locale: string | undefined;
}): ReactNode {
  return count > 0 ? (
    <p className="pk-presence-list__unlisted">{countText(strings.unlisted, count, locale)}</p>
  ) : null;
}
