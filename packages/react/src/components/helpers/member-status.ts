/** What a member is doing, as shown next to their name. `'left'` is a member kept by `leftGraceMs`. */
export type MemberStatus = 'online' | 'away' | 'busy' | 'left';

/**
 * The status a member announced in their presence data (`{ status: 'away' }`), `'left'` for a
 * member who has left, and `'online'` for anything else, including missing or malformed data.
 */
export function memberStatus(data: unknown, leftAt?: number): MemberStatus {
  if (leftAt !== undefined) return 'left';
  if (typeof data === 'object' && data !== null && Object.hasOwn(data, 'status')) {
    const status = (data as { status: unknown }).status;
    if (status === 'away' || status === 'busy' || status === 'online') return status;
  }
  return 'online';
}
