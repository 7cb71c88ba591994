import { ChatMessageAction, type Message } from '@ably/chat';
import { type FormEvent, useState } from 'react';

/** The reactions offered on every message (Ably Chat's default type, distinct). */
export const REACTIONS = ['👍', '❤️', '😂', '🎉', '👀'] as const;

const time = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });

/**
 * One message: who and when, the text (or that it was deleted, or edited), the reactions as
 * toggle buttons, and for the visitor's own messages Edit and Delete.
 */
export function ChatMessageRow({
  message,
  author,
  me,
  onEdit,
  onDelete,
  onReact,
}: {
  message: Message;
  author: string;
  /** This visitor's client id (their messages can be edited and deleted, their reactions undone). */
  me: string | undefined;
  onEdit: (text: string) => void;
  onDelete: () => void;
  onReact: (name: string, reacted: boolean) => void;
}) {
  const [draft, setDraft] = useState<string | null>(null);
  const deleted = message.action === ChatMessageAction.MessageDelete;
  const edited = message.action === ChatMessageAction.MessageUpdate;
  const mine = me !== undefined && message.clientId === me;

  const save = (event: FormEvent) => {
    event.preventDefault();
    const text = draft?.trim();
    if (text && text !== message.text) onEdit(text);
    setDraft(null);
  };

  return (
    <li className="demo-chat-message" data-action={message.action} data-mine={mine || undefined}>
      <div className="demo-chat-meta">
        <strong>{author}</strong>
        <time dateTime={message.timestamp.toISOString()}>{time.format(message.timestamp)}</time>
        {edited && <span className="demo-chat-edited">(edited)</span>}
      </div>
      {draft !== null ? (
        <form className="demo-chat-edit" onSubmit={save} aria-label="Edit message">
          <input
            aria-label="Edited message"
            value={draft}
            maxLength={500}
            onChange={(event) => setDraft(event.target.value)}
            autoFocus
          />
          <button type="submit">Save</button>
          <button type="button" onClick={() => setDraft(null)}>
            Cancel
          </button>
        </form>
      ) : (
        <p className="demo-chat-text">{deleted ? <em>Message deleted</em> : message.text}</p>
      )}
      {!deleted && (
        <div className="demo-chat-actions">
          {REACTIONS.map((name) => {
            const summary = message.reactions.distinct[name];
            const reacted = me !== undefined && (summary?.clientIds.includes(me) ?? false);
            const count = summary?.total ?? 0;
            return (
              <button
                key={name}
                type="button"
                className="demo-chat-reaction"
                aria-pressed={reacted}
                aria-label={`${name} ${count}`}
                data-count={count || undefined}
                disabled={me === undefined}
                onClick={() => onReact(name, reacted)}
              >
                {name}
                {count > 0 && <span>{count}</span>}
              </button>
            );
          })}
          {mine && draft === null && (
            <>
              <button type="button" onClick={() => setDraft(message.text)}>
                Edit
              </button>
              <button type="button" onClick={onDelete}>
                Delete
              </button>
            </>
          )}
        </div>
      )}
    </li>
  );
}
