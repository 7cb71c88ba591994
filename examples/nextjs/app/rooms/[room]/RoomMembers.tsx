'use client';

import {
  type PresenceMember,
  PresenceListView,
  useSuspensePresenceMembers,
} from '@presencekit/react';

import type { Profile } from '../../../lib/rooms';

/** The member list: the server's members (streamed with the HTML) until the live list is known. */
export function RoomMembers({ initialData }: { initialData: Promise<PresenceMember<Profile>[]> }) {
  const { members, status, error } = useSuspensePresenceMembers<Profile>({
    groupBy: 'clientId',
    initialData,
  });
  return (
    <PresenceListView
      variant="list"
      members={members}
      status={status}
      error={error}
      maxHeight={480}
      data-testid="member-list"
    />
  );
}
