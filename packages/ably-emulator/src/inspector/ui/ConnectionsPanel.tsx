import { useMemo } from 'react';
import type { ConnectionRow } from '../wire.js';
import { clock } from './format.js';
import { useInspector, useInspectorStore } from './useInspector.js';
import { type Column, WindowedTable } from './WindowedTable.js';

function who(c: ConnectionRow): string {
  return c.clientId === null ? c.id : `${c.clientId} (${c.id})`;
}

/** The app's connections, and what can be done to them. */
export function ConnectionsPanel() {
  const store = useInspectorStore();
  const app = useInspector((s) => s.app);
  const connections = useInspector((s) => s.connections);

  const columns = useMemo((): Column<ConnectionRow>[] => {
    if (app === null) return [];
    return [
      { header: 'Client ID', width: '14%', cell: (c) => c.clientId ?? '—' },
      { header: 'Connection', width: '11%', cell: (c) => <code>{c.id}</code> },
      { header: 'Format', width: '8%', cell: (c) => c.format },
      {
        header: 'State',
        width: '9%',
        cell: (c) => (
          <span className={`state state-${c.simulated ? 'simulated' : c.state}`}>
            {c.simulated ? 'simulated' : c.state}
          </span>
        ),
      },
      {
        header: 'Auth',
        width: '12%',
        cell: (c) => (c.tokenExpires === null ? c.auth : `token until ${clock(c.tokenExpires)}`),
      },
      {
        header: 'Attached to',
        width: '22%',
        cell: (c) =>
          c.attachments.length === 0 ? (
            '—'
          ) : (
            <span className="chips">
              {c.attachments.map((name) => (
                <span key={name} className="chip">
                  {name}
                  <button
                    type="button"
                    aria-label={`Detach ${who(c)} from ${name}`}
                    title={`Detach from ${name}`}
                    onClick={() =>
                      void store.act({ type: 'detach', app, connectionId: c.id, channel: name })
                    }
                  >
                    ×
                  </button>
                </span>
              ))}
            </span>
          ),
      },
      {
        header: 'Actions',
        width: '24%',
        cell: (c) => (
          <span className="actions">
            <button
              type="button"
              disabled={c.state !== 'connected' || c.simulated}
              aria-label={`Drop connection ${who(c)}`}
              title="Cut the socket; the client stays offline until its members have left"
              onClick={() => void store.act({ type: 'drop', app, connectionId: c.id })}
            >
              Drop
            </button>
            <button
              type="button"
              aria-label={`Close connection ${who(c)}`}
              title="Close cleanly: its members leave at once"
              onClick={() => void store.act({ type: 'close', app, connectionId: c.id })}
            >
              Close
            </button>
            <button
              type="button"
              disabled={c.auth !== 'token' || c.state !== 'connected' || c.simulated}
              aria-label={`Expire token of ${who(c)}`}
              title="The SDK renews its token if it can"
              onClick={() => void store.act({ type: 'expireToken', app, connectionId: c.id })}
            >
              Expire token
            </button>
          </span>
        ),
      },
    ];
  }, [app, store]);

  return (
    <section className="panel" aria-labelledby="connections-heading">
      <h2 id="connections-heading">Connections ({connections.length})</h2>
      <WindowedTable
        label="Connections"
        rows={connections}
        rowKey={(c) => c.id}
        columns={columns}
        empty="No connections."
      />
    </section>
  );
}
