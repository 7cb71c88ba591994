import { type FormEvent, useId, useState } from 'react';

import type { VisitorProfile } from './rooms';

const STATUSES: readonly VisitorProfile['status'][] = ['online', 'away', 'busy'];

/** Enter the room with a name and a status; once in, change the status or leave. */
export function JoinForm({
  profile,
  onChange,
}: {
  profile: VisitorProfile | null;
  onChange: (profile: VisitorProfile | null) => void;
}) {
  const id = useId();
  const [name, setName] = useState('');
  const [status, setStatus] = useState<VisitorProfile['status']>('online');

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const trimmed = name.trim().slice(0, 40);
    if (trimmed) onChange({ name: trimmed, status });
  };

  const statusSelect = (
    <select
      id={`${id}-status`}
      value={profile?.status ?? status}
      onChange={(event) => {
        const next = event.target.value as VisitorProfile['status'];
        setStatus(next);
        if (profile) onChange({ ...profile, status: next });
      }}
    >
      {STATUSES.map((s) => (
        <option key={s} value={s}>
          {s}
        </option>
      ))}
    </select>
  );

  if (profile) {
    return (
      <div className="demo-join" role="group" aria-label="You">
        <span>
          You are in as <strong>{profile.name}</strong>
        </span>
        <label htmlFor={`${id}-status`}>Status</label>
        {statusSelect}
        <button type="button" onClick={() => onChange(null)}>
          Leave
        </button>
      </div>
    );
  }
  return (
    <form className="demo-join" onSubmit={submit} aria-label="Join the room">
      <label htmlFor={`${id}-name`}>Your name</label>
      <input
        id={`${id}-name`}
        value={name}
        onChange={(event) => setName(event.target.value)}
        maxLength={40}
        placeholder="Ada Lovelace"
        required
      />
      <label htmlFor={`${id}-status`}>Status</label>
      {statusSelect}
      <button type="submit">Join the room</button>
    </form>
  );
}
