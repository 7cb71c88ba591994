import type { ReactNode } from 'react';

import type { RecordedEvent } from './event-ring';
import type { RoomReport } from './inspect-rooms';

/** Members listed per room; a large room shows how many more there are. */
const MAX_MEMBERS = 100;

interface RoomDetailsProps {
  readonly report: RoomReport;
  readonly events: { events: readonly RecordedEvent[]; note?: string };
  readonly onResync: () => void;
}

/**
 * One room in the devtools: its state, its error with the code and the how-to-fix sentence,
 * who is there, the latest presence events and the hooks reading it. Presence data comes from
 * other clients: it is rendered as text (React escapes it), never as markup or a link.
 */
export function RoomDetails({ report, events, onResync }: RoomDetailsProps): ReactNode {
  const { name, id, error, members, self, occupancy, hooks, stores } = report;
  const headingId = `pkdt-${id}`;
  return (
    <section className="pkdt-room" aria-labelledby={headingId} data-room={name}>
      <header className="pkdt-room-header">
        <h3 id={headingId}>{name}</h3>
        <span className="pkdt-badge" data-state={error ? 'error' : report.roomStatus}>
          {error ? 'error' : (report.roomStatus ?? 'no room yet')}
        </span>
        <button
          type="button"
          className="pkdt-button"
          aria-label={`Resync ${name}`}
          disabled={!report.room}
          onClick={onResync}
        >
          Resync
        </button>
      </header>
      {error && (
        <div className="pkdt-error" data-code={error.code}>
          <code>{error.code}</code>
          {error.ablyCode !== undefined && <span> (Ably {error.ablyCode})</span>}
          <p>{error.message}</p>
        </div>
      )}
      <div className="pkdt-block">
        <dl className="pkdt-facts">
          <div>
            <dt>Room</dt>
            <dd>{report.roomStatus ?? '–'}</dd>
          </div>
          <div>
            <dt>Connection</dt>
            <dd>{report.connection ?? '–'}</dd>
          </div>
          <div>
            <dt>Occupancy</dt>
            <dd>
              {occupancy
                ? `${occupancy.connections} connections, ${occupancy.presenceMembers} present`
                : '–'}
            </dd>
          </div>
          <div>
            <dt>You</dt>
            <dd>
              {self ? `${self.isPresent ? 'present' : 'not present'} (${self.status})` : '–'}
              {self?.error && <code> {self.error.code}</code>}
            </dd>
          </div>
          <div>
            <dt>From</dt>
            <dd>
              {report.from === 'provider' ? '<ChatRoomProvider>' : 'room option or @ably/chat'}
            </dd>
          </div>
        </dl>
      </div>

      <div className="pkdt-block">
        <h4>Hooks</h4>
        {hooks.length === 0 ? (
          <p className="pkdt-empty">No hook reads this room.</p>
        ) : (
          <table className="pkdt-table" aria-label={`Hooks in ${name}`}>
            <thead>
              <tr>
                <th scope="col">Hook</th>
                <th scope="col" className="pkdt-narrow">
                  Renders
                </th>
              </tr>
            </thead>
            <tbody>
              {hooks.map((hook, index) => (
                <tr key={index} data-hook={hook.hook}>
                  <td>{hook.hook}</td>
                  <td className="pkdt-narrow" data-renders={hook.renders}>
                    {hook.renders}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}

        {stores.length > 0 && (
          <>
            <h4>Stores</h4>
            <table className="pkdt-table" aria-label={`Stores in ${name}`}>
              <thead>
                <tr>
                  <th scope="col">Store</th>
                  <th scope="col" className="pkdt-narrow">
                    Status
                  </th>
                  <th scope="col" className="pkdt-narrow">
                    Error
                  </th>
                </tr>
              </thead>
              <tbody>
                {stores.map((store) => (
                  <tr key={store.key} data-store={store.key} data-status={store.status}>
                    <td>{store.key}</td>
                    <td className="pkdt-narrow">{store.status}</td>
                    <td className="pkdt-narrow" title={store.error?.message}>
                      {store.error?.code ?? ''}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        )}
      </div>

      <div className="pkdt-block">
        <h4>Members {members ? `(${members.length})` : ''}</h4>
        {!members ? (
          <p className="pkdt-empty">No presence hook reads this room.</p>
        ) : members.length === 0 ? (
          <p className="pkdt-empty">Nobody is present.</p>
        ) : (
          <table className="pkdt-table" aria-label={`Members of ${name}`}>
            <thead>
              <tr>
                <th scope="col">Client</th>
                <th scope="col" className="pkdt-narrow">
                  Connection
                </th>
                <th scope="col">Data</th>
              </tr>
            </thead>
            <tbody>
              {members.slice(0, MAX_MEMBERS).map((member) => (
                <tr key={member.key} data-left={member.leftAt !== undefined}>
                  <td>
                    {member.clientId}
                    {member.isCurrentConnection ? ' (you)' : ''}
                    {member.leftAt !== undefined ? ' (left)' : ''}
                  </td>
                  <td className="pkdt-narrow">{member.connectionId}</td>
                  <td>{preview(member.data)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {members && members.length > MAX_MEMBERS && (
          <p className="pkdt-empty">and {members.length - MAX_MEMBERS} more</p>
        )}
      </div>

      <div className="pkdt-block">
        <h4>Presence events</h4>
        {events.events.length === 0 ? (
          <p className="pkdt-empty">{events.note ?? 'None since the devtools mounted.'}</p>
        ) : (
          <ol className="pkdt-events" aria-label={`Presence events in ${name}, newest first`}>
            {[...events.events].reverse().map((event) => (
              <li key={event.seq} data-type={event.type}>
                <time dateTime={new Date(event.at).toISOString()}>
                  {new Date(event.at).toLocaleTimeString()}
                </time>{' '}
                <strong>{event.type}</strong> {event.clientId} {preview(event.data)}
              </li>
            ))}
          </ol>
        )}
      </div>
    </section>
  );
}

/** Presence data as one short line of text. */
function preview(data: unknown): string {
  if (data === undefined) return '';
  let text: string;
  try {
    text = JSON.stringify(data) ?? typeof data;
  } catch {
    text = typeof data;
  }
  return text.length > 80 ? `${text.slice(0, 79)}…` : text;
}
