/** What {@link unlistedCount} needs of a listed entry. */
export interface ListedEntry {
  /** Set when the entry left and is only kept for display: it stands for nobody present. */
  readonly leftAt: number | undefined;
  /** Connections (devices, tabs) the entry stands for. */
  readonly connectionCount: number;
}

/**
 * How many of `total` are not in the list: "+N others" when a room holds more than its presence
 * set lists (large audiences past Ably's presence limit, or a list capped on the server).
 * `total` counts connections (occupancy's `connections` or `presenceMembers`), so each present
 * entry takes away the connections it stands for: one person on two tabs is two of `total`, not
 * one, and is not counted again among the others. Never negative: occupancy can lag behind
 * presence events.
 */
export function unlistedCount(total: number | undefined, listed: readonly ListedEntry[]): number {
  if (total === undefined) return 0;
  let connections = 0;
  for (const entry of listed) if (entry.leftAt === undefined) connections += entry.connectionCount;
  return Math.max(0, total - connections);
}
