/**
 * Calls `tick` every `intervalMs` while the page is visible. A hidden tab skips its ticks and
 * catches up with one call as soon as it is shown again, so a lobby left open in a background
 * tab does not keep hitting the REST API. Returns a function that stops it.
 */
export function startPolling(tick: () => void, intervalMs: number): () => void {
  const doc = typeof document === 'undefined' ? undefined : document;
  let missed = false;
  const timer = setInterval(() => {
    if (doc?.visibilityState === 'hidden') {
      missed = true;
      return;
    }
    tick();
  }, intervalMs);
  const onVisibility = (): void => {
    if (missed && doc?.visibilityState !== 'hidden') {
      missed = false;
      tick();
    }
  };
  doc?.addEventListener('visibilitychange', onVisibility);
  return () => {
    clearInterval(timer);
    doc?.removeEventListener('visibilitychange', onVisibility);
  };
}
