import { forwardRef, type HTMLAttributes, type ReactNode } from 'react';

import { PresenceKitError } from '../core/errors';
import type { HookStatus } from '../core/types';
import { useThrottledAnnouncement } from './headless/useThrottledAnnouncement';
import { cx } from './internal/cx';
import { type FormattedCount, formatCount, toCount } from './helpers/format-count';
import { pluralCategory } from './helpers/plural';
import { visuallyHidden } from './internal/visually-hidden';
import { usePresenceKitStrings } from './PresenceKitStringsProvider';
import type { PresenceKitStrings } from './strings';

/** A label after the count: fixed text, or a function of the count and its plural category. */
export type CountLabel = string | ((count: number, plural: Intl.LDMLPluralRule) => string);

/** What a `ViewerCount` render prop receives. */
export interface ViewerCountState extends FormattedCount {
  /** The count; `undefined` while loading. */
  readonly count: number | undefined;
  readonly status: HookStatus;
  readonly error: Error | undefined;
  /** The label after the number ("watching"). */
  readonly label: string;
  /** The full accessible text with the exact number ("1,234 watching"). */
  readonly accessibleLabel: string;
}

/** Display options shared by {@link ViewerCount} and {@link ViewerCountView}. */
export interface ViewerCountDisplayProps extends Omit<
  HTMLAttributes<HTMLSpanElement>,
  'children' | 'role'
> {
  /**
   * Text after the number; a function gets the count and its plural category.
   * @defaultValue `strings.viewerCountLabel` ("watching")
   */
  label?: CountLabel;
  /** Show `max+` ("99+") above this number; the accessible name keeps the exact count. */
  max?: number;
  /**
   * Compact notation for large numbers ("1.2K").
   * @defaultValue `true`
   */
  compact?: boolean;
  /**
   * Hide the element (with the `hidden` attribute, so the live region stays in place) while the
   * count is zero.
   * @defaultValue `false`
   */
  hideWhenZero?: boolean;
  /**
   * Announce changes to screen readers (politely). Set `false` for counts that change constantly
   * and matter little.
   * @defaultValue `true`
   */
  announce?: boolean;
  /**
   * At most one announcement per this many milliseconds.
   * @defaultValue `5000`
   */
  announceIntervalMs?: number;
  /** Locale for numbers and plurals; defaults to the nearest `PresenceKitStringsProvider`'s. */
  locale?: string;
  /** Overrides for the built-in strings. */
  strings?: Partial<PresenceKitStrings>;
  /**
   * Render the visible inside yourself. The root (status region, accessible name, data
   * attributes) and the announced text stay ours; what you render is hidden from assistive
   * technology because the accessible name already says it.
   */
  children?: (state: ViewerCountState) => ReactNode;
}

/** Props of {@link ViewerCountView}. */
export interface ViewerCountViewProps extends ViewerCountDisplayProps {
  /** The number to show; `undefined` while unknown. */
  count: number | undefined;
  /**
   * Where the number stands.
   * @defaultValue `'loading'` while `count` is `undefined`, else `'ready'`
   */
  status?: HookStatus;
  /** Why `status` is `'error'`; its `code` lands in `data-error-code`. */
  error?: Error | undefined;
}

function checkMax(max: number | undefined): void {
  if (max !== undefined && !(Number.isInteger(max) && max > 0)) {
    throw new PresenceKitError(
      'invalid_argument',
      `<ViewerCount max={${String(max)}}> must be a positive whole number (for example max={99}), or left out for no cap.`,
    );
  }
}

/**
 * The viewer-count badge for a number you already have (server-rendered, from
 * `useRoomsOccupancy`, from your own backend). {@link ViewerCount} is the live version.
 *
 * A polite `role="status"` region whose accessible name holds the exact number ("1,234
 * watching") while the eye sees the compact one ("1.2K watching"); announcements are throttled.
 * State is exposed as `data-status`, `data-capped`, `data-zero` and `data-error-code`.
 */
export const ViewerCountView = forwardRef<HTMLSpanElement, ViewerCountViewProps>(
  function ViewerCountView(
    {
      count: rawCount,
      status: statusProp,
      error,
      label: labelProp,
      max,
      compact = true,
      hideWhenZero = false,
      announce = true,
      announceIntervalMs = 5000,
      locale: localeProp,
      strings: stringOverrides,
      children,
      className,
      ...rest
    },
    ref,
  ) {
    if (process.env.NODE_ENV !== 'production') checkMax(max);
    const { strings, locale } = usePresenceKitStrings(stringOverrides, localeProp);
    const count = rawCount === undefined ? undefined : toCount(rawCount);
    const status: HookStatus = statusProp ?? (count === undefined ? 'loading' : 'ready');
    const showNumber = count !== undefined && status !== 'error';
    const formatted = formatCount(count ?? 0, { locale, compact, max });
    const plural = pluralCategory(count ?? 0, locale);
    const labelSource = labelProp ?? strings.viewerCountLabel;
    const label = typeof labelSource === 'function' ? labelSource(count ?? 0, plural) : labelSource;
    const accessibleLabel =
      status === 'error'
        ? strings.viewerCountError
        : showNumber
          ? `${formatted.exact} ${label}`
          : strings.viewerCountLoading;
    const announced = useThrottledAnnouncement(accessibleLabel, announceIntervalMs, announce);

    const state: ViewerCountState = {
      ...formatted,
      count,
      status,
      error,
      label,
      accessibleLabel,
    };

    return (
      <span
        ref={ref}
        role="status"
        aria-live={announce ? 'polite' : 'off'}
        aria-atomic="true"
        aria-label={accessibleLabel}
        aria-busy={status === 'loading' ? true : undefined}
        className={cx('pk-root pk-viewer-count', className)}
        data-status={status}
        data-capped={formatted.capped && showNumber ? '' : undefined}
        data-zero={count === 0 ? '' : undefined}
        data-error-code={error instanceof PresenceKitError ? error.code : undefined}
        hidden={hideWhenZero && count === 0 && status !== 'error' ? true : undefined}
        {...rest}
      >
        {children ? (
          <span aria-hidden="true">{children(state)}</span>
        ) : status === 'loading' && count === undefined ? (
          <span className="pk-viewer-count__skeleton" aria-hidden="true" />
        ) : showNumber ? (
          <span aria-hidden="true">
            <span className="pk-viewer-count__number">{formatted.text}</span>{' '}
            <span className="pk-viewer-count__label">{label}</span>
          </span>
        ) : (
          <span className="pk-viewer-count__error" aria-hidden="true">
            –
          </span>
        )}
        <span style={visuallyHidden}>{announced}</span>
      </span>
    );
  },
);
