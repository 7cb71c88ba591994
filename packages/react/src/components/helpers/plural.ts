const rules = new Map<string, Intl.PluralRules>();

/**
 * The CLDR plural category of `count` in `locale` ("one", "few", "many", "other", …), so strings
 * can say "1 person" / "2 people" / "5 osób" correctly.
 */
export function pluralCategory(
  count: number,
  locale?: string | readonly string[],
): Intl.LDMLPluralRule {
  const key = String(locale);
  let pr = rules.get(key);
  if (!pr) {
    pr = new Intl.PluralRules(locale);
    rules.set(key, pr);
  }
  return pr.select(count);
}
