import { seededRandom } from '../state/ids.js';

/** One queued callback of a {@link Lane}, due at `at` (ms, `performance.now()` time). */
interface Pending {
  at: number;
  fn: () => void;
}

/**
 * One direction of one connection: callbacks run after the network's delay, in the order they
 * were queued, whatever delay each drew (a later one never overtakes an earlier one, as on one
 * TCP stream). Without latency, and nothing left from when there was some, they run at once.
 */
export class Lane {
  private readonly queue: Pending[] = [];
  private timer: NodeJS.Timeout | undefined;
  /** When the last queued callback runs: the next one runs no earlier. */
  private last = 0;

  constructor(private readonly latency: Latency) {}

  /** Whether {@link run} would call its callback at once (the hot path can skip the closure). */
  get direct(): boolean {
    return this.queue.length === 0 && !this.latency.enabled;
  }

  /** Runs `fn` after one delay, after everything queued before it. */
  run(fn: () => void): void {
    if (this.direct) {
      fn();
      return;
    }
    const at = Math.max(performance.now() + this.latency.sample(), this.last);
    this.last = at;
    this.queue.push({ at, fn });
    if (this.queue.length === 1) this.schedule();
  }

  /** Drops what is still queued (the socket is gone). */
  clear(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.queue.length = 0;
  }

  private schedule(): void {
    const head = this.queue[0];
    if (!head) return;
    this.timer = setTimeout(() => this.drain(), Math.max(0, head.at - performance.now()));
    // Never what keeps a process alive: a stopped emulator's leftovers just go.
    this.timer.unref();
  }

  private drain(): void {
    this.timer = undefined;
    const now = performance.now();
    while (this.queue.length > 0 && this.queue[0]!.at <= now) this.queue.shift()!.fn();
    this.schedule();
  }
}

/**
 * Simulated network latency (`latencyMs`, `latencyJitterMs`): every realtime frame, each way, and
 * every REST request and response waits `ms` ± up to `jitterMs` (uniform), the jitter drawn from
 * a PRNG seeded with the emulator's `seed`, so a run can be repeated. Frames of one connection
 * keep their order in each direction ({@link Lane}). {@link set} changes it while running (the
 * inspector): open connections are delayed from their next frame on.
 */
export class Latency {
  private readonly random: () => number;

  constructor(
    private _ms: number,
    private _jitterMs: number,
    seed: number,
  ) {
    this.random = seededRandom(seed);
  }

  /** One-way delay in ms. */
  get ms(): number {
    return this._ms;
  }

  /** Up to this much more or less per delay, in ms. */
  get jitterMs(): number {
    return this._jitterMs;
  }

  /** Changes the delay; frames already waiting keep theirs. */
  set(ms: number, jitterMs: number): void {
    this._ms = ms;
    this._jitterMs = jitterMs;
  }

  /** Whether there is any delay at all (otherwise callers skip the queues entirely). */
  get enabled(): boolean {
    return this.ms > 0 || this.jitterMs > 0;
  }

  /** One delay in ms: `ms` ± up to `jitterMs`, never negative. */
  sample(): number {
    return Math.max(0, this.ms + (this.random() * 2 - 1) * this.jitterMs);
  }

  /** An ordered queue for one direction of one connection. */
  lane(): Lane {
    return new Lane(this);
  }

  /** Runs `fn` after one delay (REST: each request and response on its own). */
  after(fn: () => void): void {
    setTimeout(fn, this.sample()).unref();
  }
}
