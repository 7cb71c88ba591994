import type { PresenceAction } from '../core/types';
import type { MemberStatus } from './helpers/member-status';

/**
 * A message about a number of people.
 *
 * @param count - The number.
 * @param formatted - The number formatted for the locale ("1,204").
 * @param plural - Its CLDR plural category in the locale ("one", "few", "other", …).
 */
export type CountMessage = (
  count: number,
  formatted: string,
  plural: Intl.LDMLPluralRule,
) => string;

/**
 * Every piece of text the components render or announce. Override any subset with
 * `<PresenceKitStringsProvider strings={…}>` or a component's `strings` prop.
 *
 * Templates marked with `{name}` get the member's name inserted inside a `<bdi>`, so names in
 * another script or direction never reorder the sentence around them.
 */
export interface PresenceKitStrings {
  /** Words after the viewer count ("1.2K **watching**"). */
  viewerCountLabel: (count: number, plural: Intl.LDMLPluralRule) => string;
  /** Accessible name of the viewer count while it loads. */
  viewerCountLoading: string;
  /** Shown (and announced) when the count is unavailable. */
  viewerCountError: string;
  /** Accessible name of the member list: "12 people here". */
  presenceListLabel: CountMessage;
  /** Shown when nobody is present. */
  presenceListEmpty: string;
  /** Accessible name of the member list while it loads. */
  presenceListLoading: string;
  /** Shown when the member list is unavailable. */
  presenceListError: string;
  /** Marks the local user: "Ada **(you)**". */
  you: string;
  /**
   * Visible text of the overflow button: "+5". A short numeric token, shown left to right in
   * every direction (so right-to-left pages read "+5", not "5+"); words belong in
   * `moreButtonLabel`, or render your own with `renderMore`.
   */
  moreButton: CountMessage;
  /** Accessible name of the overflow button: "Show 5 more people". */
  moreButtonLabel: CountMessage;
  /** Accessible name of the overflow popover: "5 more people". */
  morePopoverLabel: CountMessage;
  /** "… and 1,204 others not listed" at the end of the popover, when `total` exceeds the list. */
  unlisted: CountMessage;
  /** Status names. */
  status: Readonly<Record<MemberStatus, string>>;
  /** "on 2 devices" after a person present on several connections. */
  devices: CountMessage;
  /** Announced when people join, throttled: "Ada joined" / "3 people joined". */
  announceJoined: (
    names: readonly string[],
    formatted: string,
    plural: Intl.LDMLPluralRule,
  ) => string;
  /** Announced when people leave, throttled. */
  announceLeft: (
    names: readonly string[],
    formatted: string,
    plural: Intl.LDMLPluralRule,
  ) => string;
  /** Accessible name of the history timeline. */
  historyLabel: string;
  /** One timeline entry per action, `{name}` is replaced by the member's name. */
  historyEvent: Readonly<Record<PresenceAction, string>>;
  /** Shown when the history is empty. */
  historyEmpty: string;
  /** Accessible name of the timeline while it loads. */
  historyLoading: string;
  /** Shown when the history is unavailable. */
  historyError: string;
  /** The "load more" button. */
  loadMore: string;
  /** The "load more" button while loading. */
  loadingMore: string;
}

const people = (formatted: string, plural: Intl.LDMLPluralRule) =>
  `${formatted} ${plural === 'one' ? 'person' : 'people'}`;

const listNames = (names: readonly string[], formatted: string, plural: Intl.LDMLPluralRule) =>
  names.length === 1 ? (names[0] ?? '') : people(formatted, plural);

/** The built-in English strings. */
export const defaultStrings: PresenceKitStrings = {
  viewerCountLabel: () => 'watching',
  viewerCountLoading: 'Loading viewer count',
  viewerCountError: 'Viewer count unavailable',
  presenceListLabel: (_, formatted, plural) => `${people(formatted, plural)} here`,
  presenceListEmpty: 'Nobody is here yet',
  presenceListLoading: 'Loading who is here',
  presenceListError: 'Could not load who is here',
  you: '(you)',
  moreButton: (_, formatted) => `+${formatted}`,
  moreButtonLabel: (_, formatted, plural) =>
    `Show ${formatted} more ${plural === 'one' ? 'person' : 'people'}`,
  morePopoverLabel: (_, formatted, plural) =>
    `${formatted} more ${plural === 'one' ? 'person' : 'people'}`,
  unlisted: (_, formatted, plural) =>
    `and ${formatted} ${plural === 'one' ? 'other' : 'others'} not listed`,
  status: { online: 'Online', away: 'Away', busy: 'Busy', left: 'Left' },
  devices: (_, formatted) => `on ${formatted} devices`,
  announceJoined: (names, formatted, plural) => `${listNames(names, formatted, plural)} joined`,
  announceLeft: (names, formatted, plural) => `${listNames(names, formatted, plural)} left`,
  historyLabel: 'Presence history',
  historyEvent: {
    enter: '{name} joined',
    leave: '{name} left',
    update: '{name} updated their status',
    present: '{name} was here',
    absent: '{name} was away',
  },
  historyEmpty: 'No activity yet',
  historyLoading: 'Loading activity',
  historyError: 'Could not load activity',
  loadMore: 'Load more',
  loadingMore: 'Loading…',
};
