import { formatCount } from '../helpers/format-count';
import { pluralCategory } from '../helpers/plural';
import type { CountMessage } from '../strings';

/** `message` for `n`, with the exact number in the locale's digits and its plural category. */
export function countText(message: CountMessage, n: number, locale: string | undefined): string {
  return message(n, formatCount(n, { locale, compact: false }).exact, pluralCategory(n, locale));
}
