import { type ChildProcess, fork } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import type { ChannelSnapshot, EmulatorOptions, TokenDetails } from '@presencekit/ably-emulator';

/** Where clients reach an emulator. */
export interface EmulatorAddress {
  url: string;
  host: string;
  port: number;
  key: string;
}

/** The emulator process's memory after a forced GC, in bytes. */
export interface HeapReading {
  heapUsed: number;
  rss: number;
  external: number;
  arrayBuffers: number;
}

/** A message the emulator stored, as the fuzzer compares it. */
export interface StoredMessageView {
  id: string;
  name?: string;
  data?: unknown;
  clientId?: string;
  connectionId?: string;
  serial: string;
}

/** Emulator options that can cross a process boundary (no functions, no server). */
export type ChildEmulatorOptions = Omit<EmulatorOptions, 'log' | 'server'>;

// No `new URL(…, import.meta.url)`: under jsdom the global URL is jsdom's, which Node rejects.
const CHILD = join(dirname(fileURLToPath(import.meta.url)), 'emulator-child.mjs');
const CALL_TIMEOUT_MS = 30_000;

type Reply = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: string };

/**
 * `@presencekit/ably-emulator` running in a child process (built `dist/`), driven over IPC. A crash
 * shows up as {@link exited}; {@link heap} measures the server alone; {@link stop} ends it by pid.
 */
export class EmulatorProcess {
  /** Set once the child exited: a crash unless {@link stop} was called. */
  exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  address!: EmulatorAddress;

  private seq = 0;
  private readonly pending = new Map<
    number,
    { resolve: (v: unknown) => void; reject: (e: Error) => void }
  >();
  private stopping = false;
  private readonly exit: Promise<void>;

  private constructor(
    private readonly child: ChildProcess,
    private readonly options: ChildEmulatorOptions,
  ) {
    this.exit = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.exited = { code, signal };
        for (const p of this.pending.values())
          p.reject(new Error(`emulator process exited (code ${code}, signal ${signal})`));
        this.pending.clear();
        resolve();
      });
    });
    child.on('message', (raw) => {
      const reply = raw as Reply;
      const p = this.pending.get(reply.id);
      if (!p) return;
      this.pending.delete(reply.id);
      if (reply.ok) p.resolve(reply.result);
      else p.reject(new Error(`emulator process: ${reply.error}`));
    });
  }

  /** Forks the process and starts an emulator in it. */
  static async start(options: ChildEmulatorOptions = {}): Promise<EmulatorProcess> {
    const child = fork(CHILD, [], {
      execArgv: ['--expose-gc'],
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const proc = new EmulatorProcess(child, options);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error('emulator process not ready in 20 s')),
        20_000,
      );
      child.once('message', () => {
        clearTimeout(timer);
        resolve();
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`emulator process exited before ready (code ${code})`));
      });
    });
    proc.address = await proc.call<EmulatorAddress>('start', { port: 0, ...options });
    return proc;
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** Options for `new Ably.Realtime` / `Ably.Rest` pointing at this emulator. */
  clientOptions<T extends object>(
    extra?: T,
  ): { endpoint: string; port: number; tls: false; key: string } & T {
    const { host, port, key } = this.address;
    return { endpoint: host, port, tls: false, key, ...(extra as T) };
  }

  /** Calls a command of `emulator-child.mjs`. */
  call<T>(cmd: string, ...args: unknown[]): Promise<T> {
    if (this.exited) return Promise.reject(new Error('emulator process has exited'));
    const id = ++this.seq;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`emulator process: ${cmd} took over ${CALL_TIMEOUT_MS} ms`));
      }, CALL_TIMEOUT_MS);
      this.pending.set(id, {
        resolve: (v) => {
          clearTimeout(timer);
          resolve(v as T);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      this.child.send({ id, cmd, args });
    });
  }

  /** Heap and RSS after two forced GCs. */
  heap(): Promise<HeapReading> {
    return this.call('heap');
  }

  channel(name: string, appId?: string): Promise<ChannelSnapshot> {
    return this.call('channel', name, appId);
  }

  /** Every message a channel retains, oldest first. */
  messages(name: string): Promise<StoredMessageView[]> {
    return this.call('messages', name);
  }

  channelCount(): Promise<number> {
    return this.call('channelCount');
  }

  connectionCount(): Promise<number> {
    return this.call('connectionCount');
  }

  /** Cuts a connection's socket from the server side, as a network failure would. */
  drop(connectionId: string): Promise<boolean> {
    return this.call('drop', connectionId);
  }

  createToken(params: Record<string, unknown>): Promise<TokenDetails> {
    return this.call('createToken', params);
  }

  /** Log lines that suggest an emulator bug (internal errors, REST 5xx). */
  suspicious(): Promise<string[]> {
    return this.call('suspicious');
  }

  /**
   * A server restart: `emulator.stop()`, then `startEmulator({ port: samePort })` in the same
   * process. `whileDown` runs in between (to observe the outage); all state is gone afterwards.
   */
  async restart(whileDown?: () => Promise<void>): Promise<EmulatorAddress> {
    const port = this.address.port;
    await this.call('stop');
    await whileDown?.();
    this.address = await this.call<EmulatorAddress>('start', { ...this.options, port });
    return this.address;
  }

  /** Stops the emulator, then ends the process by pid (SIGKILL if it does not exit in 5 s). */
  async stop(): Promise<void> {
    if (this.stopping) return this.exit;
    this.stopping = true;
    if (!this.exited) {
      await this.call('stop').catch(() => undefined);
      try {
        process.kill(this.pid, 'SIGTERM');
      } catch {
        // Already gone.
      }
      const killer = setTimeout(() => {
        try {
          process.kill(this.pid, 'SIGKILL');
        } catch {
          // Already gone.
        }
      }, 5_000);
      await this.exit;
      clearTimeout(killer);
    }
  }
}
