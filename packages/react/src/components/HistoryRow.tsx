import type { CSSProperties, ReactNode } from 'react';

import type { PresenceHistoryEvent } from '../core/types';
import { AvatarFrame } from './Avatar';
import { avatarOf, nameFromData } from './helpers/member-profile';
import { formatRelativeTime } from './helpers/relative-time';
import type { AvatarUrlResolver } from './helpers/safe-avatar-url';
import { formatDateTime } from './internal/format-date-time';
import { renderTemplate } from './internal/render-template';
import type { PresenceKitStrings } from './strings';

/** What `renderEvent` receives besides the event: display-ready facts read from its data. */
export interface PresenceHistoryItem {
  /** The member's display name (from data, else the clientId). Untrusted: render it as text. */
  readonly name: string;
  /** The avatar URL to load (decided by `avatarUrl`, by default `safeAvatarUrl`), or `undefined`. */
  readonly avatarUrl: string | undefined;
  /** "2 minutes ago" in the locale. */
  readonly relativeTime: string;
}

/** Props of {@link HistoryRow}. */
export interface HistoryRowProps {
  event: PresenceHistoryEvent<unknown>;
  /** Where the entry is in the whole timeline, from 1 (`aria-posinset`). */
  position: number;
  /** How many entries the timeline has (`aria-setsize`). */
  setSize: number;
  style: CSSProperties;
  renderEvent:
    ((event: PresenceHistoryEvent<unknown>, item: PresenceHistoryItem) => ReactNode) | undefined;
  showAvatars: boolean;
  avatarSize: number;
  avatarUrl: AvatarUrlResolver<PresenceHistoryEvent<unknown>>;
  /** The time "2 minutes ago" counts from, in milliseconds since the epoch. */
  now: number;
  strings: PresenceKitStrings;
  locale: string | undefined;
}

/**
 * One entry of the timeline: who did what ("Ada joined", the name isolated as untrusted text)
 * and when (relative, with the full date and time as its title); `renderEvent` replaces what is
 * inside the list item.
 */
export function HistoryRow({
  event,
  position,
  setSize,
  style,
  renderEvent,
  showAvatars,
  avatarSize,
  avatarUrl,
  now,
  strings,
  locale,
}: HistoryRowProps): ReactNode {
  const name = nameFromData(event.data) ?? event.clientId;
  const item: PresenceHistoryItem = {
    name,
    avatarUrl: avatarOf(event, avatarUrl),
    relativeTime: formatRelativeTime(event.timestamp, now, locale),
  };
  return (
    <li
      className="pk-presence-history__event"
      data-action={event.action}
      style={style}
      aria-posinset={position}
      aria-setsize={setSize}
    >
      {renderEvent ? (
        renderEvent(event, item)
      ) : (
        <>
          {showAvatars ? (
            <AvatarFrame
              name={name}
              clientId={event.clientId}
              url={item.avatarUrl}
              size={avatarSize}
              decorative
            />
          ) : null}
          <span className="pk-presence-history__text">
            {renderTemplate(strings.historyEvent[event.action], <bdi>{name}</bdi>)}
          </span>{' '}
          <time
            className="pk-presence-history__time"
            dateTime={new Date(event.timestamp).toISOString()}
            title={formatDateTime(event.timestamp, locale)}
            // Server and browser clocks differ by the time it takes to hydrate.
            suppressHydrationWarning
          >
            {item.relativeTime}
          </time>
        </>
      )}
    </li>
  );
}
