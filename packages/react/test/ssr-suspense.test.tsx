// @vitest-environment node
import { PassThrough } from 'node:stream';

import { Suspense } from 'react';
import { renderToPipeableStream } from 'react-dom/server';
import { expect, test } from 'vitest';

import {
  ChatClientProvider,
  ChatRoomProvider,
  type OccupancyData,
  type PresenceMember,
  useSuspenseOccupancy,
  useSuspensePresenceMembers,
} from '../src/hooks';
import { chatClient } from './live';

function Count({ initialData }: { initialData?: Promise<OccupancyData> }) {
  const { connections } = useSuspenseOccupancy({ initialData });
  return <output>{`${connections} watching`}</output>;
}

function Names({ initialData }: { initialData: Promise<PresenceMember[]> }) {
  const { members } = useSuspensePresenceMembers({ initialData });
  return (
    <ul>
      {members.map((m) => (
        <li key={m.key}>{m.clientId}</li>
      ))}
    </ul>
  );
}

/**
 * Streams `ui` as a server would: the chunks in order, and what `onError` was given;
 * `onFirstChunk` runs once the shell has been sent.
 */
function stream(ui: React.ReactNode, onFirstChunk: () => void) {
  const chunks: string[] = [];
  const errors: unknown[] = [];
  const done = new Promise<void>((resolve, reject) => {
    const out = new PassThrough();
    out.on('data', (chunk: Buffer) => {
      if (chunks.push(chunk.toString()) === 1) onFirstChunk();
    });
    out.on('end', resolve);
    const { pipe } = renderToPipeableStream(ui, {
      onShellReady() {
        pipe(out);
      },
      onShellError: reject,
      onError: (error) => void errors.push(error),
    });
  });
  return { chunks, errors, done };
}

const page = (children: React.ReactNode) => (
  <ChatClientProvider client={chatClient('ssr', { autoConnect: false })}>
    <ChatRoomProvider name="ssr-suspense">
      <main>{children}</main>
    </ChatRoomProvider>
  </ChatClientProvider>
);

test('streams the fallback first, then the count and the members once the server data resolves', async () => {
  let resolveCount!: (data: OccupancyData) => void;
  let resolveMembers!: (members: PresenceMember[]) => void;
  const count = new Promise<OccupancyData>((resolve) => (resolveCount = resolve));
  const members = new Promise<PresenceMember[]>((resolve) => (resolveMembers = resolve));
  const { chunks, errors, done } = stream(
    page(
      <Suspense fallback={<p>counting</p>}>
        <Count initialData={count} />
        <Names initialData={members} />
      </Suspense>,
    ),
    () => {
      // The shell went out with the fallback, before the data existed.
      resolveCount({ connections: 1234, presenceMembers: 2 });
      const member = { connectionId: 'c', data: undefined, extras: undefined, updatedAt: 1 };
      resolveMembers([
        { ...member, key: 'a', clientId: 'ada', isSelf: false, isCurrentConnection: false },
        { ...member, key: 'g', clientId: 'grace', isSelf: false, isCurrentConnection: false },
      ]);
    },
  );
  await done;
  expect(errors).toEqual([]);
  expect(chunks[0]).toContain('counting');
  expect(chunks[0]).not.toContain('1234 watching');
  const html = chunks.join('');
  expect(html).toContain('1234 watching');
  expect(html).toMatch(/<li>ada<\/li><li>grace<\/li>/);
});

test('without initialData the server render fails inside the boundary with a code, so the browser renders it', async () => {
  const { chunks, errors, done } = stream(
    page(
      <Suspense fallback={<p>counting</p>}>
        <Count />
      </Suspense>,
    ),
    () => {},
  );
  await done;
  expect(chunks.join('')).toContain('counting');
  expect(errors).toHaveLength(1);
  expect(errors[0]).toMatchObject({ code: 'missing_initial_data' });
  expect((errors[0] as Error).message).toMatch(/without initialData/);
});
