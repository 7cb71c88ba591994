import { useEffect, useState } from 'react';

/**
 * The current time in milliseconds, refreshed every `intervalMs`, so relative times ("2 minutes
 * ago") age while on screen. One timer per caller, stopped on unmount.
 */
export function useNow(intervalMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), Math.max(1000, intervalMs));
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}
