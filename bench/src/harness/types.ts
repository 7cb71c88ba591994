/**
 * The shape of `bench/results/latest.json`. Every number a benchmark reports is a median of
 * `runs` measured runs taken after `warmups` unmeasured ones, unless its metric says otherwise.
 */

/** One measured quantity, for our side and its baseline, measured in the same run. */
export interface Metric {
  /** What is measured, e.g. "CPU per event". */
  name: string;
  /** Unit of `ours` and `baseline`: ms, us, bytes, count, MB, … */
  unit: string;
  /** Our value; `null` when it never reached the goal within the bound (see `note`). */
  ours: number | null;
  /** The baseline's value; `null` when there is none, or it never got there. */
  baseline: number | null;
  /**
   * How the two compare, as `ratioMeaning` says: `baseline/ours` (> 1: ours is better, "12× less
   * CPU") or `ours/baseline` (how many times the floor, for capacity). `null` when undefined.
   */
  ratio: number | null;
  ratioMeaning: 'baseline/ours' | 'ours/baseline';
  /** Goal for `ours` in this unit when the issue sets one (e.g. a size budget). */
  target?: number;
  /** Why a value is missing, or how to read it. */
  note?: string;
}

/** One case of a benchmark (a room size, a mode, an entry point). */
export interface Row {
  case: string;
  metrics: Metric[];
}

/** One benchmark's result. */
export interface BenchResult {
  id: string;
  title: string;
  /** Label of our side, e.g. "@presencekit/react usePresenceMembers". */
  ours: string;
  /** Label of the baseline, e.g. "@ably/chat/react usePresenceListener". */
  baseline: string;
  /** The target from issue 7, in words. */
  target: string;
  /** Whether this run met the target (`null` when it cannot be judged, e.g. skipped). */
  targetMet: boolean | null;
  status: 'ok' | 'error' | 'skipped';
  /** Why it errored or was skipped. */
  error?: string;
  warmups: number;
  runs: number;
  durationMs: number;
  rows: Row[];
  /** How it was measured, caveats. */
  notes: string[];
}

/** `latest.json`. */
export interface BenchReport {
  schema: 1;
  startedAt: string;
  finishedAt: string;
  quick: boolean;
  machine: {
    node: string;
    platform: string;
    cpus: number;
    cpuModel: string;
    memoryGiB: number;
    /** 1-minute load average when the run started and ended: above `cpus`, other work competed. */
    loadAverage: { start: number; end: number };
  };
  versions: Record<string, string>;
  benchmarks: BenchResult[];
}

/** What a benchmark gets from the harness. */
export interface BenchContext {
  /** Fewer members, clients and runs: for the smoke test, not for numbers. */
  quick: boolean;
  /** Measured runs (median taken) and unmeasured warm-up runs before them. */
  runs: number;
  warmups: number;
  /** `--sizes`: room sizes to run instead of the benchmark's own (for profiling one case). */
  sizes?: number[];
  /** `--sides`: only these sides (e.g. `ours,none`), for profiling; ratios need both. */
  sides?: string[];
  /** Progress line on stderr (stdout is the table). */
  log: (line: string) => void;
}

/** A benchmark: everything but the bookkeeping the harness adds. */
export interface Bench {
  id: string;
  title: string;
  run(
    ctx: BenchContext,
  ): Promise<
    Omit<BenchResult, 'id' | 'title' | 'status' | 'durationMs' | 'warmups' | 'runs'> &
      Partial<Pick<BenchResult, 'warmups' | 'runs'>>
  >;
}
