/** Median of the values (mean of the middle two for an even count); NaN for none. */
export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

/** Percentile `p` (0–100) by linear interpolation between closest ranks; NaN for none. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (rank - lo);
}

/**
 * Median where `null` means "never got there" and ranks above every number; `null` when the
 * median run never got there.
 */
export function medianOrNull(values: readonly (number | null)[]): number | null {
  if (values.length === 0) return null;
  const m = median(values.map((v) => v ?? Infinity));
  return Number.isFinite(m) ? m : null;
}

/** `a / b`, or `null` when either is missing or `b` is 0. */
export function ratio(a: number | null, b: number | null): number | null {
  if (a === null || b === null || b === 0 || !Number.isFinite(a) || !Number.isFinite(b))
    return null;
  return a / b;
}

/** Rounds to `digits` significant digits (keeps JSON readable). */
export function round(value: number, digits = 4): number {
  if (!Number.isFinite(value) || value === 0) return value;
  return Number(value.toPrecision(digits));
}
