import { useEffect, useRef, useState } from 'react';

import { type Announcer, createAnnouncer } from '../internal/announcer';
import { formatCount } from '../helpers/format-count';
import type { MemberProfile } from '../helpers/member-profile';
import { pluralCategory } from '../helpers/plural';
import type { PresenceKitStrings } from '../strings';

interface Change {
  readonly kind: 'joined' | 'left';
  readonly name: string;
}

/** Options for {@link useMembershipAnnouncements}. */
export interface MembershipAnnouncementsOptions {
  /** Announce at all. */
  enabled: boolean;
  /** At most one announcement per this many milliseconds. */
  intervalMs: number;
  /** `false` while the list is loading: the initial population is not "joining". */
  ready: boolean;
  strings: PresenceKitStrings;
  locale: string | undefined;
}

function sentence(
  changes: readonly Change[],
  kind: Change['kind'],
  strings: PresenceKitStrings,
  locale: string | undefined,
): string | null {
  const names = changes.filter((c) => c.kind === kind).map((c) => c.name);
  if (names.length === 0) return null;
  const message = kind === 'joined' ? strings.announceJoined : strings.announceLeft;
  return message(
    names,
    formatCount(names.length, { locale, compact: false }).exact,
    pluralCategory(names.length, locale),
  );
}

/**
 * Screen-reader text for people joining and leaving, throttled and summarised ("Ada joined",
 * "12 people joined. 3 people left"), to put into a polite live region. The initial load is not
 * announced; diffs are by entry key, so data updates are not mistaken for joins.
 */
export function useMembershipAnnouncements(
  profiles: readonly MemberProfile[],
  options: MembershipAnnouncementsOptions,
): string {
  const { enabled, intervalMs, ready, strings, locale } = options;
  const [message, setMessage] = useState('');
  const announcer = useRef<Announcer<Change> | null>(null);
  const previous = useRef<Map<string, MemberProfile> | null>(null);
  // The latest strings and locale, read when a summary is spoken: an inline `strings={{…}}`
  // changes identity every render and must not restart the announcer (dropping what is pending).
  const text = useRef({ strings, locale });
  useEffect(() => {
    text.current = { strings, locale };
  }, [strings, locale]);

  useEffect(() => {
    if (!enabled) return;
    const instance = createAnnouncer<Change>({
      intervalMs,
      summarize: (changes) => {
        const { strings: s, locale: l } = text.current;
        const parts = [sentence(changes, 'joined', s, l), sentence(changes, 'left', s, l)].filter(
          (part): part is string => part !== null,
        );
        return parts.length > 0 ? parts.join('. ') : null;
      },
      onAnnounce: setMessage,
    });
    announcer.current = instance;
    return () => {
      instance.dispose();
      announcer.current = null;
    };
  }, [enabled, intervalMs]);

  useEffect(() => {
    if (!enabled || !ready) {
      previous.current = null;
      return;
    }
    const current = new Map<string, MemberProfile>();
    for (const p of profiles) if (p.leftAt === undefined) current.set(p.key, p);
    const before = previous.current;
    previous.current = current;
    if (!before) return;
    for (const [key, p] of current) {
      if (!before.has(key)) announcer.current?.push({ kind: 'joined', name: p.name });
    }
    for (const [key, p] of before) {
      if (!current.has(key)) announcer.current?.push({ kind: 'left', name: p.name });
    }
  }, [profiles, enabled, ready]);

  return message;
}
