import {
  forwardRef,
  type HTMLAttributes,
  type ReactElement,
  type ReactNode,
  type Ref,
  type RefObject,
  useImperativeHandle,
  useRef,
} from 'react';

import { PresenceKitError } from '../core/errors';
import type { HookStatus } from '../core/types';
import { AvatarStack } from './AvatarStack';
import { focusableNear, focusableRoot, useKeepFocus } from './headless/useKeepFocus';
import { useMembershipAnnouncements } from './headless/useMembershipAnnouncements';
import { type OverflowPopover, useOverflowPopover } from './headless/useOverflowPopover';
import { usePresenceListModel } from './headless/usePresenceListModel';
import { countText } from './internal/count-text';
import { cx } from './internal/cx';
import type { MemberProfile, ProfileSource } from './helpers/member-profile';
import type { AvatarUrlResolver } from './helpers/safe-avatar-url';
import { visuallyHidden } from './internal/visually-hidden';
import { OverflowMore, UnlistedNote } from './OverflowMore';
import { unlistedCount } from './internal/unlisted-count';
import { usePresenceKitStrings } from './PresenceKitStringsProvider';
import type { PresenceKitStrings } from './strings';
import { VirtualMemberList } from './VirtualMemberList';

/** Display options shared by {@link PresenceList} and {@link PresenceListView}. */
export interface PresenceListDisplayProps<
  TEntry extends ProfileSource = ProfileSource,
> extends Omit<HTMLAttributes<HTMLDivElement>, 'children'> {
  /**
   * `'stack'`: overlapping avatars, up to `max`, then a "+N" button opening a popover with the
   * rest. `'list'`: a scrolling list of rows with avatar, name and status.
   * @defaultValue `'stack'`
   */
  variant?: 'stack' | 'list';
  /**
   * Avatars shown in the stack before the "+N" button.
   * @defaultValue `5`
   */
  max?: number;
  /**
   * How many are in the room in total, when you know more than the list holds (for example
   * `useOccupancy().connections` in a room past Ably's presence limit): "+N" then also counts
   * those who are not listed, as `total` minus the connections of the listed entries.
   */
  total?: number | undefined;
  /** Order of the entries; the local user stays first unless `selfFirst` is `false`. */
  sort?: ((a: MemberProfile<TEntry>, b: MemberProfile<TEntry>) => number) | undefined;
  /**
   * Show the local user first, marked "(you)".
   * @defaultValue `true`
   */
  selfFirst?: boolean;
  /**
   * Show each member's status (online, away, busy, left) in list rows.
   * @defaultValue `true`
   */
  showStatus?: boolean;
  /**
   * Avatar size in CSS pixels.
   * @defaultValue `32`
   */
  avatarSize?: number;
  /**
   * Height of a list row in CSS pixels (rows have a fixed height so long lists can be windowed).
   * @defaultValue `44`
   */
  rowHeight?: number;
  /**
   * Height of the list (and of the popover's list) before it scrolls, in CSS pixels; the
   * `--pk-list-max-height` custom property overrides it.
   * @defaultValue `320`
   */
  maxHeight?: number;
  /**
   * Replaces what is inside each avatar slot (stack) or row (list); the list item around it,
   * with position and status attributes, stays.
   */
  renderMember?: (profile: MemberProfile<TEntry>) => ReactNode;
  /**
   * Decides which image each avatar loads, in place of the default rule (public `http(s)` hosts
   * and raster `data:image` URLs only; `localhost` and private, loopback and link-local IP
   * addresses are refused): receives each avatar URL from presence data and the entry, returns
   * the URL to load (the same, or one through your image proxy) or `undefined` for initials.
   * What it returns must still be `http(s)` or a raster `data:image` URL. Also decides
   * `profile.avatarUrl` for `renderMember`. Keep it stable (module scope or `useCallback`).
   * @defaultValue the nearest `PresenceKitAvatarProvider`'s, else `safeAvatarUrl`
   * @example
   * ```tsx
   * <PresenceList avatarUrl={(url) => `https://app.example/avatar?u=${encodeURIComponent(url)}`} />
   * ```
   */
  avatarUrl?: AvatarUrlResolver<TEntry> | undefined;
  /** Replaces the text inside the "+N" button (the button and its popover stay). */
  renderMore?: (hidden: number, formatted: string) => ReactNode;
  /** Shown when nobody is present. @defaultValue `strings.presenceListEmpty` */
  empty?: ReactNode;
  /**
   * Announce joins and leaves to screen readers, throttled and summarised ("3 people joined").
   * Off by default: in busy rooms it is noise unless the app is about who is here.
   * @defaultValue `false`
   */
  announce?: boolean;
  /**
   * At most one announcement per this many milliseconds.
   * @defaultValue `10000`
   */
  announceIntervalMs?: number;
  /** Locale for numbers and plurals; defaults to the nearest `PresenceKitStringsProvider`'s. */
  locale?: string;
  /** Overrides for the built-in strings. */
  strings?: Partial<PresenceKitStrings>;
}

/** Props of {@link PresenceListView}. */
export interface PresenceListViewProps<
  TEntry extends ProfileSource = ProfileSource,
> extends PresenceListDisplayProps<TEntry> {
  /** The entries to show: members or people from `usePresenceMembers`, or your own fixtures. */
  members: readonly TEntry[];
  /**
   * Where the list stands.
   * @defaultValue `'ready'`
   */
  status?: HookStatus;
  /** Why `status` is `'error'`; its `code` lands in `data-error-code`. */
  error?: Error | undefined;
}

function checkProps(max: number, rowHeight: number, avatarSize: number): void {
  const bad = (value: number, min: number) => !(Number.isFinite(value) && value >= min);
  if (!Number.isInteger(max) || max < 0) {
    throw new PresenceKitError(
      'invalid_argument',
      `<PresenceList max={${String(max)}}> must be a whole number of avatars, 0 or more (for example max={5}).`,
    );
  }
  if (bad(rowHeight, 1) || bad(avatarSize, 1)) {
    throw new PresenceKitError(
      'invalid_argument',
      `<PresenceList> rowHeight and avatarSize must be positive numbers of CSS pixels (got ${String(rowHeight)} and ${String(avatarSize)}).`,
    );
  }
}

/**
 * Focus on an avatar whose person leaves, or is pushed into the overflow, or on the "+N" button
 * when nothing overflows any more, goes to the avatar now in its place, else the one before,
 * else "+N", else the root: never to <body>.
 */
function useStackFocus(
  root: RefObject<HTMLDivElement | null>,
  stack: RefObject<HTMLUListElement | null>,
  moreItem: RefObject<HTMLLIElement | null>,
  popover: OverflowPopover,
): void {
  useKeepFocus<number>(
    root,
    (element) => {
      const items = stack.current?.children ?? [];
      for (let i = 0; i < items.length; i++) if (items[i]?.contains(element)) return i;
      return -1;
    },
    (index, root) => {
      if (stack.current && index >= 0) {
        const avatars = Array.from(stack.current.children).filter((i) => i !== moreItem.current);
        const near = focusableNear(avatars, index) ?? popover.buttonProps.ref.current;
        if (near) return near;
      }
      return focusableRoot(root);
    },
  );
}

function PresenceListViewInner<TEntry extends ProfileSource>(
  {
    members,
    status = 'ready',
    error,
    variant = 'stack',
    max = 5,
    total,
    sort,
    selfFirst = true,
    showStatus = true,
    avatarSize = 32,
    rowHeight = 44,
    maxHeight = 320,
    renderMember,
    renderMore,
    avatarUrl,
    empty,
    announce = false,
    announceIntervalMs = 10_000,
    locale: localeProp,
    strings: stringOverrides,
    className,
    style,
    ...rest
  }: PresenceListViewProps<TEntry>,
  ref: Ref<HTMLDivElement>,
) {
  if (process.env.NODE_ENV !== 'production') checkProps(max, rowHeight, avatarSize);
  const { strings, locale } = usePresenceKitStrings(stringOverrides, localeProp);
  const { profiles, presentCount } = usePresenceListModel(members, { sort, selfFirst, avatarUrl });
  const popover = useOverflowPopover();
  const announcement = useMembershipAnnouncements(profiles, {
    enabled: announce,
    intervalMs: announceIntervalMs,
    ready: status === 'ready' || status === 'stale',
    strings,
    locale,
  });

  const loading = status === 'loading' && profiles.length === 0;
  const failed = status === 'error' && profiles.length === 0;
  const unlisted = unlistedCount(total, profiles);
  const stack = variant === 'stack';
  const hidden = stack ? profiles.slice(max) : [];
  const moreCount = hidden.length + (stack ? unlisted : 0);
  // Nothing overflows any more (people left): the popover closes rather than staying open,
  // unseen, to pop up again when someone joins.
  if (popover.open && moreCount === 0) popover.setOpen(false);
  const stackRef = useRef<HTMLUListElement | null>(null);
  const moreItem = useRef<HTMLLIElement | null>(null);
  const root = useRef<HTMLDivElement | null>(null);
  useImperativeHandle(ref, () => root.current as HTMLDivElement, []);
  useStackFocus(root, stackRef, moreItem, popover);

  const list = { rowHeight, maxHeight, avatarSize, showStatus, strings, locale };
  let body: ReactNode;
  if (loading) {
    body = (
      <span className="pk-presence-list__skeleton" aria-hidden="true">
        <span />
        <span />
        <span />
      </span>
    );
  } else if (failed) {
    body = <span className="pk-presence-list__error">{strings.presenceListError}</span>;
  } else if (profiles.length === 0 && moreCount === 0) {
    body = <span className="pk-presence-list__empty">{empty ?? strings.presenceListEmpty}</span>;
  } else if (!stack) {
    const footer =
      unlisted > 0 ? <UnlistedNote count={unlisted} strings={strings} locale={locale} /> : null;
    body = (
      <VirtualMemberList
        profiles={profiles}
        renderMember={renderMember}
        footer={footer}
        {...list}
      />
    );
  } else {
    body = (
      <AvatarStack
        profiles={profiles.slice(0, max)}
        listRef={stackRef}
        avatarSize={avatarSize}
        renderMember={renderMember}
        strings={strings}
      >
        {moreCount > 0 ? (
          <OverflowMore
            count={moreCount}
            hidden={hidden}
            unlisted={unlisted}
            popover={popover}
            itemRef={moreItem}
            renderMore={renderMore}
            {...list}
          />
        ) : null}
      </AvatarStack>
    );
  }

  const people = presentCount + unlisted;
  return (
    <div
      ref={root}
      role="group"
      aria-label={
        loading
          ? strings.presenceListLoading
          : failed
            ? strings.presenceListError
            : countText(strings.presenceListLabel, people, locale)
      }
      aria-busy={loading ? true : undefined}
      className={cx('pk-root pk-presence-list', className)}
      data-variant={variant}
      data-status={status}
      data-empty={!loading && !failed && profiles.length === 0 ? '' : undefined}
      data-open={popover.open ? '' : undefined}
      data-error-code={error instanceof PresenceKitError ? error.code : undefined}
      style={{ ['--pk-avatar-size' as string]: `${avatarSize}px`, ...style }}
      {...rest}
    >
      {body}
      {announce ? (
        <span role="status" style={visuallyHidden}>
          {announcement}
        </span>
      ) : null}
    </div>
  );
}

/**
 * The member list for entries you already have (fixtures, server-rendered members, your own
 * store). {@link PresenceList} is the live version. Generic over the entry type, so
 * `renderMember` and `sort` see your presence data's type.
 */
export const PresenceListView = forwardRef(PresenceListViewInner) as <
  TEntry extends ProfileSource = ProfileSource,
>(
  props: PresenceListViewProps<TEntry> & { ref?: Ref<HTMLDivElement> },
) => ReactElement | null;
