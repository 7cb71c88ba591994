// Drop-in components (styled by the optional `@presencekit/react/styles.css`) and the headless
// pieces under them, for building your own.
export { ViewerCount, type ViewerCountMetric, type ViewerCountProps } from './ViewerCount';
export {
  ViewerCountView,
  type CountLabel,
  type ViewerCountDisplayProps,
  type ViewerCountState,
  type ViewerCountViewProps,
} from './ViewerCountView';
export { PresenceList, type PresenceListProps } from './PresenceList';
export {
  PresenceListView,
  type PresenceListDisplayProps,
  type PresenceListViewProps,
} from './PresenceListView';
export { PresenceHistory, type PresenceHistoryProps } from './PresenceHistory';
export {
  PresenceHistoryView,
  type PresenceHistoryDisplayProps,
  type PresenceHistoryItem,
  type PresenceHistoryViewProps,
} from './PresenceHistoryView';
export { Avatar, type AvatarProps } from './Avatar';
export {
  PresenceKitAvatarProvider,
  type PresenceKitAvatarProviderProps,
} from './PresenceKitAvatarProvider';
export {
  PresenceKitStringsProvider,
  usePresenceKitStrings,
  type PresenceKitStringsProviderProps,
} from './PresenceKitStringsProvider';
export { defaultStrings, type CountMessage, type PresenceKitStrings } from './strings';

// Headless hooks.
export {
  usePresenceListModel,
  type PresenceListModel,
  type PresenceListModelOptions,
} from './headless/usePresenceListModel';
export {
  useVirtualRows,
  type UseVirtualRowsOptions,
  type UseVirtualRowsResult,
} from './headless/useVirtualRows';
export { useOverflowPopover, type OverflowPopover } from './headless/useOverflowPopover';
export { useThrottledAnnouncement } from './headless/useThrottledAnnouncement';
export {
  useMembershipAnnouncements,
  type MembershipAnnouncementsOptions,
} from './headless/useMembershipAnnouncements';

// Pure helpers.
export { formatCount, type FormatCountOptions, type FormattedCount } from './helpers/format-count';
export { pluralCategory } from './helpers/plural';
export { formatRelativeTime } from './helpers/relative-time';
export { initials } from './helpers/initials';
export { avatarColor } from './helpers/avatar-color';
export {
  safeAvatarUrl,
  type AvatarUrlMember,
  type AvatarUrlResolver,
} from './helpers/safe-avatar-url';
export { memberStatus, type MemberStatus } from './helpers/member-status';
export { memberProfile, type MemberProfile, type ProfileSource } from './helpers/member-profile';
