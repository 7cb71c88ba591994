import { useMemo, useState } from 'react';
import { channelLabel } from './format.js';
import { useInspector, useInspectorStore } from './useInspector.js';

/** The apps, and the channels of the app shown (chat rooms by their room name). */
export function Sidebar() {
  const store = useInspectorStore();
  const apps = useInspector((s) => s.apps);
  const app = useInspector((s) => s.app);
  const defaultApp = useInspector((s) => s.emulator?.defaultApp);
  const channels = useInspector((s) => s.channels);
  const total = useInspector((s) => s.channelsTotal);
  const selected = useInspector((s) => s.channel);
  const [filter, setFilter] = useState('');
  const shown = useMemo(() => {
    const needle = filter.trim().toLowerCase();
    return needle === '' ? channels : channels.filter((c) => c.name.toLowerCase().includes(needle));
  }, [channels, filter]);

  return (
    <nav className="sidebar" aria-label="Apps and channels">
      <h2 id="apps-heading">Apps</h2>
      <ul className="picker" aria-labelledby="apps-heading">
        {apps.map((a) => (
          <li key={a.id}>
            <button
              type="button"
              aria-current={a.id === app ? 'true' : undefined}
              onClick={() => store.select(a.id, null)}
            >
              <span className="name">
                {a.id}
                {a.id === defaultApp ? ' (default)' : ''}
              </span>
              <span className="count">{a.connections} conn.</span>
            </button>
          </li>
        ))}
      </ul>

      <h2 id="channels-heading">Channels</h2>
      <label className="field">
        <span>Filter channels</span>
        <input type="search" value={filter} onChange={(e) => setFilter(e.target.value)} />
      </label>
      {shown.length === 0 ? (
        <p className="hint">{channels.length === 0 ? 'No channels yet.' : 'No channel matches.'}</p>
      ) : (
        <ul className="picker" aria-labelledby="channels-heading">
          {shown.map((c) => (
            <li key={c.name}>
              <button
                type="button"
                aria-current={c.name === selected ? 'true' : undefined}
                onClick={() => store.select(app, c.name)}
              >
                <span className="name" title={c.name}>
                  {channelLabel(c)}
                  {c.room !== null && <span className="badge">room</span>}
                </span>
                <span className="count">{c.metrics.presenceMembers} present</span>
              </button>
            </li>
          ))}
        </ul>
      )}
      {total > channels.length && (
        <p className="hint">{total - channels.length} more channels are not listed.</p>
      )}
    </nav>
  );
}
