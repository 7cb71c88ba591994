import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import type { WireFormat } from '../protocol/codec.js';
import { formatOf, handleConnect } from '../realtime/connect.js';
import type { Realtime, SocketSession } from '../realtime/realtime.js';
import type { Router } from '../rest/router.js';
import type { Transport } from '../state/connection.js';

/** A socket whose unsent data exceeds this is too slow to keep up and is dropped. */
const MAX_BUFFERED_BYTES = 64 * 1024 * 1024;

/** The net.Socket under a `ws` WebSocket (not public API, hence optional). */
interface Corkable {
  cork(): void;
  uncork(): void;
}

/**
 * Sockets corked during this turn of the event loop. A burst of events (a join storm, a big fan-out)
 * often writes several frames to the same socket; corking until `setImmediate` turns them into
 * one `writev` instead of one system call per frame. Latency cost: the rest of the current turn.
 */
const corked = new Set<Corkable>();
let uncorkScheduled = false;

function uncorkAll(): void {
  uncorkScheduled = false;
  for (const socket of corked) socket.uncork();
  corked.clear();
}

/** A `ws` socket as a realtime {@link Transport}. */
class WsTransport implements Transport {
  /** Set by pongs and inbound frames; cleared at each heartbeat tick. */
  alive = true;
  private readonly socket: Corkable | undefined;

  constructor(
    private readonly ws: WebSocket,
    readonly format: WireFormat,
  ) {
    const socket = (ws as unknown as { _socket?: Partial<Corkable> })._socket;
    this.socket =
      typeof socket?.cork === 'function' && typeof socket.uncork === 'function'
        ? (socket as Corkable)
        : undefined;
  }

  send(frame: Buffer): void {
    if (this.ws.readyState !== WebSocket.OPEN) return;
    if (this.ws.bufferedAmount > MAX_BUFFERED_BYTES) {
      this.ws.terminate();
      return;
    }
    const socket = this.socket;
    if (socket && !corked.has(socket)) {
      socket.cork();
      corked.add(socket);
      if (!uncorkScheduled) {
        uncorkScheduled = true;
        setImmediate(uncorkAll);
      }
    }
    // JSON must go in text frames (browsers parse binary frames as ArrayBuffers).
    this.ws.send(frame, { binary: this.format === 'msgpack' });
  }

  close(code: number, reason: string): void {
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) {
      this.ws.close(code, reason.slice(0, 120));
    }
  }

  terminate(): void {
    this.ws.terminate();
  }

  /** Heartbeat tick: drop a peer that showed no sign of life since the last one. */
  tick(): void {
    if (!this.alive) {
      this.ws.terminate();
      return;
    }
    this.alive = false;
    if (this.ws.readyState === WebSocket.OPEN) this.ws.ping();
  }
}

/** Options of {@link EmulatorServer}. */
export interface ServerOptions {
  host: string;
  port: number;
  /** Serve on this server instead of creating one (it is not closed by `close()`). */
  server: Server | undefined;
  maxFrameSize: number;
  heartbeatIntervalMs: number;
  log: (line: string) => void;
}

/**
 * The listener: one HTTP server for REST and WebSocket upgrades at `/` (the SDK uses one host
 * and port for both), heartbeats that drop dead peers, and an idempotent `close()`.
 */
export class EmulatorServer {
  readonly http: Server;
  private readonly wss: WebSocketServer;
  private readonly transports = new Set<WsTransport>();
  private heartbeat: NodeJS.Timeout | undefined;
  private closing: Promise<void> | undefined;
  private readonly ownsServer: boolean;
  private readonly onRequest = (req: IncomingMessage, res: ServerResponse) =>
    this.router.handle(req, res);
  private readonly onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) =>
    this.handleUpgrade(req, socket, head);

  constructor(
    private readonly options: ServerOptions,
    private readonly realtime: Realtime,
    private readonly router: Router,
  ) {
    this.ownsServer = options.server === undefined;
    this.http = options.server ?? createServer();
    this.http.on('request', this.onRequest);
    this.http.on('upgrade', this.onUpgrade);
    this.wss = new WebSocketServer({
      noServer: true,
      maxPayload: options.maxFrameSize,
      perMessageDeflate: false,
      clientTracking: false,
    });
    this.wss.on('error', (err) => options.log(`websocket server error: ${err.message}`));
  }

  /** Starts listening (or waits for the given server to listen) and starts heartbeats. */
  async listen(): Promise<AddressInfo> {
    if (this.ownsServer) {
      await new Promise<void>((resolve, reject) => {
        const onError = (err: Error) => reject(err);
        this.http.once('error', onError);
        this.http.listen(this.options.port, this.options.host, () => {
          this.http.off('error', onError);
          resolve();
        });
      });
    } else if (!this.http.listening) {
      await new Promise<void>((resolve) => this.http.once('listening', () => resolve()));
    }
    this.heartbeat = setInterval(() => {
      for (const t of this.transports) t.tick();
      this.realtime.sendHeartbeats();
    }, this.options.heartbeatIntervalMs);
    this.heartbeat.unref();
    return this.http.address() as AddressInfo;
  }

  /** Handles an HTTP request (exposed for servers that route requests themselves). */
  handleRequest(req: IncomingMessage, res: ServerResponse): void {
    this.router.handle(req, res);
  }

  /** Handles an upgrade request (exposed for servers that route upgrades themselves). */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => socket.destroy());
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://emulator.invalid');
    } catch {
      socket.destroy();
      return;
    }
    if (url.pathname !== '/' || this.closing) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws, url.searchParams));
  }

  private accept(ws: WebSocket, query: URLSearchParams): void {
    const transport = new WsTransport(ws, formatOf(query));
    const session: SocketSession = { connection: undefined };
    this.transports.add(transport);
    ws.on('error', () => {});
    ws.on('pong', () => (transport.alive = true));
    ws.on('message', (data, isBinary) => {
      transport.alive = true;
      const raw = Buffer.isBuffer(data)
        ? data
        : Array.isArray(data)
          ? Buffer.concat(data)
          : Buffer.from(data);
      this.realtime.receive(session, transport, isBinary ? raw : raw.toString('utf8'));
    });
    ws.on('close', () => {
      this.transports.delete(transport);
      this.realtime.transportClosed(session, transport);
    });
    handleConnect(this.realtime, session, transport, query);
  }

  /** Stops heartbeats, closes every socket and (if it owns it) the HTTP server. Idempotent. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      clearInterval(this.heartbeat);
      this.http.off('request', this.onRequest);
      this.http.off('upgrade', this.onUpgrade);
      for (const t of this.transports) t.close(1001, 'emulator stopping');
      this.wss.close();
      if (this.ownsServer) {
        await new Promise<void>((resolve) => {
          this.http.close(() => resolve());
          this.http.closeAllConnections();
        });
      }
    })();
    return this.closing;
  }
}
