const formatters = new Map<string, Intl.RelativeTimeFormat>();

const UNITS: readonly [Intl.RelativeTimeFormatUnit, number][] = [
  ['second', 60],
  ['minute', 60],
  ['hour', 24],
  ['day', 7],
  ['week', 4.345],
  ['month', 12],
  ['year', Infinity],
];

/**
 * "now", "5 minutes ago", "yesterday" in the given locale, for `timestamp` as seen at `now`
 * (both milliseconds since the epoch).
 */
export function formatRelativeTime(
  timestamp: number,
  now: number,
  locale?: string | readonly string[],
): string {
  const key = String(locale);
  let rtf = formatters.get(key);
  if (!rtf) {
    rtf = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
    formatters.set(key, rtf);
  }
  // Clock skew between clients can put an event slightly in the future: call it "now".
  let amount = Math.min(0, (timestamp - now) / 1000);
  for (const [unit, perNext] of UNITS) {
    if (Math.abs(amount) < perNext) {
      // Under ten seconds everything reads "now"; counting seconds up is noise.
      if (unit === 'second' && amount > -10) return rtf.format(0, 'second');
      return rtf.format(Math.round(amount), unit);
    }
    amount /= perNext;
  }
  return rtf.format(Math.round(amount), 'year');
}

/** How long until {@link formatRelativeTime} would say something different, to schedule a re-render. */
export function relativeTimeRefreshMs(timestamp: number, now: number): number {
  const age = Math.max(0, now - timestamp);
  if (age < 60_000) return 10_000;
  if (age < 3_600_000) return 60_000;
  return 3_600_000;
}
