import { type UIEvent, useCallback, useRef, useState } from 'react';

import { type VirtualRange, virtualRange } from '../internal/virtual-range';

/** Options for {@link useVirtualRows}. */
export interface UseVirtualRowsOptions {
  /** Rows in the list. */
  count: number;
  /** Fixed height of every row, in CSS pixels. */
  rowHeight: number;
  /**
   * Rows rendered beyond each edge of the viewport.
   * @defaultValue `4`
   */
  overscan?: number;
  /**
   * Viewport height assumed before it is measured (and on the server), in CSS pixels.
   * @defaultValue `rowHeight * 8`
   */
  initialViewportHeight?: number;
}

/** What {@link useVirtualRows} returns. */
export interface UseVirtualRowsResult extends VirtualRange {
  /** Put on the scrolling element: it is measured and its scroll position read. */
  setViewport: (element: HTMLElement | null) => void;
  /** Put on the scrolling element's `onScroll`. */
  onScroll: (event: UIEvent<HTMLElement>) => void;
}

/**
 * Windowing for a list with a fixed row height: only the rows in view (plus `overscan`) are
 * rendered, so the DOM stays the same size whether the list has 20 or 10,000 entries.
 *
 * @example
 * ```tsx
 * const rows = useVirtualRows({ count: items.length, rowHeight: 40 });
 * return (
 *   <div ref={rows.setViewport} onScroll={rows.onScroll} style={{ overflowY: 'auto', maxHeight: 320 }}>
 *     <ul style={{ height: rows.totalHeight, paddingTop: rows.offset, boxSizing: 'border-box' }}>
 *       {items.slice(rows.start, rows.end).map((item) => <li key={item.id}>…</li>)}
 *     </ul>
 *   </div>
 * );
 * ```
 */
export function useVirtualRows(options: UseVirtualRowsOptions): UseVirtualRowsResult {
  const { count, rowHeight, overscan = 4, initialViewportHeight = rowHeight * 8 } = options;
  // Scroll is kept in whole rows: scrolling within a row changes nothing rendered, so it must not
  // re-render a list of thousands.
  const [firstRow, setFirstRow] = useState(0);
  const [viewportHeight, setViewportHeight] = useState(initialViewportHeight);
  const observer = useRef<ResizeObserver | null>(null);

  const setViewport = useCallback(
    (element: HTMLElement | null) => {
      observer.current?.disconnect();
      observer.current = null;
      if (!element) return;
      setViewportHeight(element.clientHeight || initialViewportHeight);
      setFirstRow(Math.floor(element.scrollTop / rowHeight));
      if (typeof ResizeObserver === 'undefined') return;
      observer.current = new ResizeObserver(() => {
        setViewportHeight(element.clientHeight || initialViewportHeight);
      });
      observer.current.observe(element);
    },
    [rowHeight, initialViewportHeight],
  );

  const onScroll = useCallback(
    (event: UIEvent<HTMLElement>) => {
      setFirstRow(Math.floor(event.currentTarget.scrollTop / rowHeight));
    },
    [rowHeight],
  );

  const range = virtualRange({
    count,
    rowHeight,
    viewportHeight,
    scrollOffset: firstRow * rowHeight,
    overscan,
  });
  return { ...range, setViewport, onScroll };
}
