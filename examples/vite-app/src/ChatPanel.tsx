import { useChatClient, useMessages, useTyping } from '@ably/chat/react';
import { shallow, usePresenceMembers } from '@presencekit/react';
import { type FormEvent, useEffect, useId, useState } from 'react';

import { type ChatLog, withHistory, withMessage, withSummary } from './chat-log';
import { ChatMessageRow } from './ChatMessageRow';
import type { VisitorProfile } from './rooms';

/** Who is who: display names of the people present, by client id (from presence data). */
function usePresentNames(): Readonly<Record<string, string>> {
  const { members } = usePresenceMembers<VisitorProfile, 'clientId', Record<string, string>>({
    groupBy: 'clientId',
    selector: (people) =>
      Object.fromEntries(people.map((p) => [p.clientId, p.data?.name ?? p.clientId])),
    isEqual: shallow,
  });
  return members;
}

/** "Ada is typing…", "Ada and Alan are typing…", "3 people are typing…". */
function typingText(names: readonly string[]): string {
  if (names.length === 0) return '';
  if (names.length === 1) return `${names[0]} is typing…`;
  if (names.length === 2) return `${names[0]} and ${names[1]} are typing…`;
  return `${names.length} people are typing…`;
}

/**
 * The room's chat, made with the official `@ably/chat/react` hooks: `useMessages` (history
 * before subscribing, then live creates, edits and deletes, and reaction summaries), `useTyping`
 * and `useChatClient`. Names come from presence (`usePresenceMembers` of PresenceKit), or from the
 * message's metadata for someone who has left. Only a visitor who joined can write.
 */
export function ChatPanel({ profile }: { profile: VisitorProfile | null }) {
  const id = useId();
  const { clientId: me } = useChatClient();
  const [log, setLog] = useState<ChatLog>([]);
  const [draft, setDraft] = useState('');
  const [error, setError] = useState<string | null>(null);
  const names = usePresentNames();

  const {
    sendMessage,
    updateMessage,
    deleteMessage,
    sendReaction,
    deleteReaction,
    historyBeforeSubscribe,
  } = useMessages({
    listener: (event) => setLog((current) => withMessage(current, event.message)),
    reactionsListener: (event) => setLog((current) => withSummary(current, event)),
  });
  const { keystroke, stop, currentlyTyping } = useTyping();

  // What was said before this panel subscribed: exactly what its live events do not cover.
  useEffect(() => {
    if (!historyBeforeSubscribe) return;
    let current = true;
    historyBeforeSubscribe({ limit: 50 }).then(
      (page) => current && setLog((log) => withHistory(log, page.items)),
      (cause: unknown) => current && setError(`Could not load the history: ${String(cause)}`),
    );
    return () => {
      current = false;
    };
  }, [historyBeforeSubscribe]);

  const report = (what: string) => (cause: unknown) =>
    setError(`${what} failed: ${cause instanceof Error ? cause.message : String(cause)}`);

  const send = (event: FormEvent) => {
    event.preventDefault();
    const text = draft.trim();
    if (!text || !profile) return;
    setDraft('');
    setError(null);
    void stop().catch(() => undefined);
    sendMessage({ text, metadata: { name: profile.name } }).catch(report('Sending'));
  };

  const authorOf = (clientId: string, metadataName: unknown) =>
    names[clientId] ?? (typeof metadataName === 'string' ? metadataName : 'Someone who left');
  const typing = [...currentlyTyping]
    .filter((clientId) => clientId !== me)
    .map((clientId) => names[clientId] ?? 'Someone');

  return (
    <section className="demo-chat" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>Chat</h3>
      <ol className="demo-chat-log" role="log" aria-label="Chat messages" data-testid="chat-log">
        {log.map((message) => (
          <ChatMessageRow
            key={message.serial}
            message={message}
            author={authorOf(message.clientId, message.metadata['name'])}
            me={me}
            onEdit={(text) => {
              updateMessage(message.serial, { text, metadata: message.metadata }).catch(
                report('Editing'),
              );
            }}
            onDelete={() => {
              deleteMessage(message.serial).catch(report('Deleting'));
            }}
            onReact={(name, reacted) => {
              (reacted
                ? deleteReaction(message.serial, { name })
                : sendReaction(message.serial, { name })
              ).catch(report('Reacting'));
            }}
          />
        ))}
      </ol>
      <p className="demo-chat-typing" role="status">
        {typingText(typing)}
      </p>
      {error && (
        <p role="alert" className="demo-error">
          {error}
        </p>
      )}
      <form className="demo-chat-compose" onSubmit={send} aria-label="Send a message">
        <input
          id={`${id}-message`}
          aria-label="Message"
          value={draft}
          maxLength={500}
          disabled={!profile}
          placeholder={profile ? 'Say something' : 'Join the room to chat'}
          onChange={(event) => {
            setDraft(event.target.value);
            if (event.target.value) void keystroke().catch(() => undefined);
            else void stop().catch(() => undefined);
          }}
        />
        <button type="submit" disabled={!profile || !draft.trim()}>
          Send
        </button>
      </form>
    </section>
  );
}
