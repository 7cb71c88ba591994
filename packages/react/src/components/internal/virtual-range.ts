/** Input to {@link virtualRange}. All lengths in CSS pixels. */
export interface VirtualRangeInput {
  /** Rows in the list. */
  count: number;
  /** Height of every row (rows have a fixed height, which keeps the maths O(1)). */
  rowHeight: number;
  /** Visible height of the scrolling viewport. */
  viewportHeight: number;
  /** How far the viewport is scrolled. */
  scrollOffset: number;
  /** Extra rows rendered above and below the visible ones, so fast scrolling shows no gaps. */
  overscan: number;
}

/** Which rows to render: indexes `start` (inclusive) to `end` (exclusive). */
export interface VirtualRange {
  readonly start: number;
  readonly end: number;
  /** Offset of row `start` from the top of the list. */
  readonly offset: number;
  /** Height of the whole list, so the scrollbar reflects every row. */
  readonly totalHeight: number;
}

/**
 * The window of rows to render for a fixed-row-height list. O(1) in the number of rows, so a list
 * of 10,000 members costs the same DOM as a list of 20.
 */
export function virtualRange(input: VirtualRangeInput): VirtualRange {
  const count = Math.max(0, Math.floor(input.count));
  const rowHeight = Math.max(1, input.rowHeight);
  const totalHeight = count * rowHeight;
  const viewport = Math.max(0, input.viewportHeight);
  // Clamp: the scroll offset can briefly exceed the list while it shrinks under churn.
  const scroll = Math.min(Math.max(0, input.scrollOffset), Math.max(0, totalHeight - viewport));
  const first = Math.floor(scroll / rowHeight);
  const visible = Math.ceil((scroll + viewport) / rowHeight) - first;
  const start = Math.max(0, first - input.overscan);
  const end = Math.min(count, first + visible + input.overscan);
  return { start, end: Math.max(start, end), offset: start * rowHeight, totalHeight };
}
