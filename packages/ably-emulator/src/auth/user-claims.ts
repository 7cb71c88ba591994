/**
 * One claim pattern: `ably.channel.<pattern>` matches channel names (an exact name, a prefix such
 * as `chat:*`, or `*`); `ably.room.<pattern>` matches @ably/chat rooms, whose channel is
 * `<room>::$chat`.
 */
interface ClaimPattern {
  readonly room: boolean;
  /** The name, or the prefix when `prefix`. */
  readonly name: string;
  readonly prefix: boolean;
  readonly value: string;
}

const CHANNEL_CLAIM = 'ably.channel.';
const ROOM_CLAIM = 'ably.room.';
const CHAT_SUFFIX = '::$chat';

/**
 * The user claims of an Ably JWT: trusted strings, per channel, that Ably adds as
 * `extras.userClaim` to what the connection publishes there (messages, ephemeral ones included,
 * and presence), which @ably/chat reads as `userClaim` (Ably docs: JWT channel-scoped claims;
 * chat: `ably.room.<roomName>`). The most specific claim that matches a channel applies.
 */
export class UserClaims {
  private readonly cache = new Map<string, string | undefined>();

  private constructor(private readonly patterns: readonly ClaimPattern[]) {}

  /**
   * The claims among a JWT's payload, or `undefined` when there are none. A claim that is not a
   * string is kept as its JSON text.
   */
  static fromJwt(payload: Readonly<Record<string, unknown>>): UserClaims | undefined {
    const patterns: ClaimPattern[] = [];
    for (const [key, raw] of Object.entries(payload)) {
      const room = key.startsWith(ROOM_CLAIM);
      if (!room && !key.startsWith(CHANNEL_CLAIM)) continue;
      const pattern = key.slice((room ? ROOM_CLAIM : CHANNEL_CLAIM).length);
      if (pattern === '' || raw === undefined || raw === null) continue;
      const prefix = pattern.endsWith('*');
      patterns.push({
        room,
        name: prefix ? pattern.slice(0, -1) : pattern,
        prefix,
        value: typeof raw === 'string' ? raw : JSON.stringify(raw),
      });
    }
    return patterns.length > 0 ? new UserClaims(patterns) : undefined;
  }

  /**
   * The claim for a channel: an exact name before a prefix, a longer prefix before a shorter one
   * (`*` last), and for a chat room's channel a room claim before a channel claim.
   */
  for(channel: string): string | undefined {
    if (this.cache.has(channel)) return this.cache.get(channel);
    const room = channel.endsWith(CHAT_SUFFIX) ? channel.slice(0, -CHAT_SUFFIX.length) : undefined;
    let best: ClaimPattern | undefined;
    let bestRank = -1;
    for (const p of this.patterns) {
      const target = p.room ? room : channel;
      if (target === undefined) continue;
      if (p.prefix ? !target.startsWith(p.name) : target !== p.name) continue;
      // Exact beats any prefix; a longer prefix beats a shorter one; rooms break ties.
      const rank = (p.prefix ? p.name.length : 1e9) * 2 + (p.room ? 1 : 0);
      if (rank > bestRank) {
        best = p;
        bestRank = rank;
      }
    }
    // Bounded: a client could publish on endless distinct names.
    if (this.cache.size > 1000) this.cache.clear();
    this.cache.set(channel, best?.value);
    return best?.value;
  }
}

/**
 * `extras` as the server passes them on: a `userClaim` the client put there itself is dropped
 * (only Ably sets it), and the connection's claim for the channel, when it has one, is set.
 */
export function withUserClaim(
  extras: Record<string, unknown> | undefined,
  claim: string | undefined,
): Record<string, unknown> | undefined {
  if (claim !== undefined) return { ...extras, userClaim: claim };
  if (extras === undefined || !Object.hasOwn(extras, 'userClaim')) return extras;
  const { userClaim: _dropped, ...rest } = extras;
  return Object.keys(rest).length > 0 ? rest : undefined;
}
