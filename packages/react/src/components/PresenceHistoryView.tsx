import {
  type CSSProperties,
  forwardRef,
  type HTMLAttributes,
  type ReactNode,
  useCallback,
  useImperativeHandle,
  useRef,
} from 'react';

import { PresenceKitError } from '../core/errors';
import type { HookStatus, PresenceHistoryEvent } from '../core/types';
import { useKeepRowFocus } from './headless/useKeepFocus';
import { useNow } from './headless/useNow';
import { useVirtualRows } from './headless/useVirtualRows';
import { HistoryRow, type PresenceHistoryItem } from './HistoryRow';
import { cx } from './internal/cx';
import type { AvatarUrlResolver } from './helpers/safe-avatar-url';
import { useAvatarUrlResolver } from './PresenceKitAvatarProvider';
import { usePresenceKitStrings } from './PresenceKitStringsProvider';
import type { PresenceKitStrings } from './strings';

export type { PresenceHistoryItem } from './HistoryRow';

/** Display options shared by {@link PresenceHistory} and {@link PresenceHistoryView}. */
export interface PresenceHistoryDisplayProps extends Omit<
  HTMLAttributes<HTMLDivElement>,
  'children'
> {
  /**
   * Show an avatar before each entry.
   * @defaultValue `true`
   */
  showAvatars?: boolean;
  /**
   * Avatar size in CSS pixels.
   * @defaultValue `24`
   */
  avatarSize?: number;
  /**
   * Decides which image each avatar loads, in place of the default rule (public `http(s)` hosts
   * and raster `data:image` URLs only): receives each avatar URL from presence data and the
   * event, returns the URL to load (the same, or one through your image proxy) or `undefined`
   * for initials. What it returns must still be `http(s)` or a raster `data:image` URL. Also
   * decides `item.avatarUrl` for `renderEvent`.
   * @defaultValue the nearest `PresenceKitAvatarProvider`'s, else `safeAvatarUrl`
   * @example
   * ```tsx
   * <PresenceHistory avatarUrl={(url) => `https://app.example/avatar?u=${encodeURIComponent(url)}`} />
   * ```
   */
  avatarUrl?: AvatarUrlResolver<PresenceHistoryEvent<unknown>> | undefined;
  /**
   * Height of an entry in CSS pixels. Entries have a fixed height so a long timeline can be
   * windowed: only the entries in view are in the DOM. Text that does not fit is cut off.
   * @defaultValue `40`
   */
  rowHeight?: number;
  /**
   * Height of the timeline before it scrolls, in CSS pixels; the `--pk-history-max-height`
   * custom property overrides it.
   * @defaultValue `320`
   */
  maxHeight?: number;
  /**
   * Replaces the inside of each entry (the list item with `data-action`, and its fixed
   * `rowHeight`, stays).
   */
  renderEvent?: (event: PresenceHistoryEvent<unknown>, item: PresenceHistoryItem) => ReactNode;
  /**
   * The time relative times are measured from, in milliseconds since the epoch. Leave it out to
   * use the clock (ticking while shown); set it for deterministic rendering (tests, screenshots).
   */
  now?: number;
  /** Locale for relative times; defaults to the nearest `PresenceKitStringsProvider`'s. */
  locale?: string;
  /** Overrides for the built-in strings. */
  strings?: Partial<PresenceKitStrings>;
}

/** Props of {@link PresenceHistoryView}. */
export interface PresenceHistoryViewProps extends PresenceHistoryDisplayProps {
  /** Events in display order (as `usePresenceHistory` returns them). */
  events: readonly PresenceHistoryEvent<unknown>[];
  /**
   * Where the history stands.
   * @defaultValue `'ready'`
   */
  status?: HookStatus;
  /** Why `status` is `'error'`; its `code` lands in `data-error-code`. */
  error?: Error | undefined;
  /** Show the "load more" button. */
  hasNext?: boolean;
  /** `true` while the next page loads: the button is disabled and says so. */
  isLoadingMore?: boolean;
  /** Called by the "load more" button. */
  onLoadMore?: () => void;
}

function checkProps(rowHeight: number, maxHeight: number, avatarSize: number): void {
  const ok = (value: number) => Number.isFinite(value) && value >= 1;
  if (!ok(rowHeight) || !ok(maxHeight) || !ok(avatarSize)) {
    throw new PresenceKitError(
      'invalid_argument',
      `<PresenceHistory> rowHeight, maxHeight and avatarSize must be positive numbers of CSS pixels (got ${String(rowHeight)}, ${String(maxHeight)} and ${String(avatarSize)}).`,
    );
  }
}

/**
 * A timeline of joins, leaves and updates for events you already have. {@link PresenceHistory}
 * is the live version. Entries have a fixed `rowHeight` and the timeline scrolls past
 * `maxHeight`, windowed: thousands of events keep about a dozen entries in the DOM.
 */
export const PresenceHistoryView = forwardRef<HTMLDivElement, PresenceHistoryViewProps>(
  function PresenceHistoryView(
    {
      events,
      status = 'ready',
      error,
      hasNext = false,
      isLoadingMore = false,
      onLoadMore,
      showAvatars = true,
      avatarSize = 24,
      avatarUrl: avatarUrlProp,
      rowHeight = 40,
      maxHeight = 320,
      renderEvent,
      now: nowProp,
      locale: localeProp,
      strings: stringOverrides,
      className,
      ...rest
    },
    ref,
  ) {
    if (process.env.NODE_ENV !== 'production') checkProps(rowHeight, maxHeight, avatarSize);
    const { strings, locale } = usePresenceKitStrings(stringOverrides, localeProp);
    const avatarUrl = useAvatarUrlResolver(avatarUrlProp);
    const clock = useNow(15_000);
    const now = nowProp ?? clock;
    // The same windowing as <PresenceList>: a timeline left open for hours keeps a small DOM.
    const rows = useVirtualRows({
      count: events.length,
      rowHeight,
      initialViewportHeight: Math.min(maxHeight, events.length * rowHeight),
    });
    const { setViewport } = rows;
    const viewportRef = useRef<HTMLDivElement | null>(null);
    const setViewportRef = useCallback(
      (element: HTMLDivElement | null) => {
        viewportRef.current = element;
        setViewport(element);
      },
      [setViewport],
    );
    const listRef = useRef<HTMLOListElement | null>(null);
    // Entries are focusable only through renderEvent. Focus in one that goes, or in "load more"
    // gone with the last page, stays in the timeline; with the scroller gone, on the root.
    const root = useRef<HTMLDivElement | null>(null);
    useImperativeHandle(ref, () => root.current as HTMLDivElement, []);
    useKeepRowFocus(root, listRef, viewportRef, rows.start, events.length, (i) => events[i]?.id);

    const loading = status === 'loading' && events.length === 0;
    const failed = status === 'error' && events.length === 0;
    const label = loading
      ? strings.historyLoading
      : failed
        ? strings.historyError
        : strings.historyLabel;

    let body: ReactNode;
    if (loading) {
      body = <span className="pk-presence-history__skeleton" aria-hidden="true" />;
    } else if (failed) {
      body = <p className="pk-presence-history__error">{strings.historyError}</p>;
    } else if (events.length === 0) {
      body = <p className="pk-presence-history__empty">{strings.historyEmpty}</p>;
    } else {
      // Inline because the windowing depends on them; the stylesheet can still change the height
      // through --pk-history-max-height.
      const viewportStyle: CSSProperties = {
        maxBlockSize: `var(--pk-history-max-height, ${maxHeight}px)`,
        overflowY: 'auto',
        overscrollBehavior: 'contain',
      };
      const listStyle: CSSProperties = {
        blockSize: rows.totalHeight,
        paddingBlockStart: rows.offset,
        boxSizing: 'border-box',
        margin: 0,
        paddingInline: 0,
        listStyle: 'none',
      };
      const rowStyle: CSSProperties = {
        blockSize: rowHeight,
        boxSizing: 'border-box',
        overflow: 'hidden',
      };
      body = (
        <div
          ref={setViewportRef}
          onScroll={rows.onScroll}
          className="pk-presence-history__viewport"
          style={viewportStyle}
          // Focusable so keyboard users can scroll it; named by the labelled group around it.
          tabIndex={0}
        >
          <ol ref={listRef} className="pk-presence-history__events" style={listStyle}>
            {events.slice(rows.start, rows.end).map((event, i) => (
              <HistoryRow
                key={event.id}
                event={event}
                position={rows.start + i + 1}
                setSize={events.length}
                style={rowStyle}
                renderEvent={renderEvent}
                showAvatars={showAvatars}
                avatarSize={avatarSize}
                avatarUrl={avatarUrl}
                now={now}
                strings={strings}
                locale={locale}
              />
            ))}
          </ol>
        </div>
      );
    }

    return (
      <div
        ref={root}
        role="group"
        aria-label={label}
        aria-busy={loading || isLoadingMore ? true : undefined}
        className={cx('pk-root pk-presence-history', className)}
        data-status={status}
        data-empty={!loading && !failed && events.length === 0 ? '' : undefined}
        data-error-code={error instanceof PresenceKitError ? error.code : undefined}
        {...rest}
      >
        {body}
        {hasNext && !loading && !failed ? (
          <button
            type="button"
            className="pk-presence-history__more"
            onClick={() => {
              if (!isLoadingMore) onLoadMore?.();
            }}
            // aria-disabled, not disabled: a disabled button drops keyboard focus to <body>.
            aria-disabled={isLoadingMore ? true : undefined}
          >
            {isLoadingMore ? strings.loadingMore : strings.loadMore}
          </button>
        ) : null}
      </div>
    );
  },
);
