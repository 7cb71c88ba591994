import { usePresence } from '@presencekit/react';

import type { VisitorProfile } from './rooms';

/**
 * Keeps this tab in the room's presence set while mounted: enters with the profile, updates it
 * when it changes, leaves on unmount (leaving or switching rooms).
 */
export function Me({ profile }: { profile: VisitorProfile }) {
  const { error } = usePresence(profile);
  return error ? (
    <p role="alert" className="demo-error">
      {error.message}
    </p>
  ) : null;
}
