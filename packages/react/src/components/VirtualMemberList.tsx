import { type CSSProperties, type ReactNode, useCallback, useRef } from 'react';

import { useKeepRowFocus } from './headless/useKeepFocus';
import { useVirtualRows } from './headless/useVirtualRows';
import type { MemberProfile, ProfileSource } from './helpers/member-profile';
import { MemberRow } from './MemberRow';
import type { PresenceKitStrings } from './strings';

/** Props of {@link VirtualMemberList}. */
export interface VirtualMemberListProps<TEntry extends ProfileSource> {
  profiles: readonly MemberProfile<TEntry>[];
  rowHeight: number;
  /** Largest height of the scrolling region before it scrolls, in CSS pixels. */
  maxHeight: number;
  avatarSize: number;
  showStatus: boolean;
  strings: PresenceKitStrings;
  locale: string | undefined;
  renderMember?: ((profile: MemberProfile<TEntry>) => ReactNode) | undefined;
  /** Marks the scrolling region as the first thing to focus (in the overflow popover). */
  autoFocus?: boolean;
  /** Rendered after the last row, inside the scrolling region ("and 1,204 others"). */
  footer?: ReactNode;
}

/**
 * A scrolling, windowed list of member rows: only the rows in view are in the DOM, whatever the
 * room size. The region is focusable so keyboard users can scroll it.
 */
export function VirtualMemberList<TEntry extends ProfileSource>({
  profiles,
  rowHeight,
  maxHeight,
  avatarSize,
  showStatus,
  strings,
  locale,
  renderMember,
  autoFocus,
  footer,
}: VirtualMemberListProps<TEntry>) {
  const { setViewport, onScroll, start, end, offset, totalHeight } = useVirtualRows({
    count: profiles.length,
    rowHeight,
    initialViewportHeight: Math.min(maxHeight, profiles.length * rowHeight),
  });
  const viewport = useRef<HTMLDivElement | null>(null);
  const viewportRef = useCallback(
    (element: HTMLDivElement | null) => {
      viewport.current = element;
      setViewport(element);
    },
    [setViewport],
  );
  const rows = useRef<HTMLUListElement | null>(null);
  // Rows are focusable only through renderMember; focus in one that goes is kept in the list.
  useKeepRowFocus(viewport, rows, viewport, start, profiles.length, (i) => profiles[i]?.key);
  // Inline because the windowing depends on them; the stylesheet can still change the height
  // through --pk-list-max-height.
  const viewportStyle: CSSProperties = {
    maxBlockSize: `var(--pk-list-max-height, ${maxHeight}px)`,
    overflowY: 'auto',
    overscrollBehavior: 'contain',
  };
  const listStyle: CSSProperties = {
    blockSize: totalHeight,
    paddingBlockStart: offset,
    boxSizing: 'border-box',
    margin: 0,
    paddingInline: 0,
    listStyle: 'none',
  };
  return (
    <div
      ref={viewportRef}
      onScroll={onScroll}
      className="pk-presence-list__viewport"
      style={viewportStyle}
      // Focusable so keyboard users can scroll it; its name comes from the labelled group or
      // dialog around it, so it adds no role of its own.
      tabIndex={0}
      data-autofocus={autoFocus ? '' : undefined}
    >
      <ul ref={rows} className="pk-presence-list__rows" style={listStyle}>
        {profiles.slice(start, end).map((profile, i) => (
          <MemberRow
            key={profile.key}
            profile={profile}
            position={start + i + 1}
            setSize={profiles.length}
            rowHeight={rowHeight}
            avatarSize={avatarSize}
            showStatus={showStatus}
            strings={strings}
            locale={locale}
            renderMember={renderMember}
          />
        ))}
      </ul>
      {footer}
    </div>
  );
}
