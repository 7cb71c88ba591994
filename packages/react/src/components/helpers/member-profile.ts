import { type MemberStatus, memberStatus } from './member-status';
import { type AvatarUrlMember, type AvatarUrlResolver, resolveAvatarUrl } from './safe-avatar-url';

/**
 * What the components show for one presence entry (member or person), read defensively from
 * untrusted presence data.
 */
export interface MemberProfile<TEntry extends ProfileSource = ProfileSource> {
  /** The presence entry (member or person) this profile was read from. */
  readonly entry: TEntry;
  /** Stable React key (the entry's `key`). */
  readonly key: string;
  readonly clientId: string;
  /** Display name: `data.name` (or `displayName`), else the clientId. */
  readonly name: string;
  /**
   * The avatar URL to load (from `data.avatar`, `avatarUrl` or `image`, passed by the
   * `avatarUrl` resolver, by default `safeAvatarUrl`), or `undefined` to show initials.
   */
  readonly avatarUrl: string | undefined;
  readonly status: MemberStatus;
  /** `true` for the local user. */
  readonly isSelf: boolean;
  /** When they left, for members kept by `leftGraceMs`. */
  readonly leftAt: number | undefined;
  /** How many connections (devices, tabs) this entry stands for. */
  readonly connectionCount: number;
}

/** The fields of a presence entry the components read; both members and people have them. */
export interface ProfileSource {
  readonly key: string;
  readonly clientId: string;
  readonly data: unknown;
  readonly isSelf: boolean;
  readonly leftAt?: number;
  readonly connections?: readonly unknown[];
}

/** Names longer than this are cut: a 1 MB name must not become a 1 MB text node in every row. */
export const MAX_NAME_LENGTH = 120;

function ownString(data: unknown, keys: readonly string[]): string | undefined {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return undefined;
  for (const key of keys) {
    if (!Object.hasOwn(data, key)) continue;
    const value = (data as Record<string, unknown>)[key];
    if (typeof value === 'string' && value.trim() !== '') return value;
  }
  return undefined;
}

function clip(text: string): string {
  if (text.length <= MAX_NAME_LENGTH) return text.trim();
  // Cut on code points so an emoji is never split into a lone surrogate.
  return `${Array.from(text).slice(0, MAX_NAME_LENGTH).join('').trim()}…`;
}

/** The display name in presence data (`name`, `displayName` or `username`), if any. */
export function nameFromData(data: unknown): string | undefined {
  const name = ownString(data, ['name', 'displayName', 'username']);
  return name === undefined ? undefined : clip(name);
}

/**
 * The avatar URL to load for `member`: the one in their presence data (`avatar`, `avatarUrl` or
 * `image`) as `resolve` (by default `safeAvatarUrl`) passes or rewrites it.
 */
export function avatarOf<TMember extends AvatarUrlMember>(
  member: TMember,
  resolve?: AvatarUrlResolver<TMember>,
): string | undefined {
  return resolveAvatarUrl(
    ownString(member.data, ['avatar', 'avatarUrl', 'image']),
    member,
    resolve,
  );
}

/**
 * Reads what the components display from a presence entry. Only own string properties are used,
 * so hostile data (prototype tricks, objects where strings belong, `javascript:` URLs, private
 * addresses) degrades to the clientId and initials. `avatarUrl` decides the avatar URL as the
 * components' prop of that name does.
 */
export function memberProfile<TEntry extends ProfileSource>(
  entry: TEntry,
  avatarUrl?: AvatarUrlResolver<TEntry>,
): MemberProfile<TEntry> {
  return {
    entry,
    key: entry.key,
    clientId: entry.clientId,
    name: nameFromData(entry.data) ?? clip(entry.clientId),
    avatarUrl: avatarOf(entry, avatarUrl),
    status: memberStatus(entry.data, entry.leftAt),
    isSelf: entry.isSelf,
    leftAt: entry.leftAt,
    connectionCount: entry.connections?.length ?? 1,
  };
}
