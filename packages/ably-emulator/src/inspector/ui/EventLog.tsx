import { useId, useMemo, useState } from 'react';
import { type LogEntry, type LogKind, roomOf } from '../wire.js';
import { clock } from './format.js';
import { useInspector } from './useInspector.js';
import { type Column, WindowedTable } from './WindowedTable.js';

const KINDS: { kind: LogKind; label: string }[] = [
  { kind: 'presence', label: 'Presence' },
  { kind: 'message', label: 'Messages' },
  { kind: 'channel', label: 'Attach and detach' },
  { kind: 'connection', label: 'Connections' },
];

const COLUMNS: Column<LogEntry>[] = [
  {
    header: 'Time',
    width: '10%',
    cell: (e) => <time dateTime={new Date(e.at).toISOString()}>{clock(e.at)}</time>,
  },
  {
    header: 'Event',
    width: '13%',
    cell: (e) => (
      <span className={`event event-${e.kind}`}>
        {e.kind === 'message' ? `message ${e.action}` : e.action}
      </span>
    ),
  },
  {
    header: 'Room or channel',
    width: '15%',
    cell: (e) => (e.channel === null ? '—' : (roomOf(e.channel) ?? e.channel)),
  },
  { header: 'Client ID', width: '15%', cell: (e) => e.clientId ?? '—' },
  {
    header: 'Connection',
    width: '12%',
    cell: (e) => (e.connectionId === null ? '—' : <code>{e.connectionId}</code>),
  },
  { header: 'Data', width: '35%', cell: (e) => <code>{e.detail ?? ''}</code> },
];

/** The app's latest events, newest first, filtered by room or channel, clientId and kind. */
export function EventLog() {
  const log = useInspector((s) => s.log);
  const channels = useInspector((s) => s.channels);
  const [channel, setChannel] = useState('');
  const [clientId, setClientId] = useState('');
  const [kinds, setKinds] = useState<ReadonlySet<LogKind>>(() => new Set(KINDS.map((k) => k.kind)));
  const id = useId();

  const shown = useMemo(() => {
    const needle = clientId.trim().toLowerCase();
    const out: LogEntry[] = [];
    for (let i = log.length - 1; i >= 0; i--) {
      const e = log[i]!;
      if (!kinds.has(e.kind)) continue;
      if (channel !== '' && e.channel !== channel) continue;
      if (needle !== '' && !(e.clientId ?? '').toLowerCase().includes(needle)) continue;
      out.push(e);
    }
    return out;
  }, [log, channel, clientId, kinds]);

  return (
    <section className="panel" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>Event log</h2>
      <div className="filters">
        <label className="field">
          <span>Room or channel</span>
          <select value={channel} onChange={(e) => setChannel(e.target.value)}>
            <option value="">All</option>
            {channels.map((c) => (
              <option key={c.name} value={c.name}>
                {c.room ?? c.name}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Client ID</span>
          <input type="search" value={clientId} onChange={(e) => setClientId(e.target.value)} />
        </label>
        <fieldset className="kinds">
          <legend>Show</legend>
          {KINDS.map(({ kind, label }) => (
            <label key={kind}>
              <input
                type="checkbox"
                checked={kinds.has(kind)}
                onChange={(e) => {
                  const next = new Set(kinds);
                  if (e.target.checked) next.add(kind);
                  else next.delete(kind);
                  setKinds(next);
                }}
              />
              {label}
            </label>
          ))}
        </fieldset>
      </div>
      <WindowedTable
        label="Events, newest first"
        rows={shown}
        rowKey={(e) => String(e.seq)}
        columns={COLUMNS}
        empty={log.length === 0 ? 'Nothing has happened yet.' : 'No event matches the filters.'}
      />
    </section>
  );
}
