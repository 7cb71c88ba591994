import type { FormEvent } from 'react';
import { roomOf } from '../wire.js';
import { useInspector, useInspectorStore } from './useInspector.js';

function numberField(form: HTMLFormElement, name: string): number {
  return Number((form.elements.namedItem(name) as HTMLInputElement).value);
}

/** Simulated network latency, applied to every connection from its next frame on. */
export function LatencyForm() {
  const store = useInspectorStore();
  const latency = useInspector((s) => s.emulator?.latency);
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    void store.act({
      type: 'setLatency',
      ms: numberField(form, 'latency'),
      jitterMs: numberField(form, 'jitter'),
    });
  };
  // Keyed by the emulator's values: the fields start again from them whenever they change.
  return (
    <form
      className="control"
      aria-label="Network latency"
      onSubmit={submit}
      key={`${latency?.ms}/${latency?.jitterMs}`}
    >
      <label className="field">
        <span>Latency (ms)</span>
        <input name="latency" type="number" min={0} max={60000} defaultValue={latency?.ms ?? 0} />
      </label>
      <label className="field">
        <span>Jitter ± (ms)</span>
        <input
          name="jitter"
          type="number"
          min={0}
          max={60000}
          defaultValue={latency?.jitterMs ?? 0}
        />
      </label>
      <button type="submit">Set latency</button>
    </form>
  );
}

/** Simulated visitors per room of the default app: add some, remove some, or none. */
export function VisitorsForm() {
  const store = useInspectorStore();
  const visitors = useInspector((s) => s.emulator?.visitors);
  const app = useInspector((s) => s.app);
  const defaultApp = useInspector((s) => s.emulator?.defaultApp);
  const channel = useInspector((s) => s.channel);
  const room = (app === defaultApp && channel !== null ? roomOf(channel) : null) ?? '';
  const current = visitors?.[room] ?? 0;
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const name = (form.elements.namedItem('room') as HTMLInputElement).value.trim();
    void store.act({ type: 'setVisitors', room: name, count: numberField(form, 'visitors') });
  };
  return (
    // Keyed by the room only: the count moves with the churn, and must not reset what is typed.
    <form className="control" aria-label="Simulated visitors" onSubmit={submit} key={room}>
      <label className="field">
        <span>Room (default app)</span>
        <input name="room" required defaultValue={room} />
      </label>
      <label className="field">
        <span>Visitors</span>
        <input name="visitors" type="number" min={0} max={100000} defaultValue={current} />
      </label>
      <button type="submit">Set visitors</button>
      <p className="hint">
        {visitors && Object.keys(visitors).length > 0
          ? `Now: ${Object.entries(visitors)
              .map(([name, n]) => `${name} ${n}`)
              .join(', ')}`
          : 'No simulated rooms.'}
      </p>
    </form>
  );
}
