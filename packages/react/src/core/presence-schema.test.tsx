import { render, screen } from '@testing-library/react';
import { Component, type ReactNode, StrictMode } from 'react';
import * as v from 'valibot';
import { describe, expect, test, vi } from 'vitest';
import { z } from 'zod';

import {
  Watch,
  chatClient,
  crowd,
  participant,
  recorder,
  renderStrict,
  uniqueRoomName,
} from '../../test/live';
import { usePresence, type UsePresenceResult } from '../hooks/usePresence';
import { usePresenceHistory, type UsePresenceHistoryResult } from '../hooks/usePresenceHistory';
import { usePresenceMemberIds } from '../hooks/usePresenceMemberIds';
import { type UsePresenceMembersResult, usePresenceMembers } from '../hooks/usePresenceMembers';
import { ChatClientProvider } from '../providers/ChatClientProvider';
import { ChatRoomProvider } from '../providers/ChatRoomProvider';
import type { PresenceKitError } from './errors';
import { presenceSchema } from './presence-schema';
import type { InvalidPresenceData, StandardSchemaV1 } from './standard-schema';
import type { PresenceMember } from './types';

// The real SDKs against the emulator, with two real validators: zod 4 and valibot 1.

const ZodProfile = z.object({ name: z.string().min(1), mood: z.string().default('ok') });
const ValibotProfile = v.object({ name: v.pipe(v.string(), v.minLength(1)) });

function inRoom(name: string, children: React.ReactNode, clientId = 'me') {
  return (
    <ChatClientProvider client={chatClient(clientId)}>
      <ChatRoomProvider name={name}>{children}</ChatRoomProvider>
    </ChatClientProvider>
  );
}

/** A Standard Schema that counts its checks, around a real one. */
function counted<I, O>(schema: StandardSchemaV1<I, O>) {
  const calls: unknown[] = [];
  const wrapped: StandardSchemaV1<I, O> = {
    '~standard': {
      ...schema['~standard'],
      validate: (value) => {
        calls.push(value);
        return schema['~standard'].validate(value);
      },
    },
  };
  return { schema: wrapped, calls };
}

describe('schema on the presence list hooks', () => {
  test('zod: invalid members are left out and reported once; valid data is the output', async () => {
    const name = uniqueRoomName('schema-exclude');
    const failures: InvalidPresenceData[] = [];
    const { schema: zod, calls } = counted(ZodProfile);
    const Profile = presenceSchema(zod, { onInvalidData: (f) => failures.push(f) });
    const others = await crowd(name);
    await others.enter('ada', { name: 'Ada' });
    await others.enter('mallory', { name: 42, script: '<img onerror=alert(1)>' });
    const seen = recorder<UsePresenceMembersResult<readonly PresenceMember<{ name: string }>[]>>();

    renderStrict(
      inRoom(name, <Watch hook={() => usePresenceMembers({ schema: Profile })} into={seen} />),
    );

    await vi.waitFor(() => expect(seen.current?.status).toBe('ready'), { timeout: 5000 });
    expect(seen.current?.members.map((m) => [m.clientId, m.data])).toEqual([
      ['ada', { name: 'Ada', mood: 'ok' }],
    ]);
    expect(seen.current?.count).toBe(1);
    expect(failures).toEqual([
      {
        clientId: 'mallory',
        connectionId: others.realtime.connection.id,
        data: { name: 42, script: '<img onerror=alert(1)>' },
        issues: [expect.objectContaining({ path: ['name'] })],
      },
    ]);

    // A live update that breaks the data takes the member out; fixing it brings them back.
    await others.update('ada', { name: '' });
    await vi.waitFor(() => expect(seen.current?.count).toBe(0));
    expect(failures.map((f) => f.clientId)).toEqual(['mallory', 'ada']);
    await others.update('ada', { name: 'Ada L.' });
    await vi.waitFor(() =>
      expect(seen.current?.members.map((m) => m.data?.name)).toEqual(['Ada L.']),
    );
    // One check per data sent, however many renders (StrictMode renders twice).
    expect(calls).toHaveLength(4);
  });

  test("valibot: invalidData: 'flag' keeps invalid members with their issues and no data", async () => {
    const name = uniqueRoomName('schema-flag');
    const Profile = presenceSchema(ValibotProfile);
    const others = await crowd(name);
    await others.enter('ada', { name: 'Ada' });
    await others.enter('bob', { name: '' });
    const seen = recorder<UsePresenceMembersResult<readonly PresenceMember<{ name: string }>[]>>();
    const ids = recorder<{ ids: readonly string[] }>();

    renderStrict(
      inRoom(
        name,
        <>
          <Watch
            hook={() => usePresenceMembers({ schema: Profile, invalidData: 'flag' })}
            into={seen}
          />
          <Watch hook={() => usePresenceMemberIds({ schema: Profile })} into={ids} />
        </>,
      ),
    );

    await vi.waitFor(() => expect(seen.current?.count).toBe(2), { timeout: 5000 });
    const [ada, bob] = seen.current!.members;
    expect(ada).toMatchObject({ clientId: 'ada', data: { name: 'Ada' } });
    expect(ada?.invalid).toBeUndefined();
    expect(bob).toMatchObject({ clientId: 'bob', data: undefined });
    expect(bob?.invalid?.[0]?.message).toMatch(/length/i);
    // The ids hook excludes by default: the same rows a list with that schema shows.
    await vi.waitFor(() => expect(ids.current?.ids).toHaveLength(1));
  });

  test('a schema that answers asynchronously is reported as invalid_argument', async () => {
    const name = uniqueRoomName('schema-async');
    const Async = presenceSchema(
      z
        .object({ name: z.string() })
        .refine(() => Promise.resolve(true), 'never settles synchronously'),
    );
    await (await crowd(name)).enter('ada', { name: 'Ada' });
    const seen = recorder<UsePresenceMembersResult<readonly PresenceMember<unknown>[]>>();

    renderStrict(
      inRoom(name, <Watch hook={() => usePresenceMembers({ schema: Async })} into={seen} />),
    );

    await vi.waitFor(() => expect(seen.current?.status).toBe('error'), { timeout: 5000 });
    expect(seen.current?.error?.code).toBe('invalid_argument');
    expect(seen.current?.error?.message).toMatch(/asynchronously/);
    expect(seen.current?.members).toEqual([]);
  });

  test('presenceSchema made during render throws invalid_argument in development', async () => {
    const name = uniqueRoomName('schema-inline');
    await (await crowd(name)).enter('ada', { name: 'Ada' });
    const errors: unknown[] = [];
    function Inline() {
      // The mistake: a new schema on every render.
      const { status } = usePresenceMembers({ schema: presenceSchema(ZodProfile) });
      return <p>{status}</p>;
    }
    const silence = vi.spyOn(console, 'error').mockImplementation((...args) => {
      errors.push(args[0]);
    });
    try {
      renderStrict(
        inRoom(
          name,
          <ErrorBoundary onError={(error) => errors.push(error)}>
            <Inline />
          </ErrorBoundary>,
        ),
      );
      await vi.waitFor(() =>
        expect(errors).toContainEqual(
          expect.objectContaining({
            code: 'invalid_argument',
            message: expect.stringMatching(/module scope/) as unknown,
          }),
        ),
      );
    } finally {
      silence.mockRestore();
    }
  });

  test('a bare Standard Schema throws invalid_argument in development, with the fix', () => {
    function Bare() {
      usePresenceMembers({ schema: ZodProfile as never });
      return null;
    }
    const silence = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      expect(() => renderStrict(inRoom(uniqueRoomName('schema-bare'), <Bare />))).toThrow(
        /presenceSchema\(yourSchema\)/,
      );
    } finally {
      silence.mockRestore();
    }
  });
});

describe('schema on usePresenceHistory', () => {
  test('events whose data fails are left out, or flagged', async () => {
    const name = uniqueRoomName('schema-history');
    const Profile = presenceSchema(ZodProfile);
    const { room } = await participant('ada', name, { enter: { name: 'Ada' } });
    await room.presence.update({ name: 7 });
    await room.presence.update({ name: 'Ada again' });
    const excluded = recorder<UsePresenceHistoryResult<{ name: string; mood: string }>>();
    const flagged = recorder<UsePresenceHistoryResult<{ name: string; mood: string }>>();

    renderStrict(
      inRoom(
        name,
        <>
          <Watch
            hook={() => usePresenceHistory({ schema: Profile, direction: 'forwards' })}
            into={excluded}
          />
          <Watch
            hook={() =>
              usePresenceHistory({ schema: Profile, direction: 'forwards', invalidData: 'flag' })
            }
            into={flagged}
          />
        </>,
      ),
    );

    await vi.waitFor(() => expect(flagged.current?.events).toHaveLength(3), { timeout: 5000 });
    expect(flagged.current?.events.map((e) => [e.action, e.data?.name, !!e.invalid])).toEqual([
      ['enter', 'Ada', false],
      ['update', undefined, true],
      ['update', 'Ada again', false],
    ]);
    await vi.waitFor(() =>
      expect(excluded.current?.events.map((e) => e.data)).toEqual([
        { name: 'Ada', mood: 'ok' },
        { name: 'Ada again', mood: 'ok' },
      ]),
    );
  });
});

describe('schema on usePresence (what is sent)', () => {
  const Profile = presenceSchema(z.object({ name: z.string().min(1) }));

  function Me({
    data,
    into,
  }: {
    data: { name: string };
    into: { current?: UsePresenceResult<{ name: string }> };
  }) {
    const self = usePresence(data, { schema: Profile });
    into.current = self;
    return <p data-testid="me" data-status={self.status} data-present={String(self.isPresent)} />;
  }

  test('invalid data is not sent: status error invalid_argument, until valid data is given', async () => {
    const name = uniqueRoomName('schema-out');
    const { room: observer } = await participant('observer', name);
    const self: { current?: UsePresenceResult<{ name: string }> } = {};
    const client = chatClient('me');
    const ui = (who: string) => (
      <StrictMode>
        <ChatClientProvider client={client}>
          <ChatRoomProvider name={name}>
            <Me data={{ name: who }} into={self} />
          </ChatRoomProvider>
        </ChatClientProvider>
      </StrictMode>
    );
    const view = render(ui(''));

    await vi.waitFor(() => expect(screen.getByTestId('me').dataset.status).toBe('error'));
    expect(self.current?.error?.code).toBe('invalid_argument');
    expect(self.current?.error?.message).toMatch(/fails its schema, so it was not sent/);
    // A rejected enter does not send either.
    await expect(self.current!.enter({ name: '' })).rejects.toMatchObject({
      code: 'invalid_argument',
    } satisfies Partial<PresenceKitError>);
    expect(await observer.presence.get()).toEqual([]);

    view.rerender(ui('Ada'));
    await vi.waitFor(async () => {
      const members = await observer.presence.get();
      expect(members.map((m) => [m.clientId, m.data as unknown])).toEqual([
        ['me', { name: 'Ada' }],
      ]);
    });
    await vi.waitFor(() => expect(screen.getByTestId('me').dataset.status).toBe('ready'));

    // Data that stops passing is refused; the user stays present with the last data that passed.
    view.rerender(ui(''));
    await vi.waitFor(() => expect(screen.getByTestId('me').dataset.status).toBe('error'));
    const members = await observer.presence.get();
    expect(members.map((m) => m.data as unknown)).toEqual([{ name: 'Ada' }]);
  });
});

class ErrorBoundary extends Component<
  { onError: (error: unknown) => void; children: ReactNode },
  { failed: boolean }
> {
  override state = { failed: false };
  static getDerivedStateFromError() {
    return { failed: true };
  }
  override componentDidCatch(error: unknown) {
    this.props.onError(error);
  }
  override render() {
    return this.state.failed ? null : this.props.children;
  }
}
