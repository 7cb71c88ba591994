import { useEffect } from 'react';
import { ChannelPanel } from './ChannelPanel.js';
import { ConnectionsPanel } from './ConnectionsPanel.js';
import { LatencyForm, VisitorsForm } from './Controls.js';
import { EventLog } from './EventLog.js';
import { Sidebar } from './Sidebar.js';
import { useInspector, useInspectorStore } from './useInspector.js';

const STATUS_TEXT = {
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Emulator unreachable, reconnecting…',
} as const;

function StatusLine() {
  const status = useInspector((s) => s.status);
  const url = useInspector((s) => s.emulator?.url);
  const notice = useInspector((s) => s.notice);
  return (
    <div className="status-line">
      <p role="status" className={`status status-${status}`}>
        {STATUS_TEXT[status]}
        {url && status === 'live' ? ` · ${url}` : ''}
      </p>
      <p role="status" className={notice?.ok === false ? 'notice notice-error' : 'notice'}>
        {notice?.text ?? ''}
      </p>
    </div>
  );
}

/** The inspector page. */
export function App() {
  const store = useInspectorStore();
  // The stream opens after mount and closes on unmount (twice in StrictMode: a clean reopen).
  useEffect(() => store.connect(), [store]);
  return (
    <>
      <header className="top">
        <h1>Ably emulator inspector</h1>
        <StatusLine />
        <div className="controls">
          <LatencyForm />
          <VisitorsForm />
        </div>
      </header>
      <div className="layout">
        <Sidebar />
        <main>
          <ChannelPanel />
          <ConnectionsPanel />
          <EventLog />
        </main>
      </div>
    </>
  );
}
