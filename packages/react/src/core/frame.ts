/**
 * Runs `callback` before the next paint (`requestAnimationFrame`), or after ~16 ms where there is
 * no such thing (Node, workers). Returns a function that cancels it.
 */
export function onNextFrame(callback: () => void): () => void {
  if (typeof requestAnimationFrame === 'function') {
    const id = requestAnimationFrame(callback);
    return () => cancelAnimationFrame(id);
  }
  const id = setTimeout(callback, 16);
  return () => clearTimeout(id);
}

/** See {@link frameBatch}. */
export interface FrameBatch {
  /** Asks for a flush. */
  (): void;
  /** Drops a flush that was asked for. */
  readonly cancel: () => void;
}

/**
 * Batches changes into at most one `flush` per animation frame, however many events arrive, with
 * no wait when nothing was flushed for this frame yet.
 *
 * The first change flushes in a microtask (so the events of one message are still batched): a
 * `useSyncExternalStore` listener it notifies makes React commit at once (a sync-lane update), and
 * the next frame paints it. Changes that arrive after that, before the frame, wait for it and are
 * flushed in a task right after it, painted by the frame after. So a lone change is on screen
 * with the next frame instead of waiting for one and then rendering, and a burst still costs one
 * commit per frame. A hidden tab gets no frames, so it does no rendering work after its first
 * flush until it is shown again.
 */
export function frameBatch(flush: () => void): FrameBatch {
  let dirty = false;
  let queued = false;
  /** A flush happened that the coming frame will paint: later changes wait for that frame. */
  let flushed = false;
  let cancelFrame: (() => void) | undefined;
  const lead = (): void => {
    queued = false;
    if (!dirty || flushed) return;
    dirty = false;
    flushed = true;
    cancelFrame ??= onNextFrame(() => {
      cancelFrame = undefined;
      flushed = false;
      // Still in the frame's callbacks: a commit now would be a second one for this paint.
      if (dirty) setTimeout(lead, 0);
    });
    flush();
  };
  const batch = (): void => {
    dirty = true;
    if (flushed || queued) return;
    queued = true;
    queueMicrotask(lead);
  };
  batch.cancel = () => {
    cancelFrame?.();
    cancelFrame = undefined;
    dirty = flushed = false;
  };
  return batch;
}
