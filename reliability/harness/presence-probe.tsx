import { ChatClient, LogLevel, type RoomOptions } from '@ably/chat';
import {
  ChatClientProvider,
  ChatRoomProvider,
  type HookStatus,
  useOccupancy,
  usePresence,
  usePresenceMembers,
} from '@presencekit/react';
import { render } from '@testing-library/react';
import * as Ably from 'ably';
import { StrictMode, useEffect } from 'react';

import { closeRealtime } from '@presencekit/test-utils';

/** What a mounted tree last committed, and how it got there. */
export interface ProbeState {
  /** `clientId@connectionId` of every member `usePresenceMembers` lists, sorted. */
  members: string[];
  membersStatus: HookStatus | undefined;
  connections: number | undefined;
  presenceMembers: number | undefined;
  occupancyStatus: HookStatus | undefined;
  isPresent: boolean;
  presenceStatus: HookStatus | undefined;
  /** Error codes of the three hooks (members, occupancy, presence), '' for none. */
  errors: string[];
  /** Every distinct status tuple committed, in order (to see an outage reported). */
  statusHistory: string[];
  /** Effects mounted (a remount would show up here; StrictMode's dev double-mount counts 2). */
  mounts: number;
  commits: number;
}

function emptyState(): ProbeState {
  return {
    members: [],
    membersStatus: undefined,
    connections: undefined,
    presenceMembers: undefined,
    occupancyStatus: undefined,
    isPresent: false,
    presenceStatus: undefined,
    errors: [],
    statusHistory: [],
    mounts: 0,
    commits: 0,
  };
}

/** What one commit of a {@link Probe} saw. */
type Commit = Pick<
  ProbeState,
  | 'members'
  | 'membersStatus'
  | 'connections'
  | 'presenceMembers'
  | 'occupancyStatus'
  | 'isPresent'
  | 'presenceStatus'
  | 'errors'
>;

/** Reads every hook under test and reports each commit (and each mount) to the test. */
function Probe({
  report,
  data,
  enter,
}: {
  report: (commit: Commit | 'mount') => void;
  data: Record<string, unknown>;
  enter: boolean;
}) {
  const self = usePresence(data, { autoEnter: enter });
  const list = usePresenceMembers();
  const occupancy = useOccupancy();
  useEffect(() => report('mount'), [report]);
  useEffect(() =>
    report({
      members: list.members.map((m) => `${m.clientId}@${m.connectionId}`).sort(),
      membersStatus: list.status,
      connections: occupancy.connections,
      presenceMembers: occupancy.presenceMembers,
      occupancyStatus: occupancy.status,
      isPresent: self.isPresent,
      presenceStatus: self.status,
      errors: [list.error, occupancy.error, self.error].map((e) =>
        e ? `${e.code}${e.ablyCode ? `/${e.ablyCode}` : ''} "${e.message.slice(0, 160)}"` : '',
      ),
    }),
  );
  return null;
}

function reporter(state: ProbeState): (commit: Commit | 'mount') => void {
  return (commit) => {
    if (commit === 'mount') {
      state.mounts++;
      return;
    }
    state.commits++;
    Object.assign(state, commit);
    const tuple = `${commit.membersStatus}/${commit.occupancyStatus}/${commit.presenceStatus}`;
    if (state.statusHistory.at(-1) !== tuple) state.statusHistory.push(tuple);
  };
}

/** A React app on its own connection: providers, then the hooks under test, in StrictMode. */
export interface MountedTree {
  readonly clientId: string;
  readonly realtime: Ably.Realtime;
  readonly state: ProbeState;
  /** Changes the presence data the tree enters with (a re-render with new props). */
  setData(data: Record<string, unknown>): Promise<void>;
  /** Unmounts the tree and closes its client. */
  close(): Promise<void>;
}

export interface MountOptions {
  clientOptions: Ably.ClientOptions;
  clientId: string;
  room: string;
  roomOptions?: RoomOptions;
  /** Whether the tree enters presence (`usePresence`); observers do not. @defaultValue true */
  enter?: boolean;
}

/** Mounts one tree. */
export function mountTree(options: MountOptions): MountedTree {
  const { clientId, room, roomOptions, enter = true } = options;
  const realtime = new Ably.Realtime({ ...options.clientOptions, clientId });
  const chat = new ChatClient(realtime, { logLevel: LogLevel.Silent });
  const state = emptyState();
  const report = reporter(state);
  let data: Record<string, unknown> = { name: clientId, v: 0 };
  const ui = () => (
    <StrictMode>
      <ChatClientProvider client={chat}>
        <ChatRoomProvider name={room} options={roomOptions}>
          <Probe report={report} data={data} enter={enter} />
        </ChatRoomProvider>
      </ChatClientProvider>
    </StrictMode>
  );
  const view = render(ui());
  return {
    clientId,
    realtime,
    state,
    setData(next) {
      data = next;
      // rerender acts synchronously. An async act() here would interleave with other trees'
      // (chaos updates them concurrently) and leave React believing it is in an act() scope.
      view.rerender(ui());
      return Promise.resolve();
    },
    async close() {
      view.unmount();
      await closeRealtime(realtime);
    },
  };
}
