/** Options for {@link createAnnouncer}. */
export interface AnnouncerOptions<T> {
  /** At most one announcement per this many milliseconds. */
  intervalMs: number;
  /** Turns what happened since the last announcement into one sentence, or `null` for silence. */
  summarize: (items: readonly T[]) => string | null;
  /** Receives each sentence (typically: put it into a polite live region). */
  onAnnounce: (message: string) => void;
}

/** A throttled announcer; see {@link createAnnouncer}. */
export interface Announcer<T> {
  /** Records something that happened. */
  push(item: T): void;
  /** Stops the timer; later pushes are ignored. */
  dispose(): void;
}

/**
 * Collects events and announces a summary at most once per interval: the first event is spoken
 * at once, the rest of a burst as one sentence when the interval ends. In a room of thousands a
 * screen reader then hears "12 people joined" every few seconds, not 12 separate names.
 */
export function createAnnouncer<T>(options: AnnouncerOptions<T>): Announcer<T> {
  let pending: T[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  let disposed = false;

  const flush = () => {
    timer = undefined;
    if (pending.length === 0) return;
    const message = options.summarize(pending);
    pending = [];
    if (message) options.onAnnounce(message);
    // Keep the window closed after speaking, so the next burst waits a full interval.
    timer = setTimeout(flush, options.intervalMs);
  };

  return {
    push(item) {
      if (disposed) return;
      pending.push(item);
      if (timer === undefined) flush();
    },
    dispose() {
      disposed = true;
      pending = [];
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
    },
  };
}
