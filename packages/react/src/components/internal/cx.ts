/** Joins class names, skipping empty ones; ours first so the caller's can override by order too. */
export function cx(...names: (string | false | null | undefined)[]): string {
  return names.filter(Boolean).join(' ');
}
