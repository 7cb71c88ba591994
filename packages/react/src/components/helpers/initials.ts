// Grapheme-aware so "Émile", "🦊 Fox" and "李小龍" give whole characters, never half a surrogate pair.
const segmenter =
  typeof Intl !== 'undefined' && 'Segmenter' in Intl
    ? new Intl.Segmenter(undefined, { granularity: 'grapheme' })
    : undefined;

function firstGrapheme(word: string): string {
  if (segmenter) {
    for (const { segment } of segmenter.segment(word)) return segment;
    return '';
  }
  return Array.from(word)[0] ?? '';
}

// Bidi controls and zero-width spaces would make invisible or reordered initials. (Zero-width
// joiners stay: they hold emoji sequences such as 👩🏽‍💻 together.)
const INVISIBLE = /[\u200B\u200E\u200F\u202A-\u202E\u2060\u2066-\u2069\uFEFF]/g;
// Punctuation and symbols other than emoji ("<b>", "=", "$") are not initials.
const LEADING_MARKS = /^[\p{P}\p{Sm}\p{Sc}\p{Sk}]+/u;

/**
 * One or two letters for an avatar placeholder: the first letters of the first and last word of
 * `name` ("Ada Lovelace" → "AL"), or of `fallback` (typically the clientId) when the name has none.
 */
export function initials(name: string, fallback = '?'): string {
  const words = name
    .replace(INVISIBLE, '')
    .split(/\s+/u)
    .map((word) => word.replace(LEADING_MARKS, ''))
    .filter((word) => word !== '');
  // A clientId such as "user-42" reads as words split by its separators: "U4".
  if (words.length === 0)
    return fallback === '?' ? '?' : initials(fallback.replace(/[-_.@:/]+/g, ' '));
  const first = firstGrapheme(words[0] ?? '');
  const last = words.length > 1 ? firstGrapheme(words[words.length - 1] ?? '') : '';
  return (first + last).toLocaleUpperCase();
}
