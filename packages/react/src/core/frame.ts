/**
 * Runs `callback` before the next paint (`requestAnimationFrame`), or after ~16 ms where there is
 * no such thing (Node, workers). Returns a function that cancels it.
 *
 * Batching presence updates to a frame caps re-renders at one per frame however many events
 * arrive. A hidden tab gets no frames, so it does no rendering work until it is shown again.
 */
export function onNextFrame(callback: () => void): () => void {
  if (typeof requestAnimationFrame === 'function' && typeof cancelAnimationFrame === 'function') {
    const id = requestAnimationFrame(() => callback());
    return () => cancelAnimationFrame(id);
  }
  const id = setTimeout(callback, 16);
  return () => clearTimeout(id);
}
