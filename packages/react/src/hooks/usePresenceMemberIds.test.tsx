import { screen } from '@testing-library/react';
import { memo } from 'react';
import { describe, expect, test, vi } from 'vitest';

import { chatClient, crowd, renderStrict, uniqueRoomName } from '../../test/live';
import { ChatClientProvider } from '../providers/ChatClientProvider';
import { ChatRoomProvider } from '../providers/ChatRoomProvider';
import { usePresenceMember } from './usePresenceMember';
import { usePresenceMemberIds } from './usePresenceMemberIds';

type Data = { mood?: string };

describe('usePresenceMemberIds + usePresenceMember', () => {
  test('a data update re-renders only the row of that member', async () => {
    const name = uniqueRoomName('ids');
    const others = await crowd(name);
    await others.enter('ana', { mood: 'a1' });
    await others.enter('ben', { mood: 'b1' });
    const rowRenders = new Map<string, number>();
    let listRenders = 0;
    let lastIds: readonly string[] = [];

    const Row = memo(function Row({ id }: { id: string }) {
      const { member } = usePresenceMember<Data>(id);
      rowRenders.set(member?.clientId ?? id, (rowRenders.get(member?.clientId ?? id) ?? 0) + 1);
      return <li>{`${member?.clientId}:${member?.data?.mood}`}</li>;
    });
    function List() {
      listRenders += 1;
      const { ids, status } = usePresenceMemberIds();
      lastIds = ids;
      return (
        <ul data-testid="ids" data-status={status}>
          {ids.map((id) => (
            <Row key={id} id={id} />
          ))}
        </ul>
      );
    }

    renderStrict(
      <ChatClientProvider client={chatClient('me')}>
        <ChatRoomProvider name={name}>
          <List />
        </ChatRoomProvider>
      </ChatClientProvider>,
    );
    await vi.waitFor(() => expect(screen.getByTestId('ids').textContent).toBe('ana:a1ben:b1'), {
      timeout: 5000,
    });
    const idsBefore = lastIds;
    const listBefore = listRenders;
    const anaBefore = rowRenders.get('ana')!;
    const benBefore = rowRenders.get('ben')!;

    await others.update('ben', { mood: 'b2' });
    await vi.waitFor(() => expect(screen.getByTestId('ids').textContent).toBe('ana:a1ben:b2'));

    expect(lastIds).toBe(idsBefore); // same array: membership did not change
    expect(listRenders).toBe(listBefore);
    expect(rowRenders.get('ana')).toBe(anaBefore);
    expect(rowRenders.get('ben')).toBeGreaterThan(benBefore);

    await others.enter('cat', { mood: 'c1' });
    await vi.waitFor(() => expect(lastIds).toHaveLength(3));
    expect(lastIds).not.toBe(idsBefore);
  });

  test("with groupBy: 'clientId' the ids are people and the member is a person", async () => {
    const name = uniqueRoomName('ids-people');
    const laptop = await crowd(name);
    const phone = await crowd(name);
    await laptop.enter('dan', { mood: 'laptop' });
    await phone.enter('dan', { mood: 'phone' });
    function People() {
      const { ids, count } = usePresenceMemberIds({ groupBy: 'clientId' });
      return (
        <ul data-testid="people" data-count={count}>
          {ids.map((id) => (
            <Person key={id} id={id} />
          ))}
        </ul>
      );
    }
    function Person({ id }: { id: string }) {
      const { member } = usePresenceMember<Data, 'clientId'>(id, { groupBy: 'clientId' });
      return <li>{`${id}x${member?.connections.length}`}</li>;
    }
    renderStrict(
      <ChatClientProvider client={chatClient('me')}>
        <ChatRoomProvider name={name}>
          <People />
        </ChatRoomProvider>
      </ChatClientProvider>,
    );
    await vi.waitFor(() => expect(screen.getByTestId('people').textContent).toBe('danx2'), {
      timeout: 5000,
    });
    expect(screen.getByTestId('people').dataset.count).toBe('1');
    await phone.leave('dan');
    await vi.waitFor(() => expect(screen.getByTestId('people').textContent).toBe('danx1'));
  });
});
