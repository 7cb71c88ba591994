import { type ChildProcess, fork } from 'node:child_process';

/**
 * Benchmarks run their sides in separate processes so that one side's CPU, memory and event-loop
 * stalls never show up in the other's numbers. This is a minimal request/response protocol over
 * the IPC channel of `child_process.fork`.
 */

type Handler = (args: never) => unknown;
type Handlers = Record<string, Handler>;

interface Request {
  id: number;
  method: string;
  args: unknown;
}
interface Response {
  id: number;
  ok: boolean;
  value?: unknown;
  error?: string;
}

/** A child process started with {@link startWorker}. */
export interface Worker<H extends Handlers> {
  call<M extends keyof H & string>(
    method: M,
    args?: Parameters<H[M]>[0],
  ): Promise<Awaited<ReturnType<H[M]>>>;
  /** Messages the child sends on its own (`emit`). */
  onEvent(listener: (event: unknown) => void): void;
  readonly pid: number;
  /** Kills the child (if still running) and waits for it to exit. */
  stop(): Promise<void>;
}

/**
 * Forks `file` (a TypeScript module run through tsx, like the harness) and returns a handle to
 * call the handlers it registered with {@link serve}.
 */
export function startWorker<H extends Handlers>(
  file: URL,
  {
    args = [],
    execArgv = [],
    env = {},
  }: { args?: string[]; execArgv?: string[]; env?: Record<string, string> } = {},
): Worker<H> {
  // BENCH_CPU_PROF=<dir>: every worker writes a V8 CPU profile there when it exits (open it in
  // Chrome DevTools > Performance, or speedscope) — to see where a side's time goes.
  const profile = process.env.BENCH_CPU_PROF
    ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`]
    : [];
  const child: ChildProcess = fork(file, args, {
    env: { ...process.env, ...env },
    execArgv: ['--import', 'tsx', '--expose-gc', ...profile, ...execArgv],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    serialization: 'advanced',
  });
  let nextId = 1;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  const listeners: ((event: unknown) => void)[] = [];
  let exited = false;
  const exit = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exited = true;
      for (const p of pending.values()) {
        p.reject(new Error(`worker ${file.pathname} exited (${code ?? signal}) during a call`));
      }
      pending.clear();
      resolve();
    });
  });
  child.on('message', (message: Response | { event: unknown }) => {
    if ('event' in message) {
      for (const l of listeners) l(message.event);
      return;
    }
    const p = pending.get(message.id);
    if (!p) return;
    pending.delete(message.id);
    if (message.ok) p.resolve(message.value);
    else p.reject(new Error(message.error));
  });
  return {
    pid: child.pid ?? -1,
    call(method, callArgs) {
      if (exited) return Promise.reject(new Error(`worker ${file.pathname} is not running`));
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
        child.send({ id, method, args: callArgs } satisfies Request);
      });
    },
    onEvent(listener) {
      listeners.push(listener);
    },
    async stop() {
      // Disconnecting lets the child exit normally (profiles get written); a signal if it hangs.
      if (!exited && child.connected) child.disconnect();
      const term = setTimeout(() => {
        if (!exited) child.kill('SIGTERM');
      }, 3000);
      const kill = setTimeout(() => {
        if (!exited) child.kill('SIGKILL');
      }, 6000);
      await exit;
      clearTimeout(term);
      clearTimeout(kill);
    },
  };
}

/** In the child: answers the parent's calls with `handlers`. */
export function serve(handlers: Handlers): void {
  if (!process.send) throw new Error('serve() must run in a process started by startWorker()');
  process.on('message', (request: Request) => {
    const handler = handlers[request.method];
    void (async () => {
      try {
        if (!handler) throw new Error(`no handler "${request.method}"`);
        const value = await handler(request.args as never);
        process.send!({ id: request.id, ok: true, value } satisfies Response);
      } catch (error) {
        const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
        process.send!({ id: request.id, ok: false, error: message } satisfies Response);
      }
    })();
  });
  // The parent going away ends the child too: nothing is left running after a crash.
  process.on('disconnect', () => process.exit(0));
}

/** In the child: sends an unsolicited event to the parent. */
export function emit(event: unknown): void {
  process.send?.({ event });
}

/** Heap and RSS after a full GC (the process must run with `--expose-gc`), in bytes. */
export function settledMemory(): { heapUsed: number; rss: number; external: number } {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  gc?.();
  const m = process.memoryUsage();
  return { heapUsed: m.heapUsed, rss: m.rss, external: m.external };
}
