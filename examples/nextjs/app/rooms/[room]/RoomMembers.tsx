'use client';

import { type PresenceMember, PresenceListView, usePresenceMembers } from '@presencekit/react';

import type { Profile } from '../../../lib/rooms';

/** The member list, painted from the server's members until the live list is known. */
export function RoomMembers({ initialData }: { initialData: PresenceMember<Profile>[] }) {
  const { members, status, error } = usePresenceMembers<Profile>({
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
