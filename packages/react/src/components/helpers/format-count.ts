/** How {@link formatCount} renders a number. */
export interface FormatCountOptions {
  /** BCP 47 locale(s); the browser's when omitted. */
  locale?: string | readonly string[] | undefined;
  /**
   * Short form for large numbers ("1.2K", "3,4 Mio."); the exact number stays in `exact`.
   * @defaultValue `true`
   */
  compact?: boolean | undefined;
  /** Show `max+` ("99+") above this number. No cap when omitted. */
  max?: number | undefined;
}

/** A count ready to render: short text for the eye, exact text for the accessible name. */
export interface FormattedCount {
  /** The number as shown: compact and capped ("1.2K", "99+"). */
  readonly text: string;
  /** The exact number, grouped for the locale ("1,234"), for labels and screen readers. */
  readonly exact: string;
  /** `true` when `text` shows the cap instead of the number. */
  readonly capped: boolean;
}

// Intl constructors cost tens of microseconds each; a count that ticks every frame should not pay it.
const formatters = new Map<string, Intl.NumberFormat>();

function formatter(
  locale: string | readonly string[] | undefined,
  compact: boolean,
): Intl.NumberFormat {
  const key = `${String(locale)}|${compact}`;
  let nf = formatters.get(key);
  if (!nf) {
    nf = new Intl.NumberFormat(
      locale as string | string[] | undefined,
      compact ? { notation: 'compact', maximumFractionDigits: 1 } : undefined,
    );
    formatters.set(key, nf);
  }
  return nf;
}

/** A non-negative integer: negative, fractional or non-finite counts make no sense on screen. */
export function toCount(value: number): number {
  return Number.isFinite(value) && value > 0 ? Math.floor(value) : 0;
}

/**
 * Formats a head count for display: locale-aware compact notation ("1.2K") with the exact number
 * alongside, and an optional cap ("99+").
 *
 * @example
 * ```ts
 * formatCount(1234, { locale: 'en' }); // { text: '1.2K', exact: '1,234', capped: false }
 * formatCount(150, { max: 99 });       // { text: '99+', exact: '150', capped: true }
 * ```
 */
export function formatCount(value: number, options: FormatCountOptions = {}): FormattedCount {
  const { locale, compact = true, max } = options;
  const count = toCount(value);
  const exact = formatter(locale, false).format(count);
  if (max !== undefined && count > max) {
    return { text: `${formatter(locale, false).format(toCount(max))}+`, exact, capped: true };
  }
  // Below 1,000 compact and exact agree; skipping the second formatter keeps the common case cheap.
  const text = compact && count >= 1000 ? formatter(locale, true).format(count) : exact;
  return { text, exact, capped: false };
}
