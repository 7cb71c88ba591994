import { ChatClient, LogLevel } from '@ably/chat';
import {
  ChatClientProvider,
  ChatRoomProvider,
  useOccupancy,
  usePresence,
  usePresenceHistory,
  usePresenceMembers,
} from '@presencekit/react';
import { cleanup } from '@testing-library/react';
import * as Ably from 'ably';
import { type ReactNode, StrictMode, useEffect } from 'react';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';

import { closeRealtime } from '@presencekit/test-utils';
import { EmulatorProcess } from '../harness/emulator-process';
import { type Outcome, type Report, outcomeOf } from '../harness/outcome';

/**
 * Bad input to the library from JavaScript callers (no type checker to help them): odd room
 * names, presence data that cannot be sent, wrong option types, missing or misnested providers.
 * Each must end as a typed `PresenceKitError` or render normally — never an untyped crash, never
 * a boundary-escaping throw, never a hook stuck in 'loading'. Which way follows the one rule of
 * `packages/react/src/core/errors.ts` (these tests run the development build):
 * - a wiring mistake (a missing or misnested provider) is thrown to the nearest error boundary;
 * - a runtime failure (the server refuses a name or a message) lands in `status`/`error`;
 * - a wrong option or prop type (including presence data with no JSON text and a room name that
 *   is not a non-empty string) is thrown as `invalid_argument`, in development only: production
 *   builds drop those checks (`packages/react/test/production.test.tsx` shows both builds).
 */

let proc: EmulatorProcess;
const clients: Ably.Realtime[] = [];

beforeAll(async () => {
  proc = await EmulatorProcess.start({ leaveGraceMs: 0, occupancyDebounceMs: 20 });
});
afterEach(async () => {
  cleanup();
  await Promise.all(clients.splice(0).map((c) => closeRealtime(c)));
});
afterAll(async () => {
  await proc.stop();
});

function chatClient(clientId = 'tester'): ChatClient {
  const realtime = new Ably.Realtime({ ...proc.clientOptions(), clientId, logLevel: 0 });
  clients.push(realtime);
  return new ChatClient(realtime, { logLevel: LogLevel.Silent });
}

/** Every read hook plus usePresence, reporting their status and error. */
function AllHooks({ report, data }: { report: Report; data?: unknown }) {
  const occupancy = useOccupancy();
  const members = usePresenceMembers();
  const history = usePresenceHistory();
  const self = usePresence(data);
  const hooks = [occupancy, members, history, self].map(({ status, error }) => ({ status, error }));
  useEffect(() => report(hooks));
  return null;
}

function inRoom(name: unknown, children: ReactNode, client = chatClient()): ReactNode {
  return (
    <StrictMode>
      <ChatClientProvider client={client}>
        <ChatRoomProvider name={name as string}>{children}</ChatRoomProvider>
      </ChatClientProvider>
    </StrictMode>
  );
}

/** Settled without a crash: typed error codes only, or a clean render. */
function expectSafe(outcome: Outcome): void {
  expect(outcome.kind, JSON.stringify(outcome)).not.toBe('stuck');
  if (outcome.kind === 'caught') expect(outcome.code, outcome.message).toBeDefined();
  if (outcome.kind === 'rendered') expect(outcome.codes).not.toContain('?');
}

const results: Record<string, string> = {};
afterAll(() => {
  console.log(
    `[library-input]\n${Object.entries(results)
      .map(([k, v]) => `  ${k}: ${v}`)
      .join('\n')}`,
  );
});
function record(name: string, outcome: Outcome): Outcome {
  results[name] =
    outcome.kind === 'caught'
      ? `thrown to boundary: ${outcome.code ?? outcome.name}`
      : outcome.kind === 'stuck'
        ? `STUCK ${outcome.statuses.join('/')}`
        : `${outcome.statuses.join('/')}${outcome.codes.length ? ` (${outcome.codes.join(', ')})` : ''}`;
  return outcome;
}

describe('room names', () => {
  test.each<[string, unknown]>([
    ['5,000 characters', 'r'.repeat(5000)],
    ['a [meta] channel', '[meta]x'],
    ['emoji and a bidi override', '💥\u202eroom'],
    ['__proto__', '__proto__'],
    ['whitespace', ' '],
    ['URL characters', 'a/b?c#d%zz'],
    ['a chat suffix', 'x::$chat'],
  ])('%s', async (name, roomName) => {
    const outcome = record(
      `room name: ${name}`,
      await outcomeOf((report) => inRoom(roomName, <AllHooks report={report} />)),
    );
    expectSafe(outcome);
  });

  test.each<[string, unknown]>([
    ['empty', ''],
    ['a number', 42],
    ['null', null],
  ])('%s: a wrong type, thrown as invalid_argument (development)', async (name, roomName) => {
    const outcome = record(
      `room name: ${name}`,
      await outcomeOf((report) => inRoom(roomName, <AllHooks report={report} />)),
    );
    expect(outcome).toMatchObject({ kind: 'caught', code: 'invalid_argument' });
    expect((outcome as { message: string }).message).toMatch(/non-empty name/);
  });
});

describe('presence data', () => {
  const circular: Record<string, unknown> = { name: 'loop' };
  circular.self = circular;
  test.each<[string, unknown, string | undefined]>([
    ['a cycle', circular, 'invalid_argument'],
    ['a BigInt', { n: 10n }, 'invalid_argument'],
    ['a function', () => 'hi', 'invalid_argument'],
    ['a symbol', Symbol('s'), 'invalid_argument'],
    ['over the 64 KiB message limit', { blob: 'x'.repeat(100_000) }, 'presence_enter_failed'],
    [
      'hostile strings',
      { name: '<img src=x onerror=alert(1)>', avatar: 'javascript:alert(1)' },
      undefined,
    ],
    ['a bidi override', { name: '\u202eevil' }, undefined],
  ])('%s', async (name, data, code) => {
    const outcome = record(
      `presence data: ${name}`,
      await outcomeOf((report) => inRoom(`data-${name}`, <AllHooks report={report} data={data} />)),
    );
    expectSafe(outcome);
    if (code === undefined) {
      expect(outcome).toMatchObject({ kind: 'rendered', codes: [] });
    } else if (code === 'invalid_argument') {
      // Data with no JSON text is a wrong type: thrown in development.
      expect(outcome).toMatchObject({ kind: 'caught', code });
      expect((outcome as { message: string }).message).toMatch(/pass plain JSON data/);
    } else {
      // The server refusing a message is a runtime failure: in `error`.
      expect(outcome.kind).toBe('rendered');
      expect((outcome as { codes: string[] }).codes).toContain(code);
    }
  });
});

describe('wrong option and prop types from JavaScript', () => {
  const cases: [string, (report: Report) => ReactNode][] = [
    [
      'useOccupancy({ updates: "sometimes" })',
      (r) => <One report={r} use={() => useOccupancy({ updates: 'sometimes' as never })} />,
    ],
    [
      'useOccupancy({ pollIntervalMs: -1 })',
      (r) => <One report={r} use={() => useOccupancy({ pollIntervalMs: -1 })} />,
    ],
    [
      'useOccupancy({ room: {} })',
      (r) => <One report={r} use={() => useOccupancy({ room: {} as never })} />,
    ],
    [
      'usePresenceMembers({ groupBy: "person" })',
      (r) => <One report={r} use={() => usePresenceMembers({ groupBy: 'person' as never })} />,
    ],
    [
      'usePresenceMembers({ leftGraceMs: "soon" })',
      (r) => <One report={r} use={() => usePresenceMembers({ leftGraceMs: 'soon' as never })} />,
    ],
    [
      'usePresenceMembers({ selector: 42 })',
      (r) => <One report={r} use={() => usePresenceMembers({ selector: 42 as never })} />,
    ],
    [
      'usePresenceHistory({ limit: -1 })',
      (r) => <One report={r} use={() => usePresenceHistory({ limit: -1 })} />,
    ],
    [
      'usePresenceHistory({ direction: "up" })',
      (r) => <One report={r} use={() => usePresenceHistory({ direction: 'up' as never })} />,
    ],
    [
      'usePresence(data, { room: "lobby" })',
      (r) => <One report={r} use={() => usePresence({}, { room: 'lobby' as never })} />,
    ],
    [
      'usePresence(data, { autoEnter: "yes" })',
      (r) => <One report={r} use={() => usePresence({}, { autoEnter: 'yes' as never })} />,
    ],
  ];
  test.each(cases)('%s', async (name, subject) => {
    const outcome = record(
      name,
      await outcomeOf((report) => inRoom(`props-${name}`, subject(report))),
    );
    expectSafe(outcome);
    // Every one of these is a mistake the caller must hear about: thrown in development.
    expect(outcome).toMatchObject({ kind: 'caught', code: 'invalid_argument' });
  });

  test('<ChatClientProvider client={{}}> (not a ChatClient)', async () => {
    const outcome = record(
      '<ChatClientProvider client={{}}>',
      await outcomeOf((report) =>
        inRoom('not-a-client', <AllHooks report={report} />, {} as never),
      ),
    );
    expect(outcome).toMatchObject({ kind: 'caught', code: 'invalid_argument' });
    expect((outcome as { message: string }).message).toMatch(
      /^<ChatClientProvider> got client: an object: pass a ChatClient/,
    );
  });
});

/** Calls one hook and reports it. */
function One({ report, use }: { report: Report; use: () => { status: string; error: unknown } }) {
  const { status, error } = use();
  useEffect(() => report([{ status, error }]));
  return null;
}

describe('missing or misnested providers', () => {
  test.each<[string, (report: Report) => ReactNode, string]>([
    ['a hook with no provider', (r) => <AllHooks report={r} />, 'missing_room_provider'],
    [
      'a hook under <ChatClientProvider> only',
      (r) => (
        <ChatClientProvider client={chatClient()}>
          <AllHooks report={r} />
        </ChatClientProvider>
      ),
      'missing_room_provider',
    ],
    [
      '<ChatRoomProvider> with no client',
      (r) => (
        <ChatRoomProvider name="orphan">
          <AllHooks report={r} />
        </ChatRoomProvider>
      ),
      'missing_client_provider',
    ],
    [
      'providers nested the wrong way round',
      (r) => (
        <ChatRoomProvider name="inverted">
          <ChatClientProvider client={chatClient()}>
            <AllHooks report={r} />
          </ChatClientProvider>
        </ChatRoomProvider>
      ),
      'missing_client_provider',
    ],
    [
      '<ChatClientProvider> without a client',
      (r) => (
        <ChatClientProvider client={undefined as never}>
          <ChatRoomProvider name="no-client">
            <AllHooks report={r} />
          </ChatRoomProvider>
        </ChatClientProvider>
      ),
      'missing_client_provider',
    ],
  ])('%s', async (name, subject, code) => {
    const outcome = record(name, await outcomeOf(subject));
    expect(outcome).toMatchObject({ kind: 'caught', code });
    expect((outcome as { message: string }).message).toMatch(/Provider/);
  });
});
