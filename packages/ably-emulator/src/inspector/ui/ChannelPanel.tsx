import { useMemo } from 'react';
import type { MemberRow } from '../wire.js';
import { channelLabel, clock } from './format.js';
import { useInspector, useInspectorStore } from './useInspector.js';
import { type Column, WindowedTable } from './WindowedTable.js';

/** The selected channel: its occupancy and its presence set, with what can be done to members. */
export function ChannelPanel() {
  const store = useInspectorStore();
  const app = useInspector((s) => s.app);
  const name = useInspector((s) => s.channel);
  const channels = useInspector((s) => s.channels);
  const members = useInspector((s) => s.members);
  const summary = channels.find((c) => c.name === name);
  const label = name === null ? '' : channelLabel(summary ?? { name, room: null });

  const columns = useMemo((): Column<MemberRow>[] => {
    if (app === null || name === null) return [];
    return [
      { header: 'Client ID', width: '20%', cell: (m) => m.clientId },
      { header: 'Connection', width: '14%', cell: (m) => <code>{m.connectionId}</code> },
      { header: 'Data', width: '34%', cell: (m) => <code>{m.data ?? '—'}</code> },
      {
        header: 'Present since',
        width: '12%',
        cell: (m) => <time dateTime={new Date(m.since).toISOString()}>{clock(m.since)}</time>,
      },
      {
        header: 'Actions',
        width: '20%',
        cell: (m) => (
          <span className="actions">
            <button
              type="button"
              aria-label={`Remove member ${m.clientId} (connection ${m.connectionId})`}
              onClick={() =>
                void store.act({
                  type: 'removeMember',
                  app,
                  channel: name,
                  clientId: m.clientId,
                  connectionId: m.connectionId,
                })
              }
            >
              Remove
            </button>
            <button
              type="button"
              aria-label={`Detach connection ${m.connectionId} (${m.clientId}) from ${name}`}
              onClick={() =>
                void store.act({ type: 'detach', app, connectionId: m.connectionId, channel: name })
              }
            >
              Detach
            </button>
          </span>
        ),
      },
    ];
  }, [app, name, store]);

  if (name === null) {
    return (
      <section className="panel" aria-labelledby="channel-heading">
        <h2 id="channel-heading">Presence</h2>
        <p className="hint">Pick a channel or room to see who is present.</p>
      </section>
    );
  }
  const metrics = summary?.metrics;
  return (
    <section className="panel" aria-labelledby="channel-heading">
      <h2 id="channel-heading">
        {summary?.room != null ? 'Room' : 'Channel'} {label}
        {summary?.room != null && <code className="subtle"> {name}</code>}
      </h2>
      {metrics ? (
        <dl className="metrics" aria-label="Occupancy">
          <div>
            <dt>Connections</dt>
            <dd>{metrics.connections}</dd>
          </div>
          <div>
            <dt>Present</dt>
            <dd>{metrics.presenceMembers}</dd>
          </div>
          <div>
            <dt>Presence connections</dt>
            <dd>{metrics.presenceConnections}</dd>
          </div>
          <div>
            <dt>Publishers</dt>
            <dd>{metrics.publishers}</dd>
          </div>
          <div>
            <dt>Subscribers</dt>
            <dd>{metrics.subscribers}</dd>
          </div>
          <div>
            <dt>Presence subscribers</dt>
            <dd>{metrics.presenceSubscribers}</dd>
          </div>
          <div>
            <dt>Messages kept</dt>
            <dd>{summary.messages}</dd>
          </div>
        </dl>
      ) : (
        <p className="hint">This channel does not exist (yet): nobody has used it.</p>
      )}
      <WindowedTable
        label={`Members of ${label}`}
        rows={members}
        rowKey={(m) => m.key}
        columns={columns}
        empty="Nobody is present."
      />
    </section>
  );
}
