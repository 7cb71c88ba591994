import { useEffect, useRef, useState } from 'react';

import { type Announcer, createAnnouncer } from '../internal/announcer';

/**
 * `message`, but changed at most once per `intervalMs`: the text to put into a polite live region
 * so a screen reader hears a changing value without being flooded. The first change is passed at
 * once; changes during the interval collapse into the latest one, passed when it ends.
 *
 * @param enabled - When `false` the returned text never changes (nothing is announced).
 */
export function useThrottledAnnouncement(
  message: string,
  intervalMs: number,
  enabled = true,
): string {
  const [announced, setAnnounced] = useState(message);
  const announcer = useRef<Announcer<string> | null>(null);

  useEffect(() => {
    if (!enabled) return;
    const instance = createAnnouncer<string>({
      intervalMs,
      summarize: (items) => items[items.length - 1] ?? null,
      onAnnounce: setAnnounced,
    });
    announcer.current = instance;
    return () => {
      instance.dispose();
      announcer.current = null;
    };
  }, [intervalMs, enabled]);

  // Only changes are pushed: the text present at mount is not news, and pushing it would hold
  // back the first real change by a whole interval.
  const last = useRef(message);
  useEffect(() => {
    if (message === last.current) return;
    last.current = message;
    announcer.current?.push(message);
  }, [message]);

  return enabled ? announced : message;
}
