const formatters = new Map<string, Intl.DateTimeFormat>();

/** The absolute date and time ("23 Nov 2026, 10:15") for a tooltip next to a relative time. */
export function formatDateTime(timestamp: number, locale?: string | readonly string[]): string {
  const key = String(locale);
  let dtf = formatters.get(key);
  if (!dtf) {
    dtf = new Intl.DateTimeFormat(locale as string | string[] | undefined, {
      dateStyle: 'medium',
      timeStyle: 'short',
    });
    formatters.set(key, dtf);
  }
  return dtf.format(timestamp);
}
