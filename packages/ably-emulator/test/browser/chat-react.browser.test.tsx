import { ChatClient, LogLevel, type Message } from '@ably/chat';
import {
  ChatClientProvider,
  ChatRoomProvider,
  useMessages,
  type UseMessagesResponse,
  useTyping,
} from '@ably/chat/react';
import * as Ably from 'ably';
import { StrictMode, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { expect, onTestFinished, test } from 'vitest';

import { uniqueRoomName } from '@presencekit/test-utils';
import { browserOptions } from './client-options.js';

function chatClient(clientId: string): ChatClient {
  const realtime = new Ably.Realtime(browserOptions(clientId));
  onTestFinished(() => realtime.close());
  return new ChatClient(realtime, { logLevel: LogLevel.Silent });
}

/** Keeps messages in serial order, each in its newest version (Message.with). */
function upsert(list: Message[], message: Message): Message[] {
  const i = list.findIndex((m) => m.serial === message.serial);
  const next = i === -1 ? [...list, message] : list.map((m, j) => (j === i ? m.with(message) : m));
  return next.sort((a, b) => (a.serial < b.serial ? -1 : a.serial > b.serial ? 1 : 0));
}

/** What the test drives the hooks with. */
let actions: UseMessagesResponse | undefined;
const exposeActions = (response: UseMessagesResponse) => {
  actions = response;
};

/** A chat panel made only of the official hooks: history before subscribing, then live events. */
function Messages({ onActions }: { onActions: (response: UseMessagesResponse) => void }) {
  const [messages, setMessages] = useState<Message[]>([]);
  const response = useMessages({
    listener: (event) => setMessages((list) => upsert(list, event.message)),
    reactionsListener: (event) =>
      setMessages((list) =>
        list.map((m) => (m.serial === event.messageSerial ? m.with(event) : m)),
      ),
  });
  const { historyBeforeSubscribe } = response;
  useEffect(() => onActions(response), [onActions, response]);
  useEffect(() => {
    if (!historyBeforeSubscribe) return;
    let current = true;
    void historyBeforeSubscribe({ limit: 50 }).then((page) => {
      if (current) setMessages((list) => page.items.reduce(upsert, list));
    });
    return () => {
      current = false;
    };
  }, [historyBeforeSubscribe]);
  return (
    <ul data-testid="messages">
      {messages.map((m) => (
        <li key={m.serial} data-action={m.action}>
          {m.text}
          {Object.entries(m.reactions.distinct).map(([name, r]) => ` ${name}${r.total}`)}
        </li>
      ))}
    </ul>
  );
}

function Typing() {
  const { currentlyTyping } = useTyping();
  return <p data-testid="typing">{[...currentlyTyping].sort().join(',')}</p>;
}

test('the official @ably/chat/react hooks against the emulator: useMessages (history, live, edit, delete, reactions) and useTyping', async () => {
  const room = uniqueRoomName('react-hooks');
  const other = await chatClient('other').rooms.get(room);
  await other.attach();
  await other.messages.send({ text: 'earlier 1' });
  await other.messages.send({ text: 'earlier 2' });

  const container = document.createElement('div');
  document.body.append(container);
  const root = createRoot(container);
  onTestFinished(() => {
    root.unmount();
    container.remove();
  });
  root.render(
    <StrictMode>
      <ChatClientProvider client={chatClient('me')}>
        <ChatRoomProvider name={room}>
          <Messages onActions={exposeActions} />
          <Typing />
        </ChatRoomProvider>
      </ChatClientProvider>
    </StrictMode>,
  );
  const items = () =>
    [...container.querySelectorAll('[data-testid="messages"] li')].map(
      (li) => `${li.getAttribute('data-action')}:${li.textContent}`,
    );
  const poll = { timeout: 10_000 };

  await expect.poll(items, poll).toEqual(['message.create:earlier 1', 'message.create:earlier 2']);
  await other.messages.send({ text: 'live' });
  await expect.poll(() => items().at(-1), poll).toBe('message.create:live');

  const mine = await actions!.sendMessage({ text: 'from react' });
  await expect.poll(() => items().at(-1), poll).toBe('message.create:from react');
  await actions!.updateMessage(mine.serial, { text: 'from react, edited' });
  await expect.poll(() => items().at(-1), poll).toBe('message.update:from react, edited');
  await actions!.sendReaction(mine.serial, { name: '👍' });
  await other.messages.reactions.send(mine.serial, { name: '👍' });
  await expect.poll(() => items().at(-1), poll).toBe('message.update:from react, edited 👍2');
  await actions!.deleteMessage(mine.serial);
  await expect.poll(() => items().at(-1), poll).toMatch(/^message\.delete:/);
  expect(items()).toHaveLength(4);

  await other.typing.keystroke();
  await expect
    .poll(() => container.querySelector('[data-testid="typing"]')?.textContent, poll)
    .toBe('other');
  await other.typing.stop();
  await expect
    .poll(() => container.querySelector('[data-testid="typing"]')?.textContent, poll)
    .toBe('');
});
