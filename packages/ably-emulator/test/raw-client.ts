import msgpack from '@ably/msgpack-js';
import WebSocket from 'ws';
import type { Emulator } from '../src/index.js';
import type { ProtocolMessage } from '../src/protocol/types.js';
import { onCleanup } from './helpers.js';

/** A bare protocol client for frames the SDKs never send (garbage, re-sent serials, oversize). */
export class RawClient {
  readonly frames: ProtocolMessage[] = [];
  closeCode: number | undefined;
  private waiters: (() => void)[] = [];

  private constructor(
    readonly ws: WebSocket,
    readonly format: 'json' | 'msgpack',
  ) {
    ws.on('message', (data: Buffer, isBinary) => {
      const msg = (
        format === 'msgpack' ? msgpack.decode(data) : JSON.parse(data.toString('utf8'))
      ) as ProtocolMessage;
      if (format === 'json' && isBinary) throw new Error('JSON frame sent as binary');
      if (format === 'msgpack' && !isBinary) throw new Error('msgpack frame sent as text');
      this.frames.push(msg);
      this.notify();
    });
    ws.on('close', (code) => {
      this.closeCode = code;
      this.notify();
    });
  }

  private notify(): void {
    for (const w of this.waiters.splice(0)) w();
  }

  /** Opens a socket with the given query (format defaults to json, key to the emulator's). */
  static async connect(e: Emulator, query: Record<string, string> = {}): Promise<RawClient> {
    const params = new URLSearchParams({ key: e.key, format: 'json', v: '6', ...query });
    if (query.key === '') params.delete('key');
    const ws = new WebSocket(`ws://127.0.0.1:${e.port}/?${params.toString()}`);
    const client = new RawClient(ws, params.get('format') === 'msgpack' ? 'msgpack' : 'json');
    onCleanup(() => ws.terminate());
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return client;
  }

  /** Sends a frame in this client's format. */
  send(msg: ProtocolMessage | Record<string, unknown>): void {
    this.ws.send(this.format === 'msgpack' ? msgpack.encode(msg, true) : JSON.stringify(msg));
  }

  /** Sends raw bytes or text. */
  sendRaw(data: string | Buffer): void {
    this.ws.send(data);
  }

  /** Waits for (and returns) the first frame, from `from` on, that matches. */
  async next(
    match: (m: ProtocolMessage) => boolean,
    { from = 0, timeoutMs = 3000 } = {},
  ): Promise<ProtocolMessage> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.frames.slice(from).find(match);
      if (found) return found;
      if (Date.now() > deadline) {
        throw new Error(`no matching frame; got ${JSON.stringify(this.frames.slice(from))}`);
      }
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.max(1, deadline - Date.now()));
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  /** Waits until the server closed the socket. */
  async closed(timeoutMs = 3000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    while (this.closeCode === undefined) {
      if (Date.now() > deadline) throw new Error('socket not closed');
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, 50);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
    return this.closeCode;
  }
}
