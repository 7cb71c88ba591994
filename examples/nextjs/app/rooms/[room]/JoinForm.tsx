'use client';

import { usePresence } from '@presencekit/react';
import { type FormEvent, useState } from 'react';

import type { Profile } from '../../../lib/rooms';

function Present({ profile }: { profile: Profile }) {
  const { error } = usePresence(profile);
  return error ? <p role="alert">{error.message}</p> : null;
}

/** Enter the room with a name; leave again. */
export function JoinForm() {
  const [name, setName] = useState('');
  const [profile, setProfile] = useState<Profile | null>(null);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const trimmed = name.trim().slice(0, 40);
    if (trimmed) setProfile({ name: trimmed, status: 'online' });
  };

  if (profile) {
    return (
      <div className="join">
        <span>
          You are in as <strong>{profile.name}</strong>
        </span>
        <button type="button" onClick={() => setProfile(null)}>
          Leave
        </button>
        <Present profile={profile} />
      </div>
    );
  }
  return (
    <form className="join" onSubmit={submit}>
      <label htmlFor="join-name">Your name</label>
      <input
        id="join-name"
        value={name}
        onChange={(event) => setName(event.target.value)}
        maxLength={40}
        required
      />
      <button type="submit">Join the room</button>
    </form>
  );
}
