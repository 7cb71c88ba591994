import { type ReactNode, useEffect, useRef, useState } from 'react';

/** Height of every body row, in px; styles.css gives rows this height. */
export const ROW_HEIGHT = 32;

/** Rows rendered above and below the visible ones, so fast scrolling shows no gaps. */
const OVERSCAN = 8;

export interface Column<T> {
  header: string;
  /** CSS width (the table's layout is fixed: rows never change height). */
  width: string;
  cell: (row: T) => ReactNode;
}

interface WindowedTableProps<T> {
  /** Names the table and its scroll region. */
  label: string;
  rows: readonly T[];
  rowKey: (row: T) => string;
  columns: readonly Column<T>[];
  /** Said in place of rows when there are none. */
  empty: string;
}

/**
 * A table of any number of rows that puts only those in view (and a few more) in the DOM: spacer
 * rows stand for the others, and `aria-rowcount` / `aria-rowindex` tell assistive technology where
 * each rendered row is. The scroll region is focusable, so the keyboard scrolls it.
 */
export function WindowedTable<T>({ label, rows, rowKey, columns, empty }: WindowedTableProps<T>) {
  const scroller = useRef<HTMLDivElement>(null);
  const [view, setView] = useState({ top: 0, height: 10 * ROW_HEIGHT });

  useEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const measure = () => setView({ top: el.scrollTop, height: el.clientHeight });
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  const first = Math.max(0, Math.floor(view.top / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(rows.length, Math.ceil((view.top + view.height) / ROW_HEIGHT) + OVERSCAN);
  const above = first * ROW_HEIGHT;
  const below = (rows.length - last) * ROW_HEIGHT;

  return (
    <div
      ref={scroller}
      className="table-scroll"
      role="region"
      aria-label={label}
      tabIndex={0}
      onScroll={(event) =>
        setView({ top: event.currentTarget.scrollTop, height: event.currentTarget.clientHeight })
      }
    >
      <table aria-label={label} aria-rowcount={rows.length + 1}>
        <colgroup>
          {columns.map((column) => (
            <col key={column.header} style={{ width: column.width }} />
          ))}
        </colgroup>
        <thead>
          <tr aria-rowindex={1}>
            {columns.map((column) => (
              <th key={column.header} scope="col">
                {column.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {above > 0 && (
            <tr aria-hidden="true" className="spacer" style={{ height: above }}>
              <td colSpan={columns.length} />
            </tr>
          )}
          {rows.slice(first, last).map((row, i) => (
            <tr key={rowKey(row)} aria-rowindex={first + i + 2}>
              {columns.map((column) => (
                <td key={column.header}>{column.cell(row)}</td>
              ))}
            </tr>
          ))}
          {below > 0 && (
            <tr aria-hidden="true" className="spacer" style={{ height: below }}>
              <td colSpan={columns.length} />
            </tr>
          )}
          {rows.length === 0 && (
            <tr>
              <td colSpan={columns.length} className="empty">
                {empty}
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}
